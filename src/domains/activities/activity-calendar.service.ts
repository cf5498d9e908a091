import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formatDate } from '../../platform/time.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import type { Bilingual } from '../places/place.rules.ts';
import * as calendarRepository from './activity-calendar.repository.ts';
import type { ActivityFeedQuery, PortalCalendarQuery } from './activity-calendar.schema.ts';
import * as activityRepository from './activity.repository.ts';
import { activityTimeZone } from './activity.rules.ts';
import type { ActivityQuery } from './activity.schema.ts';
import * as activityService from './activity.service.ts';
import type { ActivityListItem, ListOptions, Taxon } from './activity.service.ts';

/**
 * The calendar of activities: a month grouped by day with what is coming and what is past, for staff
 * (whatever they may read: the service's list decides), and on each portal for the public (the site's
 * organization's public activities, nothing else); and the activities of the iCalendar feeds.
 */

/** How many activities a month shows at most; past this the page says how many more there are. */
export const monthLimit = 500;
/** How many coming and past activities the workspace calendar lists beside the month. */
export const workspaceListSize = 10;
/** Coming activities the portal lists (they are few: past ones are paged). */
export const portalUpcomingLimit = 50;
/** Past activities per page of the portal's calendar. */
export const portalPageSize = 20;
/** A feed carries the latest activities by their start, at most this many: what is planned and the recent past. */
export const feedLimit = 1000;

/** The filters the calendars and feeds share: kind and topic codes, an organizer (with its units), a place (with those below it). */
export interface CalendarFilter {
  kind?: string | undefined;
  topic?: string | undefined;
  organizationId?: number | undefined;
  placeId?: number | undefined;
}

/** A list of activities with how many match in all. */
export interface CalendarList {
  items: ActivityListItem[];
  total: number;
}

/** An activity on one day of the month: whether it begins or ends that day (an activity of several days shows on each). */
export interface CalendarEntry {
  activity: ActivityListItem;
  beginsThatDay: boolean;
  endsThatDay: boolean;
}

/** A day of the month that has activities. */
export interface CalendarDay {
  /** "YYYY-MM-DD" in Asia/Shanghai. */
  day: string;
  entries: CalendarEntry[];
}

/** A month of the calendar: its days with activities, the months around it, and how many activities it holds. */
export interface MonthView {
  /** "YYYY-MM". */
  month: string;
  previous: string;
  next: string;
  days: CalendarDay[];
  /** Activities going on in the month; more than `shown` when the month holds more than monthLimit. */
  total: number;
  shown: number;
}

/** The workspace calendar: the month, and the coming and past activities under the same filters. */
export interface WorkspaceCalendar {
  month: MonthView;
  upcoming: CalendarList;
  past: CalendarList;
}

/** "YYYY-MM": the month of an instant in Asia/Shanghai. */
export function monthOf(instant: Date): string {
  return formatDate(instant, activityTimeZone).slice(0, 7);
}

function shiftMonth(month: string, by: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const shifted = new Date(Date.UTC(year, index - 1 + by, 1));
  return shifted.toISOString().slice(0, 7);
}

function lastDayOf(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, index, 0)).toISOString().slice(0, 10);
}

function dayAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Puts each activity on every day of the month it goes on, days in order, activities in the order given. */
export function groupByDay(month: string, activities: readonly ActivityListItem[]): CalendarDay[] {
  const first = `${month}-01`;
  const last = lastDayOf(month);
  const days = new Map<string, CalendarEntry[]>();
  for (const activity of activities) {
    const begins = formatDate(activity.startsAt, activityTimeZone);
    const ends = formatDate(activity.endsAt, activityTimeZone);
    const from = begins > first ? begins : first;
    const to = ends < last ? ends : last;
    for (let day = from; day <= to; day = dayAfter(day)) {
      const entries = days.get(day) ?? [];
      entries.push({ activity, beginsThatDay: day === begins, endsThatDay: day === ends });
      days.set(day, entries);
    }
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, entries]) => ({ day, entries }));
}

function queryOf(filter: CalendarFilter, page: { limit: number; offset: number }, days: { from?: string; to?: string } = {}): ActivityQuery {
  return { kind: filter.kind, topic: filter.topic, organizationId: filter.organizationId, placeId: filter.placeId, ...days, ...page };
}

async function listOf(db: Executor, actor: Actor | null, query: ActivityQuery, options: ListOptions): Promise<CalendarList> {
  const page = await activityService.listActivities(db, actor, query, options);
  return { items: page.items, total: page.total };
}

async function monthView(db: Executor, actor: Actor | null, filter: CalendarFilter, month: string): Promise<MonthView> {
  const list = await listOf(db, actor, queryOf(filter, { limit: monthLimit, offset: 0 }, { from: `${month}-01`, to: lastDayOf(month) }), { order: 'earliest' });
  return {
    month,
    previous: shiftMonth(month, -1),
    next: shiftMonth(month, 1),
    days: groupByDay(month, list.items),
    total: list.total,
    shown: list.items.length,
  };
}

