import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formatDate, instantFromWallClock } from '../../platform/time.ts';
import * as dutyRepository from './activity-duty.repository.ts';
import type { YearRange } from './activity-duty.repository.ts';
import * as activityRepository from './activity.repository.ts';
import { activityTimeZone } from './activity.rules.ts';
import { readerScope, type Names, type PersonRef } from './activity.service.ts';
import type { ActivityStatus, ActivityVisibility, AttendanceStatus, AttendeeRole, FollowUpStatus } from './activity.table.ts';

/**
 * A person's duty record for a year: what an executive committee member reports on. Every activity of
 * the year she led a delegation to, hosted, spoke at (as a speaker, or to an item of a session's
 * agenda), took part in, owns a follow-up of, or that visited a facility she keeps; grouped by kind of
 * involvement, with totals. Cancelled activities and absences are left out; so are the activities the
 * reader may not see (an internal activity of another federation).
 */

/** The kinds of involvement, in the order the record lists them. */
export const involvements = ['led', 'hosted', 'spoke', 'took_part', 'follow_up', 'facility'] as const;
export type Involvement = (typeof involvements)[number];

/** The attendee role that makes each kind of involvement (a speaker's place is also "spoke"). */
const involvementOfRole: Record<AttendeeRole, Involvement> = {
  head_of_delegation: 'led',
  host: 'hosted',
  speaker: 'spoke',
  member: 'took_part',
};

/** An activity as the record names it. */
export interface DutyActivity {
  id: number;
  titleZh: string;
  titleEn: string;
  kind: Names;
  startsAt: Date;
  endsAt: Date;
  status: ActivityStatus;
  visibility: ActivityVisibility;
}

/** One involvement in one activity. */
export interface DutyEntry {
  involvement: Involvement;
  activity: DutyActivity;
  /** Her role on the attendee list, when she was on it. */
  role: AttendeeRole | null;
  attendance: AttendanceStatus | null;
  /** The title she held that day, as the attendee list records it ('' when not on it). */
  heldZh: string;
  heldEn: string;
  /** What she spoke to, the follow-up she owns, or the facility she keeps: in both languages, several joined. */
  detailZh: string;
  detailEn: string;
  /** A follow-up's due day and status. */
  dueOn: string | null;
  followUpStatus: FollowUpStatus | null;
}

/** The record: the person, the year, the entries by kind of involvement, and the totals. */
export interface DutyRecord {
  person: PersonRef;
  year: number;
  groups: { involvement: Involvement; entries: DutyEntry[] }[];
  totals: Record<Involvement, number>;
  /** Different activities she was involved in, whatever the kind. */
  activities: number;
}

/** The year (Asia/Shanghai) of an instant. */
export function yearOf(instant: Date): number {
  return Number(formatDate(instant, activityTimeZone).slice(0, 4));
}

function yearRange(year: number): YearRange {
  return {
    from: instantFromWallClock(`${String(year).padStart(4, '0')}-01-01 00:00:00`, activityTimeZone),
    before: instantFromWallClock(`${String(year + 1).padStart(4, '0')}-01-01 00:00:00`, activityTimeZone),
  };
}

type ActivityColumns = Pick<
  Awaited<ReturnType<typeof dutyRepository.listAttendanceOf>>[number],
  'activity_id' | 'title_zh' | 'title_en' | 'kind_name_zh' | 'kind_name_en' | 'starts_at' | 'ends_at' | 'status' | 'visibility'
>;

function activityOf(row: ActivityColumns): DutyActivity {
  return {
    id: row.activity_id,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    kind: { nameZh: row.kind_name_zh, nameEn: row.kind_name_en },
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    visibility: row.visibility,
  };
}

function entryOf(involvement: Involvement, row: ActivityColumns, more: Partial<DutyEntry> = {}): DutyEntry {
  return {
    involvement,
    activity: activityOf(row),
    role: null,
    attendance: null,
    heldZh: '',
    heldEn: '',
    detailZh: '',
    detailEn: '',
    dueOn: null,
    followUpStatus: null,
    ...more,
  };
}

/** One "spoke" entry per activity: her speaker's place on the list and every agenda item she spoke to. */
function speakingEntries(attendance: readonly DutyEntry[], speeches: Awaited<ReturnType<typeof dutyRepository.listSpeechesOf>>): DutyEntry[] {
  const byActivity = new Map<number, DutyEntry>();
  for (const entry of attendance) if (entry.involvement === 'spoke') byActivity.set(entry.activity.id, entry);
  for (const speech of speeches) {
    const entry = byActivity.get(speech.activity_id) ?? entryOf('spoke', speech);
    byActivity.set(speech.activity_id, {
      ...entry,
      detailZh: [entry.detailZh, speech.subject_zh || speech.subject_en].filter(Boolean).join('；'),
      detailEn: [entry.detailEn, speech.subject_en || speech.subject_zh].filter(Boolean).join('; '),
    });
  }
  return [...byActivity.values()].sort((a, b) => a.activity.startsAt.getTime() - b.activity.startsAt.getTime() || a.activity.id - b.activity.id);
}

/** The person whose record is asked for, to a reader who may read the network's records; else "not found". */
export async function getDutyRecordPerson(db: Executor, actor: Actor, personId: number): Promise<PersonRef> {
  await readerScope(db, actor);
  const person = await activityRepository.findPerson(db, personId);
  if (!person) throw notFound();
  return { id: person.id, nameZh: person.name_zh, nameEn: person.name_en };
}

/** Reads a person's duty record for a year, as the actor may see it; an unknown person is "not found". */
export async function readDutyRecord(db: Executor, actor: Actor, personId: number, year: number): Promise<DutyRecord> {
  const [readable, person] = await Promise.all([readerScope(db, actor), getDutyRecordPerson(db, actor, personId)]);
  const range = yearRange(year);
  const [attendance, speeches, followUps, visits] = await Promise.all([
    dutyRepository.listAttendanceOf(db, personId, range, readable),
    dutyRepository.listSpeechesOf(db, personId, range, readable),
    dutyRepository.listFollowUpsOwnedBy(db, personId, range, readable),
    dutyRepository.listVisitsToFacilitiesKeptBy(db, personId, range, readable),
  ]);
  const places = attendance.map((row) =>
    entryOf(involvementOfRole[row.role], row, { role: row.role, attendance: row.attendance, heldZh: row.held_zh, heldEn: row.held_en }),
  );
  const entries: DutyEntry[] = [
    ...places.filter((entry) => entry.involvement !== 'spoke'),
    ...speakingEntries(places, speeches),
    ...followUps.map((row) =>
      entryOf('follow_up', row, { detailZh: row.action_zh || row.action_en, detailEn: row.action_en || row.action_zh, dueOn: row.due_on, followUpStatus: row.follow_up_status }),
    ),
    ...visits.map((row) => entryOf('facility', row, { detailZh: row.facility_name_zh, detailEn: row.facility_name_en || row.facility_name_zh })),
  ];
  const groups = involvements.map((involvement) => ({ involvement, entries: entries.filter((entry) => entry.involvement === involvement) }));
  const totals = Object.fromEntries(groups.map((group) => [group.involvement, group.entries.length])) as Record<Involvement, number>;
  return {
    person,
    year,
    groups,
    totals,
    activities: new Set(entries.map((entry) => entry.activity.id)).size,
  };
}
