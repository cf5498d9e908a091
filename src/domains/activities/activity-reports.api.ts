import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor, requireFeedActor } from '../../platform/auth.ts';
import { negotiateLocale } from '../../platform/i18n.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import { sendSpreadsheet, type SpreadsheetFormat } from '../../platform/spreadsheet.ts';
import * as calendarService from './activity-calendar.service.ts';
import { activityFeedQuery } from './activity-calendar.schema.ts';
import { dutyRecordOutput, dutyRecordParams, dutyRecordQuery } from './activity-duty.schema.ts';
import * as dutyService from './activity-duty.service.ts';
import { activitiesSheet, attendeesSheet } from './activity.export.ts';
import { activityFeed } from './activity.ical.ts';
import { activityQuery } from './activity.schema.ts';

const exportQuery = activityQuery.omit({ limit: true, offset: true });

/** The staff feed's filters, and the calendar token that may stand in its address. */
const staffFeedQuery = activityFeedQuery.extend({ token: z.string().max(200).optional() });

/**
 * The activities' iCalendar feed for staff: the same visibility as the list (internal activities only for
 * staff of one of their organizers). Besides the API's ways in, it takes a calendar token in its address.
 */
export const activityFeedApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireFeedActor);

  app.get(
    '/api/v1/activities.ics',
    {
      schema: {
        tags: ['activities'],
        summary: 'The activities as an iCalendar feed',
        description:
          'RFC 5545, for calendar clients: the latest 1,000 activities by their start that the caller may read, filtered by kind and ' +
          'topic (codes), place (id, with the places below it) and organization (id, with its units). UID activity-<id>@<host>; times ' +
          'in UTC; STATUS TENTATIVE (planned), CONFIRMED (held) or CANCELLED; URL the workspace page. Calendar clients that ' +
          'subscribe by address alone pass a calendar token (made under My account; it reads this feed and nothing else) as ' +
          'token=; an API token is refused there, and a calendar token anywhere else.',
        querystring: staffFeedQuery,
        produces: ['text/calendar'],
        response: { 200: z.string(), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const locale = negotiateLocale(request.headers['accept-language'], 'en');
      const activities = await calendarService.listStaffFeed(app.db, actorOf(request), request.query);
      const origin = `${request.protocol}://${request.host}`;
      const feed = activityFeed(activities, {
        name: locale === 'zh' ? 'Halfsky 活动' : 'Halfsky activities',
        host: request.hostname,
        locale,
        urlOf: (id) => `${origin}/workspace/activities/${id}`,
      });
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="activities.ics"').header('cache-control', 'no-store').send(feed);
    },
  );
};

/**
 * The activities' reports for staff: the CSV and XLSX exports of the list and of its attendees, and a
 * person's duty record. The same visibility as the list.
 */
export const activityReportsApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  const exports: { path: string; stem: string; format: SpreadsheetFormat; what: string; sheet: typeof activitiesSheet }[] = [
    { path: 'export.csv', stem: 'activities', format: 'csv', what: 'a row per activity', sheet: activitiesSheet },
    { path: 'export.xlsx', stem: 'activities', format: 'xlsx', what: 'a row per activity', sheet: activitiesSheet },
    { path: 'attendees.csv', stem: 'activity-attendees', format: 'csv', what: 'a row per attendee', sheet: attendeesSheet },
    { path: 'attendees.xlsx', stem: 'activity-attendees', format: 'xlsx', what: 'a row per attendee', sheet: attendeesSheet },
  ];
  for (const entry of exports) {
    app.get(
      `/api/v1/activities/${entry.path}`,
      {
        schema: {
          tags: ['activities'],
          summary: `Export activities as ${entry.format.toUpperCase()}, ${entry.what}`,
          description:
            `The list's filters (see GET /api/v1/activities), every matching activity, latest first, ${entry.what}. Headings and names ` +
            'in the language of Accept-Language (zh or en). ' +
            (entry.format === 'csv'
              ? 'UTF-8 with a byte-order mark, CRLF lines; a cell a spreadsheet would run as a formula is written behind an apostrophe.'
              : 'Office Open XML, written as it is read; date-times are Beijing time.'),
          querystring: exportQuery,
          produces: [entry.format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: z.string(), ...apiErrorResponses },
        },
      },
      async (request, reply) => {
        const locale = negotiateLocale(request.headers['accept-language'], 'en');
        const sheet = await entry.sheet(app.db, actorOf(request), request.query, locale);
        return sendSpreadsheet(reply, entry.format, entry.stem, sheet);
      },
    );
  }

  app.get(
    '/api/v1/people/:id/duty-record',
    {
      schema: {
        tags: ['activities'],
        summary: "A person's duty record for a year",
        description:
          'Every activity of the year (Asia/Shanghai; this year when left out) she led a delegation to, hosted, spoke at, took part ' +
          'in, owns a follow-up of, or that visited a facility she keeps, grouped by kind of involvement, with totals. Cancelled ' +
          'activities and absences are left out, and so are activities the caller may not read.',
        params: dutyRecordParams,
        querystring: dutyRecordQuery,
        response: { 200: dutyRecordOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const record = await dutyService.readDutyRecord(app.db, actorOf(request), request.params.id, request.query.year ?? dutyService.yearOf(new Date()));
      return {
        ...record,
        groups: record.groups.map((group) => ({
          involvement: group.involvement,
          entries: group.entries.map((entry) => ({
            ...entry,
            activity: { ...entry.activity, startsAt: entry.activity.startsAt.toISOString(), endsAt: entry.activity.endsAt.toISOString() },
          })),
        })),
      };
    },
  );
};
