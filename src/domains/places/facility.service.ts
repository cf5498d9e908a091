import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCan, assertCanRead, assertPlatformAdmin, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { totalOf } from '../../platform/paging.ts';
import { formatDate } from '../../platform/time.ts';
import { mediaForDisplay, type Media } from '../media/media.service.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import * as facilityRepository from './facility.repository.ts';
import type { FacilityFilter, TaxonomyTableName } from './facility.repository.ts';
import type { FacilityInput, FacilityPatch, FacilityQuery, TaxonomyInput } from './facility.schema.ts';
import type { FacilityRow, FacilityStatus, TaxonomyRow } from './facility.table.ts';
import {
  facilityTimeZone,
  formatExceptions,
  formatWeeklyHours,
  normalizeExceptions,
  normalizeTime,
  normalizeWeeklyHours,
  parseExceptions,
  parseWeeklyHours,
  type HoursException,
  type WeeklyOpening,
} from './opening-hours.ts';
import * as placeRepository from './place.repository.ts';
import { formatPlaceReference, PlaceRuleError, placeMessages, type Bilingual } from './place.rules.ts';
import type { PlaceSummary } from './place.service.ts';

/** A women's home, service centre, executive member's office, …: where a federation serves women. */
export interface Facility {
  id: number;
  kindId: number;
  nameZh: string;
  /** Empty when no English name is on record. */
  nameEn: string;
  placeId: number;
  addressZh: string;
  addressEn: string;
  lat: number | null;
  lon: number | null;
  /** The federation or unit whose staff keep the record; editing needs edit_records there. */
  operatorOrganizationId: number;
  /** The organization whose premises it is in, when not the operator. */
  hostOrganizationId: number | null;
  /** The person whose office it is, or who keeps it. */
  keeperPersonId: number | null;
  descriptionZh: string;
  descriptionEn: string;
  phone: string;
  email: string;
  website: string;
  accessibilityZh: string;
  accessibilityEn: string;
  status: FacilityStatus;
  /** "YYYY-MM-DD": the day the record was last checked; null when never. */
  verifiedOn: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An entry of one of the two lists a deployment can extend: the kinds of facility and the services. */
export interface TaxonomyEntry {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  position: number;
}

/** An entry of a list with how many facilities use it (of that kind, or offering that service). */
export interface TaxonomyListEntry extends TaxonomyEntry {
  facilityCount: number;
}

/** An organization or a person, by name. */
export interface Names {
  id: number;
  nameZh: string;
  nameEn: string;
}

/** A facility in a list: with its kind, place, operator and services by name. */
export interface FacilityListItem extends Facility {
  kind: TaxonomyEntry;
  place: PlaceSummary;
  operator: Names;
  services: TaxonomyEntry[];
  /** Whether the actor may change it. */
  editable: boolean;
}

/** A facility with everything its page shows. */
export interface FacilityDetail extends FacilityListItem {
  /** The place and its ancestors, top first (the place itself last). */
  places: PlaceSummary[];
  /** How the place is named in a form (its code, or a path down from one). */
  placeReference: string;
  host: Names | null;
  keeper: Names | null;
  /** The weekly schedule, by weekday and time. */
  hours: WeeklyOpening[];
  /** Dated exceptions, earliest first. */
  exceptions: HoursException[];
  /** Media library image ids, in order. */
  photoIds: number[];
  /** The images of those ids that are still in the library. */
  photos: Media[];
}

/** The two lists, as the workspace and the API name them. */
export type TaxonomyList = 'kinds' | 'services';

const tableOf: Record<TaxonomyList, TaxonomyTableName> = { kinds: 'facility_kind', services: 'service_type' };

/** The messages of the facility rules, in both languages. */
export const facilityMessages = {
  unknownKind: (code: string): Bilingual => ({ zh: `没有代码为“${code}”的阵地类型。`, en: `No kind of facility has the code "${code}".` }),
  unknownServices: (codes: string[]): Bilingual => ({
    zh: `没有代码为 ${codes.join('、')} 的服务项目。`,
    en: `No service has the code ${codes.join(', ')}.`,
  }),
  placeMissing: (id: number): Bilingual => ({ zh: `找不到编号为 ${id} 的地点。`, en: `No place has the id ${id}.` }),
  organizationMissing: (id: number): Bilingual => ({ zh: `找不到编号为 ${id} 的组织。`, en: `No organization has the id ${id}.` }),
  personMissing: (id: number): Bilingual => ({ zh: `找不到编号为 ${id} 的人员。`, en: `No person has the id ${id}.` }),
  mediaMissing: (ids: number[]): Bilingual => ({
    zh: `图片库中没有编号为 ${ids.join('、')} 的图片。`,
    en: `The media library has no image numbered ${ids.join(', ')}.`,
  }),
  codeTaken: (code: string): Bilingual => ({ zh: `代码 ${code} 已被使用。`, en: `The code ${code} is taken already.` }),
  taxonomyInUse: (count: number): Bilingual => ({
    zh: `仍有 ${count} 个服务阵地使用此项，不能删除。`,
    en: `${count} facility(ies) still use it, so it cannot be deleted.`,
  }),
};

function coordinate(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

/** Maps a stored row to the domain type. */
export function facilityRowToFacility(row: FacilityRow): Facility {
  return {
    id: row.id,
    kindId: row.kind_id,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    placeId: row.place_id,
    addressZh: row.address_zh,
    addressEn: row.address_en,
    lat: coordinate(row.lat),
    lon: coordinate(row.lon),
    operatorOrganizationId: row.operator_organization_id,
    hostOrganizationId: row.host_organization_id,
    keeperPersonId: row.keeper_person_id,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    phone: row.phone,
    email: row.email,
    website: row.website,
    accessibilityZh: row.accessibility_zh,
    accessibilityEn: row.accessibility_en,
    status: row.status,
    verifiedOn: row.verified_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function taxonomyRowToEntry(row: TaxonomyRow): TaxonomyEntry {
  return { id: row.id, code: row.code, nameZh: row.name_zh, nameEn: row.name_en, position: row.position };
}

/** Today in the facilities' zone, "YYYY-MM-DD". */
export function facilityToday(now = new Date()): string {
  return formatDate(now, facilityTimeZone);
}

/** The same day a year earlier ("2026-02-28" for "2027-02-28"; a 29 February gives the 28th). */
export function oneYearBefore(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${String(year - 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(date, lastDay)).padStart(2, '0')}`;
}

function ruleError(code: string, text: Bilingual, field: string): PlaceRuleError {
  return new PlaceRuleError(400, code, text, field);
}

// ---------------------------------------------------------------------------------------------
// Reading

async function decorate(db: Executor, actor: Actor, rows: readonly FacilityRow[]): Promise<FacilityListItem[]> {
  const ids = rows.map((row) => row.id);
  const [kinds, organizations, places, services, editable] = await Promise.all([
    facilityRepository.listTaxonomy(db, 'facility_kind'),
    organizationRepository.listOrganizationTree(db),
    facilityRepository.findPlaceSummaries(
      db,
      rows.map((row) => row.place_id),
    ),
    facilityRepository.listServicesOf(db, ids),
    organizationsWhere(db, actor, 'edit_records'),
  ]);
  const kindById = new Map(kinds.map((kind) => [kind.id, taxonomyRowToEntry(kind)]));
  const organizationById = new Map(organizations.map((organization) => [organization.id, organization]));
  const placeById = new Map(places.map((place) => [place.id, place]));
  return rows.map((row) => {
    const kind = kindById.get(row.kind_id);
    const place = placeById.get(row.place_id);
    const operator = organizationById.get(row.operator_organization_id);
    // Foreign keys keep all three; a row without them was deleted between the queries.
    if (!kind || !place || !operator) throw notFound();
    return {
      ...facilityRowToFacility(row),
      kind,
      place: { id: place.id, code: place.code, nameZh: place.name_zh, nameEn: place.name_en, level: place.level },
      operator: { id: operator.id, nameZh: operator.name_zh, nameEn: operator.name_en },
      services: services.filter((service) => service.facility_id === row.id).map(taxonomyRowToEntry),
      editable: editable === 'all' || editable.has(row.operator_organization_id),
    };
  });
}

/** Lists a page of facilities for any member of the network; `needsVerification` keeps those the actor may edit that are due, oldest first. */
export async function listFacilities(db: Executor, actor: Actor, query: FacilityQuery, now = new Date()) {
  await assertCanRead(db, actor);
  const filter: FacilityFilter = {
    q: query.q || undefined,
    kind: query.kind,
    service: query.service,
    placeId: query.placeId,
    operatorId: query.operatorId,
    status: query.status,
  };
  if (query.needsVerification === 'true') {
    const editable = await organizationsWhere(db, actor, 'edit_records');
    if (editable !== 'all') filter.operatorIn = [...editable];
    filter.verifiedNotSince = oneYearBefore(facilityToday(now));
  }
  const page = { limit: query.limit, offset: query.offset };
  const rows = await facilityRepository.listFacilities(db, filter, page);
  const total = await totalOf(page, rows.length, () => facilityRepository.countFacilities(db, filter));
  return { items: await decorate(db, actor, rows), total, ...page };
}

/** Reads one facility. */
export async function getFacility(db: Executor, actor: Actor, id: number): Promise<Facility> {
  await assertCanRead(db, actor);
  const row = await facilityRepository.findFacilityById(db, id);
  if (!row) throw notFound();
  return facilityRowToFacility(row);
}

/**
 * Refuses, as "not found", a facility that does not exist or that the actor may not see; returns it
 * otherwise. For other domains that refer to facilities (an activity's stops).
 */
export async function assertFacilityVisible(db: Executor, actor: Actor, id: number): Promise<Facility> {
  return getFacility(db, actor, id);
}

async function namesOfPerson(db: Executor, id: number | null): Promise<Names | null> {
  if (id === null) return null;
  const person = await facilityRepository.findPersonNames(db, id);
  return person ? { id: person.id, nameZh: person.name_zh, nameEn: person.name_en } : null;
}

async function namesOfOrganization(db: Executor, id: number | null): Promise<Names | null> {
  if (id === null) return null;
  const organization = await organizationRepository.findOrganizationById(db, id);
  return organization ? { id: organization.id, nameZh: organization.name_zh, nameEn: organization.name_en } : null;
}

function hoursFromRows(rows: readonly { weekday: number; opens: string; closes: string }[]): WeeklyOpening[] {
  return rows.map((row) => ({ weekday: row.weekday, opens: normalizeTime(row.opens) ?? row.opens, closes: normalizeTime(row.closes) ?? row.closes }));
}

function exceptionsFromRows(
  rows: readonly { on_date: string; opens: string | null; closes: string | null; note_zh: string; note_en: string }[],
): HoursException[] {
  return rows.map((row) => ({
    onDate: row.on_date,
    opens: row.opens === null ? null : (normalizeTime(row.opens) ?? row.opens),
    closes: row.closes === null ? null : (normalizeTime(row.closes) ?? row.closes),
    noteZh: row.note_zh,
    noteEn: row.note_en,
  }));
}

/** Reads one facility with its place (and the places above), operator, host, keeper, services, hours, exceptions and photos. */
export async function getFacilityDetail(db: Executor, actor: Actor, id: number): Promise<FacilityDetail> {
  await assertCanRead(db, actor);
  const row = await facilityRepository.findFacilityById(db, id);
  if (!row) throw notFound();
  const [[item], chain, host, keeper, hours, exceptions, photoIds] = await Promise.all([
    decorate(db, actor, [row]),
    placeRepository.listPlaceAndAncestors(db, row.place_id),
    namesOfOrganization(db, row.host_organization_id),
    namesOfPerson(db, row.keeper_person_id),
    facilityRepository.listHoursOf(db, id),
    facilityRepository.listExceptionsOf(db, id),
    facilityRepository.listPhotoIdsOf(db, id),
  ]);
  if (!item) throw notFound();
  const places = chain.reverse().map((place) => ({ id: place.id, code: place.code, nameZh: place.name_zh, nameEn: place.name_en, level: place.level }));
  const media = await mediaForDisplay(db, photoIds);
  return {
    ...item,
    places,
    placeReference: formatPlaceReference(places),
    host,
    keeper,
    hours: hoursFromRows(hours),
    exceptions: exceptionsFromRows(exceptions),
    photoIds,
    photos: photoIds.flatMap((photoId) => media.get(photoId) ?? []),
  };
}

/** Refuses, as "not found", an actor who may not change this facility (edit_records on its operator). */
export async function assertMayEditFacility(db: Executor, actor: Actor, facility: { operatorOrganizationId: number }): Promise<void> {
  await assertCan(db, actor, 'edit_records', [facility.operatorOrganizationId]);
}

/** What the facility form offers: kinds, services, organizations (those the actor may pick as operator marked), people. */
export async function listFacilityFormChoices(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  const [kinds, services, organizations, editable, people] = await Promise.all([
    facilityRepository.listTaxonomy(db, 'facility_kind'),
    facilityRepository.listTaxonomy(db, 'service_type'),
    organizationRepository.listOrganizationTree(db),
    organizationsWhere(db, actor, 'edit_records'),
    facilityRepository.listPeopleChoices(db),
  ]);
  return {
    kinds: kinds.map(taxonomyRowToEntry),
    services: services.map(taxonomyRowToEntry),
    organizations,
    editableIds: editable === 'all' ? new Set(organizations.map((organization) => organization.id)) : editable,
    people,
  };
}

/** Tells whether the actor may create facilities anywhere (edit_records on some organization). */
export async function mayCreateFacilities(db: Executor, actor: Actor): Promise<boolean> {
  const editable = await organizationsWhere(db, actor, 'edit_records');
  return editable === 'all' || editable.size > 0;
}

// ---------------------------------------------------------------------------------------------
// Changing

/** Everything a facility will hold once written, before its references are checked. */
type FacilityContent = FacilityInput;

/** The content checked: references found, hours and exceptions read and checked. */
interface CheckedContent {
  kind: TaxonomyRow;
  services: TaxonomyRow[];
  hours: WeeklyOpening[];
  exceptions: HoursException[];
}

function weeklyHoursOf(value: FacilityInput['hours']): WeeklyOpening[] {
  const parsed = typeof value === 'string' ? parseWeeklyHours(value) : normalizeWeeklyHours(value);
  if (!parsed.ok) throw ruleError('hours', parsed.message, 'hours');
  return parsed.value;
}

function exceptionsOf(value: FacilityInput['exceptions']): HoursException[] {
  const parsed = typeof value === 'string' ? parseExceptions(value) : normalizeExceptions(value);
  if (!parsed.ok) throw ruleError('exceptions', parsed.message, 'exceptions');
  return parsed.value;
}

async function checkContent(tx: Executor, content: FacilityContent): Promise<CheckedContent> {
  if ((content.lat === null) !== (content.lon === null)) {
    throw ruleError('coordinates', placeMessages.coordinatesPair(), content.lat === null ? 'lat' : 'lon');
  }
  const hours = weeklyHoursOf(content.hours);
  const exceptions = exceptionsOf(content.exceptions);
  const [[kind], services, place, operator, host, keeper, media] = await Promise.all([
    facilityRepository.findTaxonomyByCodes(tx, 'facility_kind', [content.kind]),
    facilityRepository.findTaxonomyByCodes(tx, 'service_type', content.services),
    placeRepository.findPlaceById(tx, content.placeId),
    organizationRepository.findOrganizationById(tx, content.operatorOrganizationId),
    content.hostOrganizationId === null ? undefined : organizationRepository.findOrganizationById(tx, content.hostOrganizationId),
    content.keeperPersonId === null ? undefined : facilityRepository.findPersonNames(tx, content.keeperPersonId),
    facilityRepository.findExistingMediaIds(tx, content.photos),
  ]);
  if (!kind) throw ruleError('kind', facilityMessages.unknownKind(content.kind), 'kind');
  const unknownServices = content.services.filter((code) => !services.some((service) => service.code === code));
  if (unknownServices.length > 0) throw ruleError('services', facilityMessages.unknownServices(unknownServices), 'services');
  if (!place) throw ruleError('place', facilityMessages.placeMissing(content.placeId), 'place');
  if (!operator) throw ruleError('operator', facilityMessages.organizationMissing(content.operatorOrganizationId), 'operatorOrganizationId');
  if (content.hostOrganizationId !== null && !host) {
    throw ruleError('host', facilityMessages.organizationMissing(content.hostOrganizationId), 'hostOrganizationId');
  }
  if (content.keeperPersonId !== null && !keeper) throw ruleError('keeper', facilityMessages.personMissing(content.keeperPersonId), 'keeperPersonId');
  const missingMedia = content.photos.filter((photoId) => !media.has(photoId));
  if (missingMedia.length > 0) throw ruleError('photos', facilityMessages.mediaMissing(missingMedia), 'photos');
  return { kind, services, hours, exceptions };
}

function columnsOf(content: FacilityContent, kindId: number) {
  return {
    kind_id: kindId,
    name_zh: content.nameZh,
    name_en: content.nameEn,
    place_id: content.placeId,
    address_zh: content.addressZh,
    address_en: content.addressEn,
    lat: content.lat,
    lon: content.lon,
    operator_organization_id: content.operatorOrganizationId,
    host_organization_id: content.hostOrganizationId,
    keeper_person_id: content.keeperPersonId,
    description_zh: content.descriptionZh,
    description_en: content.descriptionEn,
    phone: content.phone,
    email: content.email,
    website: content.website,
    accessibility_zh: content.accessibilityZh,
    accessibility_en: content.accessibilityEn,
    status: content.status,
    verified_on: content.verifiedOn,
  };
}

/** A facility as the audit log keeps it: its fields, and its lists as text (services by code, hours and exceptions in their text form). */
function auditRecord(facility: Facility, kind: string, services: readonly string[], hours: readonly WeeklyOpening[], exceptions: readonly HoursException[], photos: readonly number[]) {
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = facility;
  return {
    ...fields,
    kind,
    services: services.join(', '),
    hours: formatWeeklyHours(hours, 'code'),
    exceptions: formatExceptions(exceptions),
    photos: photos.join(', '),
  };
}

async function writeLists(tx: Executor, id: number, content: FacilityContent, checked: CheckedContent): Promise<void> {
  await facilityRepository.replaceServices(
    tx,
    id,
    checked.services.map((service) => service.id),
  );
  await facilityRepository.replaceHours(tx, id, checked.hours);
  await facilityRepository.replaceExceptions(tx, id, checked.exceptions);
  await facilityRepository.replacePhotos(tx, id, content.photos);
}

/** Records a facility operated by an organization where the actor may edit records; audited with its lists. */
export async function createFacility(db: Kysely<Database>, actor: Actor, input: FacilityInput): Promise<Facility> {
  await assertCanRead(db, actor);
  await assertCan(db, actor, 'edit_records', [input.operatorOrganizationId]);
  return db.transaction().execute(async (tx) => {
    const checked = await checkContent(tx, input);
    const row = await facilityRepository.insertFacility(tx, columnsOf(input, checked.kind.id));
    await writeLists(tx, row.id, input, checked);
    const facility = facilityRowToFacility(row);
    await recordAudit(tx, actor, {
      action: 'create',
      entityType: 'facility',
      entityId: row.id,
      after: auditRecord(facility, checked.kind.code, checked.services.map((service) => service.code), checked.hours, checked.exceptions, [...new Set(input.photos)]),
    });
    return facility;
  });
}

/** What a facility holds now, in the form a change is merged into, and its lists as stored (for the audit log). */
async function currentContent(tx: Executor, row: FacilityRow) {
  const [kind, services, hourRows, exceptionRows, photos] = await Promise.all([
    facilityRepository.findTaxonomyById(tx, 'facility_kind', row.kind_id),
    facilityRepository.listServicesOf(tx, [row.id]),
    facilityRepository.listHoursOf(tx, row.id),
    facilityRepository.listExceptionsOf(tx, row.id),
    facilityRepository.listPhotoIdsOf(tx, row.id),
  ]);
  const facility = facilityRowToFacility(row);
  const { id: _id, kindId: _kindId, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = facility;
  const hours = hoursFromRows(hourRows);
  const exceptions = exceptionsFromRows(exceptionRows);
  const content: FacilityContent = { ...fields, kind: kind?.code ?? '', services: services.map((service) => service.code), hours, exceptions, photos };
  return { facility, content, audit: auditRecord(facility, content.kind, content.services, hours, exceptions, photos) };
}

/** The record with the changes given (fields left out, or undefined, keep their value). */
function withChanges<T extends object>(record: T, changes: Partial<T>): T {
  const result = { ...record };
  for (const key of Object.keys(changes) as (keyof T)[]) {
    const value = changes[key];
    if (value !== undefined) result[key] = value as T[keyof T];
  }
  return result;
}

/**
 * Changes a facility the actor may edit; giving it to another operator needs the right to edit there
 * too. Lists given (services, hours, exceptions, photos) replace the stored ones. Audited before and after.
 */
export async function updateFacility(db: Kysely<Database>, actor: Actor, id: number, changes: FacilityPatch): Promise<Facility> {
  await assertCanRead(db, actor);
  return db.transaction().execute(async (tx) => {
    const beforeRow = await facilityRepository.findFacilityByIdForUpdate(tx, id);
    if (!beforeRow) throw notFound();
    await assertCan(tx, actor, 'edit_records', [beforeRow.operator_organization_id]);
    if (changes.operatorOrganizationId !== undefined && changes.operatorOrganizationId !== beforeRow.operator_organization_id) {
      await assertCan(tx, actor, 'edit_records', [changes.operatorOrganizationId]);
    }
    const before = await currentContent(tx, beforeRow);
    const content = withChanges(before.content, changes);
    const checked = await checkContent(tx, content);
    const row = await facilityRepository.updateFacility(tx, id, columnsOf(content, checked.kind.id));
    await writeLists(tx, id, content, checked);
    const facility = facilityRowToFacility(row);
    await recordAudit(tx, actor, {
      action: 'update',
      entityType: 'facility',
      entityId: id,
      before: before.audit,
      after: auditRecord(facility, checked.kind.code, checked.services.map((service) => service.code), checked.hours, checked.exceptions, [...new Set(content.photos)]),
    });
    return facility;
  });
}

/** Deletes a facility the actor may edit, with its services, hours, exceptions and photo links; audited with all of them. */
const facilityVisitedMessage: Bilingual = {
  zh: '有活动行程曾到访此服务阵地，不能删除；可将其状态改为“已关闭”。',
  en: 'Activities record visits to this facility, so it cannot be deleted; set its status to closed instead.',
};

export async function deleteFacility(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCanRead(db, actor);
  await db.transaction().execute(async (tx) => {
    const row = await facilityRepository.findFacilityByIdForUpdate(tx, id);
    if (!row) throw notFound();
    await assertCan(tx, actor, 'edit_records', [row.operator_organization_id]);
    if ((await facilityRepository.countFacilityVisits(tx, id)) > 0) {
      throw new PlaceRuleError(409, 'in_use', facilityVisitedMessage, '_form');
    }
    const before = await currentContent(tx, row);
    await facilityRepository.deleteFacility(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'facility', entityId: id, before: before.audit });
  });
}

/** Records that someone checked the facility's record today (in the facilities' zone); audited. */
export async function markFacilityVerified(db: Kysely<Database>, actor: Actor, id: number, now = new Date()): Promise<Facility> {
  await assertCanRead(db, actor);
  return db.transaction().execute(async (tx) => {
    const row = await facilityRepository.findFacilityByIdForUpdate(tx, id);
    if (!row) throw notFound();
    await assertCan(tx, actor, 'edit_records', [row.operator_organization_id]);
    const day = facilityToday(now);
    const updated = await facilityRepository.updateFacility(tx, id, { verified_on: day });
    await recordAudit(tx, actor, { action: 'verify', entityType: 'facility', entityId: id, before: { verifiedOn: row.verified_on }, after: { verifiedOn: day } });
    return facilityRowToFacility(updated);
  });
}

/** The facilities operated by an organization or a unit below it, for its page: the first `limit` and how many in all. */
export async function listFacilitiesOperatedBy(db: Executor, actor: Actor, organizationId: number, limit: number) {
  return listFacilities(db, actor, { operatorId: organizationId, limit, offset: 0 });
}

// ---------------------------------------------------------------------------------------------
// The lists of kinds and services

/** A list (kinds or services) in its order, with how many facilities use each entry; for any member of the network. */
export async function listTaxonomy(db: Executor, actor: Actor, list: TaxonomyList): Promise<TaxonomyListEntry[]> {
  await assertCanRead(db, actor);
  const rows = await facilityRepository.listTaxonomy(db, tableOf[list]);
  return rows.map((row) => ({ ...taxonomyRowToEntry(row), facilityCount: row.facility_count }));
}

/** Reads an entry of a list; platform administrators only (the management pages). */
export async function getTaxonomyEntry(db: Executor, actor: Actor, list: TaxonomyList, id: number): Promise<TaxonomyListEntry> {
  assertPlatformAdmin(actor);
  const entry = (await listTaxonomy(db, actor, list)).find((candidate) => candidate.id === id);
  if (!entry) throw notFound();
  return entry;
}

function refusingTakenCodes(code: string) {
  return (error: unknown): never => {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505') {
      throw new PlaceRuleError(409, 'conflict', facilityMessages.codeTaken(code), 'code');
    }
    throw error;
  };
}

/**
 * Tells whether the actor may add kinds and services: a platform administrator, or the administrator
 * of an organization (a federation extends the lists with what it runs). The lists are shared by the
 * whole network, so renaming, reordering and deleting stay with platform administrators.
 */
export async function mayExtendTaxonomy(db: Executor, actor: Actor): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  const administered = await organizationsWhere(db, actor, 'manage_members');
  return administered === 'all' || administered.size > 0;
}

/** Adds a kind or a service at the end of its list; platform administrators and organizations' administrators; audited. */
export async function addTaxonomyEntry(db: Kysely<Database>, actor: Actor, list: TaxonomyList, input: TaxonomyInput): Promise<TaxonomyEntry> {
  if (!(await mayExtendTaxonomy(db, actor))) throw notFound();
  const table = tableOf[list];
  return db
    .transaction()
    .execute(async (tx) => {
      const [taken] = await facilityRepository.findTaxonomyByCodes(tx, table, [input.code]);
      if (taken) throw new PlaceRuleError(409, 'conflict', facilityMessages.codeTaken(input.code), 'code');
      const row = await facilityRepository.insertTaxonomy(tx, table, { code: input.code, name_zh: input.nameZh, name_en: input.nameEn });
      const entry = taxonomyRowToEntry(row);
      await recordAudit(tx, actor, { action: 'create', entityType: table, entityId: row.id, after: entry });
      return entry;
    })
    .catch(refusingTakenCodes(input.code));
}

/** Renames a kind or a service (its code stays); platform administrators only; audited. */
export async function renameTaxonomyEntry(
  db: Kysely<Database>,
  actor: Actor,
  list: TaxonomyList,
  id: number,
  names: { nameZh: string; nameEn: string },
): Promise<TaxonomyEntry> {
  assertPlatformAdmin(actor);
  const table = tableOf[list];
  return db.transaction().execute(async (tx) => {
    const before = await facilityRepository.findTaxonomyById(tx, table, id);
    if (!before) throw notFound();
    const row = await facilityRepository.updateTaxonomy(tx, table, id, { name_zh: names.nameZh, name_en: names.nameEn });
    const entry = taxonomyRowToEntry(row);
    await recordAudit(tx, actor, { action: 'update', entityType: table, entityId: id, before: taxonomyRowToEntry(before), after: entry });
    return entry;
  });
}

/** Moves a kind or a service one place up or down its list; platform administrators only; each changed position audited. */
export async function moveTaxonomyEntry(db: Kysely<Database>, actor: Actor, list: TaxonomyList, id: number, direction: 'up' | 'down'): Promise<void> {
  assertPlatformAdmin(actor);
  const table = tableOf[list];
  await db.transaction().execute(async (tx) => {
    await facilityRepository.lockTaxonomy(tx, table);
    const entries = await facilityRepository.listTaxonomy(tx, table);
    const from = entries.findIndex((entry) => entry.id === id);
    if (from < 0) throw notFound();
    const to = direction === 'up' ? from - 1 : from + 1;
    const moving = entries[from];
    const other = entries[to];
    if (!moving || !other) return;
    entries[to] = moving;
    entries[from] = other;
    // Positions become 10, 20, 30… in the new order; only those that change are written and audited.
    for (const [index, entry] of entries.entries()) {
      const position = (index + 1) * 10;
      if (entry.position === position) continue;
      await facilityRepository.updateTaxonomy(tx, table, entry.id, { position });
      await recordAudit(tx, actor, { action: 'update', entityType: table, entityId: entry.id, before: { position: entry.position }, after: { position } });
    }
  });
}

/** Deletes a kind or a service that no facility uses; platform administrators only; audited. */
export async function deleteTaxonomyEntry(db: Kysely<Database>, actor: Actor, list: TaxonomyList, id: number): Promise<void> {
  assertPlatformAdmin(actor);
  const table = tableOf[list];
  await db
    .transaction()
    .execute(async (tx) => {
      await facilityRepository.lockTaxonomy(tx, table);
      const entry = (await facilityRepository.listTaxonomy(tx, table)).find((candidate) => candidate.id === id);
      if (!entry) throw notFound();
      if (entry.facility_count > 0) throw new PlaceRuleError(409, 'conflict', facilityMessages.taxonomyInUse(entry.facility_count), '_form');
      await facilityRepository.deleteTaxonomy(tx, table, id);
      await recordAudit(tx, actor, { action: 'delete', entityType: table, entityId: id, before: taxonomyRowToEntry(entry) });
    })
    .catch((error: unknown) => {
      // A facility written meanwhile took it (the foreign key refuses): say so rather than fail.
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23503') {
        throw new PlaceRuleError(409, 'conflict', facilityMessages.taxonomyInUse(1), '_form');
      }
      throw error;
    });
}
