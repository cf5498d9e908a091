import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudits, type AuditEntry } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import * as interchangeRepository from './facility-interchange.repository.ts';
import type { FacilityColumns, FacilityExternalIdTable, InterchangeFacilityRow } from './facility-interchange.repository.ts';
import { facilityStatuses, type FacilityStatus, type NewFacilityRow } from './facility.table.ts';
import { formatExceptions, formatWeeklyHours, normalizeTime, parseExceptions, parseWeeklyHours, type HoursException, type WeeklyOpening } from './opening-hours.ts';
import { decodeCsvFile } from './place.import.ts';
import * as placeRepository from './place.repository.ts';
import { formatPlaceReference, resolvePlaceReference, type Bilingual, type PlaceLookup } from './place.rules.ts';

/**
 * Facilities in and out of interchange files. This module holds what the formats share — the network
 * as an import sees it (kinds, services, organizations, places, who may edit what), the plan of what a
 * file would add and change, and its all-or-nothing writing, audited per facility — and the CSV format
 * itself. facility.hsds.ts and facility.geojson.ts build on it.
 */

// -----------------------------------------------------------------------------------------------
// The network as an import sees it

/** A place of the gazetteer, as references name it. */
interface PlaceNode {
  id: number;
  code: string | null;
  nameZh: string;
  parentId: number | null;
}

/** An entry of the kinds or services list. */
export interface TaxonomyTerm {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** Its place in the list, for ordering a facility's services. */
  position: number;
}

/** An organization, as files name it (by slug) and HSDS describes it. */
export interface InterchangeOrganization {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  parentId: number | null;
}

/** What planning and exporting look things up in: lists, organizations, places, and what the actor may edit. */
export class InterchangeContext implements PlaceLookup<PlaceNode> {
  readonly kinds: Map<string, TaxonomyTerm>;
  readonly services: Map<string, TaxonomyTerm>;
  readonly organizations: Map<number, InterchangeOrganization>;
  readonly organizationsBySlug: Map<string, InterchangeOrganization>;
  private readonly places = new Map<number, PlaceNode>();
  private readonly placesByCode = new Map<string, PlaceNode>();
  private readonly placesByParentAndName = new Map<string, PlaceNode[]>();
  private readonly references = new Map<number, string>();

  constructor(
    lists: { kinds: TaxonomyTerm[]; services: TaxonomyTerm[] },
    organizations: readonly InterchangeOrganization[],
    places: readonly PlaceNode[],
    /** The organizations where the actor may edit records ("all" for a platform administrator). */
    readonly editable: Set<number> | 'all',
  ) {
    this.kinds = new Map(lists.kinds.map((kind) => [kind.code, kind]));
    this.services = new Map(lists.services.map((service) => [service.code, service]));
    this.organizations = new Map(organizations.map((organization) => [organization.id, organization]));
    this.organizationsBySlug = new Map(organizations.map((organization) => [organization.slug, organization]));
    for (const place of places) {
      this.places.set(place.id, place);
      if (place.code !== null) this.placesByCode.set(place.code, place);
      const key = `${place.parentId ?? 0}\u0000${place.nameZh}`;
      this.placesByParentAndName.set(key, [...(this.placesByParentAndName.get(key) ?? []), place]);
    }
  }

  byCode(code: string): PlaceNode | undefined {
    return this.placesByCode.get(code);
  }

  childrenNamed(parent: PlaceNode | null, nameZh: string): PlaceNode[] {
    return this.placesByParentAndName.get(`${parent?.id ?? 0}\u0000${nameZh}`) ?? [];
  }

  /** The places from the top down to this one. */
  placeChain(id: number): PlaceNode[] {
    const chain: PlaceNode[] = [];
    for (let place = this.places.get(id); place && chain.length < 100; place = place.parentId === null ? undefined : this.places.get(place.parentId)) {
      chain.unshift(place);
    }
    return chain;
  }

  /** How files name a place: its code, or the path of names down from the nearest code. */
  placeReference(id: number): string {
    const known = this.references.get(id);
    if (known !== undefined) return known;
    const reference = formatPlaceReference(this.placeChain(id));
    this.references.set(id, reference);
    return reference;
  }

  mayEdit(organizationId: number): boolean {
    return this.editable === 'all' || this.editable.has(organizationId);
  }

  /** The organization and every unit below it. */
  organizationAndUnits(id: number): number[] {
    const children = new Map<number, number[]>();
    for (const organization of this.organizations.values()) {
      if (organization.parentId !== null) children.set(organization.parentId, [...(children.get(organization.parentId) ?? []), organization.id]);
    }
    const ids: number[] = [];
    for (const queue = [id]; queue.length > 0; ) {
      const next = queue.shift() as number;
      if (ids.includes(next)) continue;
      ids.push(next);
      queue.push(...(children.get(next) ?? []));
    }
    return ids;
  }
}

