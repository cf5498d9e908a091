import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { contentTypeOfKey } from './media.image.ts';
import { isMediaKey } from './media.store.ts';

/** A strong validator for a file's bytes. */
function entityTag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

/**
 * Serves the library's files at /media/<key> on every site and host. A key names its content (the
 * upload's SHA-256, the width, the format), so a file never changes under its address: cached for
 * a year, immutable. Only well-formed keys reach the store; anything else is "not found".
 */
export const mediaFiles: FastifyPluginAsync = async (app) => {
  app.get('/media/:key', async (request, reply) => {
    const { key } = request.params as { key: string };
    const contentType = isMediaKey(key) ? contentTypeOfKey(key) : undefined;
    if (!contentType) return reply.callNotFound();
    const body = await app.mediaStore.get(key);
    if (!body) return reply.callNotFound();
    const tag = entityTag(body);
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', tag)
      .header('x-content-type-options', 'nosniff');
    if (matches(request.headers['if-none-match'], tag)) return reply.code(304).send();
    return reply.header('content-type', contentType).send(body);
  });
};
