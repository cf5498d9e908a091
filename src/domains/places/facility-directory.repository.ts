import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { cjkTsquery } from '../../platform/search-text.ts';
import { organizationAndUnitsBelow } from '../people/person.repository.ts';
import type { PlaceLevel } from './place.table.ts';

/** A moment on the facilities' wall clock: the local day, ISO weekday and "HH:MM". */
export interface LocalMoment {
  date: string;
  weekday: number;
  time: string;
}

/**
 * "Open at this moment": the local moment, and the facilities whose weekly hours are open then when
 * they are few (listFacilitiesOpenWeekly); undefined when they are many, and each row is looked up.
 */
export interface OpenAt extends LocalMoment {
  weeklyOpenIds?: readonly number[];
}

/** What the public directory of one site can be narrowed to. */
export interface DirectoryFilter {
  /** The site's organization: only facilities it or a unit below it operates are listed. */
  organizationId: number;
  /** At one of these places: a place and those below it (listPlaceIdsWithin). */
  placeIds?: readonly number[];
  kindId?: number;
  serviceTypeId?: number;
  /** Part of a name or an address, in either language. */
  q?: string;
  /** Open at this local moment. */
  openAt?: OpenAt;
}

/** Where a site's directory starts: the site's organization and the place it is located in (null: none). */
export async function findDirectoryScope(db: Executor, siteId: number) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select(['site.organization_id as organization_id', 'organization.place_id as place_id'])
    .where('site.id', '=', siteId)
    .executeTakeFirst();
}

/** Lists the kinds of facility in their order. */
export async function listFacilityKinds(db: Executor) {
  return db.selectFrom('facility_kind').selectAll().orderBy('position').orderBy('id').execute();
}

