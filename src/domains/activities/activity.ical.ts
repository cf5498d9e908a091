import ical, { ICalEventStatus } from 'ical-generator';
import { localized, type Locale } from '../../platform/i18n.ts';
import type { Bilingual } from '../places/place.rules.ts';
import type { FeedActivity, FeedLocation } from './activity-calendar.service.ts';
import type { ActivityStatus } from './activity.table.ts';

/**
 * Activities as an iCalendar feed (RFC 5545) that calendar clients subscribe to, written by
 * ical-generator: one VEVENT per activity, times in UTC, a UID that stays the same for an activity
 * whatever changes in it, so that a client updates its copy rather than adding another.
 */

/** How an activity's status reads to a calendar: planned is tentative, held confirmed, cancelled cancelled. */
const eventStatus: Record<ActivityStatus, ICalEventStatus> = {
  planned: ICalEventStatus.TENTATIVE,
  held: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
};

/** What a feed says about itself, and where its activities' pages are. */
export interface FeedOptions {
  /** The calendar's name (X-WR-CALNAME). */
  name: string;
  /** The host name in every UID: activity-<id>@<host>. */
  host: string;
  locale: Locale;
  /** The absolute address of an activity's page. */
  urlOf: (id: number) => string;
}

function inLocale(locale: Locale, text: Bilingual): string {
  return localized(locale, text.zh || text.en, text.en || text.zh);
}

/** The UID of an activity's event: the same in every feed and at every change. */
export function activityUid(id: number, host: string): string {
  return `activity-${id}@${host}`;
}

/** "Facility, address" (or, without an address, "facility, place, place above"): the first stop as a calendar's location. */
export function locationText(locale: Locale, location: FeedLocation): string {
  const address = inLocale(locale, location.address);
  const where = address !== '' ? [address] : [inLocale(locale, location.place), location.parentPlace ? inLocale(locale, location.parentPlace) : ''];
  const parts = [location.facility ? inLocale(locale, location.facility) : '', ...where].filter((part) => part !== '');
  return [...new Set(parts)].join(localized(locale, '，', ', '));
}

function description(locale: Locale, activity: FeedActivity, url: string): string {
  const organizers = activity.organizers.map((organizer) => inLocale(locale, { zh: organizer.nameZh, en: organizer.nameEn })).join(localized(locale, '、', ', '));
  const lines = [
    inLocale(locale, { zh: activity.summaryZh, en: activity.summaryEn }),
    `${localized(locale, '类型：', 'Kind: ')}${inLocale(locale, { zh: activity.kind.nameZh, en: activity.kind.nameEn })}`,
    `${localized(locale, '主办单位：', 'Organized by: ')}${organizers}`,
    url,
  ];
  return lines.filter((line) => line !== '').join('\n');
}

/** The feed of these activities as iCalendar text. */
export function activityFeed(activities: readonly FeedActivity[], options: FeedOptions): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Halfsky', product: 'Activities', language: options.locale === 'zh' ? 'ZH' : 'EN' },
  });
  for (const activity of activities) {
    const url = options.urlOf(activity.id);
    calendar.createEvent({
      id: activityUid(activity.id, options.host),
      start: activity.startsAt,
      end: activity.endsAt,
      // The time of the record's last change: a client that polls sees the same feed until something changes.
      stamp: activity.updatedAt,
      lastModified: activity.updatedAt,
      created: activity.createdAt,
      summary: inLocale(options.locale, { zh: activity.titleZh, en: activity.titleEn }),
      description: description(options.locale, activity, url),
      location: activity.location ? locationText(options.locale, activity.location) : null,
      status: eventStatus[activity.status],
      url,
    });
  }
  return calendar.toString();
}
