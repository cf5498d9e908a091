import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** An app over a test file's own copy of the demo database, driven with `app.inject`. */
export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** The app's own data folder (uploaded media under media/), removed on close. */
  dataDir: string;
  close(): Promise<void>;
}

/** Builds the app as the server does, on a fresh copy of the demo database, without listening. */
export async function createTestApp(options: { viewFlushMs?: number } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'halfsky-test-data-'));
  const app = await buildApp({
    config: { viewFlushMs: options.viewFlushMs ?? 60_000, logLevel: 'silent', dataDir },
    db: database.db,
    connectionString: database.connectionString,
  });
  await app.ready();
  return {
    app,
    database,
    dataDir,
    close: async () => {
      await app.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser's User-Agent: views from it count. */
export const browserUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
