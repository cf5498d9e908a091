import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { PositionKind } from './position.table.ts';
import type { NewPersonRow, PersonRowUpdate } from './person.table.ts';

/** What the people list can be narrowed to. */
export interface PersonFilter {
  q?: string;
  /** Kept by, or holding a post in, this organization or a unit below it. */
  organizationId?: number;
  /** Holding a post of this kind. */
  kind?: PositionKind;
  /** Holding a post on this day ("YYYY-MM-DD"). */
  on?: string;
}

/** The ids of an organization and every unit below it, as a subquery. */
export function organizationAndUnitsBelow(id: number): Expression<number> {
  // `union` (not `union all`) stops at a unit seen before, so a broken tree cannot loop.
  return sql<number>`(
    with recursive down(id) as (
      select id from organization where id = ${id}
      union
      select organization.id from organization join down on organization.parent_id = down.id
    )
    select id from down)`;
}

/** A condition on a `position` row (aliased `position`): held on `day`, ends counted inclusive, unknown ends open. */
export function heldOn(day: string): Expression<SqlBool> {
  return sql<SqlBool>`(position.starts_on is null or position.starts_on <= ${day}::date)
    and (position.ends_on is null or position.ends_on >= ${day}::date)`;
}

function filtered(db: Executor, filter: PersonFilter) {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const byPost = filter.kind !== undefined || filter.on !== undefined;
  return db
    .selectFrom('person')
    .$if(pattern !== undefined, (q) => q.where((eb) => eb.or([eb('person.name_zh', 'ilike', pattern ?? ''), eb('person.name_en', 'ilike', pattern ?? '')])))
    .$if(byPost, (q) =>
      // Kind, day and organization narrow the same post: "a leader of TWF on 2024-03-25".
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('position')
            .select(sql`1`.as('one'))
            .whereRef('position.person_id', '=', 'person.id')
            .$if(filter.kind !== undefined, (sub) => sub.where('position.kind', '=', filter.kind ?? 'leader'))
            .$if(filter.on !== undefined, (sub) => sub.where(heldOn(filter.on ?? '')))
            .$if(filter.organizationId !== undefined, (sub) =>
              sub.where('position.organization_id', 'in', organizationAndUnitsBelow(filter.organizationId ?? 0)),
            ),
        ),
      ),
    )
    .$if(!byPost && filter.organizationId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('person.organization_id', 'in', organizationAndUnitsBelow(filter.organizationId ?? 0)),
          eb.exists(
            eb
              .selectFrom('position')
              .select(sql`1`.as('one'))
              .whereRef('position.person_id', '=', 'person.id')
              .where('position.organization_id', 'in', organizationAndUnitsBelow(filter.organizationId ?? 0)),
          ),
        ]),
      ),
    );
}

/** Lists a page of people by name. */
export async function listPeople(db: Executor, filter: PersonFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .selectAll('person')
    .orderBy('person.name_en')
    .orderBy('person.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the people the filter matches. */
export async function countPeople(db: Executor, filter: PersonFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds a person by id. */
export async function findPersonById(db: Executor, id: number) {
  return db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a person by id, locking the row against a concurrent change until the transaction ends. */
export async function findPersonByIdForUpdate(db: Executor, id: number) {
  return db.selectFrom('person').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Inserts a person and returns the stored row. */
export async function insertPerson(db: Executor, row: NewPersonRow) {
  return db.insertInto('person').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a person and returns the stored row. */
export async function updatePerson(db: Executor, id: number, changes: PersonRowUpdate) {
  return db
    .updateTable('person')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a person (their posts go with them). */
export async function deletePerson(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('person').where('id', '=', id).execute();
}
