import { z } from 'zod';
import { instantFromWallClock } from '../../platform/time.ts';
import { articleStatuses } from '../articles/article.table.ts';
import { activityMessages, activityTimeZone } from './activity.rules.ts';
import {
  activityStatuses,
  activityVisibilities,
  attendanceStatuses,
  attendeeRoles,
  followUpStatuses,
  organizerRoles,
} from './activity.table.ts';

export { activityStatuses, activityVisibilities, attendanceStatuses, attendeeRoles, followUpStatuses, organizerRoles };

// A form sends "" for "not given"; JSON sends null or leaves it out.
const blankToNull = (value: unknown): unknown => (value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value);
const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

// An id is a PostgreSQL integer: a larger number names nothing (and must not reach the database as one).
const id = z.coerce.number().int().positive().max(2_147_483_647);
const optionalId = z.preprocess(blankToNull, id.nullable());

/** A code of a list a deployment can extend (a kind, a topic). */
const code = z.string().trim().regex(/^[a-z][a-z0-9_]{1,62}$/, 'Choose one of the listed values.');

/** A list of ids or codes: an array (JSON), or one text with commas (a form's checkboxes, joined). */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === null) return [];
    const list = typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(list)) return list;
    return [...new Set(list.map((entry) => (typeof entry === 'string' ? entry.trim() : entry)).filter((entry) => entry !== ''))];
  }, z.array(item).max(100));
}

function text(max: number) {
  return z.preprocess((value) => value ?? '', z.string().trim().max(max));
}

/**
 * "2024-03-25 09:30" or "2024-03-25T09:30:00" on the Asia/Shanghai clock, or an instant with its offset
 * ("…Z", "…+08:00"), as the newsroom takes a publish time.
 */
const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

function isRealDateTime(value: string): boolean {
  const match = dateTimePattern.exec(value);
  if (!match) return false;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

/** The instant of a date-time a form or the API gave (see dateTimePattern). */
export function resolveDateTime(value: string): Date {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) return new Date(value);
  const [day = '', time = ''] = value.replace('T', ' ').replace(/\.\d+$/, '').split(' ');
  return instantFromWallClock(`${day} ${time.length === 5 ? `${time}:00` : time}`, activityTimeZone);
}

const dateTime = z.string().trim().refine(isRealDateTime, { message: activityMessages.dateTime().en });
const optionalDateTime = z.preprocess(blankToNull, dateTime.nullable());
const calendarDate = z.iso.date();

function timesInOrder(value: { startsAt?: string | null | undefined; endsAt?: string | null | undefined }, ctx: z.RefinementCtx): void {
  if (!value.startsAt || !value.endsAt || !isRealDateTime(value.startsAt) || !isRealDateTime(value.endsAt)) return;
  if (resolveDateTime(value.endsAt) < resolveDateTime(value.startsAt)) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: activityMessages.endsBeforeStart().en });
  }
}

/** Requires one of two language versions of a text (a form's empty field is ''). */
function oneOf(zh: string, en: string, message: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    // A patch that leaves one out is checked by the service against what is stored.
    if (value[zh] === undefined || value[en] === undefined) return;
    if (!value[zh] && !value[en]) ctx.addIssue({ code: 'custom', path: [zh], message });
  };
}

// ---------------------------------------------------------------------------------------------
// The activity

const activityFields = z.object({
  /** A code of activity_kind: exchange_visit, field_investigation, meeting, training, service_event, … */
  kind: code,
  titleZh: text(300),
  titleEn: text(300),
  summaryZh: text(4000),
  summaryEn: text(4000),
  startsAt: dateTime,
  endsAt: dateTime,
  status: z.enum(activityStatuses).default('planned'),
  visibility: z.enum(activityVisibilities).default('network'),
  /** Codes of activity_topic. */
  topics: listOf(code),
});

const organizerInput = z.object({ organizationId: id, role: z.enum(organizerRoles) });
export type OrganizerInput = z.infer<typeof organizerInput>;

const organizers = z.array(organizerInput).max(50);
const photoIds = listOf(id);

/** The activity's own fields as the workspace form sends them. */
export const activityForm = activityFields.superRefine(timesInOrder).superRefine(oneOf('titleZh', 'titleEn', activityMessages.title().en));
export type ActivityForm = z.infer<typeof activityForm>;

/** The new-activity form: the activity's fields, its organizer and an optional co-organizer. */
export const newActivityForm = activityFields
  .extend({ organizationId: id, coOrganizationId: optionalId })
  .superRefine(timesInOrder)
  .superRefine(oneOf('titleZh', 'titleEn', activityMessages.title().en));
export type NewActivityForm = z.infer<typeof newActivityForm>;

/** An activity as created through the API: its fields, its organizers (at least one `organizer`) and photos. */
export const activityInput = activityFields
  .extend({ organizers: organizers.min(1), photoIds: photoIds.optional() })
  .superRefine(timesInOrder)
  .superRefine(oneOf('titleZh', 'titleEn', activityMessages.title().en));
