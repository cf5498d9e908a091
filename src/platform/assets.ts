import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';

interface Asset {
  name: string;
  body: Buffer;
  contentType: string;
  /** The address with a digest of the content in it, so that it can be cached for good. */
  href: string;
}

const contentTypes: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

function loadAsset(name: string, file: URL | string = new URL(`./assets/${name}`, import.meta.url)): Asset {
  const body = readFileSync(file);
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [base, extension = ''] = name.split('.');
  return { name, body, contentType: contentTypes[extension] ?? 'application/octet-stream', href: `/assets/${base}.${digest}.${extension}` };
}

const packageFile = createRequire(import.meta.url).resolve;

// Read once at start: the files are small and the same for every site. Leaflet (the directory's map)
// is read from its npm package and served under our own content-hashed addresses.
const assets = new Map(
  [
    loadAsset('portal.css'),
    loadAsset('workspace.css'),
    loadAsset('directory-map.js'),
    loadAsset('leaflet.js', packageFile('leaflet/dist/leaflet.js')),
    loadAsset('leaflet.css', packageFile('leaflet/dist/leaflet.css')),
  ].map((asset) => [asset.name, asset]),
);
const byHref = new Map([...assets.values()].map((asset) => [asset.href, asset]));

/** The cache-forever address of a stylesheet or script, e.g. /assets/portal.3f2a9c1b7e0d.css. */
export function assetHref(name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`no asset named ${name}`);
  return asset.href;
}

/** Serves the stylesheets and scripts with a year-long, immutable cache lifetime. */
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
