import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { Database, Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import * as interchangeRepository from './facility-interchange.repository.ts';
import {
  interchangeMessages,
  loadExport,
  runFacilityImport,
  tooLargeProblem,
  type FacilityDraft,
  type FacilityImportReport,
  type InterchangeContext,
  type InterchangeOrganization,
  type KnownFacilities,
  type ReadFile,
  type StoredFacility,
  type TaxonomyTerm,
} from './facility.import.ts';
import type { FacilityStatus } from './facility.table.ts';
import { formatExceptions, formatWeeklyHours, normalizeTime, parseExceptions, parseWeeklyHours, type HoursException, type WeeklyOpening } from './opening-hours.ts';
import type { Bilingual } from './place.rules.ts';

/**
 * Facilities as Open Referral's Human Services Data Specification (HSDS) 3.0, both ways.
 *
 * The document, written by the export and read by the import, is one JSON object:
 *
 *   { "hsds_version": "3.0", "organizations": [organization, …], "services": [service, …] }
 *
 * `services` holds HSDS services in the compiled, nested shape (service → organization, attributes,
 * service_at_locations → location → addresss, phones, accessibilitys, schedules, attributes), each valid
 * against the published service.json; `organizations` lists the operators and hosts (and the
 * federations above them) as HSDS organizations, each valid against organization.json.
 *
 * The mapping:
 * - A facility is a **location** (physical): name = Chinese name, alternate_name = English name,
 *   description, latitude/longitude, the address as address_1 (with the place's province, city and
 *   district), the phone, the accessibility note, the facility's kind as an attribute (taxonomy
 *   "Halfsky facility kinds"), the host organization as an attribute, and the place of the gazetteer as
 *   external_identifier (its code or path of names, type "halfsky_place"). HSDS carries one language of
 *   free text: descriptions, addresses and accessibility go in Chinese; their English stays ours.
 * - A **service** is one service type at one facility (facility × service type), linked to its location
 *   by a service_at_location. That is what HSDS consumers look for: a service someone can get, where,
 *   with its own status, checked date and hours — services of the same type at two facilities open at
 *   different times and close separately, so they are not one service. A facility offering no listed
 *   service still appears, as one service named after the facility itself.
 * - The **weekly hours** are schedules of the location: freq WEEKLY, byday (MO,TU,…), opens_at and
 *   closes_at in local time with the +08:00 offset, one schedule per interval and days sharing it. A dated
 *   **exception** is a schedule valid_from = valid_to = that day (freq WEEKLY on that weekday, so it falls
 *   on that day only): with opens_at/closes_at when open at other hours, without when closed; its note
 *   in notes ("中文 / English").
 * - **Ids** are UUIDs derived from ours (version 5 style, SHA-1 of a fixed namespace and "facility:12",
 *   "service:12:legal_aid", …), so repeated exports are identical and importing our own export changes
 *   the facilities it came from. A location imported from elsewhere keeps its id in facility_external_id,
 *   so that a second import of the same file changes what the first added.
 */

// -----------------------------------------------------------------------------------------------
// Identifiers

// A fixed namespace for our derived identifiers; never change it, or exported ids change.
const namespace = Buffer.from('6f1c3a528d4e4b7a9c2e5a7d3e9b1f04', 'hex');

/** A UUID derived from a name (RFC 4122 version 5: SHA-1 of the namespace and the name). */
export function stableUuid(name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const organizationUuid = (id: number) => stableUuid(`organization:${id}`);
const facilityUuid = (id: number) => stableUuid(`facility:${id}`);

/** The attribute link types and identifier types this mapping writes and reads. */
const linkTypes = { kind: 'facility_kind', service: 'service_type', host: 'host_organization' } as const;
const placeIdentifierType = 'halfsky_place';
const slugIdentifierType = 'halfsky_slug';
const chinaOffset = '+08:00';

// -----------------------------------------------------------------------------------------------
// The published schemas

const schemaFolder = new URL('./hsds-schema/', import.meta.url);
let validators: { service: ValidateFunction; organization: ValidateFunction } | undefined;

// ajv-formats is a CommonJS module; its plugin is the default export, or the module itself.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as unknown as (ajv: Ajv2020) => void;

/** The HSDS 3.0 validators, compiled once from the published files with every schema they refer to. */
export function hsdsValidators(): { service: ValidateFunction; organization: ValidateFunction } {
  if (validators) return validators;
  // The published files carry table-package keywords (name, constraints, core…) that are not JSON
  // Schema, and the formats "csv" and "%Y": not strict, and those formats accept anything.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('csv', true);
  ajv.addFormat('%Y', true);
  for (const file of readdirSync(schemaFolder).filter((name) => name.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(new URL(file, schemaFolder), 'utf8')) as object, file);
  }
  const compiled = (key: string): ValidateFunction => {
    const validate = ajv.getSchema(key);
    if (!validate) throw new Error(`HSDS schema ${key} is missing`);
    return validate;
  };
  validators = { service: compiled('service.json'), organization: compiled('organization.json') };
  return validators;
}

function errorText(prefix: string, error: ErrorObject): string {
  return `${prefix}${error.instancePath}: ${error.message ?? 'is not valid'}`;
}

/** Checks a document against the published schemas; returns each problem as "path: message" (none when valid). */
export function validateHsdsDocument(document: unknown): string[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return ['/: must be an object with "services" (and "organizations")'];
  const { services, organizations } = document as Record<string, unknown>;
  if (!Array.isArray(services)) return ['/services: must be an array of HSDS services'];
  if (organizations !== undefined && !Array.isArray(organizations)) return ['/organizations: must be an array of HSDS organizations'];
  const { service, organization } = hsdsValidators();
  const problems: string[] = [];
  for (const [index, item] of services.entries()) {
    if (!service(item)) problems.push(...(service.errors ?? []).map((error) => errorText(`/services/${index}`, error)));
  }
  for (const [index, item] of (organizations ?? []).entries()) {
    if (!organization(item)) problems.push(...(organization.errors ?? []).map((error) => errorText(`/organizations/${index}`, error)));
  }
  return problems;
}

// -----------------------------------------------------------------------------------------------
// Export

type HsdsObject = Record<string, unknown>;

/** Leaves out the fields with nothing to say (HSDS fields are optional unless required). */
function present(object: HsdsObject): HsdsObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== '' && value !== null));
}

const dayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

function statusOfService(status: FacilityStatus): string {
  return status === 'active' ? 'active' : status === 'temporarily_closed' ? 'temporarily closed' : 'defunct';
}

function hsdsOrganization(organization: InterchangeOrganization): HsdsObject {
  const id = organizationUuid(organization.id);
  return present({
    id,
    name: organization.nameZh,
    alternate_name: organization.nameEn,
    description: organization.nameEn || organization.nameZh,
    parent_organization_id: organization.parentId === null ? undefined : organizationUuid(organization.parentId),
    organization_identifiers: [
      { id: stableUuid(`organization_identifier:${organization.id}`), organization_id: id, identifier_type: slugIdentifierType, identifier: organization.slug },
    ],
  });
}

function taxonomyTerm(list: 'facility_kind' | 'service_type', term: TaxonomyTerm): HsdsObject {
  const taxonomyId = stableUuid(`taxonomy:${list}`);
  return {
    id: stableUuid(`taxonomy_term:${list}:${term.code}`),
    code: term.code,
    name: term.nameZh,
    description: term.nameEn,
    language: 'zh',
    taxonomy_id: taxonomyId,
    taxonomy: {
      id: taxonomyId,
      name: list === 'facility_kind' ? 'Halfsky facility kinds' : 'Halfsky service types',
      description:
        list === 'facility_kind'
          ? 'Kinds of women’s service facilities kept by Halfsky (term code = facility_kind code).'
          : 'Services offered at women’s service facilities, as listed by Halfsky (term code = service_type code).',
    },
  };
}