/** Reads the kinds, services, organizations and places, and what the actor may edit. */
export async function loadInterchangeContext(db: Executor, actor: Actor): Promise<InterchangeContext> {
  const [kinds, services, organizations, places, editable] = await Promise.all([
    interchangeRepository.listTaxonomy(db, 'facility_kind'),
    interchangeRepository.listTaxonomy(db, 'service_type'),
    interchangeRepository.listOrganizations(db),
    placeRepository.listAllPlaces(db),
    organizationsWhere(db, actor, 'edit_records'),
  ]);
  const term = (row: { id: number; code: string; name_zh: string; name_en: string }, position: number): TaxonomyTerm => ({
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    position,
  });
  return new InterchangeContext(
    { kinds: kinds.map(term), services: services.map(term) },
    organizations.map((row) => ({ id: row.id, slug: row.slug, nameZh: row.name_zh, nameEn: row.name_en, parentId: row.parent_id })),
    places.map((row) => ({ id: row.id, code: row.code, nameZh: row.name_zh, parentId: row.parent_id })),
    editable,
  );
}

// -----------------------------------------------------------------------------------------------
// A facility's content, as every format carries it

/** Everything an interchange file says about a facility. */
export interface FacilityContent {
  kind: string;
  nameZh: string;
  nameEn: string;
  placeId: number;
  addressZh: string;
  addressEn: string;
  lat: number | null;
  lon: number | null;
  operatorId: number;
  hostId: number | null;
  keeperId: number | null;
  descriptionZh: string;
  descriptionEn: string;
  phone: string;
  email: string;
  website: string;
  accessibilityZh: string;
  accessibilityEn: string;
  status: FacilityStatus;
  verifiedOn: string | null;
  /** Service codes, in the list's order. */
  services: string[];
  hours: WeeklyOpening[];
  exceptions: HoursException[];
}

/** A stored facility: its content, and the photos an import leaves as they are. */
export interface StoredFacility {
  id: number;
  content: FacilityContent;
  photos: number[];
}

/** The columns of a facilities CSV file, in the order the export writes them. */
export const facilityCsvColumns = [
  'id',
  'kind',
  'name_zh',
  'name_en',
  'place',
  'address_zh',
  'address_en',
  'lat',
  'lon',
  'operator',
  'host',
  'keeper_person_id',
  'services',
  'hours',
  'exceptions',
  'phone',
  'email',
  'website',
  'accessibility_zh',
  'accessibility_en',
  'description_zh',
  'description_en',
  'status',
  'verified_on',
] as const;
export type FacilityCsvColumn = (typeof facilityCsvColumns)[number];

/** The column of each field (changes are reported by column name in every format). */
const columnOfField: Record<keyof FacilityContent, FacilityCsvColumn> = {
  kind: 'kind',
  nameZh: 'name_zh',
  nameEn: 'name_en',
  placeId: 'place',
  addressZh: 'address_zh',
  addressEn: 'address_en',
  lat: 'lat',
  lon: 'lon',
  operatorId: 'operator',
  hostId: 'host',
  keeperId: 'keeper_person_id',
  services: 'services',
  hours: 'hours',
  exceptions: 'exceptions',
  phone: 'phone',
  email: 'email',
  website: 'website',
  accessibilityZh: 'accessibility_zh',
  accessibilityEn: 'accessibility_en',
  descriptionZh: 'description_zh',
  descriptionEn: 'description_en',
  status: 'status',
  verifiedOn: 'verified_on',
};
const fieldOfColumn = Object.fromEntries(Object.entries(columnOfField).map(([field, column]) => [column, field])) as Record<
  FacilityCsvColumn,
  keyof FacilityContent | undefined
>;

/** Exceptions in one line, "2027-02-06 closed 春节 / Spring Festival; 2027-02-07 10:00-12:00". */
export function exceptionsText(exceptions: readonly HoursException[]): string {
  return formatExceptions(exceptions).split('\n').filter(Boolean).join('; ');
}

/** Reads exceptions written one day a line or separated by ";" before each date. */
export function parseExceptionsText(text: string) {
  return parseExceptions(text.split(/\r?\n|;\s*(?=\d{4}-\d{2}-\d{2}(?:\s|$))/).join('\n'));
}

function coordinateText(value: number | null): string {
  return value === null ? '' : String(value);
}

/** A field as a file writes it (and as a change is shown): codes, slugs, references and text forms. */
export function fieldText(context: InterchangeContext, content: FacilityContent, field: keyof FacilityContent): string {
  switch (field) {
    case 'placeId':
      return context.placeReference(content.placeId);
    case 'operatorId':
      return context.organizations.get(content.operatorId)?.slug ?? '';
    case 'hostId':
      return content.hostId === null ? '' : (context.organizations.get(content.hostId)?.slug ?? '');
    case 'keeperId':
      return content.keeperId === null ? '' : String(content.keeperId);
    case 'lat':
    case 'lon':
      return coordinateText(content[field]);
    case 'services':
      return content.services.join(';');
    case 'hours':
      return formatWeeklyHours(content.hours, 'code');
    case 'exceptions':
      return exceptionsText(content.exceptions);
    case 'verifiedOn':
      return content.verifiedOn ?? '';
    default:
      return content[field];
  }
}

