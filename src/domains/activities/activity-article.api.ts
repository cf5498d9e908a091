import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiError, apiErrorResponses } from '../../platform/openapi.ts';
import * as activityArticleService from './activity-article.service.ts';
import { activityParams } from './activity.schema.ts';

/** The site to draft for; without it, the first of the organizers' sites the caller writes for. */
const draftArticleInput = z.object({ siteId: z.number().int().positive().optional() }).nullish();

/** JSON API of the step from an activity to the newsroom. */
export const activityArticleApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.post(
    '/api/v1/activities/:id/draft-article',
    {
      schema: {
        tags: ['activities'],
        summary: "Draft an update from an activity's record",
        description:
          'Writes a draft update in Chinese and English from the record (headline, date, organizers, the officials who attended ' +
          'with their posts that day, the stops in order with what was investigated, the sessions with their speakers, what was ' +
          'agreed, the attendees by federation) in the site\'s Updates section, and links it to the activity (see "articles" in ' +
          'GET /api/v1/activities/{id}); it then goes through the newsroom\'s review like any update. The caller must be able to ' +
          'read the activity and have write_articles on the site: siteId is the site of one of its organizers (400 bad_site ' +
          'otherwise); left out, the first such site the caller writes for.',
        params: activityParams,
        body: draftArticleInput,
        response: { 201: z.object({ articleId: z.number().int() }), ...apiErrorResponses, 422: apiError },
      },
    },
    async (request, reply) => {
      const articleId = await activityArticleService.draftArticleFromActivity(app.db, actorOf(request), request.params.id, request.body?.siteId);
      return reply.code(201).send({ articleId });
    },
  );
};
