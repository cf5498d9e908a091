import { sql, type Kysely } from 'kysely';

/**
 * Activities and the agreements they carry out:
 *
 * - activity_measure: the measures of agreements and circulars an activity carries out (the seed's
 *   exchange visit was held "to further implement a circular of several measures"). Deleting either
 *   side takes the link with it.
 * - commitment.follow_up_id: the follow-up of an activity that a commitment was made from. A follow-up
 *   becomes at most one commitment; deleting the follow-up keeps the commitment and forgets its origin.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_measure')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('activity_measure_pk', ['activity_id', 'measure_id'])
    .execute();
  // The primary key serves an activity's measures; this serves a measure's activities (and the cascade from measure).
  await db.schema.createIndex('activity_measure_measure_idx').on('activity_measure').columns(['measure_id', 'activity_id']).execute();

  await db.schema
    .alterTable('commitment')
    .addColumn('follow_up_id', 'integer', (c) => c.unique().references('activity_follow_up.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('commitment').dropColumn('follow_up_id').execute();
  await db.schema.dropTable('activity_measure').execute();
}