/**
 * The workspace calendar at `now`: the month's activities by day, those still going on or to come
 * (soonest first) and those past (latest first), all under the same filters and as the actor may read them.
 */
export async function readWorkspaceCalendar(db: Executor, actor: Actor, filter: CalendarFilter, month: string, now: Date): Promise<WorkspaceCalendar> {
  const page = { limit: workspaceListSize, offset: 0 };
  const [view, upcoming, past] = await Promise.all([
    monthView(db, actor, filter, month),
    listOf(db, actor, queryOf(filter, page), { order: 'earliest', endingFrom: now }),
    listOf(db, actor, queryOf(filter, page), { order: 'latest', endedBefore: now }),
  ]);
  return { month: view, upcoming, past };
}

// ---------------------------------------------------------------------------------------------
// The public calendar of a site

/** A place or an organization as the portal's filters offer it. */
export interface PublicChoice {
  id: number;
  name: Bilingual;
  parentId: number | null;
}

/** What the portal's calendar page shows. */
export interface PublicCalendar {
  filters: { kind: Taxon | undefined; topic: Taxon | undefined; place: PublicChoice | undefined; organization: PublicChoice | undefined; page: number };
  kinds: Taxon[];
  topics: Taxon[];
  /** The site's organization and the units below it. */
  organizations: PublicChoice[];
  /** The site's place and the places directly under it (and the place chosen, when it is further down). */
  places: PublicChoice[];
  upcoming: CalendarList;
  past: CalendarList & { page: number; pages: number };
}

/** A stop as the public reads it: where, the topic, when and why; never what was observed or found. */
export interface PublicStop {
  position: number;
  facility: Bilingual | null;
  place: Bilingual | null;
  topic: Taxon | null;
  startsAt: Date | null;
  endsAt: Date | null;
  purpose: Bilingual;
}

/** A public activity's page: its own fields, organizers, topics and itinerary; no attendees, minutes or findings. */
export interface PublicActivity extends ActivityListItem {
  topics: Taxon[];
  stops: PublicStop[];
}

interface SiteScope {
  organizationId: number;
  placeId: number | null;
  /** The site's organization and every unit below it. */
  organizations: Map<number, PublicChoice>;
}

async function siteScope(db: Executor, siteId: number): Promise<SiteScope> {
  const [scope, tree] = await Promise.all([calendarRepository.findSiteScope(db, siteId), organizationRepository.listOrganizationTree(db)]);
  if (!scope) throw notFound('No site has this address.');
  const children = new Map<number, typeof tree>();
  for (const row of tree) {
    if (row.parent_id === null) continue;
    const siblings = children.get(row.parent_id);
    if (siblings) siblings.push(row);
    else children.set(row.parent_id, [row]);
  }
  const organizations = new Map<number, PublicChoice>();
  const top = tree.find((row) => row.id === scope.organization_id);
  const queue = top ? [top] : [];
  for (let index = 0; index < queue.length; index += 1) {
    const row = queue[index];
    if (!row || organizations.has(row.id)) continue;
    organizations.set(row.id, { id: row.id, name: { zh: row.name_zh, en: row.name_en }, parentId: row.parent_id });
    queue.push(...(children.get(row.id) ?? []));
  }
  return { organizationId: scope.organization_id, placeId: scope.place_id, organizations };
}

async function taxa(db: Executor, table: 'activity_kind' | 'activity_topic'): Promise<Taxon[]> {
  return (await activityRepository.listTaxonomy(db, table)).map((row) => ({ code: row.code, nameZh: row.name_zh, nameEn: row.name_en }));
}

function choiceOf(row: { id: number; name_zh: string; name_en: string; parent_id: number | null }): PublicChoice {
  return { id: row.id, name: { zh: row.name_zh, en: row.name_en }, parentId: row.parent_id };
}

/** The filter of a site's public lists; an organization outside the site's tree, or an unknown place, is "not found". */
async function publicFilter(db: Executor, scope: SiteScope, query: ActivityFeedQuery): Promise<{ filter: CalendarFilter; place: PublicChoice | undefined }> {
  if (query.organization !== undefined && !scope.organizations.has(query.organization)) throw notFound('No organization of this site has this number.');
  const placeRow = query.place === undefined ? undefined : await calendarRepository.findPlaceNames(db, query.place);
  if (query.place !== undefined && !placeRow) throw notFound('No place has this number.');
  return {
    filter: { kind: query.kind, topic: query.topic, placeId: query.place, organizationId: query.organization ?? scope.organizationId },
    place: placeRow ? choiceOf(placeRow) : undefined,
  };
}

/**
 * A site's public calendar at `now`: the public activities organized by the site's organization or a
 * unit below it, coming ones soonest first and past ones a page at a time, latest first.
 */
