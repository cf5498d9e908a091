import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

interface Asset {
  body: Buffer;
  contentType: string;
  /** The address with a digest of the content in it, so that it can be cached for good. */
  href: string;
}

const contentTypes: Record<string, string> = { css: 'text/css; charset=utf-8' };

function loadAsset(name: string): Asset {
  const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [base, extension = ''] = name.split('.');
  return { body, contentType: contentTypes[extension] ?? 'application/octet-stream', href: `/assets/${base}.${digest}.${extension}` };
}

// Read once at start: the stylesheets are small and the same for every site.
const assets = new Map(['portal.css', 'workspace.css'].map((name) => [name, loadAsset(name)]));
const byHref = new Map([...assets.values()].map((asset) => [asset.href, asset]));

/** The cache-forever address of a stylesheet, e.g. /assets/portal.3f2a9c1b7e0d.css. */
export function assetHref(name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`no asset named ${name}`);
  return asset.href;
}

/** Serves the stylesheets with a year-long, immutable cache lifetime. */
export const assetRoutes: FastifyPluginAsync = async (app) => {
  app.get('/assets/:file', async (request, reply) => {
    const asset = byHref.get(request.url.split('?')[0] ?? '');
    if (!asset) return reply.callNotFound();
    return reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });
};
