import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { FacilityRow, NewFacilityRow } from './facility.table.ts';

/** The facility_external_id table: the HSDS location id an imported facility came with. */
export interface FacilityExternalIdTable {
  facility_id: number;
  location_uuid: string;
}

/** A facility as export and import read it: its row with its kind's code. */
export type InterchangeFacilityRow = FacilityRow & { kind_code: string };

/** A facility's lists, as stored. */
export interface FacilityListRows {
  services: { facility_id: number; code: string }[];
  hours: { facility_id: number; weekday: number; opens: string; closes: string }[];
  exceptions: { facility_id: number; on_date: string; opens: string | null; closes: string | null; note_zh: string; note_en: string }[];
  photos: { facility_id: number; media_id: number }[];
}

// Ids travel as one array parameter: a file of 20,000 rows stays one statement, not 20,000 parameters.
const idArray = (ids: readonly number[]) => sql<number[]>`${[...ids]}::int[]`;

/** Facilities operated by the given organizations (all when null), with their kind's code, by id. */
export async function listFacilities(db: Executor, operatorIds: readonly number[] | null): Promise<InterchangeFacilityRow[]> {
  return db
    .selectFrom('facility')
    .innerJoin('facility_kind', 'facility_kind.id', 'facility.kind_id')
    .selectAll('facility')
    .select('facility_kind.code as kind_code')
    .$if(operatorIds !== null, (query) => query.where(sql<boolean>`facility.operator_organization_id = any(${idArray(operatorIds ?? [])})`))
    .orderBy('facility.id')
    .execute();
}

/** The facilities with these ids, with their kind's code. */
export async function findFacilities(db: Executor, ids: readonly number[]): Promise<InterchangeFacilityRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('facility')
    .innerJoin('facility_kind', 'facility_kind.id', 'facility.kind_id')
    .selectAll('facility')
    .select('facility_kind.code as kind_code')
    .where(sql<boolean>`facility.id = any(${idArray(ids)})`)
    .execute();
}

/** The services (by code, in the list's order), weekly hours, exceptions and photos of these facilities. */
export async function listFacilityLists(db: Executor, ids: readonly number[]): Promise<FacilityListRows> {
  if (ids.length === 0) return { services: [], hours: [], exceptions: [], photos: [] };
  const [services, hours, exceptions, photos] = await Promise.all([
    db
      .selectFrom('facility_service')
      .innerJoin('service_type', 'service_type.id', 'facility_service.service_type_id')
      .select(['facility_service.facility_id', 'service_type.code'])
      .where(sql<boolean>`facility_service.facility_id = any(${idArray(ids)})`)
      .orderBy('service_type.position')
      .orderBy('service_type.code')
      .execute(),
    db
      .selectFrom('facility_hours')
      .select(['facility_id', 'weekday', 'opens', 'closes'])
      .where(sql<boolean>`facility_id = any(${idArray(ids)})`)
      .orderBy('weekday')
      .orderBy('opens')
      .execute(),
    db
      .selectFrom('facility_hours_exception')
      .select(['facility_id', 'on_date', 'opens', 'closes', 'note_zh', 'note_en'])
      .where(sql<boolean>`facility_id = any(${idArray(ids)})`)
      .orderBy('on_date')
      .orderBy('opens')
      .execute(),
    db
      .selectFrom('facility_photo')
      .select(['facility_id', 'media_id'])
      .where(sql<boolean>`facility_id = any(${idArray(ids)})`)
      .orderBy('position')
      .execute(),
  ]);
  return { services, hours, exceptions, photos };
}

/** Every organization, for slugs, names, the tree below one, and HSDS organizations. */
export async function listOrganizations(db: Executor) {
  return db.selectFrom('organization').select(['id', 'slug', 'name_zh', 'name_en', 'parent_id']).orderBy('id').execute();
}

/** A list of kinds or of services, in its order. */
export async function listTaxonomy(db: Executor, table: 'facility_kind' | 'service_type') {
  return db.selectFrom(table).select(['id', 'code', 'name_zh', 'name_en']).orderBy('position').orderBy('code').execute();
}

/** Which of these person ids exist. */
export async function existingPersonIds(db: Executor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('person').select('id').where(sql<boolean>`id = any(${idArray(ids)})`).execute();
  return new Set(rows.map((row) => row.id));
}

/** Every facility id, for matching ids derived from them. */
export async function listFacilityIds(db: Executor): Promise<number[]> {
  return (await db.selectFrom('facility').select('id').execute()).map((row) => row.id);
}

/** The HSDS location ids imported facilities came with. */
export async function listExternalIds(db: Executor): Promise<FacilityExternalIdTable[]> {
  return db.selectFrom('facility_external_id').select(['facility_id', 'location_uuid']).execute();
}

/** Keeps other writers of facilities out until the transaction ends (an import checks, then writes). */
export async function lockFacilities(db: Executor): Promise<void> {
  await sql`lock table facility in share row exclusive mode`.execute(db);
}

const batchSize = 1000;

/** Inserts facilities, a thousand to a statement; returns their ids in the order given. */
export async function insertFacilities(db: Executor, rows: readonly NewFacilityRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const inserted = await db.insertInto('facility').values(batch).returning(['id', 'name_zh', 'operator_organization_id']).execute();
    // PostgreSQL returns a multi-row VALUES insert's rows in order; check rather than trust it.
    batch.forEach((row, index) => {
      const stored = inserted[index];
      if (!stored || stored.name_zh !== row.name_zh || stored.operator_organization_id !== row.operator_organization_id) {
        throw new Error('inserted facilities came back in another order');
      }
      ids.push(stored.id);
    });
  }
  return ids;
}

