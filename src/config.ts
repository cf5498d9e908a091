import path from 'node:path';
import { z } from 'zod';

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VIEW_FLUSH_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'use true, false, or the proxies\' addresses')
    .default('false'),
  MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s"'<>]+$/, 'must be an http:// or https:// address without spaces or quotes')
    .refine((url) => ['{z}', '{x}', '{y}'].every((part) => url.includes(part)), 'must contain {z}, {x} and {y}')
    .optional(),
  MAP_ATTRIBUTION: z.string().max(300, 'must be at most 300 characters').optional(),
});

/** Whom to believe about the client's address and scheme: nobody, any proxy, or the proxies at these addresses. */
export type TrustProxy = boolean | string;

function parseTrustProxy(value: string): TrustProxy {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Typed settings of one Halfsky process, read from the environment. */
export interface Config {
  port: number;
  host: string;
  /** Absolute path of the folder that holds the embedded PostgreSQL cluster and uploads. */
  dataDir: string;
  /** A PostgreSQL server to use; undefined means "run the embedded one in dataDir". */
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** How often counted page views are written to the database. */
  viewFlushMs: number;
  /**
   * Behind a reverse proxy that terminates HTTPS, trust its X-Forwarded-* headers, so that the
   * session cookie is Secure and the sign-in throttle sees each reader's own address.
   */
  trustProxy: TrustProxy;
  /**
   * Where the portal's maps take their tiles from ("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
   * and the credit the tile source asks for; undefined means no map, and no page asks another host.
   */
  map: MapSettings | undefined;
}

/** A tile source for the portal's maps, and its attribution as plain text. */
export interface MapSettings {
  tileUrl: string;
  attribution: string;
}

/** Thrown when the environment holds a value Halfsky cannot use; its message is one readable line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    const value = typeof issue?.path[0] === 'string' ? environment[issue.path[0]] : undefined;
    throw new ConfigError(`invalid ${name}=${JSON.stringify(value)}: ${issue?.message ?? 'not accepted'}`);
  }
  const env = parsed.data;
  if (env.MAP_TILE_URL !== undefined && env.MAP_ATTRIBUTION === undefined) {
    // Tile sources ask to be credited on the map; a deployment must say how.
    throw new ConfigError('missing MAP_ATTRIBUTION: MAP_TILE_URL needs the credit its tile source asks for');
  }
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    logLevel: env.LOG_LEVEL,
    viewFlushMs: env.VIEW_FLUSH_MS,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    map: env.MAP_TILE_URL === undefined ? undefined : { tileUrl: env.MAP_TILE_URL, attribution: env.MAP_ATTRIBUTION ?? '' },
  };
}