function termAttribute(linkId: string, linkEntity: 'location' | 'service', linkType: string, term: HsdsObject): HsdsObject {
  return {
    id: stableUuid(`attribute:${linkEntity}:${linkId}:${String(term.id)}`),
    link_id: linkId,
    link_entity: linkEntity,
    link_type: linkType,
    taxonomy_term_id: term.id,
    taxonomy_term: term,
  };
}

/** The weekly hours as schedules: one per interval, with the days that share it. */
function weeklySchedules(locationId: string, hours: readonly WeeklyOpening[]): HsdsObject[] {
  const byInterval = new Map<string, WeeklyOpening[]>();
  for (const opening of hours) {
    const key = `${opening.opens}-${opening.closes}`;
    byInterval.set(key, [...(byInterval.get(key) ?? []), opening]);
  }
  return [...byInterval.entries()].map(([interval, openings]) => ({
    id: stableUuid(`schedule:${locationId}:weekly:${interval}`),
    location_id: locationId,
    freq: 'WEEKLY',
    interval: 1,
    byday: openings.map((opening) => dayCodes[opening.weekday - 1]).join(','),
    opens_at: `${openings[0]?.opens}${chinaOffset}`,
    closes_at: `${openings[0]?.closes}${chinaOffset}`,
    description: formatWeeklyHours(openings, 'code'),
  }));
}

function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Each exception as a schedule valid on its day only. */
function exceptionSchedules(locationId: string, exceptions: readonly HoursException[]): HsdsObject[] {
  return exceptions.map((exception) =>
    present({
      id: stableUuid(`schedule:${locationId}:${exception.onDate}:${exception.opens ?? 'closed'}`),
      location_id: locationId,
      valid_from: exception.onDate,
      valid_to: exception.onDate,
      dtstart: exception.onDate,
      freq: 'WEEKLY',
      byday: dayCodes[weekdayOf(exception.onDate) - 1],
      opens_at: exception.opens === null ? undefined : `${exception.opens}${chinaOffset}`,
      closes_at: exception.closes === null ? undefined : `${exception.closes}${chinaOffset}`,
      description: exception.opens === null ? 'closed' : `open ${exception.opens}-${exception.closes}`,
      notes: exception.noteZh === exception.noteEn ? exception.noteZh : `${exception.noteZh} / ${exception.noteEn}`,
    }),
  );
}

function hsdsLocation(context: InterchangeContext, facility: StoredFacility, locationId: string): HsdsObject {
  const content = facility.content;
  const chain = context.placeChain(content.placeId);
  const kind = context.kinds.get(content.kind);
  const attributes: HsdsObject[] = kind ? [termAttribute(locationId, 'location', linkTypes.kind, taxonomyTerm('facility_kind', kind))] : [];
  if (content.hostId !== null) {
    attributes.push({
      id: stableUuid(`attribute:location:${locationId}:host`),
      link_id: locationId,
      link_entity: 'location',
      link_type: linkTypes.host,
      value: organizationUuid(content.hostId),
    });
  }
  return present({
    id: locationId,
    location_type: 'physical',
    organization_id: organizationUuid(content.operatorId),
    name: content.nameZh,
    alternate_name: content.nameEn,
    description: content.descriptionZh,
    latitude: content.lat ?? undefined,
    longitude: content.lon ?? undefined,
    external_identifier: context.placeReference(content.placeId),
    external_identifier_type: placeIdentifierType,
    addresss:
      content.addressZh === ''
        ? undefined
        : [
            {
              id: stableUuid(`address:${locationId}`),
              location_id: locationId,
              address_1: content.addressZh,
              city: chain[1]?.nameZh ?? chain[0]?.nameZh ?? '',
              region: chain
                .slice(2)
                .map((place) => place.nameZh)
                .join(' '),
              state_province: chain[0]?.nameZh ?? '',
              postal_code: '',
              country: 'CN',
              address_type: 'physical',
            },
          ],
    phones: content.phone === '' ? undefined : [{ id: stableUuid(`phone:${locationId}`), location_id: locationId, number: content.phone }],
    accessibilitys:
      content.accessibilityZh === '' ? undefined : [{ id: stableUuid(`accessibility:${locationId}`), location_id: locationId, description: content.accessibilityZh }],
    schedules: [...weeklySchedules(locationId, content.hours), ...exceptionSchedules(locationId, content.exceptions)],
    attributes,
  });
}

