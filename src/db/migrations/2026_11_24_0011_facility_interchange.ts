import type { Kysely } from 'kysely';

/**
 * The identifier another directory gave a facility: an HSDS import remembers the location id it
 * came with, so that importing the same file again changes the facility instead of adding a second.
 * Facilities that Halfsky exported itself need no row here (their ids are derived from ours).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('facility_external_id')
    .addColumn('facility_id', 'integer', (c) => c.primaryKey().references('facility.id').onDelete('cascade'))
    .addColumn('location_uuid', 'uuid', (c) => c.notNull().unique())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('facility_external_id').execute();
}
