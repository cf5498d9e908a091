import type { Kysely } from 'kysely';

/**
 * An index for the facility statistics (found with bench/facility-statistics.ts at 50,000 places and
 * 200,000 facilities): the statistics look up the facilities of many places at once and count them
 * by kind and status, with the operator as a filter. With every column they read in the index, the
 * lookups are index-only scans and never visit the table. PostgreSQL's CPU time for the statement fell
 * from 355 to 121 ms at the top level, from 163 to 87 ms for a province and from 12 to 7 ms for a district.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('facility_statistics_idx')
    .on('facility')
    .columns(['place_id', 'kind_id', 'status', 'operator_organization_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('facility_statistics_idx').execute();
}
