import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { organizationAndUnitsBelow } from '../people/person.repository.ts';
import { placesBelow } from '../places/place.repository.ts';
import type { ActivityRowUpdate, ActivityStatus, ActivityVisibility, NewActivityRow, OrganizerRole } from './activity.table.ts';

/** What the activity list can be narrowed to. */
export interface ActivityFilter {
  q?: string;
  kind?: string;
  topic?: string;
  /** Organized by this organization or a unit below it. */
  organizationId?: number;
  /** A stop at this place or below it. */
  placeId?: number;
  facilityId?: number;
  /** An attendee. */
  personId?: number;
  /** Going on at or after this instant (ends at or after it). */
  from?: Date;
  /** Beginning before this instant. */
  before?: Date;
  /** Ended before this instant. */
  endedBefore?: Date;
  visibility?: ActivityVisibility;
  status?: ActivityStatus;
}

/**
 * Which activities a reader may see: every one that is not internal, and the internal ones of the
 * organizations she may read ('all' for a platform administrator).
 */
export type ReadableOrganizations = readonly number[] | 'all';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The condition of the activities a reader may see (see ReadableOrganizations), for queries of other files too. */
export function visibleTo(readable: ReadableOrganizations): Expression<SqlBool> {
  if (readable === 'all') return sql<SqlBool>`true`;
  if (readable.length === 0) return sql<SqlBool>`activity.visibility <> 'internal'`;
  return sql<SqlBool>`(activity.visibility <> 'internal' or exists (
    select 1 from activity_organizer o
    where o.activity_id = activity.id and o.organization_id = any(${[...readable]}::integer[])))`;
}

/** A filter with its topic, organization tree and place tree looked up: ids whose rows the planner can count. */
interface ResolvedFilter extends ActivityFilter {
  /** Null: no topic has that code. */
  topicId?: number | null;
  organizationIds?: number[];
  placeIds?: number[];
}

/**
 * Looks up the ids a filter names before the list's query runs. Given as arrays, the planner counts what
 * they match from its statistics; a recursive subquery (the units below an organization) it guesses at
 * thousands of rows, and a topic joined by its code at a few hundred activities, and then chooses a plan
 * that reads every activity for what a walk along the start index would find at once, or the reverse.
 */
async function resolved(db: Executor, filter: ActivityFilter): Promise<ResolvedFilter> {
  const [topic, organizations, places] = await Promise.all([
    filter.topic === undefined ? undefined : db.selectFrom('activity_topic').select('id').where('code', '=', filter.topic).executeTakeFirst(),
    filter.organizationId === undefined ? undefined : sql<{ id: number }>`select id from ${organizationAndUnitsBelow(filter.organizationId)} as below(id)`.execute(db),
    filter.placeId === undefined ? undefined : sql<{ id: number }>`select ${filter.placeId}::integer as id union all select id from ${placesBelow(filter.placeId)} as below(id)`.execute(db),
  ]);
  return {
    ...filter,
    topicId: filter.topic === undefined ? undefined : (topic?.id ?? null),
    organizationIds: organizations?.rows.map((row) => row.id),
    placeIds: places?.rows.map((row) => row.id),
  };
}

