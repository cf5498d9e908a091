import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import * as organizationService from './organization.service.ts';
import {
  organizationInput,
  organizationListOutput,
  organizationOutput,
  organizationParams,
  organizationPatch,
  organizationQuery,
} from './organization.schema.ts';

function toOutput(organization: organizationService.Organization): z.infer<typeof organizationOutput> {
  return { ...organization, createdAt: organization.createdAt.toISOString(), updatedAt: organization.updatedAt.toISOString() };
}

const tags = ['organizations'];

/** JSON API for the organization network: read for staff, write for editors of the organization above. */
export const organizationApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/organizations',
    { schema: { tags, summary: 'List organizations', querystring: organizationQuery, response: { 200: organizationListOutput, ...apiErrorResponses } } },
    async (request) => {
      const page = await organizationService.listOrganizations(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(toOutput) };
    },
  );

  app.get(
    '/api/v1/organizations/:id',
    { schema: { tags, summary: 'Read an organization', params: organizationParams, response: { 200: organizationOutput, ...apiErrorResponses } } },
    async (request) => toOutput(await organizationService.getOrganization(app.db, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/organizations',
    { schema: { tags, summary: 'Create an organization', body: organizationInput, response: { 201: organizationOutput, ...apiErrorResponses } } },
    async (request, reply) => {
      const created = await organizationService.createOrganization(app.db, actorOf(request), request.body);
      return reply.code(201).send(toOutput(created));
    },
  );

  app.patch(
    '/api/v1/organizations/:id',
    {
      schema: {
        tags,
        summary: 'Change an organization',
        params: organizationParams,
        body: organizationPatch,
        response: { 200: organizationOutput, ...apiErrorResponses },
      },
    },
    async (request) =>
      toOutput(await organizationService.updateOrganization(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/organizations/:id',
    { schema: { tags, summary: 'Delete an organization', params: organizationParams, response: { 204: z.null(), ...apiErrorResponses } } },
    async (request, reply) => {
      await organizationService.deleteOrganization(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
