import { sql, type Expression } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { NewPlaceRow, PlaceLevel, PlaceRow, PlaceRowUpdate } from './place.table.ts';

/** What the place list can be narrowed to. */
export interface PlaceFilter {
  /** Part of a name in either language, or the leading digits of a code. */
  q?: string;
  level?: PlaceLevel;
  /** Directly under this place. */
  parentId?: number;
  /** Anywhere below this place. */
  within?: number;
  /** Without a parent. */
  topLevel?: boolean;
}

/** The ids of every place below one (not the place itself), as a subquery. */
export function placesBelow(id: number): Expression<number> {
  // `union` stops at a place seen before, so that even a broken tree cannot loop.
  return sql<number>`(
    with recursive down(id) as (
      select id from place where parent_id = ${id}
      union
      select place.id from place join down on place.parent_id = down.id
    )
    select id from down)`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtered(db: Executor, filter: PlaceFilter) {
  const contains = filter.q ? `%${escapeLike(filter.q)}%` : undefined;
  const prefix = filter.q && /^[0-9]+$/.test(filter.q) ? `${filter.q}%` : undefined;
  return db
    .selectFrom('place')
    .$if(contains !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('place.name_zh', 'ilike', contains ?? ''),
          eb('place.name_en', 'ilike', contains ?? ''),
          ...(prefix ? [eb('place.code', 'like', prefix)] : []),
        ]),
      ),
    )
    .$if(filter.level !== undefined, (q) => q.where('place.level', '=', filter.level ?? 'province'))
    .$if(filter.parentId !== undefined, (q) => q.where('place.parent_id', '=', filter.parentId ?? 0))
    .$if(filter.within !== undefined, (q) => q.where('place.id', 'in', placesBelow(filter.within ?? 0)))
    .$if(filter.topLevel === true, (q) => q.where('place.parent_id', 'is', null));
}

