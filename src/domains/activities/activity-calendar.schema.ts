import { z } from 'zod';
import { portalParams } from '../articles/article.schema.ts';
import { activityQuery } from './activity.schema.ts';

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);
// Ids are PostgreSQL integers: a larger number names nothing, and must not reach the database.
const optionalId = z.preprocess(blankToUndefined, z.coerce.number().int().positive().max(2_147_483_647).optional());

/** "2024-03": a month of the calendar. */
export const calendarMonth = z.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Give a month as YYYY-MM.');

/** The workspace calendar: a month, and the list's filters of kind, topic, organizer and place (by code or path). */
export const calendarQuery = z.object({
  month: z.preprocess(blankToUndefined, calendarMonth.optional()),
  kind: activityQuery.shape.kind,
  topic: activityQuery.shape.topic,
  organizationId: optionalId,
  /** A place by code or path ("110115/观音寺街道"), as the activity list names one. */
  place: z.preprocess(blankToUndefined, z.string().trim().max(1000).optional()),
});
export type CalendarQuery = z.infer<typeof calendarQuery>;

/**
 * The filters of the public calendar and of the iCalendar feeds: a kind and a topic by code, a place
 * (with those below it) and an organizer (with its units) by id.
 */
export const activityFeedQuery = z.object({
  kind: activityQuery.shape.kind,
  topic: activityQuery.shape.topic,
  place: optionalId,
  organization: optionalId,
});
export type ActivityFeedQuery = z.infer<typeof activityFeedQuery>;

/** The portal's calendar: the feed's filters and the page of past activities. */
export const portalCalendarQuery = activityFeedQuery.extend({
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});
export type PortalCalendarQuery = z.infer<typeof portalCalendarQuery>;

/** A portal activity's address: its number, digits only (checked in the route, so other addresses stay free). */
export const portalActivityParams = portalParams.extend({ id: z.string() });
export const activityNumber = /^[1-9][0-9]{0,8}$/;