export async function readPublicCalendar(db: Executor, siteId: number, query: PortalCalendarQuery, now: Date): Promise<PublicCalendar> {
  const scope = await siteScope(db, siteId);
  const { filter, place } = await publicFilter(db, scope, query);
  const [kinds, topics, placeRows, upcoming, past] = await Promise.all([
    taxa(db, 'activity_kind'),
    taxa(db, 'activity_topic'),
    scope.placeId === null ? Promise.resolve([]) : calendarRepository.listPlaceAndChildren(db, scope.placeId),
    listOf(db, null, queryOf(filter, { limit: portalUpcomingLimit, offset: 0 }), { order: 'earliest', endingFrom: now }),
    listOf(db, null, queryOf(filter, { limit: portalPageSize, offset: (query.page - 1) * portalPageSize }), { order: 'latest', endedBefore: now }),
  ]);
  const places = placeRows.map(choiceOf);
  if (place && !places.some((choice) => choice.id === place.id)) places.push(place);
  return {
    filters: {
      kind: kinds.find((kind) => kind.code === query.kind),
      topic: topics.find((topic) => topic.code === query.topic),
      place,
      organization: query.organization === undefined ? undefined : scope.organizations.get(query.organization),
      page: query.page,
    },
    kinds,
    topics,
    organizations: [...scope.organizations.values()],
    places,
    upcoming,
    past: { ...past, page: query.page, pages: Math.max(1, Math.ceil(past.total / portalPageSize)) },
  };
}

/** A public activity of a site: "not found" unless it is public and the site's organization (or a unit below it) organizes it. */
export async function readPublicActivity(db: Executor, siteId: number, id: number): Promise<PublicActivity> {
  const [scope, row] = await Promise.all([siteScope(db, siteId), activityRepository.findActivityById(db, id)]);
  if (!row || row.visibility !== 'public') throw notFound('No public activity of this site has this number.');
  const [activity] = await activityService.withOrganizersOf(db, [row]);
  if (!activity || !activity.organizers.some((organizer) => scope.organizations.has(organizer.id))) {
    throw notFound('No public activity of this site has this number.');
  }
  const [topics, stops] = await Promise.all([activityRepository.listTopicsOf(db, id), activityRepository.listStops(db, id)]);
  return {
    ...activity,
    topics: topics.map((topic) => ({ code: topic.code, nameZh: topic.name_zh, nameEn: topic.name_en })),
    stops: stops.map((stop) => ({
      position: stop.position,
      facility: stop.facility_name_zh !== null ? { zh: stop.facility_name_zh, en: stop.facility_name_en ?? '' } : null,
      place: stop.place_name_zh !== null ? { zh: stop.place_name_zh, en: stop.place_name_en ?? '' } : null,
      topic: stop.topic_code !== null ? { code: stop.topic_code, nameZh: stop.topic_name_zh ?? '', nameEn: stop.topic_name_en ?? '' } : null,
      startsAt: stop.starts_at,
      endsAt: stop.ends_at,
      purpose: { zh: stop.purpose_zh, en: stop.purpose_en },
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The activities of the iCalendar feeds

/** Where an activity takes place, for a calendar: its first stop. */
export interface FeedLocation {
  facility: Bilingual | null;
  address: Bilingual;
  place: Bilingual;
  /** The place above the stop's place ("Guanyinsi Sub-district" above a community), when there is one. */
  parentPlace: Bilingual | null;
}

/** An activity of a feed, with where it takes place. */
export interface FeedActivity extends ActivityListItem {
  location: FeedLocation | null;
}

async function feedOf(db: Executor, actor: Actor | null, filter: CalendarFilter): Promise<FeedActivity[]> {
  const { items } = await listOf(db, actor, queryOf(filter, { limit: feedLimit, offset: 0 }), { order: 'latest' });
  const stops = new Map((await calendarRepository.listFirstStops(db, items.map((item) => item.id))).map((stop) => [stop.activity_id, stop]));
  return items.map((item) => {
    const stop = stops.get(item.id);
    const location: FeedLocation | null = stop
      ? {
          facility: stop.facility_name_zh !== null ? { zh: stop.facility_name_zh, en: stop.facility_name_en ?? '' } : null,
          address: { zh: stop.address_zh ?? '', en: stop.address_en ?? '' },
          place: { zh: stop.place_name_zh, en: stop.place_name_en },
          parentPlace: stop.parent_name_zh !== null ? { zh: stop.parent_name_zh, en: stop.parent_name_en ?? '' } : null,
        }
      : null;
    return { ...item, location };
  });
}

/** A site's public feed: its public activities (see readPublicCalendar), the latest feedLimit by their start. */
export async function listPublicFeed(db: Executor, siteId: number, query: ActivityFeedQuery): Promise<FeedActivity[]> {
  const scope = await siteScope(db, siteId);
  const { filter } = await publicFilter(db, scope, query);
  return feedOf(db, null, filter);
}

/** The staff feed: the activities the actor may read (any organizer), the latest feedLimit by their start. */
export async function listStaffFeed(db: Executor, actor: Actor, query: ActivityFeedQuery): Promise<FeedActivity[]> {
  return feedOf(db, actor, { kind: query.kind, topic: query.topic, placeId: query.place, organizationId: query.organization });
}