export type ActivityInput = z.infer<typeof activityInput>;

/** A partial change to an activity (API PATCH); organizers, topics and photos, when given, replace the lists. */
export const activityPatch = activityFields
  .extend({ topics: listOf(code), organizers, photoIds })
  .partial()
  .superRefine(timesInOrder)
  .superRefine(oneOf('titleZh', 'titleEn', activityMessages.title().en));
export type ActivityPatch = z.infer<typeof activityPatch>;

/** The organizer form of the activity page: an organization and its role. */
export const organizerForm = organizerInput;

/** The photo form of the activity page: an image of the media library. */
export const photoForm = z.object({ mediaId: id });

// ---------------------------------------------------------------------------------------------
// The parts of an activity. Each is created (POST) and replaced (PUT) with the same fields; `position`
// (1 = first) moves it among its siblings.

const position = z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10_000).optional());

const stopFields = z.object({
  /** The facility visited; or else placeId. */
  facilityId: optionalId,
  /** The place visited, where there is no facility. */
  placeId: optionalId,
  /** The code of the topic investigated there. */
  topic: z.preprocess(blankToNull, code.nullable()),
  startsAt: optionalDateTime,
  endsAt: optionalDateTime,
  /** The organizations hosting the stop. */
  hostIds: listOf(id),
  purposeZh: text(4000),
  purposeEn: text(4000),
  observationsZh: text(4000),
  observationsEn: text(4000),
  findingsZh: text(4000),
  findingsEn: text(4000),
});

/** A stop of the itinerary (API). */
export const stopInput = stopFields.extend({ position }).superRefine(timesInOrder);
export type StopInput = z.infer<typeof stopInput>;

/** A stop as the workspace form sends it: the place named by code or path ("110115/观音寺街道"). */
export const stopForm = stopFields
  .omit({ placeId: true })
  .extend({ place: z.preprocess((value) => value ?? '', z.string().trim().max(1000)) })
  .superRefine(timesInOrder);
export type StopForm = z.infer<typeof stopForm>;

/** A session: a meeting within the activity, with its minutes. */
export const sessionInput = z
  .object({
    titleZh: text(300),
    titleEn: text(300),
    startsAt: optionalDateTime,
    endsAt: optionalDateTime,
    minutesZh: text(20_000),
    minutesEn: text(20_000),
    position,
  })
  .superRefine(timesInOrder)
  .superRefine(oneOf('titleZh', 'titleEn', activityMessages.title().en));
export type SessionInput = z.infer<typeof sessionInput>;

/** An agenda item of a session, with who spoke to it. */
export const agendaItemInput = z
  .object({
    subjectZh: text(1000),
    subjectEn: text(1000),
    speakerPersonId: optionalId,
    speakerOrganizationId: optionalId,
    position,
  })
  .superRefine(oneOf('subjectZh', 'subjectEn', activityMessages.text().en));
export type AgendaItemInput = z.infer<typeof agendaItemInput>;

/**
 * An attendee: a person (organization and title filled in from the posts she held on the day of the
 * activity when left empty), or a post whose holder the record does not name.
 */
export const attendeeInput = z.object({
  personId: optionalId,
  organizationId: optionalId,
  titleZh: text(500),
  titleEn: text(500),
  role: z.enum(attendeeRoles),
  status: z.enum(attendanceStatuses).default('invited'),
  position,
});
export type AttendeeInput = z.infer<typeof attendeeInput>;

/** A follow-up: an action agreed, its owner, due date and status. */
export const followUpInput = z
  .object({
    actionZh: text(2000),
    actionEn: text(2000),
    ownerOrganizationId: id,
    ownerPersonId: optionalId,
    dueOn: z.preprocess(blankToNull, calendarDate.nullable()),
    status: z.enum(followUpStatuses).default('open'),
    position,
  })
  .superRefine(oneOf('actionZh', 'actionEn', activityMessages.text().en));
export type FollowUpInput = z.infer<typeof followUpInput>;

/** The up / down buttons of the workspace lists. */
export const moveForm = z.object({ direction: z.enum(['up', 'down']) });

// ---------------------------------------------------------------------------------------------
// Addresses and lists

/** Path parameters naming an activity. */
export const activityParams = z.object({ id });
/** Path parameters naming a part of an activity. */
export const partParams = z.object({ id, partId: id });
/** Path parameters naming an agenda item of a session. */
export const agendaItemParams = z.object({ id, partId: id, itemId: id });
/** Path parameters naming an organizer or a photo by its organization or image. */
export const organizerParams = z.object({ id, organizationId: id });