function filtered(db: Executor, filter: ResolvedFilter, readable: ReadableOrganizations) {
  const pattern = filter.q ? `%${escapeLike(filter.q)}%` : undefined;
  const period = filter.from !== undefined && filter.before !== undefined && filter.from < filter.before ? { from: filter.from, before: filter.before } : undefined;
  return (
    db
      .selectFrom('activity')
      .where(visibleTo(readable))
      // The same expression as the trigram index, so that a search by part of a title can use it.
      .$if(pattern !== undefined, (q) => q.where(sql<SqlBool>`(activity.title_zh || ' ' || activity.title_en) ilike ${pattern ?? ''}`))
      .$if(filter.kind !== undefined, (q) =>
        q.where('activity.kind_id', '=', (eb) => eb.selectFrom('activity_kind').select('id').where('code', '=', filter.kind ?? '')),
      )
      // Each "has a …" filter is a set of activity ids read through its index, so that PostgreSQL can
      // join it once (a hashed semi-join) rather than probe it per activity; counts over 100,000 need it.
      .$if(filter.topicId !== undefined, (q) =>
        q.where(sql<SqlBool>`activity.id in (select l.activity_id from activity_topic_link l where l.topic_id = ${filter.topicId ?? null})`),
      )
      .$if(filter.organizationIds !== undefined, (q) =>
        q.where(sql<SqlBool>`activity.id in (
          select o.activity_id from activity_organizer o where o.organization_id = any(${filter.organizationIds ?? []}::integer[]))`),
      )
      .$if(filter.placeIds !== undefined, (q) => {
        const area = filter.placeIds ?? [];
        return q.where(sql<SqlBool>`activity.id in (
          select s.activity_id from activity_stop s where s.place_id = any(${area}::integer[])
          union all
          select s.activity_id from activity_stop s join facility f on f.id = s.facility_id where f.place_id = any(${area}::integer[]))`);
      })
      .$if(filter.facilityId !== undefined, (q) =>
        q.where(sql<SqlBool>`activity.id in (select s.activity_id from activity_stop s where s.facility_id = ${filter.facilityId ?? 0})`),
      )
      .$if(filter.personId !== undefined, (q) =>
        q.where(sql<SqlBool>`activity.id in (select a.activity_id from activity_attendee a where a.person_id = ${filter.personId ?? 0})`),
      )
      // Both bounds in order: the activity's days overlap them, the expression of activity_period_idx (a month).
      .$if(period !== undefined, (q) =>
        q.where(sql<SqlBool>`tstzrange(activity.starts_at, activity.ends_at, '[]') && tstzrange(${period?.from ?? new Date(0)}, ${period?.before ?? new Date(0)}, '[)')`),
      )
      .$if(period === undefined && filter.from !== undefined, (q) => q.where('activity.ends_at', '>=', filter.from ?? new Date(0)))
      .$if(period === undefined && filter.before !== undefined, (q) => q.where('activity.starts_at', '<', filter.before ?? new Date(0)))
      .$if(filter.endedBefore !== undefined, (q) => q.where('activity.ends_at', '<', filter.endedBefore ?? new Date(0)))
      .$if(filter.visibility !== undefined, (q) => q.where('activity.visibility', '=', filter.visibility ?? 'public'))
      .$if(filter.status !== undefined, (q) => q.where('activity.status', '=', filter.status ?? 'planned'))
  );
}

function withKind<QB extends ReturnType<typeof filtered>>(query: QB) {
  return query
    .innerJoin('activity_kind as kind', 'kind.id', 'activity.kind_id')
    .selectAll('activity')
    .select(['kind.code as kind_code', 'kind.name_zh as kind_name_zh', 'kind.name_en as kind_name_en']);
}

/** The order of a list: latest start first, or earliest first (a calendar's coming activities). */
export type ActivityOrder = 'latest' | 'earliest';

/** A page of a list: by offset, or (for reading a long list through) the rows after the last one read. */
export interface ActivityPage {
  limit: number;
  offset: number;
  after?: { startsAt: Date; id: number };
}

