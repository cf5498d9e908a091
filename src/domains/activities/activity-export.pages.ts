import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { sendSpreadsheet, type SpreadsheetFormat } from '../../platform/spreadsheet.ts';
import { workspaceLocale } from '../../platform/workspace-layout.tsx';
import { inLocale, PlaceRuleError } from '../places/place.rules.ts';
import { resolveParentReference } from '../places/place.service.ts';
import { activitiesSheet, attendeesSheet, type ExportQuery } from './activity.export.ts';
import { listFilters } from './activity.pages.tsx';

/** The list's filters of an export address; a bad one (a hand-made address) is a 400. */
async function exportQueryOf(request: FastifyRequest): Promise<ExportQuery> {
  const parsed = listFilters.safeParse(request.query);
  if (!parsed.success) throw new DomainError(400, 'invalid_request', 'The filters of this address are not valid.');
  const { place, limit: _limit, offset: _offset, ...query } = parsed.data;
  if (place === undefined) return query;
  try {
    return { ...query, placeId: (await resolveParentReference(request.server.db, actorOf(request), place)) ?? undefined };
  } catch (error) {
    if (error instanceof PlaceRuleError) throw new DomainError(400, 'invalid_request', inLocale('en', error.text));
    throw error;
  }
}

/**
 * The workspace's downloads of the activity list, under its filters: /workspace/activities/export.csv and
 * export.xlsx (a row per activity), attendees.csv and attendees.xlsx (a row per attendee).
 */
export const activityExportPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  const routes: { path: string; stem: string; format: SpreadsheetFormat; sheet: typeof activitiesSheet }[] = [
    { path: 'export.csv', stem: 'activities', format: 'csv', sheet: activitiesSheet },
    { path: 'export.xlsx', stem: 'activities', format: 'xlsx', sheet: activitiesSheet },
    { path: 'attendees.csv', stem: 'activity-attendees', format: 'csv', sheet: attendeesSheet },
    { path: 'attendees.xlsx', stem: 'activity-attendees', format: 'xlsx', sheet: attendeesSheet },
  ];
  for (const route of routes) {
    app.get(`/workspace/activities/${route.path}`, async (request: FastifyRequest, reply: FastifyReply) => {
      const sheet = await route.sheet(app.db, actorOf(request), await exportQueryOf(request), workspaceLocale(request));
      return sendSpreadsheet(reply, route.format, route.stem, sheet);
    });
  }
};
