import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiError, apiErrorResponses } from '../../platform/openapi.ts';
import { documentKinds } from '../agreements/document.table.ts';
import * as activityMeasureService from './activity-measure.service.ts';
import type { ImplementedMeasure } from './activity-measure.service.ts';
import { activityParams } from './activity.schema.ts';

const measureParams = z.object({ id: activityParams.shape.id, measureId: activityParams.shape.id });

const implementedMeasureOutput = z.object({
  id: z.number().int(),
  number: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  document: z.object({ id: z.number().int(), kind: z.enum(documentKinds), titleZh: z.string(), titleEn: z.string() }),
});

function measureToOutput(measure: ImplementedMeasure): z.infer<typeof implementedMeasureOutput> {
  return { id: measure.id, number: measure.number, titleZh: measure.titleZh, titleEn: measure.titleEn, document: { ...measure.document } };
}

/** JSON API of the measures of agreements and circulars that activities carry out. */
export const activityMeasureApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/activities/:id/measures',
    {
      schema: {
        tags: ['activities'],
        summary: 'List the measures an activity carries out',
        description: 'The measures of agreements, circulars and plans (GET /api/v1/measures/{id}) the activity is held to implement, with their documents.',
        params: activityParams,
        response: { 200: z.object({ items: z.array(implementedMeasureOutput) }), ...apiErrorResponses },
      },
    },
    async (request) => {
      const measures = await activityMeasureService.listMeasuresOfActivity(app.db, actorOf(request), request.params.id);
      return { items: measures.map(measureToOutput) };
    },
  );

  app.post(
    '/api/v1/activities/:id/measures',
    {
      schema: {
        tags: ['activities'],
        summary: 'Record that an activity carries out a measure',
        description:
          "The caller must be able to change the activity (edit_records on one of its organizers). 400 unknown_measure for a measure that does not exist, 409 already_linked when the activity carries it out already; audited on the activity.",
        params: activityParams,
        body: z.object({ measureId: z.number().int().positive() }),
        response: { 201: z.object({ items: z.array(implementedMeasureOutput) }), ...apiErrorResponses, 409: apiError },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await activityMeasureService.addMeasure(app.db, actor, request.params.id, request.body.measureId);
      const measures = await activityMeasureService.listMeasuresOfActivity(app.db, actor, request.params.id);
      return reply.code(201).send({ items: measures.map(measureToOutput) });
    },
  );

  app.delete(
    '/api/v1/activities/:id/measures/:measureId',
    {
      schema: {
        tags: ['activities'],
        summary: 'Stop counting an activity as carrying out a measure',
        description: 'The measure itself stays as it is; audited on the activity.',
        params: measureParams,
        response: { 204: z.null(), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      await activityMeasureService.removeMeasure(app.db, actorOf(request), request.params.id, request.params.measureId);
      return reply.code(204).send(null);
    },
  );
};