/** Lists the services facilities offer, in their order. */
export async function listServiceTypes(db: Executor) {
  return db.selectFrom('service_type').selectAll().orderBy('position').orderBy('id').execute();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The ids of a place and every place below it. Passed on as an array, the planner knows how many
 * places a filter names; the recursive subquery itself it guesses at tens of thousands, and then
 * reads the whole table for a sub-district of twenty communities. The walk goes a level at a time for
 * the same reason: knowing each level's ids, PostgreSQL looks a district's few hundred places up in
 * place_parent_idx, where one recursive query would hash all 50,000 places first.
 */
export async function listPlaceIdsWithin(db: Executor, placeId: number): Promise<number[]> {
  const ids = [placeId];
  const seen = new Set(ids);
  for (let level = [placeId]; level.length > 0; ) {
    const below = await db.selectFrom('place').select('id').where(sql<SqlBool>`parent_id = any(${level}::integer[])`).execute();
    // A place seen before is not walked again, so that even a broken tree cannot loop.
    level = below.map((row) => row.id).filter((id) => !seen.has(id));
    for (const id of level) {
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
}

/**
 * The facilities whose weekly hours are open at the local moment, at most `atMost` + 1 of them. At
 * night they are few, and the list filters by them; by day they are most, and a page of the list
 * looks each of its rows up instead (a scan that stops when the page is full).
 */
export async function listFacilitiesOpenWeekly(db: Executor, moment: LocalMoment, atMost: number): Promise<number[]> {
  const rows = await db
    .selectFrom('facility_hours')
    .select('facility_id')
    .where('weekday', '=', moment.weekday)
    .where('opens', '<=', moment.time)
    .where('closes', '>', moment.time)
    .limit(atMost + 1)
    .execute();
  return rows.map((row) => row.facility_id);
}

/** A condition on `facility`: taking visitors at the local moment (a dated exception replaces the week's day). */
function openAt(moment: OpenAt): Expression<SqlBool> {
  const date = sql`${moment.date}::date`;
  const time = sql`${moment.time}::time`;
  const openByException = sql`select exception.facility_id from facility_hours_exception as exception
    where exception.on_date = ${date} and exception.opens <= ${time} and exception.closes > ${time}`;
  const hasException = (id: RawBuilder<unknown>) =>
    sql`exists (select 1 from facility_hours_exception as exception where exception.facility_id = ${id} and exception.on_date = ${date})`;
  if (moment.weeklyOpenIds !== undefined) {
    // Few are open (at night): look those few up by id.
    return sql<SqlBool>`(facility.status = 'active' and facility.id in (
      select open.id from unnest(${[...moment.weeklyOpenIds]}::integer[]) as open(id) where not ${hasException(sql`open.id`)}
      union all ${openByException}))`;
  }
  // Most are open (by day): test each row as the scan goes, which stops when the page is full. The
  // weekly test is a scalar subquery with a limit so that PostgreSQL runs it per row rather than
  // hashing every facility's hours first.
  return sql<SqlBool>`(facility.status = 'active' and case
    when ${hasException(sql`facility.id`)} then facility.id in (${openByException})
    else (select true from facility_hours as hours
          where hours.facility_id = facility.id and hours.weekday = ${moment.weekday}
            and hours.opens <= ${time} and hours.closes > ${time} limit 1) is not null
  end)`;
}

/** A condition on `facility`: what readers of the organization's site may see (its own or its units', not closed). */
function listedBy(organizationId: number): Expression<SqlBool> {
  return sql<SqlBool>`(facility.status <> 'closed' and facility.operator_organization_id in ${organizationAndUnitsBelow(organizationId)})`;
}

/** What a search looks in: a facility's names and addresses, written as its indexes are built. */
const searchText = sql<string>`(facility.name_zh || ' ' || facility.name_en || ' ' || facility.address_zh || ' ' || facility.address_en)`;

/** One or two Chinese characters: too short for a trigram, found through their bigrams instead. */
const shortChinese = /^[\u3400-\u9fff]{1,2}$/;

function filtered(db: Executor, filter: DirectoryFilter) {
  const pattern = filter.q ? `%${escapeLike(filter.q)}%` : undefined;
  const bigrams = filter.q !== undefined && shortChinese.test(filter.q) ? cjkTsquery([filter.q]) : undefined;
  return (
    db
      .selectFrom('facility')
      .where(listedBy(filter.organizationId))
      .$if(filter.placeIds !== undefined, (q) => q.where(sql<SqlBool>`facility.place_id = any(${[...(filter.placeIds ?? [])]}::integer[])`))
      .$if(filter.kindId !== undefined, (q) => q.where('facility.kind_id', '=', filter.kindId ?? 0))
      .$if(filter.serviceTypeId !== undefined, (q) =>
        q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('facility_service')
              .select(sql`1`.as('one'))
              .whereRef('facility_service.facility_id', '=', 'facility.id')
              .where('facility_service.service_type_id', '=', filter.serviceTypeId ?? 0),
          ),
        ),
      )
      // Written as the trigram index facility_search_trgm_idx is built, so that the index serves it.
      .$if(pattern !== undefined, (q) => q.where(sql<SqlBool>`${searchText} ilike ${pattern ?? ''}`))
      // Every occurrence of the characters is among the bigrams of facility_search_zh_bigram_idx (a single
      // character as a prefix), so this finds the candidates without reading the table; ilike decides.
      .$if(bigrams !== undefined, (q) => q.where(sql<SqlBool>`halfsky_zh_bigrams(${searchText}) @@ ${bigrams ?? ''}::tsquery`))
      .$if(filter.openAt !== undefined, (q) => q.where(openAt(filter.openAt ?? { date: '', weekday: 0, time: '' })))
  );
}

/**
 * Lists a page of the directory by place, then name in the reader's language, then id: a
 * directory reads place by place, and facility_place_idx gives that order, so that a page of a
 * large directory is read without sorting all of it.
 */
export async function listDirectoryFacilities(
  db: Executor,
  filter: DirectoryFilter,
  order: 'zh' | 'en',
  page: { limit: number; offset: number },
) {
  return filtered(db, filter)
    .select([
      'facility.id',
      'facility.kind_id',
      'facility.name_zh',
      'facility.name_en',
      'facility.place_id',
      'facility.address_zh',
      'facility.address_en',
      'facility.lat',
      'facility.lon',
      'facility.status',
    ])
    .orderBy('facility.place_id')
    .orderBy(order === 'zh' ? sql`facility.name_zh` : sql`coalesce(nullif(facility.name_en, ''), facility.name_zh)`)
    .orderBy('facility.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the facilities the filter matches, up to `atMost` + 1: beyond that, "more" is all a reader needs. */
export async function countDirectoryFacilities(db: Executor, filter: DirectoryFilter, atMost: number): Promise<number> {
  const row = await db
    .selectFrom(filtered(db, filter).select(sql`1`.as('one')).limit(atMost + 1).as('matching'))
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Lists the places directly under one (null: the top level) that have a facility of the
 * organization's directory at them or below them, by code then name.
 */
export async function listChildPlacesWithFacilities(db: Executor, parentId: number | null, organizationId: number) {
  return db
    .selectFrom('place')
    .select(['place.id', 'place.code', 'place.name_zh', 'place.name_en', 'place.level'])
    .where((eb) => (parentId === null ? eb('place.parent_id', 'is', null) : eb('place.parent_id', '=', parentId)))
    .where(
      sql<SqlBool>`exists (
        with recursive down(id) as (
          select place.id
          union
          select below.id from place as below join down on below.parent_id = down.id
        )
        select 1 from down join facility on facility.place_id = down.id where ${listedBy(organizationId)})`,
    )
    .orderBy(sql`place.code is null`)
    .orderBy('place.code')
    .orderBy('place.name_zh')
    .orderBy('place.id')
    .execute();
}

/** A place on the way from the top of the gazetteer down to another. */
export interface PlaceStep {
  start_id: number;
  id: number;
  parent_id: number | null;
  name_zh: string;
  name_en: string;
  level: PlaceLevel;
  depth: number;
}

/** Lists each place with its ancestors, nearest first: one query for the places of a page. */
export async function listPlacesWithAncestors(db: Executor, ids: readonly number[]): Promise<PlaceStep[]> {
  if (ids.length === 0) return [];
  const result = await sql<PlaceStep>`
    with recursive up as (
      select place.id as start_id, place.id, place.parent_id, place.name_zh, place.name_en, place.level, 0 as depth
      from place where place.id in (${sql.join([...new Set(ids)])})
      union all
      select up.start_id, place.id, place.parent_id, place.name_zh, place.name_en, place.level, up.depth + 1
      from place join up on place.id = up.parent_id where up.depth < 100
    )
    select * from up order by start_id, depth`.execute(db);
  return result.rows;
}

/** Lists the weekly hours of each facility. */
export async function listHoursOf(db: Executor, facilityIds: readonly number[]) {
  if (facilityIds.length === 0) return [];
  return db
    .selectFrom('facility_hours')
    .select(['facility_id', 'weekday', 'opens', 'closes'])
    .where('facility_id', 'in', facilityIds)
    .orderBy('facility_id')
    .orderBy('weekday')
    .orderBy('opens')
    .execute();
}

/** Lists a facility's exceptions from a day on ("YYYY-MM-DD"), soonest first, at most `limit`. */
export async function listUpcomingExceptions(db: Executor, facilityId: number, from: string, limit: number) {
  return db
    .selectFrom('facility_hours_exception')
    .select(['facility_id', 'on_date', 'opens', 'closes', 'note_zh', 'note_en'])
    .where('facility_id', '=', facilityId)
    .where('on_date', '>=', from)
    .orderBy('on_date')
    .orderBy('opens')
    .limit(limit)
    .execute();
}

/** Lists the exceptions of each facility on one day ("YYYY-MM-DD"). */
export async function listExceptionsOn(db: Executor, facilityIds: readonly number[], day: string) {
  if (facilityIds.length === 0) return [];
  return db
    .selectFrom('facility_hours_exception')
    .select(['facility_id', 'on_date', 'opens', 'closes', 'note_zh', 'note_en'])
    .where('facility_id', 'in', facilityIds)
    .where('on_date', '=', day)
    .execute();
}

/** Finds a facility that the organization's directory lists, with its kind, operator, host and keeper. */
export async function findListedFacility(db: Executor, id: number, organizationId: number) {
  return db
    .selectFrom('facility')
    .innerJoin('facility_kind as kind', 'kind.id', 'facility.kind_id')
    .innerJoin('organization as operator', 'operator.id', 'facility.operator_organization_id')
    .leftJoin('organization as host', 'host.id', 'facility.host_organization_id')
    .leftJoin('person as keeper', 'keeper.id', 'facility.keeper_person_id')
    .selectAll('facility')
    .select([
      'kind.code as kind_code',
      'kind.name_zh as kind_name_zh',
      'kind.name_en as kind_name_en',
      'operator.name_zh as operator_name_zh',
      'operator.name_en as operator_name_en',
      'host.name_zh as host_name_zh',
      'host.name_en as host_name_en',
      'keeper.name_zh as keeper_name_zh',
      'keeper.name_en as keeper_name_en',
    ])
    .where('facility.id', '=', id)
    .where(listedBy(organizationId))
    .executeTakeFirst();
}
