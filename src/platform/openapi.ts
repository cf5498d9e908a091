import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The body of every API error: `{ "error": { "code", "message" } }`. */
export const apiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The error answers every API route may give, for the OpenAPI document. */
export const apiErrorResponses = { 400: apiError, 401: apiError, 403: apiError, 404: apiError, 409: apiError };

/**
 * Describes the JSON API as OpenAPI 3.1, from the same zod schemas the routes validate with; only
 * routes under /api/ are listed. Register before the routes.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Halfsky API',
        version: '1.0.0',
        description:
          'The organizations, people and posts of a federation network. Authenticate with a personal API token ' +
          '(Authorization: Bearer hsk_…), or with a workspace session plus its CSRF token in x-csrf-token.',
      },
      components: { securitySchemes: { apiToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiToken: [] }],
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      if (!input.url.startsWith('/api/v1/')) return { ...transformed, schema: { ...transformed.schema, hide: true } };
      return transformed;
    },
  });
  app.withTypeProvider<ZodTypeProvider>().get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
