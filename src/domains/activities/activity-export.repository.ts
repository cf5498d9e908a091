import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** The topics of these activities, each activity's in the taxonomy's order. */
export async function listTopicsOfActivities(db: Executor, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_topic_link as link')
    .innerJoin('activity_topic as topic', 'topic.id', 'link.topic_id')
    .select(['link.activity_id', 'topic.name_zh', 'topic.name_en'])
    .where('link.activity_id', 'in', activityIds)
    .orderBy('link.activity_id')
    .orderBy('topic.position')
    .orderBy('topic.id')
    .execute();
}

/** The stops of these activities in order, with the facility's and the place's names. */
export async function listStopsOfActivities(db: Executor, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_stop as stop')
    .leftJoin('facility', 'facility.id', 'stop.facility_id')
    .leftJoin('place', (join) => join.on(sql<SqlBool>`place.id = coalesce(stop.place_id, facility.place_id)`))
    .select([
      'stop.activity_id',
      'facility.name_zh as facility_name_zh',
      'facility.name_en as facility_name_en',
      'place.name_zh as place_name_zh',
      'place.name_en as place_name_en',
    ])
    .where('stop.activity_id', 'in', activityIds)
    .orderBy('stop.activity_id')
    .orderBy('stop.position')
    .orderBy('stop.id')
    .execute();
}

/** How many attendees, sessions and follow-ups each of these activities has. */
export async function countPartsOfActivities(db: Executor, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  const result = await sql<{ id: number; attendees: string; sessions: string; follow_ups: string }>`
    select a.id,
           (select count(*) from activity_attendee x where x.activity_id = a.id) as attendees,
           (select count(*) from activity_session x where x.activity_id = a.id) as sessions,
           (select count(*) from activity_follow_up x where x.activity_id = a.id) as follow_ups
    from activity a where a.id = any(${[...activityIds]}::integer[])`.execute(db);
  return result.rows.map((row) => ({ id: row.id, attendees: Number(row.attendees), sessions: Number(row.sessions), followUps: Number(row.follow_ups) }));
}

/** The attendees of these activities, each activity's in order, with the person's names. */
export async function listAttendeesOfActivities(db: Executor, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_attendee as attendee')
    .leftJoin('person', 'person.id', 'attendee.person_id')
    .select([
      'attendee.activity_id',
      'attendee.person_id',
      'attendee.organization_id',
      'attendee.title_zh',
      'attendee.title_en',
      'attendee.role',
      'attendee.status',
      'person.name_zh as person_name_zh',
      'person.name_en as person_name_en',
    ])
    .where('attendee.activity_id', 'in', activityIds)
    .orderBy('attendee.activity_id')
    .orderBy('attendee.position')
    .orderBy('attendee.id')
    .execute();
}