/** The services of one facility: one per service type it offers, or one named after it when it offers none listed. */
function hsdsServices(context: InterchangeContext, facility: StoredFacility, locationId: string): HsdsObject[] {
  const content = facility.content;
  const location = hsdsLocation(context, facility, locationId);
  const organization = context.organizations.get(content.operatorId);
  const types = content.services.map((code) => context.services.get(code)).filter((type) => type !== undefined);
  const offered: (TaxonomyTerm | null)[] = types.length > 0 ? types : [null];
  return offered.map((type) => {
    const key = type === null ? `${facility.id}` : `${facility.id}:${type.code}`;
    const serviceId = stableUuid(`service:${key}`);
    return present({
      id: serviceId,
      organization_id: organizationUuid(content.operatorId),
      name: type?.nameZh ?? content.nameZh,
      alternate_name: type === null ? content.nameEn : type.nameEn,
      description: content.descriptionZh,
      url: content.website,
      email: content.email,
      status: statusOfService(content.status),
      assured_date: content.verifiedOn ?? undefined,
      organization: organization ? hsdsOrganization(organization) : undefined,
      attributes: type === null ? [] : [termAttribute(serviceId, 'service', linkTypes.service, taxonomyTerm('service_type', type))],
      service_at_locations: [{ id: stableUuid(`service_at_location:${key}`), service_id: serviceId, location_id: locationId, location }],
    });
  });
}

/** The HSDS document of the facilities (all, or one operator's and its units'); see the top of this file. */
export async function exportFacilitiesHsds(db: Executor, actor: Actor, operatorSlug?: string): Promise<HsdsObject> {
  const { context, facilities } = await loadExport(db, actor, operatorSlug);
  const external = new Map((await interchangeRepository.listExternalIds(db)).map((row) => [row.facility_id, row.location_uuid]));
  // Operators and hosts, and the federations above them, so that every parent id names an organization here.
  const organizationIds = new Set<number>();
  for (const { content } of facilities) {
    for (const start of [content.operatorId, content.hostId]) {
      for (let id = start; id !== null && !organizationIds.has(id); id = context.organizations.get(id)?.parentId ?? null) organizationIds.add(id);
    }
  }
  return {
    hsds_version: '3.0',
    description: 'Women’s service facilities from Halfsky: one location per facility, one service per facility and service type.',
    organizations: [...organizationIds]
      .sort((a, b) => a - b)
      .map((id) => context.organizations.get(id))
      .filter((organization) => organization !== undefined)
      .map(hsdsOrganization),
    services: facilities.flatMap((facility) => hsdsServices(context, facility, external.get(facility.id) ?? facilityUuid(facility.id))),
  };
}

// -----------------------------------------------------------------------------------------------
// Import

/** The largest HSDS document an import takes. */
export const hsdsImportLimits = { maxBytes: 20 * 1024 * 1024 };

