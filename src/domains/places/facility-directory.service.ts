import type { Executor } from '../../db/database.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { totalOf } from '../../platform/paging.ts';
import { mediaForDisplay, type Media } from '../media/media.service.ts';
import * as directoryRepository from './facility-directory.repository.ts';
import { listPhotoIdsOf, listServicesOf } from './facility.repository.ts';
import type { DirectoryFilter, PlaceStep } from './facility-directory.repository.ts';
import type { DirectoryQuery } from './facility-directory.schema.ts';
import type { FacilityStatus } from './facility.table.ts';
import { isOpenAt, localClock, normalizeTime, type HoursException, type WeeklyOpening } from './opening-hours.ts';
import type { Bilingual } from './place.rules.ts';
import { listPlaceAndAncestors } from './place.repository.ts';
import type { PlaceLevel } from './place.table.ts';

/**
 * The public service directory of a site: the facilities that the site's organization, or a unit
 * below it, operates and has not closed. Readers browse them by place, filter them by kind, service,
 * words and "open now", and read one facility's page. Everything here is public; what a site does
 * not list is "not found". Times are read on the facilities' clock at `now`, which callers pass so
 * that the same question always has the same answer.
 */

/** Facilities per page of the directory. */
export const directoryPageSize = 20;
/** How far the directory counts: past this the page says "more than", and the count stays cheap. */
export const directoryCountLimit = 1000;
/** Up to this many facilities open by their weekly hours, "open now" filters by their ids; beyond, row by row. */
const openIdsLimit = 5000;
/** Upcoming exceptions a facility's page shows. */
const upcomingExceptions = 20;

/** A kind of facility or a service, as readers see it. */
export interface Taxonomy {
  id: number;
  code: string;
  name: Bilingual;
}

/** A place on a facility's path down from the directory's top. */
export interface PathPlace {
  id: number;
  name: Bilingual;
  level: PlaceLevel;
}

/** One facility in the directory's list. */
export interface DirectoryEntry {
  id: number;
  kind: Taxonomy;
  name: Bilingual;
  address: Bilingual;
  /** Both or neither. */
  lat: number | null;
  lon: number | null;
  status: Exclude<FacilityStatus, 'closed'>;
  /** From the directory's top place down to the facility's place. */
  placePath: PathPlace[];
  services: Taxonomy[];
  /** Null when the facility has no regular hours and no exception today: nobody can say. */
  openNow: boolean | null;
}

/** What the directory page shows. */
export interface DirectoryPage {
  filters: { place: PathPlace | undefined; kind: Taxonomy | undefined; service: Taxonomy | undefined; q: string; open: boolean };
  kinds: Taxonomy[];
  services: Taxonomy[];
  /** From the directory's top place down to the place browsed (empty when the site has no place). */
  trail: PathPlace[];
  /** The places directly under the one browsed that have facilities in this directory. */
  childPlaces: PathPlace[];
  entries: DirectoryEntry[];
  /** How many match, at most directoryCountLimit; `more` when there are more than that. */
  total: number;
  more: boolean;
  page: number;
  /** How many pages there are; null when more match than were counted. */
  pages: number | null;
  hasNextPage: boolean;
}

/** A facility's page. */
export interface PublicFacility {
  id: number;
  kind: Taxonomy;
  name: Bilingual;
  address: Bilingual;
  description: Bilingual;
  accessibility: Bilingual;
  phone: string;
  email: string;
  /** An http(s) address, or '' (anything else is not offered as a link). */
  website: string;
  lat: number | null;
  lon: number | null;
  status: Exclude<FacilityStatus, 'closed'>;
  /** "YYYY-MM-DD": when the record was last checked; null when never. */
  verifiedOn: string | null;
  placePath: PathPlace[];
  operator: Bilingual;
  host: Bilingual | null;
  keeper: Bilingual | null;
  services: Taxonomy[];
  hours: WeeklyOpening[];
  /** Today's and later exceptions, soonest first. */
  exceptions: HoursException[];
  /** Null when the facility has no regular hours and no exception today: nobody can say. */
  openNow: boolean | null;
  photos: Media[];
  /** "YYYY-MM-DD" on the facilities' clock at the moment asked about. */
  today: string;
}

function toTaxonomy(row: { id: number; code: string; name_zh: string; name_en: string }): Taxonomy {
  return { id: row.id, code: row.code, name: { zh: row.name_zh, en: row.name_en } };
}

function toPathPlace(row: Pick<PlaceStep, 'id' | 'name_zh' | 'name_en' | 'level'>): PathPlace {
  return { id: row.id, name: { zh: row.name_zh, en: row.name_en }, level: row.level };
}

function coordinate(value: string | null): number | null {
  return value === null ? null : Number(value);
}

function listedStatus(status: FacilityStatus): Exclude<FacilityStatus, 'closed'> {
  // The repository never returns a closed facility; the type cannot know it.
  return status === 'closed' ? 'temporarily_closed' : status;
}

