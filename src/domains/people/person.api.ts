import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import * as personService from './person.service.ts';
import {
  personDetailOutput,
  personInput,
  personListOutput,
  personOutput,
  personParams,
  personPatch,
  personQuery,
  positionInput,
  positionListOutput,
  positionOutput,
  positionParams,
  positionPatch,
  positionQuery,
} from './person.schema.ts';

function personToOutput(person: personService.Person): z.infer<typeof personOutput> {
  return {
    id: person.id,
    nameZh: person.nameZh,
    nameEn: person.nameEn,
    organizationId: person.organizationId,
    notes: person.notes,
    createdAt: person.createdAt.toISOString(),
    updatedAt: person.updatedAt.toISOString(),
  };
}

function positionToOutput(position: personService.Position): z.infer<typeof positionOutput> {
  return {
    id: position.id,
    personId: position.personId,
    organizationId: position.organizationId,
    titleZh: position.titleZh,
    titleEn: position.titleEn,
    kind: position.kind,
    startsOn: position.startsOn,
    endsOn: position.endsOn,
    createdAt: position.createdAt.toISOString(),
    updatedAt: position.updatedAt.toISOString(),
  };
}

/** JSON API for people and the posts they hold: read for staff, write for editors of the organization concerned. */
export const personApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  const people = ['people'];
  const positions = ['positions'];

  app.get(
    '/api/v1/people',
    {
      schema: {
        tags: people,
        summary: 'List people',
        description:
          'q matches either name; organizationId includes the units below it; kind and on (YYYY-MM-DD) narrow to people ' +
          'holding such a post (in that organization, when given) on that day.',
        querystring: personQuery,
        response: { 200: personListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await personService.listPeople(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(personToOutput) };
    },
  );

  app.get(
    '/api/v1/people/:id',
    {
      schema: {
        tags: people,
        summary: 'Read a person with every post held, current first',
        params: personParams,
        response: { 200: personDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const detail = await personService.getPersonDetail(app.db, actorOf(request), request.params.id);
      return { ...personToOutput(detail), positions: detail.posts.map(positionToOutput) };
    },
  );

  app.post(
    '/api/v1/people',
    { schema: { tags: people, summary: 'Create a person', body: personInput, response: { 201: personOutput, ...apiErrorResponses } } },
    async (request, reply) => {
      const created = await personService.createPerson(app.db, actorOf(request), request.body);
      return reply.code(201).send(personToOutput(created));
    },
  );

  app.patch(
    '/api/v1/people/:id',
    {
      schema: { tags: people, summary: 'Change a person', params: personParams, body: personPatch, response: { 200: personOutput, ...apiErrorResponses } },
    },
    async (request) => personToOutput(await personService.updatePerson(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/people/:id',
    {
      schema: {
        tags: people,
        summary: 'Delete a person and every post they held',
        params: personParams,
        response: { 204: z.null(), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      await personService.deletePerson(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/positions',
    {
      schema: {
        tags: positions,
        summary: 'List posts',
        description: 'organizationId includes the units below it; on (YYYY-MM-DD) keeps the posts held that day.',
        querystring: positionQuery,
        response: { 200: positionListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await personService.listPositions(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(positionToOutput) };
    },
  );

  app.get(
    '/api/v1/positions/:id',
    { schema: { tags: positions, summary: 'Read a post', params: positionParams, response: { 200: positionOutput, ...apiErrorResponses } } },
    async (request) => positionToOutput(await personService.getPosition(app.db, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/positions',
    { schema: { tags: positions, summary: 'Give a person a post', body: positionInput, response: { 201: positionOutput, ...apiErrorResponses } } },
    async (request, reply) => {
      const created = await personService.createPosition(app.db, actorOf(request), request.body);
      return reply.code(201).send(positionToOutput(created));
    },
  );

  app.patch(
    '/api/v1/positions/:id',
    {
      schema: {
        tags: positions,
        summary: 'Change or end a post',
        params: positionParams,
        body: positionPatch,
        response: { 200: positionOutput, ...apiErrorResponses },
      },
    },
    async (request) => positionToOutput(await personService.updatePosition(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/positions/:id',
    { schema: { tags: positions, summary: 'Delete a post', params: positionParams, response: { 204: z.null(), ...apiErrorResponses } } },
    async (request, reply) => {
      await personService.deletePosition(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
