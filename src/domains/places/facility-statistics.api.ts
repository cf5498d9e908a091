import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import { facilityStatisticsOutput, facilityStatisticsQuery } from './facility-statistics.schema.ts';
import * as statisticsService from './facility-statistics.service.ts';

/** JSON API of the facility statistics: counts for any member of the network. */
export const facilityStatisticsApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/facilities/statistics',
    {
      schema: {
        tags: ['facilities'],
        summary: 'Count the facilities within the places under one, by kind and status, with coverage by women’s homes',
        description:
          'place is the id of the place whose direct children make the rows, or "top" for the top-level places; without it, ' +
          "the place of the caller's own federation (the top level for a platform administrator). Each row counts the " +
          'facilities located anywhere within its place, and the communities and villages there with at least one active ' +
          "women's home; a row with itself=true counts what is located directly in the chosen place. operator keeps only " +
          'the facilities operated by that organization or a unit below it.',
        querystring: facilityStatisticsQuery,
        response: { 200: facilityStatisticsOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const statistics = await statisticsService.readFacilityStatistics(app.db, actorOf(request), request.query);
      return {
        ...statistics,
        kinds: statistics.kinds.map((kind) => ({ code: kind.code, nameZh: kind.nameZh, nameEn: kind.nameEn })),
      };
    },
  );
};
