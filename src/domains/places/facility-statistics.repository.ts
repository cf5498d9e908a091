import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { FacilityStatus } from './facility.table.ts';

/** What the statistics count: the facilities within a place, or within every top-level place. */
export interface FacilityStatisticsScope {
  /** The place whose direct children make the rows; null: the top-level places. */
  placeId: number | null;
  /** Only the facilities operated by this organization or a unit below it. */
  operatorId?: number;
}

/**
 * One figure of one branch (a place directly under the chosen one, or the chosen place itself):
 * either the facilities of a kind in a status and how many communities and villages hold one of them,
 * or (kind and status null) how many communities and villages the branch has.
 */
export interface BranchFigureRow {
  branch: number;
  kind_id: number | null;
  status: FacilityStatus | null;
  facilities: string | null;
  /** Communities and villages where at least one facility of this kind in this status is located. */
  communities_holding: string | null;
  /** On the branch's own row: its communities and villages. */
  communities: string | null;
}

// Bottom-level places, the leaves of the gazetteer: what coverage is counted over.
const bottomLevels = sql`('community', 'village')`;

/**
 * Counts the facilities within each branch of the scope by kind and status, in one statement. The walk
 * goes down one level per step, keeping one array of place ids per branch and level (communities and
 * villages apart), and each array is looked up in facility_statistics_idx at once, index-only and in
 * index order; so the work grows with the places and facilities within the scope, not with the rows shown.
 */
export async function listBranchFigures(db: Executor, scope: FacilityStatisticsScope): Promise<BranchFigureRow[]> {
  if (!db.isTransaction) return db.transaction().execute((tx) => listBranchFigures(tx, scope));
  // The planner cannot know how many places a walk finds, and guesses high: with those costs it would
  // start parallel workers and compile the plan, each taking longer than the count itself.
  await sql`set local max_parallel_workers_per_gather = 0`.execute(db);
  await sql`set local jit = off`.execute(db);
  const start = (where: RawBuilder<unknown>, descend: boolean) => sql`
    select id, array[id], level in ${bottomLevels}, ${descend}::boolean, 1 from place where ${where}`;
  const branches =
    scope.placeId === null
      ? start(sql`parent_id is null`, true)
      : sql`${start(sql`parent_id = ${scope.placeId}`, true)} union all ${start(sql`id = ${scope.placeId}`, false)}`;
  const operators =
    scope.operatorId === undefined
      ? sql``
      : sql`operators(id) as (
          select id from organization where id = ${scope.operatorId}
          union
          select organization.id from organization join operators on organization.parent_id = operators.id
        ),`;
  const byOperator = scope.operatorId === undefined ? sql`` : sql`and facility.operator_organization_id in (select id from operators)`;
  const result = await sql<BranchFigureRow>`
    with recursive ${operators}
    walk(branch, ids, bottom, descend, depth) as (
      ${branches}
      union all
      select walk.branch, next.ids, next.bottom, true, walk.depth + 1
      from walk cross join lateral (
        select array_agg(place.id) as ids, place.level in ${bottomLevels} as bottom
        from place where place.parent_id = any(walk.ids)
        group by place.level in ${bottomLevels}
      ) next
      -- Communities and villages have nothing below them; levels only go down, so six steps reach the
      -- bottom, and the bound keeps a broken tree from looping.
      where walk.descend and not walk.bottom and walk.depth < 10
    )
    select walk.branch, counted.kind_id, counted.status, sum(counted.facilities)::bigint as facilities,
           coalesce(sum(counted.places) filter (where walk.bottom), 0)::bigint as communities_holding,
           null::bigint as communities
    from walk cross join lateral (
      select kind_id, status, sum(facilities) as facilities, count(*) as places
      from (
        select facility.place_id, facility.kind_id, facility.status, count(*) as facilities
        from facility
        where facility.place_id = any(walk.ids) ${byOperator}
        group by facility.place_id, facility.kind_id, facility.status
      ) per_place
      group by kind_id, status
    ) counted
    group by walk.branch, counted.kind_id, counted.status
    union all
    select walk.branch, null, null, null, null, coalesce(sum(cardinality(walk.ids)) filter (where walk.bottom), 0)::bigint
    from walk
    group by walk.branch`.execute(db);
  return result.rows;
}

/** Lists the places directly under one (null: the top-level places), by code (places without one after), then name. */
export async function listPlacesDirectlyUnder(db: Executor, placeId: number | null) {
  return db
    .selectFrom('place')
    .select(['id', 'code', 'name_zh', 'name_en', 'level'])
    .where((eb) => (placeId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', placeId)))
    .orderBy(sql`code is null`)
    .orderBy('code')
    .orderBy('name_zh')
    .orderBy('id')
    .execute();
}

/** Lists the kinds of facility in their order. */
export async function listFacilityKinds(db: Executor) {
  return db.selectFrom('facility_kind').select(['id', 'code', 'name_zh', 'name_en']).orderBy('position').orderBy('id').execute();
}

/**
 * Finds the place of an account's own federation: of the organizations where it holds a role, the one
 * nearest the top of the tree, and the place recorded for it or, failing that, for its nearest
 * ancestor with one. Undefined when none is recorded.
 */
export async function findMemberHomePlace(db: Executor, userId: number): Promise<number | undefined> {
  const result = await sql<{ place_id: number | null }>`
    with recursive up(start_id, id, parent_id, place_id, distance) as (
      select organization.id, organization.id, organization.parent_id, organization.place_id, 0
      from membership join organization on organization.id = membership.organization_id
      where membership.user_id = ${userId}
      union all
      select up.start_id, organization.id, organization.parent_id, organization.place_id, up.distance + 1
      from organization join up on organization.id = up.parent_id
      where up.distance < 50
    )
    select (array_agg(place_id order by distance) filter (where place_id is not null))[1] as place_id
    from up
    group by start_id
    order by max(distance), start_id
    limit 1`.execute(db);
  return result.rows[0]?.place_id ?? undefined;
}
