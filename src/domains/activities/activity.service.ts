import type { Kysely, Transaction } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { totalOf } from '../../platform/paging.ts';
import { formatDate, instantFromWallClock } from '../../platform/time.ts';
import { getMedia, mediaForDisplay, type Media } from '../media/media.service.ts';
import { assertFacilityVisible } from '../places/facility.service.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import type { OrganizationKind } from '../organizations/organization.table.ts';
import { listPostsHeldBy } from '../people/person.service.ts';
import * as activityRepository from './activity.repository.ts';
import type { ActivityFilter, ActivityOrder, ActivityWithKindRow, PartTable, ReadableOrganizations } from './activity.repository.ts';
import type { Bilingual } from '../places/place.rules.ts';
import { ActivityRuleError, activityMessages, activityTimeZone, titlesOfPosts } from './activity.rules.ts';
import {
  resolveDateTime,
  type ActivityInput,
  type ActivityPatch,
  type ActivityQuery,
  type AgendaItemInput,
  type AttendeeInput,
  type FollowUpInput,
  type OrganizerInput,
  type SessionInput,
  type StopInput,
} from './activity.schema.ts';
import type {
  ActivityStatus,
  ActivityVisibility,
  AttendanceStatus,
  AttendeeRole,
  FollowUpStatus,
  OrganizerRole,
} from './activity.table.ts';

// ---------------------------------------------------------------------------------------------
// What the domain hands out

/** An entry of a list a deployment can extend (a kind, a topic). */
export interface Taxon {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Names in both languages. */
export interface Names {
  nameZh: string;
  nameEn: string;
}

/** An organization as activities name it: with its parent, so that "党组" of BWF and of TWF read apart. */
export interface OrganizationRef extends Names {
  id: number;
  kind: OrganizationKind;
  parentId: number | null;
}

/** A person as activities name her. */
export interface PersonRef extends Names {
  id: number;
}

/** An organization organizing an activity, with its role. */
export interface Organizer extends OrganizationRef {
  role: OrganizerRole;
}

/** An activity's own fields. */
export interface Activity {
  id: number;
  kind: Taxon;
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  startsAt: Date;
  endsAt: Date;
  status: ActivityStatus;
  visibility: ActivityVisibility;
  createdAt: Date;
  updatedAt: Date;
}

/** An activity in a list: with its organizers. */
export interface ActivityListItem extends Activity {
  organizers: Organizer[];
}

/** A stop of the itinerary: a facility (with the place it is in) or a place. */
export interface ActivityStop {
  id: number;
  position: number;
  facility: (Names & { id: number; placeId: number }) | null;
  /** Where the stop was: the place itself, or the facility's place. */
  place: (Names & { id: number }) | null;
  topic: Taxon | null;
  startsAt: Date | null;
  endsAt: Date | null;
  hosts: OrganizationRef[];
  purposeZh: string;
  purposeEn: string;
  observationsZh: string;
  observationsEn: string;
  findingsZh: string;
  findingsEn: string;
}

/** An agenda item of a session, with who spoke to it. */
export interface AgendaItem {
  id: number;
  position: number;
  subjectZh: string;
  subjectEn: string;
  speaker: PersonRef | null;
  speakerOrganization: OrganizationRef | null;
}

/** A meeting within an activity: its agenda and minutes. */
export interface ActivitySession {
  id: number;
  position: number;
  titleZh: string;
  titleEn: string;
  startsAt: Date | null;
  endsAt: Date | null;
  minutesZh: string;
  minutesEn: string;
  items: AgendaItem[];
}

/** Someone who took part: a person, or a post whose holder is not named; with the title held that day. */
export interface Attendee {
  id: number;
  position: number;
  person: PersonRef | null;
  organization: OrganizationRef;
  /** The top of the organization's tree: the federation she came with. */
  federation: OrganizationRef;
  titleZh: string;
  titleEn: string;
  role: AttendeeRole;
  status: AttendanceStatus;
}

/** An action agreed at an activity. */
export interface FollowUp {
  id: number;
  position: number;
  actionZh: string;
  actionEn: string;
  ownerOrganization: OrganizationRef;
  ownerPerson: PersonRef | null;
  dueOn: string | null;
  status: FollowUpStatus;
  /** The commitment of an agreement or circular made from it; null when none. */
  commitmentId: number | null;
}

/** A photo of an activity: an image of the media library. */
export interface ActivityPhoto {
  mediaId: number;
  position: number;
  media: Media;
}

/** An activity with everything its page shows. */
export interface ActivityDetail extends ActivityListItem {
  /** The day it begins, "YYYY-MM-DD" in Asia/Shanghai: the day attendees' titles are taken from. */
  day: string;
  topics: Taxon[];
  stops: ActivityStop[];
  sessions: ActivitySession[];
  attendees: Attendee[];
  followUps: FollowUp[];
  photos: ActivityPhoto[];
  /** Whether the actor may change it. */
  editable: boolean;
}

/** Attendees as the seed lists them: by federation, its own people first, then by department. */
export interface AttendeeGroup {
  federation: OrganizationRef;
  /** Those who came for the federation itself. */
  attendees: Attendee[];
  units: { unit: OrganizationRef; attendees: Attendee[] }[];
}

/** The parts of an activity kept in order; agenda items are ordered within their session. */
export type ActivityPart = 'stop' | 'session' | 'attendee' | 'followUp';

/** Names a part of an activity. */
export type PartRef = { part: ActivityPart; id: number } | { part: 'agendaItem'; sessionId: number; id: number };

// ---------------------------------------------------------------------------------------------
// Mapping

type OrganizationTree = Map<number, OrganizationRef>;

async function organizationTree(db: Executor): Promise<OrganizationTree> {
  const rows = await organizationRepository.listOrganizationTree(db);
  return new Map(rows.map((row) => [row.id, { id: row.id, nameZh: row.name_zh, nameEn: row.name_en, kind: row.kind, parentId: row.parent_id }]));
}

function organizationIn(tree: OrganizationTree, id: number): OrganizationRef {
  return tree.get(id) ?? { id, nameZh: `#${id}`, nameEn: `#${id}`, kind: 'partner', parentId: null };
}

/** The top of an organization's tree (itself when it has no parent). */
export function federationOf(tree: ReadonlyMap<number, OrganizationRef>, organization: OrganizationRef): OrganizationRef {
  let current = organization;
  for (let depth = 0; current.parentId !== null && depth < 100; depth += 1) {
    const parent = tree.get(current.parentId);
    if (!parent) break;
    current = parent;
  }
  return current;
}

function depthOf(tree: OrganizationTree, id: number): number {
  let depth = 0;
  for (let current = tree.get(id); current && current.parentId !== null && depth < 100; current = tree.get(current.parentId)) depth += 1;
  return depth;
}

function activityRowToActivity(row: ActivityWithKindRow): Activity {
  return {
    id: row.id,
    kind: { code: row.kind_code, nameZh: row.kind_name_zh, nameEn: row.kind_name_en },
    titleZh: row.title_zh,
    titleEn: row.title_en,
    summaryZh: row.summary_zh,
    summaryEn: row.summary_en,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    visibility: row.visibility,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function personRef(id: number | null, nameZh: string | null, nameEn: string | null): PersonRef | null {
  return id !== null && nameZh !== null && nameEn !== null ? { id, nameZh, nameEn } : null;
}

/** A stored row with camelCase keys, for the audit log. */
function auditRecord(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value]));
}

