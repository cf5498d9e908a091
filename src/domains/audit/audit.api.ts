import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import * as auditService from './audit.service.ts';
import { auditEventListOutput, auditEventOutput, auditQuery } from './audit.schema.ts';

function toOutput(event: auditService.AuditEvent): z.infer<typeof auditEventOutput> {
  return {
    id: event.id,
    at: event.at.toISOString(),
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    actor: event.actor,
    ip: event.ip,
    before: event.before,
    after: event.after,
    changes: event.changes,
  };
}

/** JSON API for the audit log: platform administrators only; anyone else is told "not found". */
export const auditApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'List audit events, newest first',
        querystring: auditQuery,
        response: { 200: auditEventListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await auditService.listAuditEvents(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(toOutput) };
    },
  );
};
