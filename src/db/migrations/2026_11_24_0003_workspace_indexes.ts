import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the people list (found with bench/workspace.ts at 10,000 people):
 *
 * - the name search, `name_zh ilike '%…%' or name_en ilike '%…%'` (person.repository.ts), read
 *   every row twice per page (list and count): trigram indexes let both use a bitmap index scan.
 *   pg_trgm counts CJK characters as word characters (the cluster is UTF-8), so a three-character
 *   Chinese name is found through the index too; one or two characters still need the full scan.
 *   pg_trgm ships with PostgreSQL and is a trusted extension (13+): the database owner may create it.
 * - the unfiltered first page, `order by name_en, id limit 50`, sorted the whole table: in this
 *   order the index hands over the first 50 rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  // fastupdate off: people are written one by one and read all day; a pending list would make every
  // search read it linearly until (auto)vacuum merges it.
  await sql`create index person_name_zh_trgm_idx on person using gin (name_zh gin_trgm_ops) with (fastupdate = off)`.execute(db);
  await sql`create index person_name_en_trgm_idx on person using gin (name_en gin_trgm_ops) with (fastupdate = off)`.execute(db);
  await db.schema.createIndex('person_name_en_idx').on('person').columns(['name_en', 'id']).execute();
}

/** Drops the indexes; the extension stays, as something else may have come to use it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['person_name_en_idx', 'person_name_en_trgm_idx', 'person_name_zh_trgm_idx']) {
    await db.schema.dropIndex(index).execute();
  }
}
