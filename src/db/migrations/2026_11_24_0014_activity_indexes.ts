import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the activity calendar, its feeds and the duty record, measured with
 * `npm run bench:activities` (100,000 activities, 1,000,000 attendees):
 *
 * - activity_period_idx: the days an activity goes on, as a range, for "going on in this month"
 *   (the range overlaps the month's). Ordered by start, a month in the middle of ten years otherwise
 *   reads every activity that began before it to find those that had not ended.
 * - activity_ends_idx: what is still going on or coming (ends at or after now), few beside the past.
 * - activity_follow_up_owner_person_idx: the follow-ups a person owns, for her duty record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index activity_period_idx on activity using gist (tstzrange(starts_at, ends_at, '[]'))`.execute(db);
  await db.schema.createIndex('activity_ends_idx').on('activity').columns(['ends_at', 'id']).execute();
  await sql`create index activity_follow_up_owner_person_idx on activity_follow_up (owner_person_id) where owner_person_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('activity_follow_up_owner_person_idx').execute();
  await db.schema.dropIndex('activity_ends_idx').execute();
  await db.schema.dropIndex('activity_period_idx').execute();
}
