import type { Executor } from '../../db/database.ts';
import { visibleTo, type ReadableOrganizations } from './activity.repository.ts';

/** The instants a duty record covers: from the start of a year to the start of the next (Asia/Shanghai). */
export interface YearRange {
  from: Date;
  before: Date;
}

/**
 * The activities of the year that the reader may see and that were not cancelled, with their kind: what
 * each of a person's involvements joins to.
 */
function activitiesOf(db: Executor, range: YearRange, readable: ReadableOrganizations) {
  return db
    .selectFrom('activity')
    .innerJoin('activity_kind as kind', 'kind.id', 'activity.kind_id')
    .where('activity.starts_at', '>=', range.from)
    .where('activity.starts_at', '<', range.before)
    .where('activity.status', '<>', 'cancelled')
    .where(visibleTo(readable))
    .select([
      'activity.id as activity_id',
      'activity.title_zh',
      'activity.title_en',
      'activity.starts_at',
      'activity.ends_at',
      'activity.status',
      'activity.visibility',
      'kind.name_zh as kind_name_zh',
      'kind.name_en as kind_name_en',
    ]);
}

/** The person's places on attendee lists (absences left out), with the role and the title she held that day. */
export async function listAttendanceOf(db: Executor, personId: number, range: YearRange, readable: ReadableOrganizations) {
  return activitiesOf(db, range, readable)
    .innerJoin('activity_attendee as attendee', 'attendee.activity_id', 'activity.id')
    .select(['attendee.role', 'attendee.status as attendance', 'attendee.title_zh as held_zh', 'attendee.title_en as held_en'])
    .where('attendee.person_id', '=', personId)
    .where('attendee.status', '<>', 'absent')
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .execute();
}

/** The agenda items the person spoke to, with their subject. */
export async function listSpeechesOf(db: Executor, personId: number, range: YearRange, readable: ReadableOrganizations) {
  return activitiesOf(db, range, readable)
    .innerJoin('activity_session as session', 'session.activity_id', 'activity.id')
    .innerJoin('activity_agenda_item as item', 'item.session_id', 'session.id')
    .select(['item.subject_zh', 'item.subject_en'])
    .where('item.speaker_person_id', '=', personId)
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .orderBy('session.position')
    .orderBy('item.position')
    .execute();
}

/** The follow-ups the person owns, agreed at activities of the year. */
export async function listFollowUpsOwnedBy(db: Executor, personId: number, range: YearRange, readable: ReadableOrganizations) {
  return activitiesOf(db, range, readable)
    .innerJoin('activity_follow_up as follow_up', 'follow_up.activity_id', 'activity.id')
    .select(['follow_up.action_zh', 'follow_up.action_en', 'follow_up.due_on', 'follow_up.status as follow_up_status'])
    .where('follow_up.owner_person_id', '=', personId)
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .orderBy('follow_up.position')
    .execute();
}

/** The stops of the year's activities at facilities the person keeps (an executive member's office, say). */
export async function listVisitsToFacilitiesKeptBy(db: Executor, personId: number, range: YearRange, readable: ReadableOrganizations) {
  return activitiesOf(db, range, readable)
    .innerJoin('activity_stop as stop', 'stop.activity_id', 'activity.id')
    .innerJoin('facility', 'facility.id', 'stop.facility_id')
    .select(['facility.name_zh as facility_name_zh', 'facility.name_en as facility_name_en'])
    .where('facility.keeper_person_id', '=', personId)
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .orderBy('stop.position')
    .execute();
}
