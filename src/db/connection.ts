import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { createDb, type Database } from './database.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

/** The database name Halfsky uses inside its embedded server. */
export const embeddedDatabaseName = 'halfsky';

/** An open database, with the server behind it when Halfsky runs that server itself. */
export interface DatabaseConnection {
  db: Kysely<Database>;
  connectionString: string;
  /** "embedded" when Halfsky started PostgreSQL in DATA_DIR, "server" for DATABASE_URL. */
  kind: 'embedded' | 'server';
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL in DATA_DIR when there is none. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  log: (message: string) => void = () => undefined,
): Promise<DatabaseConnection> {
  if (config.databaseUrl) {
    const db = createDb(config.databaseUrl);
    return { db, connectionString: config.databaseUrl, kind: 'server', close: () => db.destroy() };
  }
  const server = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), log });
  try {
    await server.ensureDatabase(embeddedDatabaseName);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const connectionString = server.connectionString(embeddedDatabaseName);
  const db = createDb(connectionString);
  return {
    db,
    connectionString,
    kind: 'embedded',
    close: async () => {
      await db.destroy();
      await server.stop();
    },
  };
}