/** Lists a page of the activities the reader may see, latest start first (or earliest), with their kind. */
export async function listActivities(db: Executor, filter: ActivityFilter, readable: ReadableOrganizations, page: ActivityPage, order: ActivityOrder = 'latest') {
  const after = page.after;
  return withKind(filtered(db, await resolved(db, filter), readable))
    .$if(after !== undefined, (q) =>
      q.where(sql<SqlBool>`(activity.starts_at, activity.id) ${sql.raw(order === 'latest' ? '<' : '>')} (${after?.startsAt ?? new Date(0)}, ${after?.id ?? 0})`),
    )
    // Soonest first is asked with an end bound (what is coming, a month), which the planner cannot tell
    // lies at the far end of the start index: walking it from the oldest would read ten years to find
    // next week. "Nulls first" (starts_at is never null) is an order that index does not give, so the
    // rows are found through the bound's own index and then sorted, whatever the planner expects.
    .$if(order === 'latest', (q) => q.orderBy('activity.starts_at', 'desc').orderBy('activity.id', 'desc'))
    .$if(order === 'earliest', (q) => q.orderBy(sql`activity.starts_at asc nulls first`).orderBy('activity.id', 'asc'))
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** An activity row with its kind's code and names. */
export type ActivityWithKindRow = Awaited<ReturnType<typeof listActivities>>[number];

/** Counts the activities the filter matches among those the reader may see. */
export async function countActivities(db: Executor, filter: ActivityFilter, readable: ReadableOrganizations): Promise<number> {
  const row = await filtered(db, await resolved(db, filter), readable)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds an activity by id, with its kind. */
export async function findActivityById(db: Executor, id: number): Promise<ActivityWithKindRow | undefined> {
  return withKind(db.selectFrom('activity'))
    .where('activity.id', '=', id)
    .executeTakeFirst();
}

/** Locks an activity's row until the transaction ends, so that changes to its parts queue up; undefined when gone. */
export async function lockActivity(db: Executor, id: number) {
  return db.selectFrom('activity').select(['id', 'starts_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Inserts an activity and returns its id. */
export async function insertActivity(db: Executor, row: NewActivityRow): Promise<number> {
  return (await db.insertInto('activity').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** Updates an activity's own fields (or only its time of change). */
export async function updateActivity(db: Executor, id: number, changes: ActivityRowUpdate): Promise<void> {
  await db
    .updateTable('activity')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Deletes an activity; its parts go with it. */
export async function deleteActivity(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('activity').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Kinds and topics

/** Lists a taxonomy (activity kinds or topics) in its order. */
export async function listTaxonomy(db: Executor, table: 'activity_kind' | 'activity_topic') {
  return db.selectFrom(table).selectAll().orderBy('position').orderBy('id').execute();
}

/** Finds the entries of a taxonomy with these codes. */
export async function findTaxaByCodes(db: Executor, table: 'activity_kind' | 'activity_topic', codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom(table).selectAll().where('code', 'in', codes).execute();
}

/** Lists the topics of an activity, in the taxonomy's order. */
export async function listTopicsOf(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_topic_link as link')
    .innerJoin('activity_topic as topic', 'topic.id', 'link.topic_id')
    .select(['topic.id', 'topic.code', 'topic.name_zh', 'topic.name_en'])
    .where('link.activity_id', '=', activityId)
    .orderBy('topic.position')
    .orderBy('topic.id')
    .execute();
}

/** Replaces the topics of an activity. */
export async function replaceTopics(db: Executor, activityId: number, topicIds: readonly number[]): Promise<void> {
  await db.deleteFrom('activity_topic_link').where('activity_id', '=', activityId).execute();
  if (topicIds.length === 0) return;
  await db
    .insertInto('activity_topic_link')
    .values(topicIds.map((topicId) => ({ activity_id: activityId, topic_id: topicId })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Organizers and photos: ordered lists replaced whole

/** Lists the organizers of these activities, in their order. */
export async function listOrganizers(db: Executor, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_organizer')
    .selectAll()
    .where('activity_id', 'in', activityIds)
    .orderBy('activity_id')
    .orderBy('position')
    .execute();
}

/** Replaces the organizers of an activity with these, in this order. */
export async function replaceOrganizers(
  db: Executor,
  activityId: number,
  organizers: readonly { organizationId: number; role: OrganizerRole }[],
): Promise<void> {
  await db.deleteFrom('activity_organizer').where('activity_id', '=', activityId).execute();
  if (organizers.length === 0) return;
  await db
    .insertInto('activity_organizer')
    .values(organizers.map((organizer, index) => ({ activity_id: activityId, organization_id: organizer.organizationId, role: organizer.role, position: index + 1 })))
    .execute();
}

/** Lists the photos of an activity, in order. */
export async function listPhotos(db: Executor, activityId: number) {
  return db.selectFrom('activity_photo').selectAll().where('activity_id', '=', activityId).orderBy('position').orderBy('media_id').execute();
}

/** Replaces the photos of an activity with these images, in this order. */
export async function replacePhotos(db: Executor, activityId: number, mediaIds: readonly number[]): Promise<void> {
  await db.deleteFrom('activity_photo').where('activity_id', '=', activityId).execute();
  if (mediaIds.length === 0) return;
  await db
    .insertInto('activity_photo')
    .values(mediaIds.map((mediaId, index) => ({ activity_id: activityId, media_id: mediaId, position: index + 1 })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The parts: stops, sessions, agenda items, attendees, follow-ups, each in order under its parent

/** The tables of the ordered parts, with the column naming their parent. */
export const partTables = {
  activity_stop: 'activity_id',
  activity_session: 'activity_id',
  activity_attendee: 'activity_id',
  activity_follow_up: 'activity_id',
  activity_agenda_item: 'session_id',
} as const;
export type PartTable = keyof typeof partTables;

/** Lists the ids of the parts under one parent, in their order. */
export async function listPartIds(db: Executor, table: PartTable, parentId: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    select id from ${sql.table(table)} where ${sql.ref(partTables[table])} = ${parentId} order by position, id`.execute(db);
  return result.rows.map((row) => row.id);
}

/** Numbers the parts 1, 2, 3, … in the order given, in one statement. */
export async function renumberParts(db: Executor, table: PartTable, orderedIds: readonly number[]): Promise<void> {
  if (orderedIds.length === 0) return;
  await sql`
    update ${sql.table(table)} as part set position = v.position
    from unnest(${[...orderedIds]}::integer[]) with ordinality as v(id, position)
    where part.id = v.id`.execute(db);
}

/** Finds a stop of an activity. */
export async function findStop(db: Executor, activityId: number, id: number) {
  return db.selectFrom('activity_stop').selectAll().where('id', '=', id).where('activity_id', '=', activityId).executeTakeFirst();
}

/** Inserts a stop and returns the stored row. */
export async function insertStop(db: Executor, row: Insertable<Database['activity_stop']>) {
  return db.insertInto('activity_stop').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a stop and returns the stored row. */
export async function updateStop(db: Executor, id: number, changes: Updateable<Database['activity_stop']>) {
  return db.updateTable('activity_stop').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Lists the stops of an activity in order, with the facility's or the place's names. */
export async function listStops(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_stop as stop')
    .leftJoin('facility', 'facility.id', 'stop.facility_id')
    .leftJoin('place', (join) => join.on(sql<SqlBool>`place.id = coalesce(stop.place_id, facility.place_id)`))
    .leftJoin('activity_topic as topic', 'topic.id', 'stop.topic_id')
    .selectAll('stop')
    .select([
      'facility.name_zh as facility_name_zh',
      'facility.name_en as facility_name_en',
      'place.id as where_place_id',
      'place.name_zh as place_name_zh',
      'place.name_en as place_name_en',
      'topic.code as topic_code',
      'topic.name_zh as topic_name_zh',
      'topic.name_en as topic_name_en',
    ])
    .where('stop.activity_id', '=', activityId)
    .orderBy('stop.position')
    .orderBy('stop.id')
    .execute();
}

/** Lists the hosts of the stops of an activity. */
export async function listStopHosts(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_stop_host as host')
    .innerJoin('activity_stop as stop', 'stop.id', 'host.stop_id')
    .select(['host.stop_id', 'host.organization_id'])
    .where('stop.activity_id', '=', activityId)
    .orderBy('host.stop_id')
    .orderBy('host.organization_id')
    .execute();
}

/** Replaces the hosts of a stop. */
export async function replaceStopHosts(db: Executor, stopId: number, organizationIds: readonly number[]): Promise<void> {
  await db.deleteFrom('activity_stop_host').where('stop_id', '=', stopId).execute();
  if (organizationIds.length === 0) return;
  await db
    .insertInto('activity_stop_host')
    .values(organizationIds.map((organizationId) => ({ stop_id: stopId, organization_id: organizationId })))
    .execute();
}

/** Lists the facilities a stop can be at, by name, with their place. */
export async function listFacilityChoices(db: Executor) {
  return db
    .selectFrom('facility')
    .innerJoin('place', 'place.id', 'facility.place_id')
    .select(['facility.id', 'facility.name_zh', 'facility.name_en', 'place.name_zh as place_name_zh', 'place.name_en as place_name_en'])
    .orderBy('facility.name_zh')
    .orderBy('facility.id')
    .execute();
}

/** Finds a session of an activity. */
export async function findSession(db: Executor, activityId: number, id: number) {
  return db.selectFrom('activity_session').selectAll().where('id', '=', id).where('activity_id', '=', activityId).executeTakeFirst();
}

/** Inserts a session and returns the stored row. */
export async function insertSession(db: Executor, row: Insertable<Database['activity_session']>) {
  return db.insertInto('activity_session').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a session and returns the stored row. */
export async function updateSession(db: Executor, id: number, changes: Updateable<Database['activity_session']>) {
  return db.updateTable('activity_session').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Lists the sessions of an activity in order. */
export async function listSessions(db: Executor, activityId: number) {
  return db.selectFrom('activity_session').selectAll().where('activity_id', '=', activityId).orderBy('position').orderBy('id').execute();
}

/** Finds an agenda item of a session. */
export async function findAgendaItem(db: Executor, sessionId: number, id: number) {
  return db.selectFrom('activity_agenda_item').selectAll().where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
}

/** Inserts an agenda item and returns the stored row. */
export async function insertAgendaItem(db: Executor, row: Insertable<Database['activity_agenda_item']>) {
  return db.insertInto('activity_agenda_item').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates an agenda item and returns the stored row. */
export async function updateAgendaItem(db: Executor, id: number, changes: Updateable<Database['activity_agenda_item']>) {
  return db.updateTable('activity_agenda_item').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Lists the agenda items of every session of an activity, by session then in order, with the speaker's name. */
export async function listAgendaItems(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_agenda_item as item')
    .innerJoin('activity_session as session', 'session.id', 'item.session_id')
    .leftJoin('person', 'person.id', 'item.speaker_person_id')
    .selectAll('item')
    .select(['person.name_zh as speaker_name_zh', 'person.name_en as speaker_name_en'])
    .where('session.activity_id', '=', activityId)
    .orderBy('item.session_id')
    .orderBy('item.position')
    .orderBy('item.id')
    .execute();
}

/** Finds an attendee of an activity. */
export async function findAttendee(db: Executor, activityId: number, id: number) {
  return db.selectFrom('activity_attendee').selectAll().where('id', '=', id).where('activity_id', '=', activityId).executeTakeFirst();
}

/** Finds the attendee row of a person at an activity, other than `exceptId`. */
export async function findAttendeeByPerson(db: Executor, activityId: number, personId: number, exceptId?: number) {
  return db
    .selectFrom('activity_attendee')
    .select('id')
    .where('activity_id', '=', activityId)
    .where('person_id', '=', personId)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? 0))
    .executeTakeFirst();
}

/** Inserts an attendee and returns the stored row. */
export async function insertAttendee(db: Executor, row: Insertable<Database['activity_attendee']>) {
  return db.insertInto('activity_attendee').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates an attendee and returns the stored row. */
export async function updateAttendee(db: Executor, id: number, changes: Updateable<Database['activity_attendee']>) {
  return db.updateTable('activity_attendee').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Lists the attendees of an activity in order, with the person's names. */
export async function listAttendees(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_attendee as attendee')
    .leftJoin('person', 'person.id', 'attendee.person_id')
    .selectAll('attendee')
    .select(['person.name_zh as person_name_zh', 'person.name_en as person_name_en'])
    .where('attendee.activity_id', '=', activityId)
    .orderBy('attendee.position')
    .orderBy('attendee.id')
    .execute();
}

/** Finds a follow-up of an activity. */
export async function findFollowUp(db: Executor, activityId: number, id: number) {
  return db.selectFrom('activity_follow_up').selectAll().where('id', '=', id).where('activity_id', '=', activityId).executeTakeFirst();
}

/** Inserts a follow-up and returns the stored row. */
export async function insertFollowUp(db: Executor, row: Insertable<Database['activity_follow_up']>) {
  return db.insertInto('activity_follow_up').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a follow-up and returns the stored row. */
export async function updateFollowUp(db: Executor, id: number, changes: Updateable<Database['activity_follow_up']>) {
  return db.updateTable('activity_follow_up').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Lists the follow-ups of an activity in order, with the owner person's names and the commitment made from each (null: none). */
export async function listFollowUps(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_follow_up as follow_up')
    .leftJoin('person', 'person.id', 'follow_up.owner_person_id')
    .leftJoin('commitment', 'commitment.follow_up_id', 'follow_up.id')
    .selectAll('follow_up')
    .select(['person.name_zh as person_name_zh', 'person.name_en as person_name_en', 'commitment.id as commitment_id'])
    .where('follow_up.activity_id', '=', activityId)
    .orderBy('follow_up.position')
    .orderBy('follow_up.id')
    .execute();
}

/** Deletes a part (a stop, session, agenda item, attendee or follow-up) by id; what hangs under it goes too. */
export async function deletePart(db: Executor, table: PartTable, id: number): Promise<void> {
  await sql`delete from ${sql.table(table)} where id = ${id}`.execute(db);
}

// ---------------------------------------------------------------------------------------------
// References checked before they are stored

/** The ids among these that name an organization. */
export async function existingOrganizationIds(db: Executor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('organization').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

/** Finds a person's names. */
export async function findPerson(db: Executor, id: number) {
  return db.selectFrom('person').select(['id', 'name_zh', 'name_en']).where('id', '=', id).executeTakeFirst();
}

/** Finds a place's names. */
export async function findPlace(db: Executor, id: number) {
  return db.selectFrom('place').select(['id', 'name_zh', 'name_en']).where('id', '=', id).executeTakeFirst();
}
