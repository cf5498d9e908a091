import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { heldOn, organizationAndUnitsBelow } from './person.repository.ts';
import type { NewPositionRow, PositionKind, PositionRowUpdate } from './position.table.ts';

/** What the post list can be narrowed to. */
export interface PositionFilter {
  personId?: number;
  /** Posts in this organization or a unit below it. */
  organizationId?: number;
  kind?: PositionKind;
  /** Posts held on this day ("YYYY-MM-DD"). */
  on?: string;
}

function filtered(db: Executor, filter: PositionFilter) {
  return db
    .selectFrom('position')
    .$if(filter.personId !== undefined, (q) => q.where('position.person_id', '=', filter.personId ?? 0))
    .$if(filter.organizationId !== undefined, (q) =>
      q.where('position.organization_id', 'in', organizationAndUnitsBelow(filter.organizationId ?? 0)),
    )
    .$if(filter.kind !== undefined, (q) => q.where('position.kind', '=', filter.kind ?? 'leader'))
    .$if(filter.on !== undefined, (q) => q.where(heldOn(filter.on ?? '')));
}

/** Lists a page of posts: by person, latest start first. */
export async function listPositions(db: Executor, filter: PositionFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .selectAll('position')
    .orderBy('position.person_id')
    .orderBy(sql`position.starts_on desc nulls last`)
    .orderBy('position.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the posts the filter matches. */
export async function countPositions(db: Executor, filter: PositionFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds a post by id. */
export async function findPositionById(db: Executor, id: number) {
  return db.selectFrom('position').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Posts with the names a page shows beside them: the holder, the unit and the unit's parent. */
function postsWithNames(db: Executor) {
  return db
    .selectFrom('position')
    .innerJoin('person', 'person.id', 'position.person_id')
    .innerJoin('organization as unit', 'unit.id', 'position.organization_id')
    .leftJoin('organization as parent', 'parent.id', 'unit.parent_id')
    .selectAll('position')
    .select([
      'person.name_zh as person_name_zh',
      'person.name_en as person_name_en',
      'unit.name_zh as unit_name_zh',
      'unit.name_en as unit_name_en',
      'unit.parent_id as unit_parent_id',
      'parent.name_zh as parent_name_zh',
      'parent.name_en as parent_name_en',
    ]);
}

/** A post row with its holder's and its unit's names. */
export type PostWithNamesRow = Awaited<ReturnType<typeof listPostsOfPerson>>[number];

const kindOrder = sql`case position.kind when 'leader' then 0 when 'executive_member' then 1 when 'member' then 2 else 3 end`;

/** Lists every post a person has held, with names; the caller orders current, coming and ended. */
export async function listPostsOfPerson(db: Executor, personId: number) {
  return postsWithNames(db)
    .where('position.person_id', '=', personId)
    .orderBy(sql`position.starts_on desc nulls last`)
    .orderBy('position.id')
    .execute();
}

/** Lists the posts held on a day in an organization and the units below it: the organization's own first, then by unit. */
export async function listPostsHeldIn(db: Executor, organizationId: number, day: string, kind?: PositionKind) {
  return postsWithNames(db)
    .where('position.organization_id', 'in', organizationAndUnitsBelow(organizationId))
    .where(heldOn(day))
    .$if(kind !== undefined, (q) => q.where('position.kind', '=', kind ?? 'leader'))
    .orderBy(sql`position.organization_id <> ${organizationId}`)
    .orderBy('unit.name_en')
    .orderBy('position.organization_id')
    .orderBy(kindOrder)
    .orderBy('position.title_en')
    .orderBy('person.name_en')
    .orderBy('position.id')
    .execute();
}

/** Lists the posts held by these people on a day, with names. */
export async function listPostsHeldBy(db: Executor, personIds: readonly number[], day: string) {
  if (personIds.length === 0) return [];
  return postsWithNames(db)
    .where('position.person_id', 'in', personIds)
    // Said of person too, so that the planner fetches those few people by key instead of hashing them all.
    .where('person.id', 'in', personIds)
    .where(heldOn(day))
    .orderBy('position.person_id')
    .orderBy(kindOrder)
    .orderBy('position.id')
    .execute();
}

/** Lists the people holding a post of `kind` in exactly this organization on a day. */
export async function listHoldersOn(db: Executor, organizationId: number, kind: PositionKind, day: string) {
  return db
    .selectFrom('position')
    .innerJoin('person', 'person.id', 'position.person_id')
    .where('position.organization_id', '=', organizationId)
    .where('position.kind', '=', kind)
    .where(heldOn(day))
    .select(['person.id', 'person.name_zh', 'person.name_en'])
    .distinct()
    .orderBy('person.name_en')
    .orderBy('person.id')
    .execute();
}

/** Lists every post of a person, plain. */
export async function listPositionsOfPerson(db: Executor, personId: number) {
  return db.selectFrom('position').selectAll().where('person_id', '=', personId).orderBy('id').execute();
}

/** Inserts a post and returns the stored row. */
export async function insertPosition(db: Executor, row: NewPositionRow) {
  return db.insertInto('position').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a post and returns the stored row. */
export async function updatePosition(db: Executor, id: number, changes: PositionRowUpdate) {
  return db
    .updateTable('position')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a post. */
export async function deletePosition(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('position').where('id', '=', id).execute();
}