/** Groups attendees by federation, then by the unit they came from, in the order they are listed. */
export function groupAttendees(attendees: readonly Attendee[]): AttendeeGroup[] {
  const groups = new Map<number, AttendeeGroup>();
  for (const attendee of attendees) {
    let group = groups.get(attendee.federation.id);
    if (!group) {
      group = { federation: attendee.federation, attendees: [], units: [] };
      groups.set(attendee.federation.id, group);
    }
    if (attendee.organization.id === attendee.federation.id) {
      group.attendees.push(attendee);
      continue;
    }
    let unit = group.units.find((entry) => entry.unit.id === attendee.organization.id);
    if (!unit) {
      unit = { unit: attendee.organization, attendees: [] };
      group.units.push(unit);
    }
    unit.attendees.push(attendee);
  }
  return [...groups.values()];
}

/** The day an activity begins, "YYYY-MM-DD" in Asia/Shanghai. */
export function activityDay(activity: { startsAt: Date }): string {
  return formatDate(activity.startsAt, activityTimeZone);
}

// ---------------------------------------------------------------------------------------------
// Access

/** The organizations whose internal activities the actor may see ("all" for a platform administrator). */
export async function readableOrganizations(db: Executor, actor: Actor): Promise<ReadableOrganizations> {
  const readable = await organizationsWhere(db, actor, 'read');
  return readable === 'all' ? 'all' : [...readable];
}

async function mayRead(db: Executor, actor: Actor, visibility: ActivityVisibility, organizationIds: readonly number[]): Promise<boolean> {
  if (visibility !== 'internal') return true;
  const readable = await organizationsWhere(db, actor, 'read');
  return readable === 'all' || organizationIds.some((id) => readable.has(id));
}

