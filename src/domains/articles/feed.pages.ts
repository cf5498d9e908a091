import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../../platform/errors.ts';
import { portalContext, type PortalContext } from './article.pages.tsx';
import { portalParams } from './article.schema.ts';
import * as feedService from './feed.service.ts';
import { renderAtom, renderRobots, renderRss, renderSitemap } from './feed.xml.ts';

/** The formats a feed comes in, by the file name that asks for it. */
const feedFormats = {
  atom: { file: 'feed.xml', contentType: 'application/atom+xml; charset=utf-8', render: renderAtom },
  rss: { file: 'rss.xml', contentType: 'application/rss+xml; charset=utf-8', render: renderRss },
} as const;
type FeedFormat = keyof typeof feedFormats;

/** What a section feed's address asks for: the section's path and the format. */
export interface SectionFeedRequest {
  sectionPath: string;
  format: FeedFormat;
}

/**
 * Tells whether the section wildcard's path names a section's feed: "events/updates/feed.xml" (Atom)
 * or "…/rss.xml". A section slug has no dot, so no section can be called that.
 */
export function sectionFeedOf(wildcard: string): SectionFeedRequest | undefined {
  const match = /^(.+)\/(feed|rss)\.xml\/*$/.exec(wildcard);
  if (!match?.[1]) return undefined;
  return { sectionPath: match[1].replace(/\/+$/, ''), format: match[2] === 'rss' ? 'rss' : 'atom' };
}

/**
 * Sends an XML document from the page cache, rendering it on a miss. It belongs to the site, so any
 * change to the site's content drops it with the site's pages.
 */
async function sendCachedXml(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: Pick<PortalContext, 'site' | 'origin'>,
  contentType: string,
  render: () => Promise<string>,
): Promise<FastifyReply> {
  const cache = request.server.pageCache;
  const key = `xml:${ctx.origin}${request.url.replace(/\?.*$/, '')}`;
  let page = cache.get(key);
  if (!page) {
    page = { siteId: ctx.site.id, status: 200, parts: [Buffer.from(await render())] };
    cache.set(key, page);
  }
  return reply.code(200).header('content-type', contentType).header('cache-control', 'no-cache').send(page.parts[0]);
}

function sendFeed(request: FastifyRequest, reply: FastifyReply, ctx: PortalContext, format: FeedFormat, sectionPath?: string) {
  const section = sectionPath === undefined ? undefined : ctx.site.sectionsByPath.get(sectionPath);
  if (sectionPath !== undefined && !section) throw notFound('This section does not exist.');
  const { contentType, render } = feedFormats[format];
  return sendCachedXml(request, reply, ctx, contentType, async () => render(await feedService.readFeed(request.server.db, ctx, section)));
}

/** Sends a section's feed; the section page's route calls this for the addresses sectionFeedOf() recognizes. */
export function sendSectionFeed(request: FastifyRequest, reply: FastifyReply, ctx: PortalContext, feed: SectionFeedRequest) {
  return sendFeed(request, reply, ctx, feed.format, feed.sectionPath);
}

/** A site's feeds and sitemap; registered at the root and under /sites/:site like the portal's pages. */
export const feedPages: FastifyPluginAsync = async (app) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  for (const format of Object.keys(feedFormats) as FeedFormat[]) {
    routes.get(`/:lang/${feedFormats[format].file}`, { schema: { params: portalParams } }, async (request, reply) =>
      sendFeed(request, reply, await portalContext(request, request.params), format),
    );
  }

  routes.get('/sitemap.xml', { schema: { params: portalParams.pick({ site: true }) } }, async (request, reply) => {
    const ctx = await portalContext(request, { site: request.params.site });
    return sendCachedXml(request, reply, ctx, 'application/xml; charset=utf-8', async () =>
      renderSitemap(await feedService.readSitemap(request.server.db, ctx)),
    );
  });
};

/** /robots.txt at the root of every host: keeps crawlers out of the workspace and the API, and names the sitemaps. */
export const robotsTxt: FastifyPluginAsync = async (app) => {
  app.get('/robots.txt', async (request, reply) => {
    const sites = await request.server.sites.all();
    const hostname = request.hostname.toLowerCase();
    const origin = `${request.protocol}://${request.host}`;
    const hostSite = sites.find((site) => site.host === hostname);
    // A host name of a site's own serves that site only; any other serves the default site at / and the rest under /sites/.
    const served = hostSite
      ? [{ site: hostSite, basePath: '', origin }]
      : sites.filter((site) => site.isDefault || !site.host).map((site) => ({ site, basePath: site.isDefault ? '' : `/sites/${site.slug}`, origin }));
    return reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(renderRobots(feedService.sitemapsForHost(served, hostname)));
  });
};