function toOpening(row: { weekday: number; opens: string; closes: string }): WeeklyOpening {
  return { weekday: row.weekday, opens: normalizeTime(row.opens) ?? row.opens, closes: normalizeTime(row.closes) ?? row.closes };
}

function toException(row: { on_date: string; opens: string | null; closes: string | null; note_zh: string; note_en: string }): HoursException {
  return {
    onDate: row.on_date,
    opens: row.opens === null ? null : (normalizeTime(row.opens) ?? row.opens),
    closes: row.closes === null ? null : (normalizeTime(row.closes) ?? row.closes),
    noteZh: row.note_zh,
    noteEn: row.note_en,
  };
}

/** Whether a listed facility takes visitors at `now`; null when it keeps no hours to tell by. */
function openNowOf(status: DirectoryEntry['status'], hours: WeeklyOpening[], exceptions: HoursException[], now: Date): boolean | null {
  if (status !== 'active') return false;
  const today = localClock(now).date;
  if (hours.length === 0 && !exceptions.some((exception) => exception.onDate === today)) return null;
  return isOpenAt(hours, exceptions, now);
}

/** Groups rows by a key, keeping their order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

/** The place paths of several places, each from the directory's top down (the whole path when the top is not above it). */
async function placePaths(db: Executor, placeIds: readonly number[], topId: number | null): Promise<Map<number, PathPlace[]>> {
  const steps = groupBy(await directoryRepository.listPlacesWithAncestors(db, placeIds), (step) => step.start_id);
  const paths = new Map<number, PathPlace[]>();
  for (const [placeId, upward] of steps) {
    const top = upward.findIndex((step) => step.id === topId);
    paths.set(placeId, (top < 0 ? upward : upward.slice(0, top + 1)).map(toPathPlace).reverse());
  }
  return paths;
}

async function directoryScope(db: Executor, siteId: number): Promise<{ organizationId: number; topPlaceId: number | null }> {
  const scope = await directoryRepository.findDirectoryScope(db, siteId);
  if (!scope) throw notFound('No site has this address.');
  return { organizationId: scope.organization_id, topPlaceId: scope.place_id };
}

/** The place browsed and its trail from the top, or a 404 for a place outside the directory's tree. */
async function browsedPlace(db: Executor, placeId: number, topPlaceId: number | null): Promise<PathPlace[]> {
  const upward = await listPlaceAndAncestors(db, placeId);
  if (upward.length === 0) throw notFound('No place of this directory has this number.');
  if (topPlaceId === null) return upward.map(toPathPlace).reverse();
  const top = upward.findIndex((place) => place.id === topPlaceId);
  if (top < 0) throw notFound('No place of this directory has this number.');
  return upward.slice(0, top + 1).map(toPathPlace).reverse();
}

function chosen(list: readonly Taxonomy[], code: string | undefined, what: 'kind' | 'service'): Taxonomy | undefined {
  if (code === undefined) return undefined;
  const found = list.find((item) => item.code === code);
  if (!found) throw badRequest(`${what}: no ${what === 'kind' ? 'kind of facility' : 'service'} has the code ${code}`, 'invalid_request');
  return found;
}

/**
 * One page of a site's directory: the facilities that match, place by place, each
 * with its place path, services and whether it is open at `now`; the places to browse into; the
 * choices of the filters. An unknown kind or service code is a 400, a place outside the site's tree a 404.
 */