/** Filters and page of the activity list (the workspace list and GET /api/v1/activities). */
export const activityQuery = z.object({
  /** Part of a title, in either language. */
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  kind: z.preprocess(blankToUndefined, code.optional()),
  topic: z.preprocess(blankToUndefined, code.optional()),
  /** Organized by this organization or a unit below it. */
  organizationId: z.preprocess(blankToUndefined, id.optional()),
  /** With a stop at this place or below it (at a facility there, or at the place itself). */
  placeId: z.preprocess(blankToUndefined, id.optional()),
  /** With a stop at this facility. */
  facilityId: z.preprocess(blankToUndefined, id.optional()),
  /** With this person among the attendees. */
  personId: z.preprocess(blankToUndefined, id.optional()),
  /** Going on on or after this day (Asia/Shanghai). */
  from: z.preprocess(blankToUndefined, calendarDate.optional()),
  /** Going on on or before this day (Asia/Shanghai). */
  to: z.preprocess(blankToUndefined, calendarDate.optional()),
  visibility: z.preprocess(blankToUndefined, z.enum(activityVisibilities).optional()),
  status: z.preprocess(blankToUndefined, z.enum(activityStatuses).optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ActivityQuery = z.infer<typeof activityQuery>;

// ---------------------------------------------------------------------------------------------
// What the API returns

const names = { nameZh: z.string(), nameEn: z.string() };
const taxonomyOutput = z.object({ code: z.string(), ...names });
const organizationOutput = z.object({ id: z.number().int(), ...names });
const personOutput = z.object({ id: z.number().int(), ...names });

const organizerOutput = organizationOutput.extend({ role: z.enum(organizerRoles) });

/** An activity as the API lists it. */
export const activityOutput = z.object({
  id: z.number().int(),
  kind: taxonomyOutput,
  titleZh: z.string(),
  titleEn: z.string(),
  summaryZh: z.string(),
  summaryEn: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(activityStatuses),
  visibility: z.enum(activityVisibilities),
  organizers: z.array(organizerOutput),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const stopOutput = z.object({
  id: z.number().int(),
  position: z.number().int(),
  facility: organizationOutput.extend({ placeId: z.number().int() }).nullable(),
  place: organizationOutput.nullable(),
  topic: taxonomyOutput.nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  hosts: z.array(organizationOutput),
  purposeZh: z.string(),
  purposeEn: z.string(),
  observationsZh: z.string(),
  observationsEn: z.string(),
  findingsZh: z.string(),
  findingsEn: z.string(),
});

export const agendaItemOutput = z.object({
  id: z.number().int(),
  position: z.number().int(),
  subjectZh: z.string(),
  subjectEn: z.string(),
  speaker: personOutput.nullable(),
  speakerOrganization: organizationOutput.nullable(),
});

export const sessionOutput = z.object({
  id: z.number().int(),
  position: z.number().int(),
  titleZh: z.string(),
  titleEn: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  minutesZh: z.string(),
  minutesEn: z.string(),
  items: z.array(agendaItemOutput),
});

export const attendeeOutput = z.object({
  id: z.number().int(),
  position: z.number().int(),
  person: personOutput.nullable(),
  organization: organizationOutput,
  /** The federation (top of the organization's tree) the attendee is listed under. */
  federation: organizationOutput,
  /** The title held on the day of the activity, as recorded then. */
  titleZh: z.string(),
  titleEn: z.string(),
  role: z.enum(attendeeRoles),
  status: z.enum(attendanceStatuses),
});

export const followUpOutput = z.object({
  id: z.number().int(),
  position: z.number().int(),
  actionZh: z.string(),
  actionEn: z.string(),
  ownerOrganization: organizationOutput,
  ownerPerson: personOutput.nullable(),
  dueOn: z.string().nullable(),
  status: z.enum(followUpStatuses),
  /** The commitment made from it (GET /api/v1/commitments/{id}); null when none. */
  commitmentId: z.number().int().nullable(),
});

export const photoOutput = z.object({
  mediaId: z.number().int(),
  position: z.number().int(),
  altZh: z.string(),
  altEn: z.string(),
  /** The rendition about 640 wide (or the widest below it). */
  url: z.string(),
});

/** An update reporting on an activity: the newsroom's own to its site's staff, a published one to anyone who reads the activity. */
export const reportingArticleOutput = z.object({
  articleId: z.number().int(),
  siteId: z.number().int(),
  siteSlug: z.string(),
  status: z.enum(articleStatuses),
  publishAt: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  /** The portal's address of each language version readers can see now. */
  portal: z.object({ zh: z.string().optional(), en: z.string().optional() }),
});

/** An activity as the API reads it: everything its page shows. */
export const activityDetailOutput = activityOutput.extend({
  topics: z.array(taxonomyOutput),
  stops: z.array(stopOutput),
  sessions: z.array(sessionOutput),
  attendees: z.array(attendeeOutput),
  followUps: z.array(followUpOutput),
  photos: z.array(photoOutput),
  editable: z.boolean(),
  /** The updates reporting on it (POST /api/v1/activities/{id}/draft-article drafts one). */
  articles: z.array(reportingArticleOutput),
});

/** A page of activities as the API returns it. */
export const activityListOutput = z.object({
  items: z.array(activityOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