const hsdsMessages = {
  notUtf8: (): Bilingual => ({ zh: '文件不是 UTF-8 编码的 JSON。', en: 'The file is not UTF-8 encoded JSON.' }),
  notJson: (detail: string): Bilingual => ({ zh: `文件不是有效的 JSON：${detail}`, en: `The file is not valid JSON: ${detail}` }),
  invalid: (problems: string[]): Bilingual => {
    const shown = problems.slice(0, 20).join('; ');
    const more = problems.length > 20 ? ` (+${problems.length - 20})` : '';
    return { zh: `文件不符合 HSDS 3.0 规范：${shown}${more}`, en: `The file does not follow HSDS 3.0: ${shown}${more}` };
  },
  noLocations: (): Bilingual => ({ zh: '文件中没有任何地点（location）。', en: 'The file has no locations.' }),
  unknownOrganization: (what: string): Bilingual => ({ zh: `本系统中没有对应“${what}”的组织。`, en: `No organization here answers to "${what}".` }),
  schedule: (index: number): Bilingual => ({
    zh: `schedules/${index}：只能导入每周开放时间（freq WEEKLY、byday、opens_at、closes_at）和单日例外（valid_from = valid_to）。`,
    en: `schedules/${index}: only weekly hours (freq WEEKLY, byday, opens_at, closes_at) and single-day exceptions (valid_from = valid_to) can be imported.`,
  }),
  time: (text: string): Bilingual => ({
    zh: `“${text}”不是北京时间的时刻（HH:MM，可带 +08:00）。`,
    en: `"${text}" is not a time of day in China's zone (HH:MM, optionally with +08:00).`,
  }),
  date: (text: string): Bilingual => interchangeMessages.date(text),
};