/** Tells whether the actor may change an activity organized by these organizations: edit_records on any one of them. */
async function mayEdit(db: Executor, actor: Actor, organizationIds: readonly number[]): Promise<boolean> {
  const editable = await organizationsWhere(db, actor, 'edit_records');
  return editable === 'all' || organizationIds.some((id) => editable.has(id));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The kinds of activity, in their order. */
export async function listKinds(db: Executor, actor: Actor): Promise<Taxon[]> {
  await assertCanRead(db, actor);
  return (await activityRepository.listTaxonomy(db, 'activity_kind')).map((row) => ({ code: row.code, nameZh: row.name_zh, nameEn: row.name_en }));
}

/** The topics activities are tagged with, in their order. */
export async function listTopics(db: Executor, actor: Actor): Promise<Taxon[]> {
  await assertCanRead(db, actor);
  return (await activityRepository.listTaxonomy(db, 'activity_topic')).map((row) => ({ code: row.code, nameZh: row.name_zh, nameEn: row.name_en }));
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function filterOf(query: ActivityQuery): ActivityFilter {
  return {
    q: query.q || undefined,
    kind: query.kind,
    topic: query.topic,
    organizationId: query.organizationId,
    placeId: query.placeId,
    facilityId: query.facilityId,
    personId: query.personId,
    from: query.from === undefined ? undefined : instantFromWallClock(`${query.from} 00:00:00`, activityTimeZone),
    before: query.to === undefined ? undefined : instantFromWallClock(`${nextDay(query.to)} 00:00:00`, activityTimeZone),
    visibility: query.visibility,
    status: query.status,
  };
}

/** How a list is ordered and bounded by an instant: a calendar's coming and past activities. */
export interface ListOptions {
  /** 'latest' (the default): latest start first; 'earliest': soonest first. */
  order?: ActivityOrder;
  /** Only those still going on at or after this instant. */
  endingFrom?: Date;
  /** Only those that ended before this instant. */
  endedBefore?: Date;
}

/**
 * Whose internal activities the actor reads (refusing, as "not found", anyone who may not read the
 * network's records); the public (null) reads public activities only.
 */
export async function readerScope(db: Executor, actor: Actor | null): Promise<ReadableOrganizations> {
  if (actor === null) return [];
  await assertCanRead(db, actor);
  return readableOrganizations(db, actor);
}

function listFilterOf(query: ActivityQuery, actor: Actor | null, options: ListOptions): ActivityFilter {
  const filter = filterOf(query);
  if (options.endingFrom !== undefined && (filter.from === undefined || filter.from < options.endingFrom)) filter.from = options.endingFrom;
  if (options.endedBefore !== undefined) filter.endedBefore = options.endedBefore;
  // The public (the portal, its feeds) sees public activities and nothing else, whatever was asked.
  if (actor === null) filter.visibility = 'public';
  return filter;
}

/** Activity rows with their organizers, for the lists of this domain's other files (calendar, exports). */
export async function withOrganizersOf(db: Executor, rows: readonly ActivityWithKindRow[]): Promise<ActivityListItem[]> {
  const [organizerRows, tree] = await Promise.all([activityRepository.listOrganizers(db, rows.map((row) => row.id)), organizationTree(db)]);
  return rows.map((row) => withOrganizers(row, organizerRows.filter((organizer) => organizer.activity_id === row.id), tree));
}

/**
 * A page of the activities the actor may read, latest first: filtered by title, kind, topic,
 * organizer (with the units below it), place of a stop (and below it), facility, attendee, the days
 * they go on (Asia/Shanghai), visibility and status. A null actor is the public: public activities only.
 */
export async function listActivities(
  db: Executor,
  actor: Actor | null,
  query: ActivityQuery,
  options: ListOptions = {},
): Promise<{ items: ActivityListItem[]; total: number; limit: number; offset: number }> {
  const readable = await readerScope(db, actor);
  const filter = listFilterOf(query, actor, options);
  const rows = await activityRepository.listActivities(db, filter, readable, query, options.order);
  const [total, items] = await Promise.all([
    totalOf(query, rows.length, () => activityRepository.countActivities(db, filter, readable)),
    withOrganizersOf(db, rows),
  ]);
  return { items, total, limit: query.limit, offset: query.offset };
}

/**
 * Every activity of listActivities' filter, read through in batches (latest first), for exports: each
 * batch is read after the last row of the one before, so a long list costs no growing offset.
 */
export async function* listActivitiesInBatches(
  db: Executor,
  actor: Actor | null,
  query: Omit<ActivityQuery, 'limit' | 'offset'>,
  batchSize = 500,
): AsyncGenerator<ActivityListItem[]> {
  const readable = await readerScope(db, actor);
  const filter = listFilterOf({ ...query, limit: batchSize, offset: 0 }, actor, {});
  let after: { startsAt: Date; id: number } | undefined;
  for (;;) {
    const rows = await activityRepository.listActivities(db, filter, readable, { limit: batchSize, offset: 0, after });
    if (rows.length > 0) yield await withOrganizersOf(db, rows);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = { startsAt: last.starts_at, id: last.id };
  }
}

/** Finds an activity and its organizers, refused as "not found" when the actor may not read it (internal: staff of an organizer). */
async function readableActivity(db: Executor, actor: Actor, id: number) {
  await assertCanRead(db, actor);
  const [row, organizerRows] = await Promise.all([activityRepository.findActivityById(db, id), activityRepository.listOrganizers(db, [id])]);
  if (!row) throw notFound();
  const organizationIds = organizerRows.map((organizer) => organizer.organization_id);
  if (!(await mayRead(db, actor, row.visibility, organizationIds))) throw notFound();
  return { row, organizerRows };
}

function withOrganizers(
  row: ActivityWithKindRow,
  organizerRows: readonly { organization_id: number; role: OrganizerRole }[],
  tree: OrganizationTree,
): ActivityListItem {
  return { ...activityRowToActivity(row), organizers: organizerRows.map((organizer) => ({ ...organizationIn(tree, organizer.organization_id), role: organizer.role })) };
}

/** Reads one activity's own fields and organizers; an internal one only for staff of an organizer. */
export async function getActivity(db: Executor, actor: Actor, id: number): Promise<ActivityListItem> {
  const { row, organizerRows } = await readableActivity(db, actor, id);
  return withOrganizers(row, organizerRows, await organizationTree(db));
}

/**
 * Reads one activity with everything its page shows, in a fixed number of queries whatever its size:
 * organizers, topics, stops and their hosts, sessions and their agenda items, attendees (grouped by
 * groupAttendees()), follow-ups and photos.
 */
export async function getActivityDetail(db: Executor, actor: Actor, id: number): Promise<ActivityDetail> {
  const { row, organizerRows } = await readableActivity(db, actor, id);
  const [tree, topics, stops, hosts, sessions, items, attendees, followUps, photos, editable] = await Promise.all([
    organizationTree(db),
    activityRepository.listTopicsOf(db, id),
    activityRepository.listStops(db, id),
    activityRepository.listStopHosts(db, id),
    activityRepository.listSessions(db, id),
    activityRepository.listAgendaItems(db, id),
    activityRepository.listAttendees(db, id),
    activityRepository.listFollowUps(db, id),
    activityRepository.listPhotos(db, id),
    mayEdit(db, actor, organizerRows.map((organizer) => organizer.organization_id)),
  ]);
  const activity = withOrganizers(row, organizerRows, tree);
  const media = photos.length === 0 ? new Map<number, Media>() : await mediaForDisplay(db, photos.map((photo) => photo.media_id));
  return {
    ...activity,
    day: activityDay(activity),
    topics: topics.map((topic) => ({ code: topic.code, nameZh: topic.name_zh, nameEn: topic.name_en })),
    stops: stops.map((stop) => ({
      id: stop.id,
      position: stop.position,
      facility:
        stop.facility_id !== null && stop.facility_name_zh !== null && stop.where_place_id !== null
          ? { id: stop.facility_id, nameZh: stop.facility_name_zh, nameEn: stop.facility_name_en ?? '', placeId: stop.where_place_id }
          : null,
      place: stop.where_place_id !== null ? { id: stop.where_place_id, nameZh: stop.place_name_zh ?? '', nameEn: stop.place_name_en ?? '' } : null,
      topic: stop.topic_code !== null ? { code: stop.topic_code, nameZh: stop.topic_name_zh ?? '', nameEn: stop.topic_name_en ?? '' } : null,
      startsAt: stop.starts_at,
      endsAt: stop.ends_at,
      hosts: hosts.filter((host) => host.stop_id === stop.id).map((host) => organizationIn(tree, host.organization_id)),
      purposeZh: stop.purpose_zh,
      purposeEn: stop.purpose_en,
      observationsZh: stop.observations_zh,
      observationsEn: stop.observations_en,
      findingsZh: stop.findings_zh,
      findingsEn: stop.findings_en,
    })),
    sessions: sessions.map((session) => ({
      id: session.id,
      position: session.position,
      titleZh: session.title_zh,
      titleEn: session.title_en,
      startsAt: session.starts_at,
      endsAt: session.ends_at,
      minutesZh: session.minutes_zh,
      minutesEn: session.minutes_en,
      items: items
        .filter((item) => item.session_id === session.id)
        .map((item) => ({
          id: item.id,
          position: item.position,
          subjectZh: item.subject_zh,
          subjectEn: item.subject_en,
          speaker: personRef(item.speaker_person_id, item.speaker_name_zh, item.speaker_name_en),
          speakerOrganization: item.speaker_organization_id === null ? null : organizationIn(tree, item.speaker_organization_id),
        })),
    })),
    attendees: attendees.map((attendee) => {
      const organization = organizationIn(tree, attendee.organization_id);
      return {
        id: attendee.id,
        position: attendee.position,
        person: personRef(attendee.person_id, attendee.person_name_zh, attendee.person_name_en),
        organization,
        federation: federationOf(tree, organization),
        titleZh: attendee.title_zh,
        titleEn: attendee.title_en,
        role: attendee.role,
        status: attendee.status,
      };
    }),
    followUps: followUps.map((followUp) => ({
      id: followUp.id,
      position: followUp.position,
      actionZh: followUp.action_zh,
      actionEn: followUp.action_en,
      ownerOrganization: organizationIn(tree, followUp.owner_organization_id),
      ownerPerson: personRef(followUp.owner_person_id, followUp.person_name_zh, followUp.person_name_en),
      dueOn: followUp.due_on,
      status: followUp.status,
      commitmentId: followUp.commitment_id,
    })),
    photos: photos.flatMap((photo) => {
      const image = media.get(photo.media_id);
      return image ? [{ mediaId: photo.media_id, position: photo.position, media: image }] : [];
    }),
    editable,
  };
}

/** Tells whether the actor may change this activity (to show or hide the buttons). */
export async function mayEditActivity(db: Executor, actor: Actor, activity: { organizers: readonly { id: number }[] }): Promise<boolean> {
  return mayEdit(db, actor, activity.organizers.map((organizer) => organizer.id));
}

/** Refuses, as "not found", an actor who may not change this activity. */
export async function assertMayEditActivity(db: Executor, actor: Actor, activity: { organizers: readonly { id: number }[] }): Promise<void> {
  if (!(await mayEditActivity(db, actor, activity))) throw notFound();
}

/** Tells whether the actor may create activities at all: edit_records somewhere. */
export async function mayCreateActivities(db: Executor, actor: Actor): Promise<boolean> {
  const editable = await organizationsWhere(db, actor, 'edit_records');
  return editable === 'all' || editable.size > 0;
}

/** The organizations the actor may organize an activity for: edit_records there. */
export async function listOrganizerChoices(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  const [rows, editable] = await Promise.all([organizationRepository.listOrganizationTree(db), organizationsWhere(db, actor, 'edit_records')]);
  return { tree: rows, editableIds: editable === 'all' ? new Set(rows.map((row) => row.id)) : editable };
}

/** The facilities a stop can be at, with the place each is in. */
export async function listFacilityChoices(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  return activityRepository.listFacilityChoices(db);
}

// ---------------------------------------------------------------------------------------------
// Checks of what a change refers to

function refuse(status: number, code: string, text: Bilingual, field: string): never {
  throw new ActivityRuleError(status, code, text, field);
}

async function kindId(tx: Executor, code: string): Promise<number> {
  const [kind] = await activityRepository.findTaxaByCodes(tx, 'activity_kind', [code]);
  return kind?.id ?? refuse(400, 'unknown_kind', activityMessages.unknownKind(code), 'kind');
}

async function topicIds(tx: Executor, codes: readonly string[]): Promise<number[]> {
  const found = new Map((await activityRepository.findTaxaByCodes(tx, 'activity_topic', codes)).map((row) => [row.code, row.id]));
  return codes.map((code) => found.get(code) ?? refuse(400, 'unknown_topic', activityMessages.unknownTopic(code), 'topics'));
}

async function assertOrganizationsExist(tx: Executor, ids: readonly (number | null)[], field: string): Promise<void> {
  const wanted = ids.filter((id): id is number => id !== null);
  const existing = await activityRepository.existingOrganizationIds(tx, wanted);
  if (wanted.some((id) => !existing.has(id))) refuse(400, 'unknown_organization', activityMessages.unknownOrganization(), field);
}

async function assertPersonExists(tx: Executor, id: number | null, field: string) {
  if (id === null) return undefined;
  return (await activityRepository.findPerson(tx, id)) ?? refuse(400, 'unknown_person', activityMessages.unknownPerson(), field);
}

async function assertOrganizersFit(tx: Executor, organizers: readonly OrganizerInput[]): Promise<void> {
  if (new Set(organizers.map((organizer) => organizer.organizationId)).size !== organizers.length) {
    refuse(400, 'organizer_twice', activityMessages.organizerTwice(), 'organizationId');
  }
  await assertOrganizationsExist(tx, organizers.map((organizer) => organizer.organizationId), 'organizationId');
  if (!organizers.some((organizer) => organizer.role === 'organizer')) refuse(409, 'last_organizer', activityMessages.lastOrganizer(), 'role');
}

/** Checks the images newly added to the photos: each in a library the actor uses, none twice. */
async function assertPhotosFit(tx: Executor, actor: Actor, before: readonly number[], after: readonly number[]): Promise<void> {
  if (new Set(after).size !== after.length) refuse(409, 'photo_twice', activityMessages.photoTwice(), 'mediaId');
  for (const mediaId of after.filter((id) => !before.includes(id))) {
    await getMedia(tx, actor, mediaId).catch((error: unknown) => {
      if (error instanceof DomainError && error.status === 404) refuse(400, 'unknown_media', activityMessages.unknownMedia(), 'mediaId');
      throw error;
    });
  }
}

function assertHeldOnlyOnceBegun(status: ActivityStatus, startsAt: Date): void {
  if (status === 'held' && startsAt.getTime() > Date.now()) refuse(400, 'held_before_start', activityMessages.heldBeforeStart(), 'status');
}

/** Turns a unique-index violation (someone else listed the same person at the same time) into a refusal. */
function refusingRaces(error: unknown): never {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505') {
    refuse(409, 'conflict', activityMessages.raced(), '_form');
  }
  throw error;
}

// ---------------------------------------------------------------------------------------------
// Changing an activity

/** What an activity looked like, for the audit log. */
async function activityRecord(tx: Executor, id: number) {
  const [row, organizers, topics, photos] = await Promise.all([
    activityRepository.findActivityById(tx, id),
    activityRepository.listOrganizers(tx, [id]),
    activityRepository.listTopicsOf(tx, id),
    activityRepository.listPhotos(tx, id),
  ]);
  if (!row) throw notFound();
  const { id: _id, kind, createdAt: _created, updatedAt: _updated, ...fields } = activityRowToActivity(row);
  return {
    ...fields,
    kind: kind.code,
    topics: topics.map((topic) => topic.code),
    organizers: organizers.map((organizer) => ({ organizationId: organizer.organization_id, role: organizer.role })),
    photoIds: photos.map((photo) => photo.media_id),
  };
}

/** What a change to an activity gets to work with: the transaction, and the activity as locked. */
export interface Editing {
  tx: Transaction<Database>;
  activityId: number;
  startsAt: Date;
  organizers: OrganizerInput[];
}

/** Locks an activity's row for the rest of the transaction, refused as "not found" unless the actor may edit it. */
async function lockEditable(tx: Executor, actor: Actor, activityId: number): Promise<{ startsAt: Date; organizers: OrganizerInput[] }> {
  const locked = await activityRepository.lockActivity(tx, activityId);
  if (!locked) throw notFound();
  const organizers = (await activityRepository.listOrganizers(tx, [activityId])).map((row) => ({ organizationId: row.organization_id, role: row.role }));
  if (!(await mayEdit(tx, actor, organizers.map((organizer) => organizer.organizationId)))) throw notFound();
  return { startsAt: locked.starts_at, organizers };
}

/**
 * Runs a change to an activity the actor may edit (else "not found"): in one transaction, with the
 * activity's row locked, its time of change updated and an audit event recorded.
 */
export async function editActivity<T>(
  db: Kysely<Database>,
  actor: Actor,
  activityId: number,
  change: (editing: Editing) => Promise<{ result: T; action: string; before?: object | null; after?: object | null }>,
): Promise<T> {
  await assertCanRead(db, actor);
  return db
    .transaction()
    .execute(async (tx) => {
      const { startsAt, organizers } = await lockEditable(tx, actor, activityId);
      const { result, action, before, after } = await change({ tx, activityId, startsAt, organizers });
      await activityRepository.updateActivity(tx, activityId, {});
      await recordAudit(tx, actor, { action, entityType: 'activity', entityId: activityId, before, after });
      return result;
    })
    .catch(refusingRaces);
}

/**
 * Creates an activity. The actor must have edit_records on at least one of its organizers (else "not
 * found"); at least one of them has the role `organizer`.
 */
export async function createActivity(db: Kysely<Database>, actor: Actor, input: ActivityInput): Promise<number> {
  await assertCanRead(db, actor);
  if (!(await mayEdit(db, actor, input.organizers.map((organizer) => organizer.organizationId)))) {
    throw notFound();
  }
  const startsAt = resolveDateTime(input.startsAt);
  assertHeldOnlyOnceBegun(input.status, startsAt);
  return db
    .transaction()
    .execute(async (tx) => {
      await assertOrganizersFit(tx, input.organizers);
      const id = await activityRepository.insertActivity(tx, {
        kind_id: await kindId(tx, input.kind),
        title_zh: input.titleZh,
        title_en: input.titleEn,
        summary_zh: input.summaryZh,
        summary_en: input.summaryEn,
        starts_at: startsAt,
        ends_at: resolveDateTime(input.endsAt),
        status: input.status,
        visibility: input.visibility,
      });
      await activityRepository.replaceTopics(tx, id, await topicIds(tx, input.topics));
      await activityRepository.replaceOrganizers(tx, id, input.organizers);
      const photoIds = input.photoIds ?? [];
      await assertPhotosFit(tx, actor, [], photoIds);
      await activityRepository.replacePhotos(tx, id, photoIds);
      await recordAudit(tx, actor, { action: 'create', entityType: 'activity', entityId: id, after: await activityRecord(tx, id) });
      return id;
    })
    .catch(refusingRaces);
}

/** Changes an activity's fields; organizers, topics and photos, when given, replace the lists (see the checks). */
export async function updateActivity(db: Kysely<Database>, actor: Actor, id: number, patch: ActivityPatch): Promise<void> {
  await editActivity(db, actor, id, async ({ tx }) => {
    const before = await activityRecord(tx, id);
    if (!(patch.titleZh ?? before.titleZh) && !(patch.titleEn ?? before.titleEn)) refuse(400, 'title', activityMessages.title(), 'titleZh');
    const startsAt = patch.startsAt === undefined ? before.startsAt : resolveDateTime(patch.startsAt);
    const endsAt = patch.endsAt === undefined ? before.endsAt : resolveDateTime(patch.endsAt);
    if (endsAt < startsAt) refuse(400, 'times', activityMessages.endsBeforeStart(), 'endsAt');
    const status = patch.status ?? before.status;
    if (status !== before.status || patch.startsAt !== undefined) assertHeldOnlyOnceBegun(status, startsAt);
    await activityRepository.updateActivity(tx, id, {
      kind_id: patch.kind === undefined ? undefined : await kindId(tx, patch.kind),
      title_zh: patch.titleZh,
      title_en: patch.titleEn,
      summary_zh: patch.summaryZh,
      summary_en: patch.summaryEn,
      starts_at: startsAt,
      ends_at: endsAt,
      status,
      visibility: patch.visibility,
    });
    if (patch.topics !== undefined) await activityRepository.replaceTopics(tx, id, await topicIds(tx, patch.topics));
    if (patch.organizers !== undefined) {
      await assertOrganizersFit(tx, patch.organizers);
      await activityRepository.replaceOrganizers(tx, id, patch.organizers);
    }
    if (patch.photoIds !== undefined) {
      await assertPhotosFit(tx, actor, before.photoIds, patch.photoIds);
      await activityRepository.replacePhotos(tx, id, patch.photoIds);
    }
    return { result: undefined, action: 'update', before, after: await activityRecord(tx, id) };
  });
}

/** Deletes an activity and all its parts; the audit event keeps what it was. */
export async function deleteActivity(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCanRead(db, actor);
  await db.transaction().execute(async (tx) => {
    await lockEditable(tx, actor, id);
    const [record, stops, sessions, items, attendees, followUps] = await Promise.all([
      activityRecord(tx, id),
      activityRepository.listStops(tx, id),
      activityRepository.listSessions(tx, id),
      activityRepository.listAgendaItems(tx, id),
      activityRepository.listAttendees(tx, id),
      activityRepository.listFollowUps(tx, id),
    ]);
    await activityRepository.deleteActivity(tx, id);
    await recordAudit(tx, actor, {
      action: 'delete',
      entityType: 'activity',
      entityId: id,
      before: {
        ...record,
        stops: stops.map(auditRecord),
        sessions: sessions.map(auditRecord),
        agendaItems: items.map(auditRecord),
        attendees: attendees.map(auditRecord),
        followUps: followUps.map(auditRecord),
      },
    });
  });
}

/** Changes the organizers as a whole: every organization once, at least one with the role `organizer`. */
async function changeOrganizers(
  db: Kysely<Database>,
  actor: Actor,
  activityId: number,
  next: (current: OrganizerInput[]) => OrganizerInput[],
): Promise<void> {
  await editActivity(db, actor, activityId, async ({ tx, organizers }) => {
    const after = next(organizers);
    await assertOrganizersFit(tx, after);
    await activityRepository.replaceOrganizers(tx, activityId, after);
    return { result: undefined, action: 'change_organizers', before: { organizers }, after: { organizers: after } };
  });
}

/** Adds an organizer, or changes the role of one already there. */
export async function setOrganizer(db: Kysely<Database>, actor: Actor, activityId: number, input: OrganizerInput): Promise<void> {
  await changeOrganizers(db, actor, activityId, (current) =>
    current.some((organizer) => organizer.organizationId === input.organizationId)
      ? current.map((organizer) => (organizer.organizationId === input.organizationId ? input : organizer))
      : [...current, input],
  );
}

/** Removes an organizer; the last one with the role `organizer` stays (a refusal says so). */
export async function removeOrganizer(db: Kysely<Database>, actor: Actor, activityId: number, organizationId: number): Promise<void> {
  await changeOrganizers(db, actor, activityId, (current) => {
    if (!current.some((organizer) => organizer.organizationId === organizationId)) throw notFound();
    return current.filter((organizer) => organizer.organizationId !== organizationId);
  });
}

/** Changes the photos as a whole (an ordered list of images). */
async function changePhotos(db: Kysely<Database>, actor: Actor, activityId: number, next: (current: number[]) => number[]): Promise<void> {
  await editActivity(db, actor, activityId, async ({ tx }) => {
    const before = (await activityRepository.listPhotos(tx, activityId)).map((photo) => photo.media_id);
    const after = next(before);
    await assertPhotosFit(tx, actor, before, after);
    await activityRepository.replacePhotos(tx, activityId, after);
    return { result: undefined, action: 'change_photos', before: { photoIds: before }, after: { photoIds: after } };
  });
}

/** Adds an image of a media library the actor uses to the photos, last. */
export async function addPhoto(db: Kysely<Database>, actor: Actor, activityId: number, mediaId: number): Promise<void> {
  await changePhotos(db, actor, activityId, (current) => [...current, mediaId]);
}

/** Takes an image off the photos (the image stays in its library). */
export async function removePhoto(db: Kysely<Database>, actor: Actor, activityId: number, mediaId: number): Promise<void> {
  await changePhotos(db, actor, activityId, (current) => {
    if (!current.includes(mediaId)) throw notFound();
    return current.filter((id) => id !== mediaId);
  });
}

function moved<T>(list: readonly T[], item: T, direction: 'up' | 'down'): T[] {
  const index = list.indexOf(item);
  if (index < 0) throw notFound();
  const target = Math.max(0, Math.min(list.length - 1, index + (direction === 'up' ? -1 : 1)));
  const rest = list.filter((entry) => entry !== item);
  rest.splice(target, 0, item);
  return rest;
}

/** Moves a photo one place up or down. */
export async function movePhoto(db: Kysely<Database>, actor: Actor, activityId: number, mediaId: number, direction: 'up' | 'down'): Promise<void> {
  await changePhotos(db, actor, activityId, (current) => moved(current, mediaId, direction));
}

// ---------------------------------------------------------------------------------------------
// The parts

/** The position a new part is inserted with, until placePart() numbers it among its siblings. */
const unplaced = 2_147_483_647;

const partTables: Record<PartRef['part'], PartTable> = {
  stop: 'activity_stop',
  session: 'activity_session',
  attendee: 'activity_attendee',
  followUp: 'activity_follow_up',
  agendaItem: 'activity_agenda_item',
};

const auditNames: Record<PartRef['part'], string> = {
  stop: 'stop',
  session: 'session',
  attendee: 'attendee',
  followUp: 'follow_up',
  agendaItem: 'agenda_item',
};

/** Finds the stored row of a part of this activity and the id of its parent (the activity, or the session); else "not found". */
async function findPart(tx: Executor, activityId: number, ref: PartRef): Promise<{ row: object; parentId: number }> {
  if (ref.part === 'agendaItem') {
    const session = await activityRepository.findSession(tx, activityId, ref.sessionId);
    const row = session ? await activityRepository.findAgendaItem(tx, session.id, ref.id) : undefined;
    if (!row) throw notFound();
    return { row, parentId: ref.sessionId };
  }
  const finders = {
    stop: activityRepository.findStop,
    session: activityRepository.findSession,
    attendee: activityRepository.findAttendee,
    followUp: activityRepository.findFollowUp,
  };
  const row = await finders[ref.part](tx, activityId, ref.id);
  if (!row) throw notFound();
  return { row, parentId: activityId };
}

/** Puts a part at `position` (1 = first) among its siblings, and numbers them all again. */
async function placePart(tx: Executor, table: PartTable, parentId: number, id: number, position: number | undefined): Promise<void> {
  const ids = await activityRepository.listPartIds(tx, table, parentId);
  const rest = ids.filter((entry) => entry !== id);
  rest.splice(position === undefined ? rest.length : Math.min(position - 1, rest.length), 0, id);
  await activityRepository.renumberParts(tx, table, rest);
}

/** A part to change, or (without an id) a new one of a kind; a new agenda item names its session. */
type PartTarget = PartRef | { part: ActivityPart; id?: undefined } | { part: 'agendaItem'; sessionId: number; id?: undefined };

/** The part of this kind with this id, or a new one when the id is undefined. */
function partTarget(part: ActivityPart, id: number | undefined): PartTarget {
  return id === undefined ? { part } : { part, id };
}

/** Where a new part or a changed one goes, and how it is written. */
interface PartSave<R extends { id: number }> {
  target: PartTarget;
  position: number | undefined;
  write: (editing: Editing, parentId: number, before: object | undefined) => Promise<R>;
}

/** Adds or changes a part of an activity; returns its id. */
async function savePart<R extends { id: number }>(db: Kysely<Database>, actor: Actor, activityId: number, save: PartSave<R>): Promise<number> {
  const { target } = save;
  return editActivity(db, actor, activityId, async (editing) => {
    let parentId = activityId;
    let before: object | undefined;
    if (target.id !== undefined) {
      ({ row: before, parentId } = await findPart(editing.tx, activityId, target));
    } else if (target.part === 'agendaItem' && 'sessionId' in target) {
      if (!(await activityRepository.findSession(editing.tx, activityId, target.sessionId))) throw notFound();
      parentId = target.sessionId;
    }
    const row = await save.write(editing, parentId, before);
    if (before === undefined || save.position !== undefined) await placePart(editing.tx, partTables[target.part], parentId, row.id, save.position);
    return {
      result: row.id,
      action: `${before === undefined ? 'add' : 'change'}_${auditNames[target.part]}`,
      before: before === undefined ? null : auditRecord(before),
      after: auditRecord(row),
    };
  });
}

/** Removes a part of an activity (a session takes its agenda items with it). */
export async function removePart(db: Kysely<Database>, actor: Actor, activityId: number, ref: PartRef): Promise<void> {
  await editActivity(db, actor, activityId, async ({ tx }) => {
    const { row, parentId } = await findPart(tx, activityId, ref);
    const table = partTables[ref.part];
    await activityRepository.deletePart(tx, table, ref.id);
    await activityRepository.renumberParts(tx, table, await activityRepository.listPartIds(tx, table, parentId));
    return { result: undefined, action: `remove_${auditNames[ref.part]}`, before: auditRecord(row) };
  });
}

/** Moves a part one place up or down among its siblings. */
export async function movePart(db: Kysely<Database>, actor: Actor, activityId: number, ref: PartRef, direction: 'up' | 'down'): Promise<void> {
  await editActivity(db, actor, activityId, async ({ tx }) => {
    const { parentId } = await findPart(tx, activityId, ref);
    const table = partTables[ref.part];
    const before = await activityRepository.listPartIds(tx, table, parentId);
    const after = moved(before, ref.id, direction);
    await activityRepository.renumberParts(tx, table, after);
    return { result: undefined, action: `move_${auditNames[ref.part]}`, before: { order: before }, after: { order: after } };
  });
}

/** Checks what a stop refers to, and gives the row to store. */
async function stopValues(tx: Executor, actor: Actor, input: StopInput) {
  if ((input.facilityId === null) === (input.placeId === null)) refuse(400, 'stop_where', activityMessages.stopWhere(), 'facilityId');
  if (input.facilityId !== null) {
    await assertFacilityVisible(tx, actor, input.facilityId).catch((error: unknown) => {
      if (error instanceof DomainError && error.status === 404) refuse(400, 'unknown_facility', activityMessages.unknownFacility(), 'facilityId');
      throw error;
    });
  }
  if (input.placeId !== null && !(await activityRepository.findPlace(tx, input.placeId))) refuse(400, 'unknown_place', activityMessages.unknownPlace(), 'placeId');
  await assertOrganizationsExist(tx, input.hostIds, 'hostIds');
  const [topic] = input.topic === null ? [] : await topicIds(tx, [input.topic]).catch(() => refuse(400, 'unknown_topic', activityMessages.unknownTopic(input.topic ?? ''), 'topic'));
  return {
    facility_id: input.facilityId,
    place_id: input.placeId,
    topic_id: topic ?? null,
    starts_at: input.startsAt === null ? null : resolveDateTime(input.startsAt),
    ends_at: input.endsAt === null ? null : resolveDateTime(input.endsAt),
    purpose_zh: input.purposeZh,
    purpose_en: input.purposeEn,
    observations_zh: input.observationsZh,
    observations_en: input.observationsEn,
    findings_zh: input.findingsZh,
    findings_en: input.findingsEn,
  };
}

/** Adds a stop to the itinerary (last, or at `position`), at a facility or at a place, with its hosts; or changes one. */
export async function saveStop(db: Kysely<Database>, actor: Actor, activityId: number, stopId: number | undefined, input: StopInput): Promise<number> {
  return savePart(db, actor, activityId, {
    target: partTarget('stop', stopId),
    position: input.position,
    write: async ({ tx }) => {
      const values = await stopValues(tx, actor, input);
      const row =
        stopId === undefined
          ? await activityRepository.insertStop(tx, { ...values, activity_id: activityId, position: unplaced })
          : await activityRepository.updateStop(tx, stopId, values);
      await activityRepository.replaceStopHosts(tx, row.id, input.hostIds);
      return { ...row, hostIds: input.hostIds };
    },
  });
}

function sessionValues(input: SessionInput) {
  return {
    title_zh: input.titleZh,
    title_en: input.titleEn,
    starts_at: input.startsAt === null ? null : resolveDateTime(input.startsAt),
    ends_at: input.endsAt === null ? null : resolveDateTime(input.endsAt),
    minutes_zh: input.minutesZh,
    minutes_en: input.minutesEn,
  };
}

/** Adds a session (a meeting within the activity) or changes one. */
export async function saveSession(db: Kysely<Database>, actor: Actor, activityId: number, sessionId: number | undefined, input: SessionInput): Promise<number> {
  return savePart(db, actor, activityId, {
    target: partTarget('session', sessionId),
    position: input.position,
    write: async ({ tx }) =>
      sessionId === undefined
        ? activityRepository.insertSession(tx, { ...sessionValues(input), activity_id: activityId, position: unplaced })
        : activityRepository.updateSession(tx, sessionId, sessionValues(input)),
  });
}

/** Adds an agenda item to a session of the activity, or changes one; speaker and organization must exist. */
export async function saveAgendaItem(
  db: Kysely<Database>,
  actor: Actor,
  activityId: number,
  sessionId: number,
  itemId: number | undefined,
  input: AgendaItemInput,
): Promise<number> {
  return savePart(db, actor, activityId, {
    target: itemId === undefined ? { part: 'agendaItem', sessionId } : { part: 'agendaItem', sessionId, id: itemId },
    position: input.position,
    write: async ({ tx }) => {
      await assertPersonExists(tx, input.speakerPersonId, 'speakerPersonId');
      await assertOrganizationsExist(tx, [input.speakerOrganizationId], 'speakerOrganizationId');
      const values = {
        subject_zh: input.subjectZh,
        subject_en: input.subjectEn,
        speaker_person_id: input.speakerPersonId,
        speaker_organization_id: input.speakerOrganizationId,
      };
      return itemId === undefined
        ? activityRepository.insertAgendaItem(tx, { ...values, session_id: sessionId, position: unplaced })
        : activityRepository.updateAgendaItem(tx, itemId, values);
    },
  });
}

/**
 * What an attendee row holds. A person's organization and title, left empty, are taken from the posts
 * she held on the day the activity begins (the organization nearest the top of its tree, the titles in
 * the order they were recorded) and stored: a post changed later does not change them.
 */
async function attendeeValues(tx: Executor, actor: Actor, editing: Editing, attendeeId: number | undefined, input: AttendeeInput) {
  let { organizationId, titleZh, titleEn } = input;
  const person = await assertPersonExists(tx, input.personId, 'personId');
  if (person) {
    if (await activityRepository.findAttendeeByPerson(tx, editing.activityId, person.id, attendeeId)) {
      refuse(409, 'attendee_twice', activityMessages.attendeeTwice(person.name_zh === person.name_en ? person.name_en : `${person.name_zh} (${person.name_en})`), 'personId');
    }
    if (organizationId === null || (titleZh === '' && titleEn === '')) {
      const day = formatDate(editing.startsAt, activityTimeZone);
      const posts = ((await listPostsHeldBy(tx, actor, [person.id], day)).get(person.id) ?? []).sort((a, b) => a.id - b.id);
      if (organizationId === null && posts.length > 0) {
        const tree = await organizationTree(tx);
        organizationId = posts.reduce((top, post) => (depthOf(tree, post.organizationId) < depthOf(tree, top) ? post.organizationId : top), posts[0]?.organizationId ?? 0);
      }
      if (titleZh === '' && titleEn === '') ({ titleZh, titleEn } = titlesOfPosts(posts));
    }
    if (organizationId === null) refuse(400, 'attendee_organization', activityMessages.attendeeOrganization(), 'organizationId');
  } else if (organizationId === null || (titleZh === '' && titleEn === '')) {
    refuse(400, 'attendee_who', activityMessages.attendeeWho(), organizationId === null ? 'personId' : 'titleZh');
  }
  await assertOrganizationsExist(tx, [organizationId], 'organizationId');
  return {
    person_id: input.personId,
    organization_id: organizationId ?? 0,
    title_zh: titleZh,
    title_en: titleEn,
    role: input.role,
    status: input.status,
  };
}

/** Adds an attendee or changes one; a person is listed once per activity. */
export async function saveAttendee(
  db: Kysely<Database>,
  actor: Actor,
  activityId: number,
  attendeeId: number | undefined,
  input: AttendeeInput,
): Promise<number> {
  return savePart(db, actor, activityId, {
    target: partTarget('attendee', attendeeId),
    position: input.position,
    write: async (editing) => {
      const values = await attendeeValues(editing.tx, actor, editing, attendeeId, input);
      return attendeeId === undefined
        ? activityRepository.insertAttendee(editing.tx, { ...values, activity_id: activityId, position: unplaced })
        : activityRepository.updateAttendee(editing.tx, attendeeId, values);
    },
  });
}

/**
 * Adds a follow-up or changes one. Once the agreements domain lands, a follow-up can be turned into a
 * commitment of an agreement's measure there; the follow-up stays as the record of what was agreed.
 */
export async function saveFollowUp(
  db: Kysely<Database>,
  actor: Actor,
  activityId: number,
  followUpId: number | undefined,
  input: FollowUpInput,
): Promise<number> {
  return savePart(db, actor, activityId, {
    target: partTarget('followUp', followUpId),
    position: input.position,
    write: async ({ tx }) => {
      await assertOrganizationsExist(tx, [input.ownerOrganizationId], 'ownerOrganizationId');
      await assertPersonExists(tx, input.ownerPersonId, 'ownerPersonId');
      const values = {
        action_zh: input.actionZh,
        action_en: input.actionEn,
        owner_organization_id: input.ownerOrganizationId,
        owner_person_id: input.ownerPersonId,
        due_on: input.dueOn,
        status: input.status,
      };
      return followUpId === undefined
        ? activityRepository.insertFollowUp(tx, { ...values, activity_id: activityId, position: unplaced })
        : activityRepository.updateFollowUp(tx, followUpId, values);
    },
  });
}
