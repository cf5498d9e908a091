import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import * as placeService from './place.service.ts';
import { placeDetailOutput, placeInput, placeListOutput, placeOutput, placeParams, placePatch, placeQuery } from './place.schema.ts';

function toOutput(place: placeService.Place): z.infer<typeof placeOutput> {
  return {
    id: place.id,
    code: place.code,
    nameZh: place.nameZh,
    nameEn: place.nameEn,
    level: place.level,
    parentId: place.parentId,
    lat: place.lat,
    lon: place.lon,
    createdAt: place.createdAt.toISOString(),
    updatedAt: place.updatedAt.toISOString(),
  };
}

function summaryToOutput(place: placeService.PlaceSummary) {
  return { id: place.id, code: place.code, nameZh: place.nameZh, nameEn: place.nameEn, level: place.level };
}

const tags = ['places'];

/**
 * JSON API for the places gazetteer: read for staff; write within the places the organizations where the
 * caller may edit records cover (every place for platform administrators), as place.service.ts decides.
 */
export const placeApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/places',
    {
      schema: {
        tags,
        summary: 'List places',
        description:
          'q matches part of either name, or the leading digits of a code; parentId keeps the places directly under one, ' +
          'within the places anywhere below one, topLevel=true the places at the top.',
        querystring: placeQuery,
        response: { 200: placeListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await placeService.listPlaces(app.db, actorOf(request), request.query);
      return {
        ...page,
        items: page.items.map((item) => ({
          ...toOutput(item),
          parent: item.parent ? summaryToOutput(item.parent) : null,
          childCount: item.childCount,
        })),
      };
    },
  );

  app.get(
    '/api/v1/places/:id',
    {
      schema: {
        tags,
        summary: 'Read a place with its ancestors, top first',
        params: placeParams,
        response: { 200: placeDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const detail = await placeService.getPlaceDetail(app.db, actorOf(request), request.params.id);
      return { ...toOutput(detail), ancestors: detail.ancestors.map(summaryToOutput), childCount: detail.childCount };
    },
  );

  app.post(
    '/api/v1/places',
    {
      schema: {
        tags,
        summary: 'Add a place',
        description:
          "A place's level must be below its parent's; code (6–12 digits) is unique; lat and lon come together. " +
          'The parent must lie within the places the caller’s organizations cover (403 outside_territory otherwise); ' +
          'a place at the top level (no parent) needs a platform administrator.',
        body: placeInput,
        response: { 201: placeOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const created = await placeService.createPlace(app.db, actorOf(request), request.body);
      return reply.code(201).send(toOutput(created));
    },
  );

  app.patch(
    '/api/v1/places/:id',
    {
      schema: {
        tags,
        summary: 'Change a place',
        description:
          'Only a place within the places the caller’s organizations cover (404 otherwise); a new parent must lie within them too ' +
          '(403 outside_territory otherwise).',
        params: placeParams,
        body: placePatch,
        response: { 200: placeOutput, ...apiErrorResponses },
      },
    },
    async (request) => toOutput(await placeService.updatePlace(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/places/:id',
    {
      schema: {
        tags,
        summary: 'Delete a place that has no place below it and no organization in it',
        description: 'Only a place within the places the caller’s organizations cover (404 otherwise).',
        params: placeParams,
        response: { 204: z.null(), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      await placeService.deletePlace(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
