import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Database } from '../src/db/database.ts';
import { withDatabaseName } from './database-url.ts';

/** A database of a test file's own: a copy of the migrated demo database, dropped at the end. */
export interface TestDatabase {
  db: Kysely<Database>;
  connectionString: string;
  drop(): Promise<void>;
}

/** Copies the demo template into a fresh database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `halfsky_test_${template.split('_').pop()}_${randomBytes(6).toString('hex')}`;
  const admin = createDb(adminUrl, { maxConnections: 1 });
  try {
    await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const connectionString = withDatabaseName(adminUrl, name);
  const db = createDb(connectionString);
  return {
    db,
    connectionString,
    drop: async () => {
      await db.destroy();
      const cleanup = createDb(adminUrl, { maxConnections: 1 });
      try {
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(cleanup);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
