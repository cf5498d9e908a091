import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the public service directory, found with bench/facility-directory.ts at 50,000 places and
 * 200,000 facilities (1.46 million weekly opening hours):
 *
 * - "Open now" first asks which facilities' weekly hours are open at the moment (weekday, opens <= t,
 *   closes > t). At night few are, and without an index PostgreSQL read every row of facility_hours to
 *   find them. Ordered by weekday, then closing time, then opening time, with the facility in the
 *   index: late in the evening the few that close later are one short range; early in the morning
 *   PostgreSQL 18 skips from one closing time to the next (schedules share a few), and older versions
 *   read the weekday's part of the index, a seventh of it, never the table.
 * - A search of one or two Chinese characters holds no trigram, so facility_search_trgm_idx cannot
 *   serve it and the whole table was read. This index holds the bigrams of the same text, as article
 *   search keeps them (halfsky_zh_bigrams, migration 0006): every occurrence of two characters is one
 *   of them, and of one character a prefix of one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index facility_hours_open_idx on facility_hours (weekday, closes, opens) include (facility_id)`.execute(db);
  await sql`create index facility_search_zh_bigram_idx on facility using gin (
    halfsky_zh_bigrams(name_zh || ' ' || name_en || ' ' || address_zh || ' ' || address_en))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('facility_search_zh_bigram_idx').execute();
  await db.schema.dropIndex('facility_hours_open_idx').execute();
}
