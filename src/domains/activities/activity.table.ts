import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Where an activity stands: planned, held, or called off. */
export const activityStatuses = ['planned', 'held', 'cancelled'] as const;
export type ActivityStatus = (typeof activityStatuses)[number];

/** Who may read an activity: anyone (public), the network's staff (network), the organizers' staff (internal). */
export const activityVisibilities = ['public', 'network', 'internal'] as const;
export type ActivityVisibility = (typeof activityVisibilities)[number];

/** The part an organization takes in organizing an activity; every one of them may edit it. */
export const organizerRoles = ['organizer', 'co_organizer', 'host'] as const;
export type OrganizerRole = (typeof organizerRoles)[number];

/** The part a person takes in an activity. */
export const attendeeRoles = ['head_of_delegation', 'member', 'host', 'speaker'] as const;
export type AttendeeRole = (typeof attendeeRoles)[number];

/** Whether an attendee came. */
export const attendanceStatuses = ['invited', 'confirmed', 'attended', 'absent'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

/** Where a follow-up stands. */
export const followUpStatuses = ['open', 'done', 'dropped'] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

// Text a form may leave empty: '' when not given.
type OptionalText = ColumnType<string, string | undefined, string>;

/** The activity table: an exchange visit, a field investigation, a meeting, … */
export interface ActivityTable {
  id: Generated<number>;
  /** activity_kind (a list a deployment can extend, like facility_kind). */
  kind_id: number;
  /** One of the two titles at least; the other may be empty. */
  title_zh: OptionalText;
  title_en: OptionalText;
  summary_zh: OptionalText;
  summary_en: OptionalText;
  starts_at: Date;
  ends_at: Date;
  status: ColumnType<ActivityStatus, ActivityStatus | undefined, ActivityStatus>;
  visibility: ColumnType<ActivityVisibility, ActivityVisibility | undefined, ActivityVisibility>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The activity_topic_link table: the topics of an activity (activity_topic is a taxonomy table). */
export interface ActivityTopicLinkTable {
  activity_id: number;
  topic_id: number;
}

/** The activity_organizer table: the organizations organizing an activity, in order. */
export interface ActivityOrganizerTable {
  activity_id: number;
  organization_id: number;
  role: OrganizerRole;
  position: ColumnType<number, number | undefined, number>;
}

/** The activity_stop table: one stop of the itinerary, at a facility or at a place. */
export interface ActivityStopTable {
  id: Generated<number>;
  activity_id: number;
  position: number;
  facility_id: number | null;
  place_id: number | null;
  /** The topic investigated there. */
  topic_id: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
  purpose_zh: OptionalText;
  purpose_en: OptionalText;
  /** What was seen. */
  observations_zh: OptionalText;
  observations_en: OptionalText;
  findings_zh: OptionalText;
  findings_en: OptionalText;
}

/** The activity_stop_host table: the organizations hosting a stop. */
export interface ActivityStopHostTable {
  stop_id: number;
  organization_id: number;
}

/** The activity_session table: a meeting within an activity, with its minutes. */
export interface ActivitySessionTable {
  id: Generated<number>;
  activity_id: number;
  position: number;
  title_zh: OptionalText;
  title_en: OptionalText;
  starts_at: Date | null;
  ends_at: Date | null;
  minutes_zh: OptionalText;
  minutes_en: OptionalText;
}

/** The activity_agenda_item table: an item of a session's agenda, with who spoke to it. */
export interface ActivityAgendaItemTable {
  id: Generated<number>;
  session_id: number;
  position: number;
  subject_zh: OptionalText;
  subject_en: OptionalText;
  speaker_person_id: number | null;
  speaker_organization_id: number | null;
}

/** The activity_attendee table: who took part, with the title they held that day (a snapshot). */
export interface ActivityAttendeeTable {
  id: Generated<number>;
  activity_id: number;
  position: number;
  /** Null for a post whose holder the record does not name, or a person since deleted. */
  person_id: number | null;
  organization_id: number;
  title_zh: OptionalText;
  title_en: OptionalText;
  role: AttendeeRole;
  status: ColumnType<AttendanceStatus, AttendanceStatus | undefined, AttendanceStatus>;
}

/** The activity_follow_up table: an action agreed, with its owner, due date and status. */
export interface ActivityFollowUpTable {
  id: Generated<number>;
  activity_id: number;
  position: number;
  action_zh: OptionalText;
  action_en: OptionalText;
  owner_organization_id: number;
  owner_person_id: number | null;
  /** "YYYY-MM-DD". */
  due_on: string | null;
  status: ColumnType<FollowUpStatus, FollowUpStatus | undefined, FollowUpStatus>;
}

/** The activity_photo table: images of the media library shown with an activity, in order. */
export interface ActivityPhotoTable {
  activity_id: number;
  media_id: number;
  position: ColumnType<number, number | undefined, number>;
}

export type ActivityRow = Selectable<ActivityTable>;
export type NewActivityRow = Insertable<ActivityTable>;
export type ActivityRowUpdate = Updateable<ActivityTable>;
export type ActivityStopRow = Selectable<ActivityStopTable>;
export type ActivitySessionRow = Selectable<ActivitySessionTable>;
export type ActivityAgendaItemRow = Selectable<ActivityAgendaItemTable>;
export type ActivityAttendeeRow = Selectable<ActivityAttendeeTable>;
export type ActivityFollowUpRow = Selectable<ActivityFollowUpTable>;