function toNumber(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

function timeOf(value: string): string {
  return normalizeTime(value) ?? value;
}

/** Stored facilities with their lists, as content. */
export async function loadStoredFacilities(db: Executor, rows: readonly InterchangeFacilityRow[]): Promise<StoredFacility[]> {
  const lists = await interchangeRepository.listFacilityLists(
    db,
    rows.map((row) => row.id),
  );
  const group = <T extends { facility_id: number }>(items: readonly T[]) => {
    const byFacility = new Map<number, T[]>();
    for (const item of items) byFacility.set(item.facility_id, [...(byFacility.get(item.facility_id) ?? []), item]);
    return byFacility;
  };
  const [services, hours, exceptions, photos] = [group(lists.services), group(lists.hours), group(lists.exceptions), group(lists.photos)];
  return rows.map((row) => ({
    id: row.id,
    photos: (photos.get(row.id) ?? []).map((photo) => photo.media_id),
    content: {
      kind: row.kind_code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      placeId: row.place_id,
      addressZh: row.address_zh,
      addressEn: row.address_en,
      lat: toNumber(row.lat),
      lon: toNumber(row.lon),
      operatorId: row.operator_organization_id,
      hostId: row.host_organization_id,
      keeperId: row.keeper_person_id,
      descriptionZh: row.description_zh,
      descriptionEn: row.description_en,
      phone: row.phone,
      email: row.email,
      website: row.website,
      accessibilityZh: row.accessibility_zh,
      accessibilityEn: row.accessibility_en,
      status: row.status,
      verifiedOn: row.verified_on,
      services: (services.get(row.id) ?? []).map((service) => service.code),
      hours: (hours.get(row.id) ?? []).map((opening) => ({ weekday: opening.weekday, opens: timeOf(opening.opens), closes: timeOf(opening.closes) })),
      exceptions: (exceptions.get(row.id) ?? []).map((exception) => ({
        onDate: exception.on_date,
        opens: exception.opens === null ? null : timeOf(exception.opens),
        closes: exception.closes === null ? null : timeOf(exception.closes),
        noteZh: exception.note_zh,
        noteEn: exception.note_en,
      })),
    },
  }));
}

/**
 * The facilities an export shows: all, or those operated by one organization and its units (by slug;
 * an unknown slug is "not found"). Readers of the network's records only.
 */
export async function loadExport(db: Executor, actor: Actor, operatorSlug: string | undefined) {
  await assertCanRead(db, actor);
  const context = await loadInterchangeContext(db, actor);
  let operatorIds: number[] | null = null;
  if (operatorSlug !== undefined && operatorSlug !== '') {
    const operator = context.organizationsBySlug.get(operatorSlug);
    if (!operator) throw notFound('No organization has this slug.');
    operatorIds = context.organizationAndUnits(operator.id);
  }
  const facilities = await loadStoredFacilities(db, await interchangeRepository.listFacilities(db, operatorIds));
  return { context, facilities };
}

// -----------------------------------------------------------------------------------------------
// Planning: what a file would add and change

/** What one row (a CSV line, an HSDS location) says: the facility it names and the fields it gives. */
export interface FacilityDraft {
  /** The row's number: its line in a CSV file (header = 1), its place among an HSDS document's locations. */
  row: number;
  /** The stored facility it changes; null for a new one. */
  id: number | null;
  /** Fields the row gives; a field it leaves out stays as stored (a new facility takes the default). */
  fields: Partial<Omit<FacilityContent, 'placeId'>> & { place?: string };
  /** What was already found wrong while reading the row. */
  problems: Bilingual[];
  /** An HSDS location id to remember for the facility. */
  externalId?: string;
}

/** A row that adds or changes a facility. */
export interface ImportedFacility {
  row: number;
  /** The facility changed; null for one added. */
  id: number | null;
  nameZh: string;
  /** For a changed facility: each field that changes, before and after, as the CSV writes it. */
  changes: { field: FacilityCsvColumn; before: string; after: string }[];
}

/** A row that is refused, and why. */
export interface RefusedFacility {
  row: number;
  problems: Bilingual[];
}

/** What an import did, or would do in a dry run. */
export interface FacilityImportReport {
  format: 'csv' | 'hsds';
  dryRun: boolean;
  /** Whether the changes were written: a real import in which no row was refused. */
  written: boolean;
  /** Why the whole file was refused; null when it was read. */
  fileProblem: Bilingual | null;
  /** How many rows (CSV) or locations (HSDS) the file has. */
  rows: number;
  added: ImportedFacility[];
  updated: ImportedFacility[];
  unchanged: number;
  refused: RefusedFacility[];
}

/** A planned write: a new facility (id null) or a change to a stored one. */
interface PlannedFacility {
  row: number;
  id: number | null;
  before: FacilityContent | null;
  after: FacilityContent;
  photos: number[];
  externalId?: string;
}

/** What a file would do: the writes, and the report. */
export interface FacilityPlan {
  writes: PlannedFacility[];
  report: Pick<FacilityImportReport, 'rows' | 'added' | 'updated' | 'unchanged' | 'refused'>;
}

/** The messages of the facilities' interchange, in both languages. */
export const interchangeMessages = {
  field: (column: string, text: Bilingual): Bilingual => ({ zh: `${column}：${text.zh}`, en: `${column}: ${text.en}` }),
  unknownFacility: (id: number): Bilingual => ({
    zh: `没有您可修改的编号为 ${id} 的阵地；新增阵地时请将 id 留空。`,
    en: `No facility you may change has the id ${id}; leave id empty to add a facility.`,
  }),
  sameFacilityAs: (row: number): Bilingual => ({ zh: `第 ${row} 行已指向同一阵地。`, en: `Row ${row} stands for the same facility already.` }),
  required: (): Bilingual => ({ zh: '新增阵地时必填。', en: 'Required for a new facility.' }),
  unknownKind: (code: string): Bilingual => ({ zh: `没有代码为“${code}”的阵地类型。`, en: `No kind of facility has the code "${code}".` }),
  unknownService: (code: string): Bilingual => ({ zh: `没有代码为“${code}”的服务项目。`, en: `No service has the code "${code}".` }),
  unknownOrganization: (slug: string): Bilingual => ({ zh: `没有标识为“${slug}”的组织。`, en: `No organization has the slug "${slug}".` }),
  unknownPerson: (id: number): Bilingual => ({ zh: `没有编号为 ${id} 的人员。`, en: `No person has the id ${id}.` }),
  mayNotEdit: (slug: string): Bilingual => ({
    zh: `您无权修改组织“${slug}”的记录，因此不能导入由它运营的阵地。`,
    en: `You may not edit the records of the organization "${slug}", so you cannot import facilities it operates.`,
  }),
  notANumber: (text: string): Bilingual => ({ zh: `“${text}”不是数字。`, en: `"${text}" is not a number.` }),
  notAnId: (text: string): Bilingual => ({ zh: `“${text}”不是编号（正整数）。`, en: `"${text}" is not an id (a whole number above 0).` }),
  latitude: (): Bilingual => ({ zh: '纬度是 -90 至 90 之间的数字。', en: 'A latitude is a number from -90 to 90.' }),
  longitude: (): Bilingual => ({ zh: '经度是 -180 至 180 之间的数字。', en: 'A longitude is a number from -180 to 180.' }),
  coordinatesPair: (): Bilingual => ({ zh: '请同时填写纬度和经度，或都不填。', en: 'Give both latitude and longitude, or neither.' }),
  tooLong: (max: number): Bilingual => ({ zh: `最多 ${max} 个字符。`, en: `At most ${max} characters.` }),
  email: (): Bilingual => ({ zh: '请填写电子邮箱，如 centre@example.org，或留空。', en: 'Write an email address such as centre@example.org, or leave it empty.' }),
  website: (): Bilingual => ({ zh: '请填写以 http:// 或 https:// 开头的网址，或留空。', en: 'Write a web address beginning with http:// or https://, or leave it empty.' }),
  status: (): Bilingual => ({ zh: `请填写以下状态之一：${facilityStatuses.join('、')}。`, en: `Write one of: ${facilityStatuses.join(', ')}.` }),
  date: (text: string): Bilingual => ({ zh: `“${text}”不是日期（年-月-日）。`, en: `"${text}" is not a date (YYYY-MM-DD).` }),
};

// The longest text each column takes (the table's limits).
const textLimits: Partial<Record<keyof FacilityContent, number>> = {
  nameZh: 200,
  nameEn: 200,
  addressZh: 300,
  addressEn: 300,
  descriptionZh: 4000,
  descriptionEn: 4000,
  phone: 50,
  email: 200,
  website: 500,
  accessibilityZh: 1000,
  accessibilityEn: 1000,
};

/** The problems of a facility's content: lengths, formats, coordinates, and names that must be known. */
function contentProblems(context: InterchangeContext, content: FacilityContent, people: ReadonlySet<number>): Bilingual[] {
  const problems: Bilingual[] = [];
  const add = (field: keyof FacilityContent, text: Bilingual) => problems.push(interchangeMessages.field(columnOfField[field], text));
  if (content.nameZh.trim() === '') add('nameZh', interchangeMessages.required());
  for (const [field, max] of Object.entries(textLimits) as [keyof FacilityContent, number][]) {
    const value = content[field];
    if (typeof value === 'string' && value.length > max) add(field, interchangeMessages.tooLong(max));
  }
  if (content.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(content.email)) add('email', interchangeMessages.email());
  if (content.website !== '' && !/^https?:\/\/[^\s/?#]+\.[^\s]*$/i.test(content.website)) add('website', interchangeMessages.website());
  if (!(facilityStatuses as readonly string[]).includes(content.status)) add('status', interchangeMessages.status());
  if (content.lat !== null && !(Math.abs(content.lat) <= 90)) add('lat', interchangeMessages.latitude());
  if (content.lon !== null && !(Math.abs(content.lon) <= 180)) add('lon', interchangeMessages.longitude());
  if ((content.lat === null) !== (content.lon === null)) add(content.lat === null ? 'lat' : 'lon', interchangeMessages.coordinatesPair());
  if (!context.kinds.has(content.kind)) add('kind', interchangeMessages.unknownKind(content.kind));
  for (const code of content.services) if (!context.services.has(code)) add('services', interchangeMessages.unknownService(code));
  if (content.keeperId !== null && !people.has(content.keeperId)) add('keeperId', interchangeMessages.unknownPerson(content.keeperId));
  return problems;
}

const defaults: Omit<FacilityContent, 'kind' | 'nameZh' | 'placeId' | 'operatorId'> = {
  nameEn: '',
  addressZh: '',
  addressEn: '',
  lat: null,
  lon: null,
  hostId: null,
  keeperId: null,
  descriptionZh: '',
  descriptionEn: '',
  phone: '',
  email: '',
  website: '',
  accessibilityZh: '',
  accessibilityEn: '',
  status: 'active',
  verifiedOn: null,
  services: [],
  hours: [],
  exceptions: [],
};

/**
 * Works out, row by row, what the drafts would do: a row with an id changes that facility (which the
 * actor must be allowed to edit), one without adds a facility. Every field is checked, names must be
 * known (kind, services, place, organizations, keeper), the operator must be an organization where the
 * actor may edit records, and no two rows may stand for the same facility.
 */
export async function planFacilityImport(
  context: InterchangeContext,
  drafts: readonly FacilityDraft[],
  stored: ReadonlyMap<number, StoredFacility>,
  people: ReadonlySet<number>,
): Promise<FacilityPlan> {
  const report: FacilityPlan['report'] = { rows: drafts.length, added: [], updated: [], unchanged: 0, refused: [] };
  const writes: PlannedFacility[] = [];
  const rowOfFacility = new Map<number, number>();
  for (const draft of drafts) {
    const problems = [...draft.problems];
    const current = draft.id === null ? undefined : stored.get(draft.id);
    if (draft.id !== null) {
      if (!current || !context.mayEdit(current.content.operatorId)) problems.push(interchangeMessages.unknownFacility(draft.id));
      const earlier = rowOfFacility.get(draft.id);
      if (earlier !== undefined) problems.push(interchangeMessages.sameFacilityAs(earlier));
      else rowOfFacility.set(draft.id, draft.row);
    }
    const { place, ...given } = draft.fields;
    let placeId = current?.content.placeId;
    if (place !== undefined && place !== '') {
      const found = await resolvePlaceReference(context, place);
      if (found.ok) placeId = found.place.id;
      else problems.push(interchangeMessages.field('place', found.problem));
    }
    // A new facility needs these; a row may leave them out for a stored one, never blank them.
    for (const [column, value] of [
      ['kind', given.kind],
      ['name_zh', given.nameZh],
      ['place', place],
    ] as const) {
      if (value === '' || (!current && value === undefined)) problems.push(interchangeMessages.field(column, interchangeMessages.required()));
    }
    if (!current && given.operatorId === undefined && !problems.some((problem) => problem.en.startsWith('operator:'))) {
      problems.push(interchangeMessages.field('operator', interchangeMessages.required()));
    }
    if (given.operatorId !== undefined && !context.mayEdit(given.operatorId)) {
      problems.push(interchangeMessages.field('operator', interchangeMessages.mayNotEdit(context.organizations.get(given.operatorId)?.slug ?? '')));
    }
    if (problems.length > 0 || placeId === undefined) {
      report.refused.push({ row: draft.row, problems });
      continue;
    }
    const base = current?.content ?? { ...defaults, kind: '', nameZh: '', operatorId: 0, placeId };
    const after: FacilityContent = { ...base, ...given, placeId };
    after.services = [...new Set(after.services)].sort((a, b) => (context.services.get(a)?.position ?? 0) - (context.services.get(b)?.position ?? 0));
    const contentIssues = contentProblems(context, after, people);
    if (contentIssues.length > 0) {
      report.refused.push({ row: draft.row, problems: contentIssues });
      continue;
    }
    if (!current) {
      writes.push({ row: draft.row, id: null, before: null, after, photos: [], externalId: draft.externalId });
      report.added.push({ row: draft.row, id: null, nameZh: after.nameZh, changes: [] });
      continue;
    }
    const changes: ImportedFacility['changes'] = [];
    for (const field of Object.keys(columnOfField) as (keyof FacilityContent)[]) {
      const before = fieldText(context, current.content, field);
      const now = fieldText(context, after, field);
      if (before !== now) changes.push({ field: columnOfField[field], before, after: now });
    }
    if (changes.length === 0) {
      report.unchanged += 1;
      continue;
    }
    writes.push({ row: draft.row, id: current.id, before: current.content, after, photos: current.photos, externalId: draft.externalId });
    report.updated.push({ row: draft.row, id: current.id, nameZh: after.nameZh, changes });
  }
  return { writes, report };
}

// -----------------------------------------------------------------------------------------------
// Writing

/** A facility as the audit log keeps it (the workspace's shape): its fields, and its lists as text. */
function auditedFacility(context: InterchangeContext, id: number, content: FacilityContent, photos: readonly number[]) {
  return {
    id,
    kindId: context.kinds.get(content.kind)?.id ?? null,
    nameZh: content.nameZh,
    nameEn: content.nameEn,
    placeId: content.placeId,
    addressZh: content.addressZh,
    addressEn: content.addressEn,
    lat: content.lat,
    lon: content.lon,
    operatorOrganizationId: content.operatorId,
    hostOrganizationId: content.hostId,
    keeperPersonId: content.keeperId,
    descriptionZh: content.descriptionZh,
    descriptionEn: content.descriptionEn,
    phone: content.phone,
    email: content.email,
    website: content.website,
    accessibilityZh: content.accessibilityZh,
    accessibilityEn: content.accessibilityEn,
    status: content.status,
    verifiedOn: content.verifiedOn,
    kind: content.kind,
    services: content.services.join(', '),
    hours: formatWeeklyHours(content.hours, 'code'),
    exceptions: formatExceptions(content.exceptions),
    photos: photos.join(', '),
  };
}

function columnsOf(context: InterchangeContext, content: FacilityContent): Omit<FacilityColumns, 'id'> & NewFacilityRow {
  return {
    kind_id: context.kinds.get(content.kind)?.id ?? 0,
    name_zh: content.nameZh,
    name_en: content.nameEn,
    place_id: content.placeId,
    address_zh: content.addressZh,
    address_en: content.addressEn,
    lat: content.lat,
    lon: content.lon,
    operator_organization_id: content.operatorId,
    host_organization_id: content.hostId,
    keeper_person_id: content.keeperId,
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

/** Writes a plan: new facilities, then changed ones, their lists, remembered HSDS ids; an audit event each. */
async function writePlan(tx: Executor, actor: Actor, context: InterchangeContext, plan: FacilityPlan): Promise<void> {
  const added = plan.writes.filter((write) => write.id === null);
  const changed = plan.writes.filter((write): write is PlannedFacility & { id: number } => write.id !== null);
  const newIds = await interchangeRepository.insertFacilities(
    tx,
    added.map((write) => columnsOf(context, write.after)),
  );
  await interchangeRepository.updateFacilities(
    tx,
    changed.map((write) => ({ id: write.id, ...columnsOf(context, write.after) })),
  );
  const written = [...added.map((write, index) => ({ ...write, id: newIds[index] as number })), ...changed];
  await interchangeRepository.replaceFacilityLists(
    tx,
    written.map((write) => ({
      facilityId: write.id,
      serviceTypeIds: write.after.services.map((code) => context.services.get(code)?.id ?? 0),
      hours: write.after.hours,
      exceptions: write.after.exceptions,
    })),
    changed.map((write) => write.id),
  );
  await interchangeRepository.insertExternalIds(
    tx,
    written.flatMap((write) => (write.externalId ? [{ facility_id: write.id, location_uuid: write.externalId }] : [])),
  );
  const audits: AuditEntry[] = written.map((write) => ({
    action: write.before === null ? 'create' : 'update',
    entityType: 'facility',
    entityId: write.id,
    before: write.before === null ? null : auditedFacility(context, write.id, write.before, write.photos),
    after: auditedFacility(context, write.id, write.after, write.photos),
  }));
  await recordAudits(tx, actor, audits);
}

/** The stored facilities' ids and the HSDS location ids remembered for them, for matching a file's records. */
export interface KnownFacilities {
  facilityIds: readonly number[];
  externalIds: readonly FacilityExternalIdTable[];
}

/** What a file turns into before planning: its drafts, or why the whole file is refused. */
export type ReadFile =
  | { ok: true; rows: number; drafts: (context: InterchangeContext, known: KnownFacilities) => FacilityDraft[] }
  | { ok: false; problem: Bilingual };

/**
 * Plans a file's drafts against the facilities as stored and, unless it is a dry run, writes them:
 * all or nothing, in one transaction under a lock on facilities, nothing at all when a row is refused.
 */
export async function runFacilityImport(
  db: Kysely<Database>,
  actor: Actor,
  format: FacilityImportReport['format'],
  read: ReadFile,
  options: { dryRun: boolean },
): Promise<FacilityImportReport> {
  await assertCanRead(db, actor);
  const empty = { format, dryRun: options.dryRun, written: false, rows: 0, added: [], updated: [], unchanged: 0, refused: [] };
  if (!read.ok) return { ...empty, fileProblem: read.problem };
  const plan = async (executor: Executor) => {
    const context = await loadInterchangeContext(executor, actor);
    const [facilityIds, externalIds] = await Promise.all([interchangeRepository.listFacilityIds(executor), interchangeRepository.listExternalIds(executor)]);
    const drafts = read.drafts(context, { facilityIds, externalIds });
    const ids = [...new Set(drafts.flatMap((draft) => (draft.id === null ? [] : [draft.id])))];
    const stored = await loadStoredFacilities(executor, await interchangeRepository.findFacilities(executor, ids));
    const keepers = drafts.flatMap((draft) => (typeof draft.fields.keeperId === 'number' ? [draft.fields.keeperId] : []));
    const people = await interchangeRepository.existingPersonIds(executor, [...new Set([...keepers, ...stored.flatMap((facility) => facility.content.keeperId ?? [])])]);
    return { context, plan: await planFacilityImport(context, drafts, new Map(stored.map((facility) => [facility.id, facility])), people) };
  };
  if (options.dryRun) {
    const { plan: dry } = await plan(db);
    return { ...empty, ...dry.report, fileProblem: null };
  }
  return db.transaction().execute(async (tx) => {
    // Check and write against the same facilities: nobody else changes them meanwhile.
    await interchangeRepository.lockFacilities(tx);
    const { context, plan: real } = await plan(tx);
    if (real.report.refused.length > 0) return { ...empty, ...real.report, fileProblem: null };
    await writePlan(tx, actor, context, real);
    return { ...empty, ...real.report, written: true, fileProblem: null };
  });
}

// -----------------------------------------------------------------------------------------------
// CSV

/** The largest file and the most rows an import takes (CSV; HSDS has its own size). */
export const facilityImportLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 };

const csvMessages = {
  notCsv: (detail: string): Bilingual => ({ zh: `文件不是有效的 CSV：${detail}`, en: `The file is not valid CSV: ${detail}` }),
  empty: (): Bilingual => ({ zh: '文件是空的。', en: 'The file is empty.' }),
  noRows: (): Bilingual => ({ zh: '文件中除表头外没有数据行。', en: 'The file has no rows besides its header.' }),
  tooManyRows: (limit: number): Bilingual => ({
    zh: `文件超过 ${limit.toLocaleString('en')} 行；请拆分后分批导入。`,
    en: `The file has more than ${limit.toLocaleString('en')} rows; split it and import the parts one after another.`,
  }),
  columns: (unknown: string[], missing: string[]): Bilingual => ({
    zh: `${unknown.length > 0 ? `未知的列：${unknown.join('、')}。` : ''}${missing.length > 0 ? `缺少必需的列：${missing.join('、')}。` : ''}可用的列：${facilityCsvColumns.join(', ')}。`,
    en: `${unknown.length > 0 ? `Unknown column(s): ${unknown.join(', ')}. ` : ''}${missing.length > 0 ? `Required column(s) missing: ${missing.join(', ')}. ` : ''}The columns are: ${facilityCsvColumns.join(', ')}.`,
  }),
  repeatedColumn: (name: string): Bilingual => ({ zh: `列“${name}”出现了不止一次。`, en: `The column "${name}" appears more than once.` }),
  tooManyFields: (count: number, columns: number): Bilingual => ({
    zh: `该行有 ${count} 个字段，而表头只有 ${columns} 列。`,
    en: `The row has ${count} fields; the header has ${columns} columns.`,
  }),
};

/** What a file over the size limit is refused with. */
export function tooLargeProblem(maxBytes: number): Bilingual {
  const mib = maxBytes / 1024 / 1024;
  return { zh: `文件超过 ${mib} MiB；请拆分后分批导入。`, en: `The file is larger than ${mib} MiB; split it and import the parts one after another.` };
}

const requiredColumns: readonly FacilityCsvColumn[] = ['id', 'kind', 'name_zh', 'place', 'operator'];

// A cell a spreadsheet would run as a formula is written with a leading apostrophe, which it hides.
const formulaStart = /^[=+\-@\t\r]/;

function neutralize(cell: string): string {
  return formulaStart.test(cell) && !/^-?\d+(?:\.\d+)?$/.test(cell) ? `'${cell}` : cell;
}

function unneutralize(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Reads one CSV row into a draft: text cells as they are, the rest read and checked. */
function csvDraft(context: InterchangeContext, line: number, cells: Partial<Record<FacilityCsvColumn, string>>): FacilityDraft {
  const problems: Bilingual[] = [];
  const fields: FacilityDraft['fields'] = {};
  const wrong = (column: FacilityCsvColumn, text: Bilingual) => problems.push(interchangeMessages.field(column, text));
  const idOf = (column: FacilityCsvColumn, text: string): number | null | undefined => {
    if (text === '') return null;
    if (/^\d{1,9}$/.test(text) && Number(text) > 0) return Number(text);
    wrong(column, interchangeMessages.notAnId(text));
    return undefined;
  };
  const organizationOf = (column: 'operator' | 'host', slug: string): number | null | undefined => {
    if (slug === '') return null;
    const organization = context.organizationsBySlug.get(slug);
    if (!organization) wrong(column, interchangeMessages.unknownOrganization(slug));
    return organization?.id;
  };
  let id: number | null = null;
  for (const [column, cell] of Object.entries(cells) as [FacilityCsvColumn, string][]) {
    switch (column) {
      case 'id':
        id = idOf('id', cell) ?? null;
        break;
      case 'place':
        fields.place = cell;
        break;
      case 'lat':
      case 'lon': {
        const value = cell === '' ? null : Number(cell);
        if (value !== null && !Number.isFinite(value)) wrong(column, interchangeMessages.notANumber(cell));
        // Stored to six decimals: compare what will be stored.
        else fields[column] = value === null ? null : Math.round(value * 1e6) / 1e6;
        break;
      }
      case 'operator': {
        const operator = organizationOf('operator', cell);
        if (operator === null) wrong(column, interchangeMessages.required());
        else if (operator !== undefined) fields.operatorId = operator;
        break;
      }
      case 'host': {
        const host = organizationOf('host', cell);
        if (host !== undefined) fields.hostId = host;
        break;
      }
      case 'keeper_person_id': {
        const keeper = idOf(column, cell);
        if (keeper !== undefined) fields.keeperId = keeper;
        break;
      }
      case 'services':
        fields.services = cell.split(/[;|,，；、]/).map((code) => code.trim()).filter(Boolean);
        break;
      case 'hours': {
        const hours = parseWeeklyHours(cell);
        if (hours.ok) fields.hours = hours.value;
        else wrong(column, hours.message);
        break;
      }
      case 'exceptions': {
        const exceptions = parseExceptionsText(cell);
        if (exceptions.ok) fields.exceptions = exceptions.value;
        else wrong(column, exceptions.message);
        break;
      }
      case 'status':
        if (cell === '') break;
        if ((facilityStatuses as readonly string[]).includes(cell)) fields.status = cell as FacilityStatus;
        else wrong(column, interchangeMessages.status());
        break;
      case 'verified_on':
        if (cell === '') fields.verifiedOn = null;
        else if (/^\d{4}-\d{2}-\d{2}$/.test(cell) && !Number.isNaN(Date.parse(`${cell}T00:00:00Z`)) && new Date(`${cell}T00:00:00Z`).toISOString().startsWith(cell)) fields.verifiedOn = cell;
        else wrong(column, interchangeMessages.date(cell));
        break;
      default: {
        const field = fieldOfColumn[column];
        if (field) Object.assign(fields, { [field]: cell });
      }
    }
  }
  return { row: line, id, fields, problems };
}

/** Reads a facilities CSV file: UTF-8 only, the export's columns (id, kind, name_zh, place, operator required). */
export function readFacilityCsv(file: Uint8Array, maxRows = facilityImportLimits.maxRows): ReadFile {
  if (file.length > facilityImportLimits.maxBytes) return { ok: false, problem: tooLargeProblem(facilityImportLimits.maxBytes) };
  const decoded = decodeCsvFile(file);
  if (!decoded.ok) return { ok: false, problem: decoded.problem };
  const records: { line: number; fields: string[] }[] = [];
  try {
    parse(decoded.text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
      // The header, the rows allowed, and one more to know there are too many.
      to: maxRows + 2,
      on_record: (record: string[], context) => {
        if (record.some((field) => field.trim() !== '')) records.push({ line: context.lines, fields: record });
        return null;
      },
    });
  } catch (error) {
    return { ok: false, problem: csvMessages.notCsv(error instanceof Error ? error.message : String(error)) };
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, problem: csvMessages.empty() };
  if (data.length > maxRows) return { ok: false, problem: csvMessages.tooManyRows(maxRows) };
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(facilityCsvColumns as readonly string[]).includes(name));
  const missing = requiredColumns.filter((name) => !names.includes(name));
  if (unknown.length > 0 || missing.length > 0) return { ok: false, problem: csvMessages.columns(unknown.map((name) => name || '""'), missing) };
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) return { ok: false, problem: csvMessages.repeatedColumn(repeated) };
  if (data.length === 0) return { ok: false, problem: csvMessages.noRows() };
  const columns = names as FacilityCsvColumn[];
  return {
    ok: true,
    rows: data.length,
    drafts: (context) =>
      data.map((record) => {
        const cells = Object.fromEntries(columns.map((column, index) => [column, unneutralize((record.fields[index] ?? '').trim())]));
        const draft = csvDraft(context, record.line, cells);
        if (record.fields.length > columns.length) draft.problems.unshift(csvMessages.tooManyFields(record.fields.length, columns.length));
        return draft;
      }),
  };
}

/**
 * Imports a facilities CSV file. A dry run only reports what would be added and changed (each field
 * before → after) and which rows are refused and why; a real import is all or nothing.
 */
export async function importFacilitiesCsv(db: Kysely<Database>, actor: Actor, file: Uint8Array, options: { dryRun: boolean }): Promise<FacilityImportReport> {
  return runFacilityImport(db, actor, 'csv', readFacilityCsv(file), options);
}

/**
 * Facilities as CSV for a spreadsheet: UTF-8 with a byte-order mark (so that Excel reads the Chinese
 * right), CRLF lines, cells that a spreadsheet would run as formulas written with a leading
 * apostrophe; it imports again as it is. All facilities, or one operator's and its units'.
 */
export async function exportFacilitiesCsv(db: Executor, actor: Actor, operatorSlug?: string): Promise<string> {
  const { context, facilities } = await loadExport(db, actor, operatorSlug);
  const rows = facilities.map((facility) =>
    facilityCsvColumns.map((column) => {
      const field = fieldOfColumn[column];
      return neutralize(field === undefined ? String(facility.id) : fieldText(context, facility.content, field));
    }),
  );
  return `\uFEFF${stringify([[...facilityCsvColumns], ...rows], { record_delimiter: 'windows' })}`;
}