export async function readDirectory(db: Executor, siteId: number, locale: Locale, query: DirectoryQuery, now: Date): Promise<DirectoryPage> {
  const [scope, kindRows, serviceRows] = await Promise.all([
    directoryScope(db, siteId),
    directoryRepository.listFacilityKinds(db),
    directoryRepository.listServiceTypes(db),
  ]);
  const kinds = kindRows.map(toTaxonomy);
  const services = serviceRows.map(toTaxonomy);
  const kind = chosen(kinds, query.kind, 'kind');
  const service = chosen(services, query.service, 'service');
  const trail = query.place === undefined ? [] : await browsedPlace(db, query.place, scope.topPlaceId);
  const browsed = trail.at(-1);
  const topTrail = browsed === undefined && scope.topPlaceId !== null ? await browsedPlace(db, scope.topPlaceId, scope.topPlaceId) : [];
  const clock = localClock(now);
  const q = query.q.trim();
  const [placeIds, weeklyOpenIds] = await Promise.all([
    browsed === undefined ? undefined : directoryRepository.listPlaceIdsWithin(db, browsed.id),
    query.open === '1' ? directoryRepository.listFacilitiesOpenWeekly(db, clock, openIdsLimit) : undefined,
  ]);
  const filter: DirectoryFilter = {
    organizationId: scope.organizationId,
    placeIds,
    kindId: kind?.id,
    serviceTypeId: service?.id,
    q: q === '' ? undefined : q,
    openAt:
      weeklyOpenIds === undefined
        ? undefined
        : { ...clock, weeklyOpenIds: weeklyOpenIds.length > openIdsLimit ? undefined : weeklyOpenIds },
  };
  const page = { limit: directoryPageSize, offset: (query.page - 1) * directoryPageSize };
  // One more than a page tells whether another page follows, whatever the count says.
  const [fetched, childRows] = await Promise.all([
    directoryRepository.listDirectoryFacilities(db, filter, locale, { limit: page.limit + 1, offset: page.offset }),
    directoryRepository.listChildPlacesWithFacilities(db, browsed?.id ?? scope.topPlaceId, scope.organizationId),
  ]);
  const rows = fetched.slice(0, page.limit);
  const ids = rows.map((row) => row.id);
  const [counted, paths, serviceLinks, hours, todays] = await Promise.all([
    totalOf(page, rows.length, () => directoryRepository.countDirectoryFacilities(db, filter, directoryCountLimit)),
    placePaths(db, rows.map((row) => row.place_id), scope.topPlaceId),
    listServicesOf(db, ids),
    directoryRepository.listHoursOf(db, ids),
    directoryRepository.listExceptionsOn(db, ids, clock.date),
  ]);
  const servicesBy = groupBy(serviceLinks, (link) => link.facility_id);
  const hoursBy = groupBy(hours, (row) => row.facility_id);
  const exceptionsBy = groupBy(todays, (row) => row.facility_id);
  const kindsById = new Map(kinds.map((item) => [item.id, item]));
  const entries = rows.map((row): DirectoryEntry => {
    const status = listedStatus(row.status);
    return {
      id: row.id,
      kind: kindsById.get(row.kind_id) ?? { id: row.kind_id, code: '', name: { zh: '', en: '' } },
      name: { zh: row.name_zh, en: row.name_en },
      address: { zh: row.address_zh, en: row.address_en },
      lat: coordinate(row.lat),
      lon: coordinate(row.lon),
      status,
      placePath: paths.get(row.place_id) ?? [],
      services: (servicesBy.get(row.id) ?? []).map(toTaxonomy),
      openNow: openNowOf(status, (hoursBy.get(row.id) ?? []).map(toOpening), (exceptionsBy.get(row.id) ?? []).map(toException), now),
    };
  });
  return {
    filters: { place: browsed, kind, service, q, open: query.open === '1' },
    kinds,
    services,
    trail: browsed === undefined ? topTrail : trail,
    childPlaces: childRows.map(toPathPlace),
    entries,
    total: Math.min(counted, directoryCountLimit),
    more: counted > directoryCountLimit,
    page: query.page,
    pages: counted > directoryCountLimit ? null : Math.max(1, Math.ceil(counted / directoryPageSize)),
    hasNextPage: fetched.length > page.limit,
  };
}

function safeWebsite(text: string): string {
  if (!/^https?:\/\//i.test(text)) return '';
  try {
    return new URL(text).href;
  } catch {
    return '';
  }
}

/**
 * A facility's page on a site: 404 unless the site's organization or a unit below it operates it and it
 * is not closed. Hours with today's and later exceptions, whether it is open at `now`, its photos.
 */
export async function readFacilityPage(db: Executor, siteId: number, facilityId: number, now: Date): Promise<PublicFacility> {
  const scope = await directoryScope(db, siteId);
  const row = await directoryRepository.findListedFacility(db, facilityId, scope.organizationId);
  if (!row) throw notFound('No facility of this site has this number.');
  const today = localClock(now).date;
  const [paths, serviceRows, hourRows, exceptionRows, photoIds] = await Promise.all([
    placePaths(db, [row.place_id], scope.topPlaceId),
    listServicesOf(db, [row.id]),
    directoryRepository.listHoursOf(db, [row.id]),
    directoryRepository.listUpcomingExceptions(db, row.id, today, upcomingExceptions),
    listPhotoIdsOf(db, row.id),
  ]);
  const media = await mediaForDisplay(db, photoIds);
  const hours = hourRows.map(toOpening);
  const exceptions = exceptionRows.map(toException);
  const status = listedStatus(row.status);
  const named = (zh: string | null, en: string | null): Bilingual | null => (zh === null ? null : { zh, en: en ?? '' });
  return {
    id: row.id,
    kind: { id: row.kind_id, code: row.kind_code, name: { zh: row.kind_name_zh, en: row.kind_name_en } },
    name: { zh: row.name_zh, en: row.name_en },
    address: { zh: row.address_zh, en: row.address_en },
    description: { zh: row.description_zh, en: row.description_en },
    accessibility: { zh: row.accessibility_zh, en: row.accessibility_en },
    phone: row.phone,
    email: row.email,
    website: safeWebsite(row.website),
    lat: coordinate(row.lat),
    lon: coordinate(row.lon),
    status,
    verifiedOn: row.verified_on,
    placePath: paths.get(row.place_id) ?? [],
    operator: { zh: row.operator_name_zh, en: row.operator_name_en },
    host: named(row.host_name_zh, row.host_name_en),
    keeper: named(row.keeper_name_zh, row.keeper_name_en),
    services: serviceRows.map(toTaxonomy),
    hours,
    exceptions,
    openNow: openNowOf(status, hours, exceptions, now),
    photos: photoIds.flatMap((id) => media.get(id) ?? []),
    today,
  };
}
