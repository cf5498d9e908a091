import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/db/database.ts';
import { loadDemo } from '../src/db/demo/load-demo.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { withDatabaseName } from './database-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A connection string to the server's maintenance database, for creating test databases. */
    adminDatabaseUrl: string;
    /** A migrated database holding the demo data, to copy for each test file. */
    templateDatabase: string;
  }
}

/**
 * Prepares one PostgreSQL for the whole run: the server given by DATABASE_URL, or an embedded one
 * in a temporary folder. A template database is migrated and filled with the demo once; every test
 * file then gets its own copy.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgresServer | undefined;
  let dataDir: string | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'halfsky-test-'));
    // Under root the server runs as an unprivileged account, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
    adminUrl = embedded.connectionString('postgres');
  }
  const template = `halfsky_template_${process.pid}`;
  const admin = createDb(adminUrl, { maxConnections: 1 });
  await sql`drop database if exists ${sql.id(template)}`.execute(admin);
  await sql`create database ${sql.id(template)}`.execute(admin);
  const templateDb = createDb(withDatabaseName(adminUrl, template));
  try {
    await migrateToLatest(templateDb);
    await loadDemo(templateDb);
  } finally {
    await templateDb.destroy();
  }
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const leftovers = await sql<{ datname: string }>`
      select datname from pg_database where datname like ${`halfsky_test_${process.pid}_%`} or datname = ${template}`.execute(admin);
    for (const { datname } of leftovers.rows) {
      await sql`drop database if exists ${sql.id(datname)} with (force)`.execute(admin);
    }
    await admin.destroy();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