/** A location of the document, with where it first appears and the services offered there. */
interface LocationEntry {
  location: HsdsObject;
  path: string;
  services: HsdsObject[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): HsdsObject[] => (Array.isArray(value) ? value.filter((item): item is HsdsObject => typeof item === 'object' && item !== null) : []);

/** "09:00", "09:00:00", "09:00+08:00" → "09:00"; null for another zone or not a time. */
function localTime(value: unknown): string | null {
  const match = /^(\d{1,2}:\d{2}(?::00)?)(\+08:00|\+0800)?$/.exec(text(value) ?? '');
  return match ? normalizeTime(match[1] ?? '') : null;
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** The location's schedules as weekly hours and exceptions, or the problems that stop them. */
function readSchedules(schedules: HsdsObject[]): { hours: WeeklyOpening[]; exceptions: HoursException[]; problems: Bilingual[] } {
  const hours: WeeklyOpening[] = [];
  const exceptions: HoursException[] = [];
  const problems: Bilingual[] = [];
  for (const [index, schedule] of schedules.entries()) {
    const validFrom = text(schedule.valid_from);
    const opens = schedule.opens_at === undefined ? null : localTime(schedule.opens_at);
    const closes = schedule.closes_at === undefined ? null : localTime(schedule.closes_at);
    for (const [value, time] of [
      [schedule.opens_at, opens],
      [schedule.closes_at, closes],
    ] as const) {
      if (value !== undefined && time === null) problems.push(hsdsMessages.time(String(value)));
    }
    if (validFrom !== undefined) {
      if (!isDate(validFrom)) problems.push(hsdsMessages.date(validFrom));
      else if (text(schedule.valid_to) !== validFrom || (opens === null) !== (closes === null)) problems.push(hsdsMessages.schedule(index));
      else {
        const [noteZh = '', noteEn = noteZh] = (text(schedule.notes) ?? '').split(' / ');
        exceptions.push({ onDate: validFrom, opens, closes, noteZh, noteEn });
      }
      continue;
    }
    const days = (text(schedule.byday) ?? '').split(',').map((day) => dayCodes.indexOf(day.trim().toUpperCase() as (typeof dayCodes)[number]) + 1);
    const weekly = (schedule.freq === undefined || schedule.freq === 'WEEKLY') && schedule.valid_to === undefined;
    if (!weekly || days.some((day) => day === 0) || opens === null || closes === null) {
      problems.push(hsdsMessages.schedule(index));
      continue;
    }
    for (const weekday of days) hours.push({ weekday, opens, closes });
  }
  // Through the text forms: the same order, the same checks (overlaps, order) as forms and CSV files.
  const week = parseWeeklyHours(formatWeeklyHours(hours, 'code'));
  if (!week.ok) problems.push(interchangeMessages.field('hours', week.message));
  const days = parseExceptions(formatExceptions(exceptions));
  if (!days.ok) problems.push(interchangeMessages.field('exceptions', days.message));
  return { hours: week.ok ? week.value : [], exceptions: days.ok ? days.value : [], problems };
}

function statusOf(services: HsdsObject[]): FacilityStatus | undefined {
  const status = text(services[0]?.status);
  if (status === undefined) return undefined;
  return status === 'active' ? 'active' : status === 'temporarily closed' ? 'temporarily_closed' : 'closed';
}

function termCode(attributes: HsdsObject[], linkType: string): string[] {
  return attributes
    .filter((attribute) => attribute.link_type === linkType)
    .map((attribute) => text((attribute.taxonomy_term as HsdsObject | undefined)?.code))
    .filter((code) => code !== undefined);
}

/** Our organization for each organization id of the document: by our derived id, our slug, or the same Chinese name. */
function organizationMatcher(context: InterchangeContext, document: HsdsObject) {
  const byUuid = new Map<string, number>();
  for (const organization of context.organizations.values()) byUuid.set(organizationUuid(organization.id), organization.id);
  const byName = new Map<string, number[]>();
  for (const organization of context.organizations.values()) byName.set(organization.nameZh, [...(byName.get(organization.nameZh) ?? []), organization.id]);
  const described = [...list(document.organizations), ...list(document.services).map((service) => service.organization as HsdsObject | undefined)];
  for (const organization of described) {
    const id = text(organization?.id);
    if (!organization || id === undefined || byUuid.has(id)) continue;
    const slug = list(organization.organization_identifiers).find((identifier) => identifier.identifier_type === slugIdentifierType);
    const bySlug = context.organizationsBySlug.get(text(slug?.identifier) ?? '');
    const named = byName.get(text(organization.name) ?? '') ?? [];
    const match = bySlug?.id ?? (named.length === 1 ? named[0] : undefined);
    if (match !== undefined) byUuid.set(id, match);
  }
  return (id: string | undefined) => (id === undefined ? undefined : byUuid.get(id));
}

/** One location of the document as a draft: what it says of the facility, matched to a stored one. */
function locationDraft(
  context: InterchangeContext,
  row: number,
  entry: LocationEntry,
  organizationOf: (id: string | undefined) => number | undefined,
  facilityOf: (locationId: string) => number | undefined,
): FacilityDraft {
  const { location, services } = entry;
  const problems: Bilingual[] = [];
  const locationId = text(location.id) ?? '';
  const id = facilityOf(locationId) ?? null;
  const fields: FacilityDraft['fields'] = {};
  const operatorRef = text(location.organization_id) ?? text(services[0]?.organization_id) ?? text((services[0]?.organization as HsdsObject | undefined)?.id);
  const operator = organizationOf(operatorRef);
  if (operator !== undefined) fields.operatorId = operator;
  else if (operatorRef !== undefined) problems.push(interchangeMessages.field('operator', hsdsMessages.unknownOrganization(operatorRef)));
  const attributes = list(location.attributes);
  const [kind] = termCode(attributes, linkTypes.kind);
  if (kind !== undefined) fields.kind = kind;
  const host = attributes.find((attribute) => attribute.link_type === linkTypes.host);
  if (host) {
    const hostId = organizationOf(text(host.value));
    if (hostId === undefined) problems.push(interchangeMessages.field('host', hsdsMessages.unknownOrganization(text(host.value) ?? '')));
    else fields.hostId = hostId;
  } else fields.hostId = null;
  fields.services = services.flatMap((service) => termCode(list(service.attributes), linkTypes.service));
  if (location.external_identifier_type === placeIdentifierType && text(location.external_identifier) !== undefined) fields.place = text(location.external_identifier);
  fields.nameZh = text(location.name) ?? '';
  fields.nameEn = text(location.alternate_name) ?? '';
  fields.descriptionZh = text(location.description) ?? '';
  fields.addressZh = text(list(location.addresss ?? location.addresses)[0]?.address_1) ?? '';
  fields.phone = text(list(location.phones)[0]?.number) ?? '';
  fields.accessibilityZh = text(list(location.accessibilitys ?? location.accessibilities)[0]?.description) ?? '';
  const coordinate = (value: unknown) => (typeof value === 'number' ? Math.round(value * 1e6) / 1e6 : null);
  fields.lat = coordinate(location.latitude);
  fields.lon = coordinate(location.longitude);
  const schedules = readSchedules(list(location.schedules));
  problems.push(...schedules.problems);
  fields.hours = schedules.hours;
  fields.exceptions = schedules.exceptions;
  const status = statusOf(services);
  if (status !== undefined) fields.status = status;
  const assured = text(services[0]?.assured_date);
  if (assured !== undefined && !isDate(assured)) problems.push(interchangeMessages.field('verified_on', hsdsMessages.date(assured)));
  else fields.verifiedOn = assured ?? null;
  fields.email = text(services[0]?.email) ?? '';
  fields.website = text(services[0]?.url) ?? '';
  return { row, id, fields, problems, externalId: id === null ? locationId : undefined };
}

/** Reads an HSDS document (see the top of this file): UTF-8 JSON, valid against the published schemas. */
export function readHsdsDocument(file: Uint8Array): ReadFile {
  if (file.length > hsdsImportLimits.maxBytes) return { ok: false, problem: tooLargeProblem(hsdsImportLimits.maxBytes) };
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file));
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, problem: hsdsMessages.notJson(error.message) };
    return { ok: false, problem: hsdsMessages.notUtf8() };
  }
  const problems = validateHsdsDocument(document);
  if (problems.length > 0) return { ok: false, problem: hsdsMessages.invalid(problems) };
  const root = document as HsdsObject;
  const locations = new Map<string, LocationEntry>();
  for (const [serviceIndex, service] of list(root.services).entries()) {
    for (const [linkIndex, link] of list(service.service_at_locations).entries()) {
      const location = link.location as HsdsObject | undefined;
      const id = text(location?.id) ?? text(link.location_id);
      if (!location || id === undefined) continue;
      const entry = locations.get(id) ?? { location, path: `/services/${serviceIndex}/service_at_locations/${linkIndex}/location`, services: [] };
      entry.services.push(service);
      locations.set(id, entry);
    }
  }
  if (locations.size === 0) return { ok: false, problem: hsdsMessages.noLocations() };
  return {
    ok: true,
    rows: locations.size,
    drafts: (context: InterchangeContext, known: KnownFacilities) => {
      const byLocation = new Map<string, number>(known.facilityIds.map((id) => [facilityUuid(id), id]));
      for (const row of known.externalIds) byLocation.set(row.location_uuid, row.facility_id);
      const organizationOf = organizationMatcher(context, root);
      return [...locations.values()].map((entry, index) => locationDraft(context, index + 1, entry, organizationOf, (id) => byLocation.get(id)));
    },
  };
}

/**
 * Imports an HSDS document: every location becomes a facility (matched by the id our export gave it,
 * or the one a previous import remembered); a dry run reports, a real import is all or nothing.
 */
export async function importFacilitiesHsds(db: Kysely<Database>, actor: Actor, file: Uint8Array, options: { dryRun: boolean }): Promise<FacilityImportReport> {
  return runFacilityImport(db, actor, 'hsds', readHsdsDocument(file), options);
}

/** Tells an HSDS document from a CSV file by its first character (after a byte-order mark and spaces). */
export function looksLikeJson(file: Uint8Array): boolean {
  const start = Buffer.from(file.subarray(0, 64)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return start.startsWith('{') || start.startsWith('[');
}

