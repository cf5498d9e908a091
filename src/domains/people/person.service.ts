import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCan, assertCanRead, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { totalOf } from '../../platform/paging.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { formatDate } from '../../platform/time.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import * as personRepository from './person.repository.ts';
import * as positionRepository from './position.repository.ts';
import type { PostWithNamesRow } from './position.repository.ts';
import {
  endsBeforeStartMessage,
  type PersonInput,
  type PersonPatch,
  type PersonQuery,
  type PositionInput,
  type PositionPatch,
  type PositionQuery,
} from './person.schema.ts';
import type { PersonRow } from './person.table.ts';
import type { PositionKind, PositionRow } from './position.table.ts';

/** The zone in which the network's "today" turns over. */
const networkTimeZone = 'Asia/Shanghai';

/** Today's date in the network's zone, "YYYY-MM-DD". */
export function today(now = new Date()): string {
  return formatDate(now, networkTimeZone);
}

/** Someone who holds or held a post in the network. */
export interface Person {
  id: number;
  nameZh: string;
  nameEn: string;
  /** The federation or unit that keeps the record. */
  organizationId: number;
  notes: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A post a person held in an organization, from a day to a day ("YYYY-MM-DD"; null: not known, or still held). */
export interface Position {
  id: number;
  personId: number;
  organizationId: number;
  titleZh: string;
  titleEn: string;
  kind: PositionKind;
  startsOn: string | null;
  endsOn: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Names in both languages. */
export interface Names {
  nameZh: string;
  nameEn: string;
}

/** Where a post stands on a day: held, not yet begun, or over. */
export type PostStatus = 'current' | 'coming' | 'ended';

/** A post with what a page shows beside it: holder, unit (with its parent, to tell same-named units apart), standing. */
export interface Post extends Position {
  person: Names;
  unit: Names & { id: number; parent: Names | null };
  status: PostStatus;
  /** Whether the actor may change or delete it. */
  editable: boolean;
}

/** A person with everything their page shows. */
export interface PersonDetail extends Person {
  organization: Names & { id: number; parent: Names | null };
  /** Every post held, current first, then coming, then ended. */
  posts: Post[];
  /** Whether the actor may change or delete the person. */
  editable: boolean;
  /** Whether the actor may add a post anywhere. */
  mayAddPosts: boolean;
}

/** Maps a stored person to the domain type. */
export function personRowToPerson(row: PersonRow): Person {
  return {
    id: row.id,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    organizationId: row.organization_id,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Maps a stored post to the domain type. */
export function positionRowToPosition(row: PositionRow): Position {
  return {
    id: row.id,
    personId: row.person_id,
    organizationId: row.organization_id,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    kind: row.kind,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Where a post stands on `day`: held when it began on or before the day (or nobody knows when) and has not ended before it. */
export function postStatus(post: { startsOn: string | null; endsOn: string | null }, day: string): PostStatus {
  if (post.startsOn !== null && post.startsOn > day) return 'coming';
  if (post.endsOn !== null && post.endsOn < day) return 'ended';
  return 'current';
}

const statusRank: Record<PostStatus, number> = { current: 0, coming: 1, ended: 2 };

function rowToPost(row: PostWithNamesRow, day: string, editableIds: Set<number> | 'all'): Post {
  const position = positionRowToPosition(row);
  return {
    ...position,
    person: { nameZh: row.person_name_zh, nameEn: row.person_name_en },
    unit: {
      id: row.organization_id,
      nameZh: row.unit_name_zh,
      nameEn: row.unit_name_en,
      parent: row.parent_name_zh !== null && row.parent_name_en !== null ? { nameZh: row.parent_name_zh, nameEn: row.parent_name_en } : null,
    },
    status: postStatus(position, day),
    editable: editableIds === 'all' || editableIds.has(row.organization_id),
  };
}

async function findOrganizationOrRefuse(db: Executor, id: number) {
  const organization = await organizationRepository.findOrganizationById(db, id);
  if (!organization) throw notFound();
  return organization;
}

// ---------------------------------------------------------------------------------------------
// People

/** Lists a page of people for any member of the network. */
export async function listPeople(db: Executor, actor: Actor, query: PersonQuery) {
  await assertCanRead(db, actor);
  const filter = { q: query.q || undefined, organizationId: query.organizationId, kind: query.kind, on: query.on };
  const rows = await personRepository.listPeople(db, filter, query);
  const total = await totalOf(query, rows.length, () => personRepository.countPeople(db, filter));
  return { items: rows.map(personRowToPerson), total, limit: query.limit, offset: query.offset };
}

/** Reads one person. */
export async function getPerson(db: Executor, actor: Actor, id: number): Promise<Person> {
  await assertCanRead(db, actor);
  const row = await personRepository.findPersonById(db, id);
  if (!row) throw notFound();
  return personRowToPerson(row);
}

/** Reads one person with their keeping organization and everything they have held, current first. */
export async function getPersonDetail(db: Executor, actor: Actor, id: number, day = today()): Promise<PersonDetail> {
  const person = await getPerson(db, actor, id);
  const [organization, ancestorIds, rows, editableIds] = await Promise.all([
    findOrganizationOrRefuse(db, person.organizationId),
    organizationRepository.listAncestorIds(db, person.organizationId),
    positionRepository.listPostsOfPerson(db, id),
    organizationsWhere(db, actor, 'edit_records'),
  ]);
  const parentId = ancestorIds[1];
  const parent = parentId === undefined ? undefined : await organizationRepository.findOrganizationById(db, parentId);
  const posts = rows
    .map((row) => rowToPost(row, day, editableIds))
    .map((post, index) => ({ post, index }))
    .sort((a, b) => statusRank[a.post.status] - statusRank[b.post.status] || a.index - b.index)
    .map(({ post }) => post);
  return {
    ...person,
    organization: {
      id: organization.id,
      nameZh: organization.name_zh,
      nameEn: organization.name_en,
      parent: parent ? { nameZh: parent.name_zh, nameEn: parent.name_en } : null,
    },
    posts,
    editable: editableIds === 'all' || editableIds.has(person.organizationId),
    mayAddPosts: editableIds === 'all' || editableIds.size > 0,
  };
}

/** Tells whether the actor may change or delete this person (to show or hide the buttons, and to refuse the forms). */
export async function assertMayEditPerson(db: Executor, actor: Actor, person: Person): Promise<void> {
  await assertCan(db, actor, 'edit_records', [person.organizationId]);
}

/** Creates a person kept by an organization the actor may edit. */
export async function createPerson(db: Kysely<Database>, actor: Actor, input: PersonInput): Promise<Person> {
  await assertCan(db, actor, 'edit_records', [input.organizationId]);
  return db.transaction().execute(async (tx) => {
    await findOrganizationOrRefuse(tx, input.organizationId);
    const row = await personRepository.insertPerson(tx, {
      name_zh: input.nameZh,
      name_en: input.nameEn,
      organization_id: input.organizationId,
      notes: input.notes,
    });
    const person = personRowToPerson(row);
    await recordAudit(tx, actor, { action: 'create', entityType: 'person', entityId: row.id, after: person });
    return person;
  });
}

/** Changes a person the actor may edit; handing the record to another organization needs the right to edit that one too. */
export async function updatePerson(db: Kysely<Database>, actor: Actor, id: number, changes: PersonPatch): Promise<Person> {
  await assertCanRead(db, actor);
  return db.transaction().execute(async (tx) => {
    const before = await personRepository.findPersonByIdForUpdate(tx, id);
    if (!before) throw notFound();
    await assertCan(tx, actor, 'edit_records', [before.organization_id]);
    if (changes.organizationId !== undefined && changes.organizationId !== before.organization_id) {
      await assertCan(tx, actor, 'edit_records', [changes.organizationId]);
      await findOrganizationOrRefuse(tx, changes.organizationId);
    }
    const row = await personRepository.updatePerson(tx, id, {
      name_zh: changes.nameZh,
      name_en: changes.nameEn,
      organization_id: changes.organizationId,
      notes: changes.notes,
    });
    const person = personRowToPerson(row);
    await recordAudit(tx, actor, { action: 'update', entityType: 'person', entityId: id, before: personRowToPerson(before), after: person });
    return person;
  });
}

/** Deletes a person the actor may edit, and every post they held; each removal is audited. */
export async function deletePerson(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCanRead(db, actor);
  await db.transaction().execute(async (tx) => {
    const before = await personRepository.findPersonByIdForUpdate(tx, id);
    if (!before) throw notFound();
    await assertCan(tx, actor, 'edit_records', [before.organization_id]);
    const positions = await positionRepository.listPositionsOfPerson(tx, id);
    for (const position of positions) {
      await positionRepository.deletePosition(tx, position.id);
      await recordAudit(tx, actor, { action: 'delete', entityType: 'position', entityId: position.id, before: positionRowToPosition(position) });
    }
    await personRepository.deletePerson(tx, id);
    await recordAudit(tx, actor, {
      action: 'delete',
      entityType: 'person',
      entityId: id,
      before: { ...personRowToPerson(before), positionIds: positions.map((position) => position.id) },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Posts

/** Lists a page of posts for any member of the network. */
export async function listPositions(db: Executor, actor: Actor, query: PositionQuery) {
  await assertCanRead(db, actor);
  const filter = { personId: query.personId, organizationId: query.organizationId, kind: query.kind, on: query.on };
  const [rows, total] = await Promise.all([
    positionRepository.listPositions(db, filter, query),
    positionRepository.countPositions(db, filter),
  ]);
  return { items: rows.map(positionRowToPosition), total, limit: query.limit, offset: query.offset };
}

/** Reads one post. */
export async function getPosition(db: Executor, actor: Actor, id: number): Promise<Position> {
  await assertCanRead(db, actor);
  const row = await positionRepository.findPositionById(db, id);
  if (!row) throw notFound();
  return positionRowToPosition(row);
}

/** Reads a post of a person, as the person's pages name it; a post of someone else is not found. */
export async function getPositionOfPerson(db: Executor, actor: Actor, personId: number, positionId: number): Promise<Position> {
  const position = await getPosition(db, actor, positionId);
  if (position.personId !== personId) throw notFound();
  return position;
}

/** Refuses unless the actor may change posts in this organization. */
export async function assertMayEditPosition(db: Executor, actor: Actor, position: { organizationId: number }): Promise<void> {
  await assertCan(db, actor, 'edit_records', [position.organizationId]);
}

function assertDatesInOrder(startsOn: string | null, endsOn: string | null): void {
  if (startsOn !== null && endsOn !== null && endsOn < startsOn) throw badRequest(endsBeforeStartMessage, 'dates');
}

/** Gives a person a post in an organization the actor may edit. */
export async function createPosition(db: Kysely<Database>, actor: Actor, input: PositionInput): Promise<Position> {
  await assertCanRead(db, actor);
  await assertCan(db, actor, 'edit_records', [input.organizationId]);
  assertDatesInOrder(input.startsOn, input.endsOn);
  return db.transaction().execute(async (tx) => {
    // Lock the holder so that a concurrent deletion cannot leave the post without a person.
    if (!(await personRepository.findPersonByIdForUpdate(tx, input.personId))) throw notFound();
    await findOrganizationOrRefuse(tx, input.organizationId);
    const row = await positionRepository.insertPosition(tx, {
      person_id: input.personId,
      organization_id: input.organizationId,
      title_zh: input.titleZh,
      title_en: input.titleEn,
      kind: input.kind,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
    });
    const position = positionRowToPosition(row);
    await recordAudit(tx, actor, { action: 'create', entityType: 'position', entityId: row.id, after: position });
    return position;
  });
}

/** Changes a post in an organization the actor may edit; moving it to another organization needs the right there too. */
export async function updatePosition(db: Kysely<Database>, actor: Actor, id: number, changes: PositionPatch): Promise<Position> {
  await assertCanRead(db, actor);
  return db.transaction().execute(async (tx) => {
    const before = await positionRepository.findPositionById(tx, id);
    if (!before) throw notFound();
    await assertCan(tx, actor, 'edit_records', [before.organization_id]);
    if (changes.organizationId !== undefined && changes.organizationId !== before.organization_id) {
      await assertCan(tx, actor, 'edit_records', [changes.organizationId]);
      await findOrganizationOrRefuse(tx, changes.organizationId);
    }
    assertDatesInOrder(
      changes.startsOn === undefined ? before.starts_on : changes.startsOn,
      changes.endsOn === undefined ? before.ends_on : changes.endsOn,
    );
    const row = await positionRepository.updatePosition(tx, id, {
      organization_id: changes.organizationId,
      title_zh: changes.titleZh,
      title_en: changes.titleEn,
      kind: changes.kind,
      starts_on: changes.startsOn,
      ends_on: changes.endsOn,
    });
    const position = positionRowToPosition(row);
    await recordAudit(tx, actor, {
      action: 'update',
      entityType: 'position',
      entityId: id,
      before: positionRowToPosition(before),
      after: position,
    });
    return position;
  });
}

/** Ends a post on a day: it stays on the holder's record, and drops out of the days after. */
export async function endPosition(db: Kysely<Database>, actor: Actor, id: number, endsOn: string): Promise<Position> {
  return updatePosition(db, actor, id, { endsOn });
}

/** Deletes a post entered by mistake (a post that ended is ended, not deleted). */
export async function deletePosition(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCanRead(db, actor);
  await db.transaction().execute(async (tx) => {
    const before = await positionRepository.findPositionById(tx, id);
    if (!before) throw notFound();
    await assertCan(tx, actor, 'edit_records', [before.organization_id]);
    await positionRepository.deletePosition(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'position', entityId: id, before: positionRowToPosition(before) });
  });
}

// ---------------------------------------------------------------------------------------------
// Who holds what

/** The posts held on a day in an organization and every unit below it: "who holds which posts in BWF today". */
export async function listPostsHeldIn(db: Executor, actor: Actor, organizationId: number, day = today()): Promise<Post[]> {
  await assertCanRead(db, actor);
  const [rows, editableIds] = await Promise.all([
    positionRepository.listPostsHeldIn(db, organizationId, day),
    organizationsWhere(db, actor, 'edit_records'),
  ]);
  return rows.map((row) => rowToPost(row, day, editableIds));
}

/** The posts these people hold on a day, by person. */
export async function listPostsHeldBy(db: Executor, actor: Actor, personIds: readonly number[], day = today()): Promise<Map<number, Post[]>> {
  await assertCanRead(db, actor);
  const [rows, editableIds] = await Promise.all([
    positionRepository.listPostsHeldBy(db, personIds, day),
    organizationsWhere(db, actor, 'edit_records'),
  ]);
  const byPerson = new Map<number, Post[]>();
  for (const row of rows) {
    const posts = byPerson.get(row.person_id) ?? [];
    posts.push(rowToPost(row, day, editableIds));
    byPerson.set(row.person_id, posts);
  }
  return byPerson;
}

/** A member of a federation's executive committee, with every post she holds that day. */
export interface ExecutiveMember extends Names {
  id: number;
  posts: Post[];
}

/** The people holding an executive-committee post in exactly this organization on a day, each with all their posts that day. */
export async function listExecutiveMembers(db: Executor, actor: Actor, organizationId: number, day = today()): Promise<ExecutiveMember[]> {
  await assertCanRead(db, actor);
  await findOrganizationOrRefuse(db, organizationId);
  const holders = await positionRepository.listHoldersOn(db, organizationId, 'executive_member', day);
  const posts = await listPostsHeldBy(db, actor, holders.map((holder) => holder.id), day);
  return holders.map((holder) => ({ id: holder.id, nameZh: holder.name_zh, nameEn: holder.name_en, posts: posts.get(holder.id) ?? [] }));
}

/** The federations an executive committee page can show: federations and grassroots federations. */
export async function listFederationChoices(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  const tree = await organizationRepository.listOrganizationTree(db);
  return { tree, federations: tree.filter((choice) => choice.kind === 'federation' || choice.kind === 'grassroots_federation') };
}

/** The federation whose executive committee the actor sees first: the first federation she works in, else BWF, else the first one. */
export async function defaultFederationId(db: Executor, actor: Actor): Promise<number | undefined> {
  await assertCanRead(db, actor);
  const [tree, readable] = await Promise.all([organizationRepository.listOrganizationTree(db), organizationsWhere(db, actor, 'read')]);
  const byId = new Map(tree.map((organization) => [organization.id, organization]));
  if (readable !== 'all') {
    for (const id of [...readable].sort((a, b) => a - b)) {
      // Climb to the top of the actor's organization: a role on a department still belongs to its federation.
      let current = byId.get(id);
      for (let depth = 0; current && current.parent_id !== null && depth < 100; depth += 1) current = byId.get(current.parent_id);
      if (current?.kind === 'federation') return current.id;
    }
  }
  return (tree.find((organization) => organization.slug === 'bwf') ?? tree.find((organization) => organization.kind === 'federation'))?.id;
}

/** Every organization with the ids the actor may put people and posts in, for the forms' choices. */
export async function listOrganizationChoicesForEditing(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  const [tree, editable] = await Promise.all([organizationRepository.listOrganizationTree(db), organizationsWhere(db, actor, 'edit_records')]);
  return { tree, editableIds: editable === 'all' ? new Set(tree.map((organization) => organization.id)) : editable };
}