/** A facility's columns as an import writes them. */
export type FacilityColumns = Omit<NewFacilityRow, 'id' | 'created_at' | 'updated_at'> & { id: number };

/** Replaces the columns of many facilities, a thousand to a statement. */
export async function updateFacilities(db: Executor, rows: readonly FacilityColumns[]): Promise<void> {
  for (let start = 0; start < rows.length; start += batchSize) {
    const values = rows.slice(start, start + batchSize).map(
      (row) => sql`(${row.id}::int, ${row.kind_id}::int, ${row.name_zh}, ${row.name_en ?? ''}, ${row.place_id}::int, ${row.address_zh ?? ''},
        ${row.address_en ?? ''}, ${row.lat ?? null}::numeric, ${row.lon ?? null}::numeric, ${row.operator_organization_id}::int,
        ${row.host_organization_id ?? null}::int, ${row.keeper_person_id ?? null}::int, ${row.description_zh ?? ''}, ${row.description_en ?? ''},
        ${row.phone ?? ''}, ${row.email ?? ''}, ${row.website ?? ''}, ${row.accessibility_zh ?? ''}, ${row.accessibility_en ?? ''},
        ${row.status ?? 'active'}, ${row.verified_on ?? null}::date)`,
    );
    await sql`
      update facility set kind_id = v.kind_id, name_zh = v.name_zh, name_en = v.name_en, place_id = v.place_id,
        address_zh = v.address_zh, address_en = v.address_en, lat = v.lat, lon = v.lon,
        operator_organization_id = v.operator_organization_id, host_organization_id = v.host_organization_id,
        keeper_person_id = v.keeper_person_id, description_zh = v.description_zh, description_en = v.description_en,
        phone = v.phone, email = v.email, website = v.website, accessibility_zh = v.accessibility_zh,
        accessibility_en = v.accessibility_en, status = v.status, verified_on = v.verified_on, updated_at = now()
      from (values ${sql.join(values)}) as v(id, kind_id, name_zh, name_en, place_id, address_zh, address_en, lat, lon,
        operator_organization_id, host_organization_id, keeper_person_id, description_zh, description_en, phone, email, website,
        accessibility_zh, accessibility_en, status, verified_on)
      where facility.id = v.id`.execute(db);
  }
}

/** A facility's lists as an import writes them: service type ids, weekly intervals, dated exceptions. */
export interface FacilityListsInput {
  facilityId: number;
  serviceTypeIds: readonly number[];
  hours: readonly { weekday: number; opens: string; closes: string }[];
  exceptions: readonly { onDate: string; opens: string | null; closes: string | null; noteZh: string; noteEn: string }[];
}

/** Replaces the services, hours and exceptions of these facilities (photos stay); `stored` are those that may have some. */
export async function replaceFacilityLists(db: Executor, lists: readonly FacilityListsInput[], stored: readonly number[]): Promise<void> {
  if (stored.length > 0) {
    for (const table of ['facility_service', 'facility_hours', 'facility_hours_exception'] as const) {
      await db.deleteFrom(table).where(sql<boolean>`facility_id = any(${idArray(stored)})`).execute();
    }
  }
  // One statement per list, the rows as arrays (unnest): 200,000 intervals are one round trip.
  const services = lists.flatMap((list) => list.serviceTypeIds.map((serviceTypeId) => [list.facilityId, serviceTypeId] as const));
  if (services.length > 0) {
    await sql`insert into facility_service (facility_id, service_type_id)
      select * from unnest(${services.map((row) => row[0])}::int[], ${services.map((row) => row[1])}::int[])`.execute(db);
  }
  const hours = lists.flatMap((list) => list.hours.map((opening) => ({ facilityId: list.facilityId, ...opening })));
  if (hours.length > 0) {
    await sql`insert into facility_hours (facility_id, weekday, opens, closes)
      select * from unnest(${hours.map((row) => row.facilityId)}::int[], ${hours.map((row) => row.weekday)}::smallint[],
        ${hours.map((row) => row.opens)}::time[], ${hours.map((row) => row.closes)}::time[])`.execute(db);
  }
  const exceptions = lists.flatMap((list) => list.exceptions.map((exception) => ({ facilityId: list.facilityId, ...exception })));
  if (exceptions.length > 0) {
    await sql`insert into facility_hours_exception (facility_id, on_date, opens, closes, note_zh, note_en)
      select * from unnest(${exceptions.map((row) => row.facilityId)}::int[], ${exceptions.map((row) => row.onDate)}::date[],
        ${exceptions.map((row) => row.opens)}::time[], ${exceptions.map((row) => row.closes)}::time[],
        ${exceptions.map((row) => row.noteZh)}::text[], ${exceptions.map((row) => row.noteEn)}::text[])`.execute(db);
  }
}

/** Remembers the HSDS location ids imported facilities came with (a facility keeps its first). */
export async function insertExternalIds(db: Executor, rows: readonly FacilityExternalIdTable[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into facility_external_id (facility_id, location_uuid)
    select * from unnest(${rows.map((row) => row.facility_id)}::int[], ${rows.map((row) => row.location_uuid)}::uuid[])
    on conflict do nothing`.execute(db);
}