/** Lists a page of places by code (places without one after), then name; with parent and number of places below. */
export async function listPlaces(db: Executor, filter: PlaceFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .leftJoin('place as parent', 'parent.id', 'place.parent_id')
    .selectAll('place')
    .select([
      'parent.code as parent_code',
      'parent.name_zh as parent_name_zh',
      'parent.name_en as parent_name_en',
      'parent.level as parent_level',
      (eb) =>
        eb
          .selectFrom('place as child')
          .select((sub) => sub.fn.countAll<string>().as('count'))
          .whereRef('child.parent_id', '=', 'place.id')
          .as('child_count'),
    ])
    .orderBy(sql`place.code is null`)
    .orderBy('place.code')
    .orderBy('place.name_zh')
    .orderBy('place.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the places the filter matches. */
export async function countPlaces(db: Executor, filter: PlaceFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds a place by id. */
export async function findPlaceById(db: Executor, id: number) {
  return db.selectFrom('place').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a place by its national code. */
export async function findPlaceByCode(db: Executor, code: string) {
  return db.selectFrom('place').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Lists the places directly under `parentId` (null: the top level) with this Chinese name. */
export async function listChildrenNamed(db: Executor, parentId: number | null, nameZh: string) {
  return db
    .selectFrom('place')
    .selectAll()
    .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
    .where('name_zh', '=', nameZh)
    .execute();
}

/** Finds a place without a code under `parentId` with this Chinese name, other than `exceptId`. */
export async function findUncodedSibling(db: Executor, parentId: number | null, nameZh: string, exceptId?: number) {
  return db
    .selectFrom('place')
    .selectAll()
    .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
    .where('name_zh', '=', nameZh)
    .where('code', 'is', null)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? 0))
    .executeTakeFirst();
}

/** Lists a place and all its ancestors, nearest first. */
export async function listPlaceAndAncestors(db: Executor, id: number): Promise<PlaceRow[]> {
  const result = await sql<PlaceRow & { depth: number }>`
    with recursive up as (
      select place.*, 0 as depth from place where id = ${id}
      union all
      select place.*, up.depth + 1 from place join up on place.id = up.parent_id where up.depth < 100
    )
    select * from up order by depth`.execute(db);
  return result.rows.map(({ depth: _depth, ...row }) => row);
}

/**
 * Lists the places the organizations cover, without repeats: each organization's own place or, when it
 * has none, the place of its nearest ancestor that has one. One statement; the walk up the organization
 * tree stops at the first place found.
 */
export async function listPlacesOfOrganizations(db: Executor, organizationIds: readonly number[]): Promise<number[]> {
  if (organizationIds.length === 0) return [];
  const result = await sql<{ place_id: number }>`
    with recursive up(parent_id, place_id, depth) as (
      select parent_id, place_id, 0 from organization where id = any(${[...organizationIds]}::integer[])
      union all
      select organization.parent_id, organization.place_id, up.depth + 1
      from organization join up on organization.id = up.parent_id
      where up.place_id is null and up.depth < 50
    )
    select distinct place_id from up where place_id is not null`.execute(db);
  return result.rows.map((row) => row.place_id);
}

/** Lists the places directly under one, by code then name, at most `limit`. */
export async function listChildPlaces(db: Executor, parentId: number, limit: number) {
  return db
    .selectFrom('place')
    .selectAll()
    .where('parent_id', '=', parentId)
    .orderBy(sql`code is null`)
    .orderBy('code')
    .orderBy('name_zh')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Lists the levels of the places directly under one, with how many of each. */
export async function listChildLevels(db: Executor, parentId: number): Promise<{ level: PlaceLevel; count: number }[]> {
  const rows = await db
    .selectFrom('place')
    .select(['level', (eb) => eb.fn.countAll<string>().as('count')])
    .where('parent_id', '=', parentId)
    .groupBy('level')
    .execute();
  return rows.map((row) => ({ level: row.level, count: Number(row.count) }));
}

/** Finds one place directly under `parentId` whose level is not among `allowed` (none allowed: any place under it). */
export async function findChildOutsideLevels(db: Executor, parentId: number, allowed: readonly PlaceLevel[]) {
  return db
    .selectFrom('place')
    .selectAll()
    .where('parent_id', '=', parentId)
    .$if(allowed.length > 0, (q) => q.where('level', 'not in', allowed))
    .limit(1)
    .executeTakeFirst();
}

/** Lists the organizations located in a place. */
export async function listOrganizationsAt(db: Executor, placeId: number) {
  return db
    .selectFrom('organization')
    .select(['id', 'slug', 'name_zh', 'name_en', 'kind', 'parent_id'])
    .where('place_id', '=', placeId)
    .orderBy('name_en')
    .orderBy('id')
    .execute();
}

/** Counts what still refers to a place: places directly under it, organizations and facilities located in it. */
export async function countPlaceDependents(db: Executor, id: number): Promise<{ children: number; organizations: number; facilities: number }> {
  const result = await sql<{ children: string; organizations: string; facilities: string }>`
    select (select count(*) from place where parent_id = ${id}) as children,
           (select count(*) from organization where place_id = ${id}) as organizations,
           (select count(*) from facility where place_id = ${id}) as facilities`.execute(db);
  const row = result.rows[0];
  return { children: Number(row?.children ?? 0), organizations: Number(row?.organizations ?? 0), facilities: Number(row?.facilities ?? 0) };
}

/** Inserts a place and returns the stored row. */
export async function insertPlace(db: Executor, row: NewPlaceRow) {
  return db.insertInto('place').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a place and returns the stored row. */
export async function updatePlace(db: Executor, id: number, changes: PlaceRowUpdate) {
  return db
    .updateTable('place')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a place. */
export async function deletePlace(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('place').where('id', '=', id).execute();
}

/** Every place, parents before their children (depth first, by code then name): the export's and the import's whole picture. */
export async function listAllPlacesInTreeOrder(db: Executor): Promise<PlaceRow[]> {
  const result = await sql<PlaceRow>`
    with recursive tree as (
      select place.*, array[coalesce(code, '~') || ' ' || name_zh] as sort_path
      from place where parent_id is null
      union all
      select place.*, tree.sort_path || (coalesce(place.code, '~') || ' ' || place.name_zh)
      from place join tree on place.parent_id = tree.id
      where cardinality(tree.sort_path) < 100
    )
    select id, code, name_zh, name_en, level, parent_id, lat, lon, created_at, updated_at
    from tree order by sort_path collate "C"`.execute(db);
  return result.rows;
}

/** Every place, in no particular order: an import's picture of the gazetteer. */
export async function listAllPlaces(db: Executor) {
  return db.selectFrom('place').select(['id', 'code', 'name_zh', 'name_en', 'level', 'parent_id', 'lat', 'lon']).execute();
}

/** Keeps other writers of places out until the transaction ends (an import checks, then writes). */
export async function lockPlaces(db: Executor): Promise<void> {
  await sql`lock table place in share row exclusive mode`.execute(db);
}

/** Inserts many places in one statement; returns their ids in the order given. */
export async function insertPlaces(db: Executor, rows: NewPlaceRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('place').values(rows).returning(['id', 'code', 'name_zh', 'parent_id']).execute();
  // PostgreSQL returns a multi-row VALUES insert's rows in order; check rather than trust it.
  return rows.map((row, index) => {
    const stored = inserted[index];
    if (!stored || stored.code !== (row.code ?? null) || stored.name_zh !== row.name_zh || stored.parent_id !== (row.parent_id ?? null)) {
      throw new Error('inserted places came back in another order');
    }
    return stored.id;
  });
}

/** A place's whole content, for a batch update. */
export interface PlaceReplacement {
  id: number;
  code: string | null;
  name_zh: string;
  name_en: string;
  level: PlaceLevel;
  parent_id: number | null;
  lat: number | null;
  lon: number | null;
}

/** Replaces the content of many places in one statement. */
export async function replacePlaces(db: Executor, rows: PlaceReplacement[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof PlaceReplacement>(key: K) => rows.map((row) => row[key]);
  await sql`
    update place set
      code = v.code, name_zh = v.name_zh, name_en = v.name_en, level = v.level,
      parent_id = v.parent_id, lat = v.lat, lon = v.lon, updated_at = now()
    from unnest(
      ${column('id')}::integer[], ${column('code')}::text[], ${column('name_zh')}::text[], ${column('name_en')}::text[],
      ${column('level')}::text[], ${column('parent_id')}::integer[], ${column('lat')}::numeric[], ${column('lon')}::numeric[]
    ) as v(id, code, name_zh, name_en, level, parent_id, lat, lon)
    where place.id = v.id`.execute(db);
}
