import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { organizationAndUnitsBelow } from '../people/person.repository.ts';
import type { FacilityRowUpdate, FacilityStatus, NewFacilityRow, TaxonomyRow } from './facility.table.ts';
import type { HoursException, WeeklyOpening } from './opening-hours.ts';
import { placesBelow } from './place.repository.ts';

/** The two lists a deployment can extend. */
export type TaxonomyTableName = 'facility_kind' | 'service_type';

/** What the facility list can be narrowed to. */
export interface FacilityFilter {
  /** Part of the name or the address, in either language. */
  q?: string;
  /** A kind's code. */
  kind?: string;
  /** A service's code. */
  service?: string;
  /** In this place or anywhere below it. */
  placeId?: number;
  /** Operated by this organization or a unit below it. */
  operatorId?: number;
  status?: FacilityStatus;
  /** Operated by one of these organizations. */
  operatorIn?: readonly number[];
  /** Active or temporarily closed, and verified on or before this day ("YYYY-MM-DD"), or never. */
  verifiedNotSince?: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtered(db: Executor, filter: FacilityFilter) {
  const pattern = filter.q ? `%${escapeLike(filter.q)}%` : undefined;
  // No joins here, so that the search expression reads exactly as facility_search_trgm_idx is built.
  return db
    .selectFrom('facility')
    .$if(pattern !== undefined, (q) => q.where(sql<boolean>`(name_zh || ' ' || name_en || ' ' || address_zh || ' ' || address_en) ilike ${pattern}`))
    .$if(filter.kind !== undefined, (q) =>
      q.where('facility.kind_id', '=', (eb) => eb.selectFrom('facility_kind').select('facility_kind.id').where('facility_kind.code', '=', filter.kind ?? '')),
    )
    .$if(filter.service !== undefined, (q) =>
      q.where('facility.id', 'in', (eb) =>
        eb
          .selectFrom('facility_service')
          .innerJoin('service_type', 'service_type.id', 'facility_service.service_type_id')
          .select('facility_service.facility_id')
          .where('service_type.code', '=', filter.service ?? ''),
      ),
    )
    .$if(filter.placeId !== undefined, (q) =>
      q.where((eb) => eb.or([eb('facility.place_id', '=', filter.placeId ?? 0), eb('facility.place_id', 'in', placesBelow(filter.placeId ?? 0))])),
    )
    .$if(filter.operatorId !== undefined, (q) => q.where('facility.operator_organization_id', 'in', organizationAndUnitsBelow(filter.operatorId ?? 0)))
    .$if(filter.status !== undefined, (q) => q.where('facility.status', '=', filter.status ?? 'active'))
    .$if(filter.operatorIn !== undefined, (q) =>
      // An empty list matches nothing (`in ()` is not SQL).
      (filter.operatorIn ?? []).length === 0 ? q.where(sql<boolean>`false`) : q.where('facility.operator_organization_id', 'in', filter.operatorIn ?? []),
    )
    .$if(filter.verifiedNotSince !== undefined, (q) =>
      q
        .where('facility.status', 'in', ['active', 'temporarily_closed'])
        .where((eb) => eb.or([eb('facility.verified_on', 'is', null), eb('facility.verified_on', '<=', filter.verifiedNotSince ?? '')])),
    );
}

/** Lists a page of facilities: by Chinese name, or (for the verification list) never verified first, then the oldest verification. */
export async function listFacilities(db: Executor, filter: FacilityFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .selectAll('facility')
    .$if(filter.verifiedNotSince !== undefined, (q) => q.orderBy(sql`facility.verified_on asc nulls first`))
    .orderBy('facility.name_zh')
    .orderBy('facility.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the facilities the filter matches. */
export async function countFacilities(db: Executor, filter: FacilityFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds a facility by id. */
export async function findFacilityById(db: Executor, id: number) {
  return db.selectFrom('facility').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a facility by id and locks it until the transaction ends. */
export async function findFacilityByIdForUpdate(db: Executor, id: number) {
  return db.selectFrom('facility').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The services of these facilities, in the list's order. */
export async function listServicesOf(db: Executor, facilityIds: readonly number[]) {
  if (facilityIds.length === 0) return [];
  return db
    .selectFrom('facility_service')
    .innerJoin('service_type', 'service_type.id', 'facility_service.service_type_id')
    .select(['facility_service.facility_id', 'service_type.id', 'service_type.code', 'service_type.name_zh', 'service_type.name_en', 'service_type.position'])
    .where('facility_service.facility_id', 'in', facilityIds)
    .orderBy('service_type.position')
    .orderBy('service_type.id')
    .execute();
}

/** A facility's weekly schedule, by weekday and time ("HH:MM:SS" as stored). */
export async function listHoursOf(db: Executor, facilityId: number) {
  return db
    .selectFrom('facility_hours')
    .select(['weekday', 'opens', 'closes'])
    .where('facility_id', '=', facilityId)
    .orderBy('weekday')
    .orderBy('opens')
    .execute();
}

/** A facility's dated exceptions, earliest first. */
export async function listExceptionsOf(db: Executor, facilityId: number) {
  return db
    .selectFrom('facility_hours_exception')
    .select(['on_date', 'opens', 'closes', 'note_zh', 'note_en'])
    .where('facility_id', '=', facilityId)
    .orderBy('on_date')
    .orderBy('opens')
    .execute();
}

/** The ids of a facility's photos (media library images), in order. */
export async function listPhotoIdsOf(db: Executor, facilityId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('facility_photo')
    .select('media_id')
    .where('facility_id', '=', facilityId)
    .orderBy('position')
    .orderBy('media_id')
    .execute();
  return rows.map((row) => row.media_id);
}

/** Which of these media ids name an image of the library. */
export async function findExistingMediaIds(db: Executor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('media').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

/** Inserts a facility and returns the stored row. */
export async function insertFacility(db: Executor, row: NewFacilityRow) {
  return db.insertInto('facility').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a facility and returns the stored row. */
export async function updateFacility(db: Executor, id: number, changes: FacilityRowUpdate) {
  return db
    .updateTable('facility')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a facility; its services, hours, exceptions and photo links go with it. */
/** How many stops of activities were made at the facility: while any is recorded, the facility stays. */
export async function countFacilityVisits(db: Executor, id: number): Promise<number> {
  const row = await db
    .selectFrom('activity_stop')
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .where('facility_id', '=', id)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function deleteFacility(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('facility').where('id', '=', id).execute();
}

/** Replaces the services a facility offers. */
export async function replaceServices(db: Executor, facilityId: number, serviceTypeIds: readonly number[]): Promise<void> {
  await db.deleteFrom('facility_service').where('facility_id', '=', facilityId).execute();
  if (serviceTypeIds.length === 0) return;
  await db
    .insertInto('facility_service')
    .values([...new Set(serviceTypeIds)].map((serviceTypeId) => ({ facility_id: facilityId, service_type_id: serviceTypeId })))
    .execute();
}

/** Replaces a facility's weekly schedule. */
export async function replaceHours(db: Executor, facilityId: number, hours: readonly WeeklyOpening[]): Promise<void> {
  await db.deleteFrom('facility_hours').where('facility_id', '=', facilityId).execute();
  if (hours.length === 0) return;
  await db
    .insertInto('facility_hours')
    .values(hours.map((opening) => ({ facility_id: facilityId, weekday: opening.weekday, opens: opening.opens, closes: opening.closes })))
    .execute();
}

/** Replaces a facility's dated exceptions. */
export async function replaceExceptions(db: Executor, facilityId: number, exceptions: readonly HoursException[]): Promise<void> {
  await db.deleteFrom('facility_hours_exception').where('facility_id', '=', facilityId).execute();
  if (exceptions.length === 0) return;
  await db
    .insertInto('facility_hours_exception')
    .values(
      exceptions.map((exception) => ({
        facility_id: facilityId,
        on_date: exception.onDate,
        opens: exception.opens,
        closes: exception.closes,
        note_zh: exception.noteZh,
        note_en: exception.noteEn,
      })),
    )
    .execute();
}

/** Replaces a facility's photos, in the order given. */
export async function replacePhotos(db: Executor, facilityId: number, mediaIds: readonly number[]): Promise<void> {
  await db.deleteFrom('facility_photo').where('facility_id', '=', facilityId).execute();
  const unique = [...new Set(mediaIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('facility_photo')
    .values(unique.map((mediaId, position) => ({ facility_id: facilityId, media_id: mediaId, position })))
    .execute();
}

/** The code, names and level of these places. */
export async function findPlaceSummaries(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('place').select(['id', 'code', 'name_zh', 'name_en', 'level']).where('id', 'in', [...new Set(ids)]).execute();
}

/** Every person's id and names, for choosing a keeper. */
export async function listPeopleChoices(db: Executor) {
  return db.selectFrom('person').select(['id', 'name_zh', 'name_en']).orderBy('name_en').orderBy('id').execute();
}

/** Finds a person's names by id. */
export async function findPersonNames(db: Executor, id: number) {
  return db.selectFrom('person').select(['id', 'name_zh', 'name_en']).where('id', '=', id).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// The lists of kinds and services

/** A list's entries in order, each with how many facilities use it. */
export async function listTaxonomy(db: Executor, table: TaxonomyTableName): Promise<(TaxonomyRow & { facility_count: number })[]> {
  const uses =
    table === 'facility_kind'
      ? sql<string>`(select count(*) from facility where facility.kind_id = entry.id)`
      : sql<string>`(select count(*) from facility_service where facility_service.service_type_id = entry.id)`;
  const result = await sql<TaxonomyRow & { facility_count: string }>`
    select entry.id, entry.code, entry.name_zh, entry.name_en, entry.position, ${uses} as facility_count
    from ${sql.table(table)} as entry
    order by entry.position, entry.id`.execute(db);
  return result.rows.map((row) => ({ ...row, facility_count: Number(row.facility_count) }));
}

/** Finds a list's entries by code; codes not in the list are left out. */
export async function findTaxonomyByCodes(db: Executor, table: TaxonomyTableName, codes: readonly string[]): Promise<TaxonomyRow[]> {
  if (codes.length === 0) return [];
  const result = await sql<TaxonomyRow>`
    select id, code, name_zh, name_en, position from ${sql.table(table)}
    where code = any(${[...codes]}::text[]) order by position, id`.execute(db);
  return result.rows;
}

/** Finds a list's entry by id. */
export async function findTaxonomyById(db: Executor, table: TaxonomyTableName, id: number): Promise<TaxonomyRow | undefined> {
  const result = await sql<TaxonomyRow>`select id, code, name_zh, name_en, position from ${sql.table(table)} where id = ${id}`.execute(db);
  return result.rows[0];
}

/** Adds an entry at the end of a list and returns it. */
export async function insertTaxonomy(db: Executor, table: TaxonomyTableName, entry: { code: string; name_zh: string; name_en: string }): Promise<TaxonomyRow> {
  const result = await sql<TaxonomyRow>`
    insert into ${sql.table(table)} (code, name_zh, name_en, position)
    values (${entry.code}, ${entry.name_zh}, ${entry.name_en}, (select coalesce(max(position), 0) + 10 from ${sql.table(table)}))
    returning id, code, name_zh, name_en, position`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('the insert returned no row');
  return row;
}

/** Changes an entry's names or position and returns it. */
export async function updateTaxonomy(
  db: Executor,
  table: TaxonomyTableName,
  id: number,
  changes: { name_zh?: string; name_en?: string; position?: number },
): Promise<TaxonomyRow> {
  const current = await findTaxonomyById(db, table, id);
  if (!current) throw new Error(`no ${table} ${id}`);
  const next = { ...current, ...changes };
  const result = await sql<TaxonomyRow>`
    update ${sql.table(table)} set name_zh = ${next.name_zh}, name_en = ${next.name_en}, position = ${next.position}
    where id = ${id} returning id, code, name_zh, name_en, position`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`no ${table} ${id}`);
  return row;
}

/** Deletes an entry of a list. */
export async function deleteTaxonomy(db: Executor, table: TaxonomyTableName, id: number): Promise<void> {
  await sql`delete from ${sql.table(table)} where id = ${id}`.execute(db);
}

/** Keeps other writers of a list out until the transaction ends (a reorder reads, then writes every position). */
export async function lockTaxonomy(db: Executor, table: TaxonomyTableName): Promise<void> {
  await sql`lock table ${sql.table(table)} in share row exclusive mode`.execute(db);
}
