import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComponentChildren, VNode } from 'preact';
import { isBot } from 'isbot';
import { LRUCache } from 'lru-cache';
import { DomainError, notFound } from '../../platform/errors.ts';
import { renderDocument, TrustedHtml } from '../../platform/html.tsx';
import { isLocale, locales, localized, negotiateLocale, t, type Locale } from '../../platform/i18n.ts';
import { activityCalendarHref, PortalLayout, type AlternateLink } from '../../platform/layout.tsx';
import type { CachedPage } from '../../platform/page-cache.ts';
import { formatDate, formatDateTime } from '../../platform/time.ts';
import * as articleService from './article.service.ts';
import type { ArticlePage, ArticleSummary, HomePage, SectionPage } from './article.service.ts';
import { articleSlug, portalParams, sectionParams, sectionQuery, type ArticleParams } from './article.schema.ts';
import { sectionFeedOf, sendSectionFeed } from './feed.pages.ts';
import { fallbackDescription, PortalHead } from './portal-meta.tsx';
import type { Section, Site } from './site.service.ts';
import { MediaPicture } from '../media/media.picture.tsx';
import { listPublicActivitiesOfArticle, type ReportedActivity } from '../activities/activity-article.service.ts';

/** Where a portal page is being served: which site, in which language, under which address. */
export interface PortalContext {
  site: Site;
  locale: Locale;
  /** "" when the site is served at the root of its host, "/sites/<slug>" otherwise. */
  basePath: string;
  /** "https://example.org": the scheme and host the reader used. */
  origin: string;
}

/** Addresses of portal pages, relative to the host. */
export const portalHref = {
  home: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale) => `${ctx.basePath}/${locale}/`,
  section: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, section: Section) =>
    `${ctx.basePath}/${locale}/${section.path}`,
  article: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, slug: string) =>
    `${ctx.basePath}/${locale}/articles/${slug}`,
  search: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, query = '', page = 1) =>
    `${ctx.basePath}/${locale}/search${query === '' ? '' : `?q=${encodeURIComponent(query)}${page > 1 ? `&page=${page}` : ''}`}`,
};

// Stands in for the view count in cached article pages; random so that no content can forge it.
const viewCountSlot = `<!--views-${randomUUID()}-->`;

function Breadcrumb(props: { ctx: PortalContext; trail: Section[]; currentIsLast: boolean }): VNode {
  const { ctx, trail } = props;
  const { locale } = ctx;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <ol>
        <li>
          <a href={portalHref.home(ctx, locale)}>{t(locale, 'home')}</a>
        </li>
        {trail.map((section, index) => {
          const isCurrent = props.currentIsLast && index === trail.length - 1;
          return (
            <li>
              {isCurrent ? (
                <span aria-current="page">{section.name[locale]}</span>
              ) : (
                <a href={portalHref.section(ctx, locale, section)}>{section.name[locale]}</a>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function ArticleList(props: { ctx: PortalContext; articles: ArticleSummary[] }): VNode {
  const { ctx } = props;
  return (
    <ul class="list">
      {props.articles.map((article) => (
        <li>
          <a href={portalHref.article(ctx, ctx.locale, article.slug)}>{article.title}</a>
          <time dateTime={article.publishAt.toISOString()}>{formatDate(article.publishAt, ctx.site.timeZone)}</time>
        </li>
      ))}
    </ul>
  );
}

/** What the portal frame around a page needs. */
export interface FrameProps {
  ctx: PortalContext;
  title?: string;
  description?: string;
  /** The top-level section this page belongs to, highlighted in the navigation. */
  topSection?: Section;
  /** The same page in each language it exists in. */
  hrefIn: (locale: Locale) => string | undefined;
  /** The query to show in the header's search box. */
  searchQuery?: string;
  /** What the head says about the page beyond its title (canonical link, feeds, Open Graph, JSON-LD). */
  meta?: FrameMeta;
  children: ComponentChildren;
}

/** The head's description of a page: see PortalHead. */
export interface FrameMeta {
  /** The page's address as served, for its canonical link; hrefIn(ctx.locale) when left out; null: none (error pages). */
  selfHref?: string | null;
  section?: Section;
  article?: ArticlePage;
}

/** The portal frame of a site's page: navigation, language switch, search box. */
export function Frame(props: FrameProps): VNode {
  const { ctx } = props;
  const alternates: AlternateLink[] = [];
  const languageSwitch: AlternateLink[] = [];
  for (const locale of locales) {
    const href = props.hrefIn(locale);
    if (href) alternates.push({ locale, href: `${ctx.origin}${href}` });
    if (locale !== ctx.locale) languageSwitch.push({ locale, href: href ?? portalHref.home(ctx, locale) });
  }
  return (
    <PortalLayout
      locale={ctx.locale}
      siteName={ctx.site.name[ctx.locale]}
      homeHref={portalHref.home(ctx, ctx.locale)}
      title={props.title}
      description={props.description}
      navigation={[
        { href: portalHref.home(ctx, ctx.locale), label: t(ctx.locale, 'home'), current: !props.topSection && !props.title },
        ...ctx.site.sections.map((section) => ({
          href: portalHref.section(ctx, ctx.locale, section),
          label: section.name[ctx.locale],
          current: props.topSection?.id === section.id,
        })),
      ]}
      alternates={alternates}
      languageSwitch={languageSwitch}
      search={{ action: portalHref.search(ctx, ctx.locale), query: props.searchQuery }}
      head={
        <PortalHead
          ctx={ctx}
          title={props.title ?? ctx.site.name[ctx.locale]}
          description={props.description || fallbackDescription(ctx, props.title)}
          selfHref={props.meta?.selfHref === undefined ? (props.hrefIn(ctx.locale) ?? null) : props.meta.selfHref}
          alternateLocales={alternates.map((alternate) => alternate.locale).filter((locale) => locale !== ctx.locale)}
          section={props.meta?.section}
          article={props.meta?.article}
        />
      }
    >
      {props.children}
    </PortalLayout>
  );
}

/** The home page of a site in one language. */
export function HomeView(props: { ctx: PortalContext; home: HomePage }): VNode {
  const { ctx, home } = props;
  const { locale } = ctx;
  return (
    <Frame ctx={ctx} hrefIn={(l) => portalHref.home(ctx, l)}>
      <h1>{ctx.site.name[locale]}</h1>
      {home.lead ? (
        <section class="lead" aria-labelledby="lead-title">
          <h2 id="lead-title">
            <a href={portalHref.article(ctx, locale, home.lead.slug)}>{home.lead.title}</a>
          </h2>
          <p>{home.lead.summary}</p>
        </section>
      ) : (
        <p>{t(locale, 'noArticles')}</p>
      )}
      <div class="blocks">
        {home.blocks.map(({ section, articles }) => (
          <section aria-labelledby={`block-${section.id}`}>
            <h2 id={`block-${section.id}`}>
              <span>{section.name[locale]}</span>
              <a href={portalHref.section(ctx, locale, section)} aria-label={`${t(locale, 'more')}: ${section.name[locale]}`}>
                {t(locale, 'more')}
              </a>
            </h2>
            <ArticleList ctx={ctx} articles={articles} />
          </section>
        ))}
      </div>
    </Frame>
  );
}

/** One page of a section's list of updates. */
export function SectionView(props: { ctx: PortalContext; listing: SectionPage }): VNode {
  const { ctx, listing } = props;
  const { locale } = ctx;
  const pageHref = (page: number) => `${portalHref.section(ctx, locale, listing.section)}${page > 1 ? `?page=${page}` : ''}`;
  return (
    <Frame
      ctx={ctx}
      title={listing.section.name[locale]}
      topSection={listing.trail[0]}
      hrefIn={(l) => portalHref.section(ctx, l, listing.section)}
      meta={{ selfHref: pageHref(listing.page), section: listing.section }}
    >
      <Breadcrumb ctx={ctx} trail={listing.trail} currentIsLast />
      <h1>{listing.section.name[locale]}</h1>
      {listing.section.children.length > 0 ? (
        <ul class="lang" style="margin-bottom:1rem">
          {listing.section.children.map((child) => (
            <li>
              <a href={portalHref.section(ctx, locale, child)}>{child.name[locale]}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {listing.articles.length > 0 ? <ArticleList ctx={ctx} articles={listing.articles} /> : <p>{t(locale, 'noArticles')}</p>}
      {listing.pages > 1 ? (
        <nav class="pager" aria-label={t(locale, 'pagination')}>
          {listing.page > 1 ? <a href={pageHref(listing.page - 1)}>{t(locale, 'newer')}</a> : <span />}
          <span>{t(locale, 'pageOf', { page: listing.page, pages: listing.pages })}</span>
          {listing.page < listing.pages ? <a href={pageHref(listing.page + 1)}>{t(locale, 'older')}</a> : <span />}
        </nav>
      ) : null}
    </Frame>
  );
}

/** The article page; the view count is left as a slot to fill per request. */
export function ArticleView(props: { ctx: PortalContext; article: ArticlePage; views: string; activities?: readonly ReportedActivity[] }): VNode {
  const { ctx, article } = props;
  const { locale } = ctx;
  const link = (summary: ArticleSummary) => <a href={portalHref.article(ctx, locale, summary.slug)}>{summary.title}</a>;
  return (
    <Frame
      ctx={ctx}
      title={article.title}
      description={article.summary}
      topSection={article.trail[0]}
      hrefIn={(l) => (article.locales.includes(l) ? portalHref.article(ctx, l, article.slug) : undefined)}
      meta={{ article }}
    >
      <Breadcrumb ctx={ctx} trail={article.trail} currentIsLast={false} />
      <article>
        <h1>{article.title}</h1>
        <p class="meta">
          <span>
            {t(locale, 'date')}
            <time dateTime={article.publishAt.toISOString()}>{formatDateTime(article.publishAt, ctx.site.timeZone)}</time>
          </span>
          <span>
            {t(locale, 'views')}
            <span class="views" dangerouslySetInnerHTML={{ __html: props.views }} />
          </span>
        </p>
        {article.cover ? <MediaPicture class="cover" media={article.cover} locale={locale} loading="eager" /> : null}
        <TrustedHtml class="body" html={article.bodyHtml} />
        {props.activities && props.activities.length > 0 ? (
          <p class="reports-on">
            {localized(locale, '相关活动：', 'About the activity: ')}
            {props.activities.map((activity, index) => (
              <>
                {index > 0 ? localized(locale, '、', ', ') : null}
                <a href={`${activityCalendarHref(portalHref.home(ctx, locale))}/${activity.id}`}>
                  {localized(locale, activity.titleZh || activity.titleEn, activity.titleEn || activity.titleZh)}
                </a>
              </>
            ))}
          </p>
        ) : null}
      </article>
      <nav class="neighbours" aria-label={`${t(locale, 'previous')} / ${t(locale, 'next')}`}>
        {article.previous ? (
          <p>
            {t(locale, 'previous')}
            {t(locale, 'labelSeparator')}
            {link(article.previous)}
          </p>
        ) : null}
        {article.next ? (
          <p>
            {t(locale, 'next')}
            {t(locale, 'labelSeparator')}
            {link(article.next)}
          </p>
        ) : null}
      </nav>
      {article.related.length > 0 ? (
        <section aria-labelledby="related-title">
          <h2 id="related-title">{t(locale, 'related')}</h2>
          <ArticleList ctx={ctx} articles={article.related} />
        </section>
      ) : null}
    </Frame>
  );
}

/** An error page in the reader's language, inside the site's frame. */
export function ErrorView(props: { ctx: PortalContext; status: number }): VNode {
  const { ctx, status } = props;
  const { locale } = ctx;
  const [title, text] =
    status === 404
      ? [t(locale, 'notFoundTitle'), t(locale, 'notFoundText')]
      : status < 500
        ? [t(locale, 'badRequestTitle'), t(locale, 'badRequestText')]
        : [t(locale, 'serverErrorTitle'), t(locale, 'serverErrorText')];
  return (
    <Frame ctx={ctx} title={title} hrefIn={(l) => portalHref.home(ctx, l)} meta={{ selfHref: null }}>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href={portalHref.home(ctx, locale)}>{t(locale, 'backHome')}</a>
      </p>
    </Frame>
  );
}

/** The 404 page of an update that readers may see in another language only: it says so and links there. */
export function NotInLanguageView(props: { ctx: PortalContext; missing: articleService.ArticleNotInLanguage }): VNode {
  const { ctx, missing } = props;
  const { locale } = ctx;
  const title = t(locale, 'notInLanguageTitle');
  return (
    <Frame ctx={ctx} title={title} hrefIn={(l) => portalHref.home(ctx, l)} meta={{ selfHref: null }}>
      <h1>{title}</h1>
      <p>{t(locale, 'notInLanguageText')}</p>
      <ul>
        {missing.otherLocales.map((other) => (
          <li>
            <a href={portalHref.article(ctx, other, missing.slug)} hreflang={other === 'zh' ? 'zh-CN' : 'en'} lang={other === 'zh' ? 'zh-CN' : 'en'}>
              {t(other, 'readInThisLanguage')}
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href={portalHref.home(ctx, locale)}>{t(locale, 'backHome')}</a>
      </p>
    </Frame>
  );
}

// Readers come with a handful of User-Agents; the crawler pattern is long, so remember its verdicts.
const readerVerdicts = new LRUCache<string, boolean>({ max: 1000 });

/** Tells whether a request comes from a person's browser: crawlers and clients that give no name do not count. */
function isReader(userAgent: string | undefined): boolean {
  if (userAgent === undefined || userAgent.trim() === '') return false;
  let verdict = readerVerdicts.get(userAgent);
  if (verdict === undefined) {
    verdict = !isBot(userAgent);
    readerVerdicts.set(userAgent, verdict);
  }
  return verdict;
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Works out site, language and base path of a portal request; unknown site or language is a 404. */
export async function portalContext(request: FastifyRequest, params: { lang?: string; site?: string }): Promise<PortalContext> {
  const directory = request.server.sites;
  const site = params.site === undefined ? await directory.forHost(request.host) : await directory.bySlug(params.site);
  if (!site) throw notFound('No site has this address.');
  const basePath = params.site === undefined ? '' : `/sites/${site.slug}`;
  const locale = params.lang ?? site.defaultLocale;
  if (!isLocale(locale)) throw notFound('No such language.');
  return { site, locale, basePath, origin: originOf(request) };
}

/** Finds the language and site an error page should be shown in, from the address or the reader's browser. */
export async function errorPageContext(request: FastifyRequest): Promise<PortalContext | undefined> {
  const match = /^(?:\/sites\/([a-z0-9-]+))?\/([a-z]{2})(?:\/|$|\?)/.exec(request.url);
  const directory = request.server.sites;
  const site = match?.[1] ? await directory.bySlug(match[1]) : await directory.forHost(request.host);
  if (!site) return undefined;
  const fromPath = match?.[2];
  const locale =
    fromPath !== undefined && isLocale(fromPath) ? fromPath : negotiateLocale(request.headers['accept-language'], site.defaultLocale);
  return { site, locale, basePath: match?.[1] ? `/sites/${site.slug}` : '', origin: originOf(request) };
}

function cacheKey(request: FastifyRequest, ctx: PortalContext): string {
  return `${ctx.origin}${request.url}`;
}

/** Keeps a rendered page as UTF-8, split where the view count goes. */
function cachedPage(siteId: number, html: string, articleId?: number): CachedPage {
  const parts = (articleId === undefined ? [html] : html.split(viewCountSlot)).map((part) => Buffer.from(part));
  return { siteId, status: 200, parts, articleId };
}

function sendPage(reply: FastifyReply, page: CachedPage, views?: number): FastifyReply {
  const [first, ...rest] = page.parts;
  const html = rest.length === 0 ? (first ?? Buffer.alloc(0)) : Buffer.concat(page.parts.flatMap((part, index) => (index === 0 ? [part] : [Buffer.from(String(views ?? '')), part])));
  return reply
    .code(page.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(html);
}

/** Renders an error page for the portal, or undefined when no site is there to frame it. */
export async function renderPortalError(request: FastifyRequest, error: DomainError): Promise<string | undefined> {
  const ctx = await errorPageContext(request).catch(() => undefined);
  if (ctx && error instanceof articleService.ArticleNotInLanguage) return renderDocument(<NotInLanguageView ctx={ctx} missing={error} />);
  return ctx && renderDocument(<ErrorView ctx={ctx} status={error.status} />);
}

/** The public portal: home, section and article pages of every site, in both languages. */
export const portalPages: FastifyPluginAsync = async (app) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/', { schema: { params: portalParams.pick({ site: true }) } }, async (request, reply) => {
    const ctx = await portalContext(request, { site: request.params.site });
    const locale = negotiateLocale(request.headers['accept-language'], ctx.site.defaultLocale);
    return reply.header('vary', 'Accept-Language').redirect(portalHref.home(ctx, locale), 302);
  });

  routes.get('/:lang', { schema: { params: portalParams } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const key = cacheKey(request, ctx);
    let page = app.pageCache.get(key);
    if (!page) {
      const home = await articleService.readHomePage(app.db, ctx.site, ctx.locale);
      page = cachedPage(ctx.site.id, renderDocument(<HomeView ctx={ctx} home={home} />));
      app.pageCache.set(key, page);
    }
    return sendPage(reply, page);
  });

  routes.get(
    '/:lang/articles/:slug',
    // The hottest route: its parameters are plain strings checked below, so no schema runs for it.
    async (request: FastifyRequest<{ Params: ArticleParams }>, reply) => {
      const ctx = await portalContext(request, request.params);
      if (!articleSlug.test(request.params.slug)) throw notFound('No published article has this address.');
      const key = cacheKey(request, ctx);
      let page = app.pageCache.get(key);
      if (!page) {
        const article = await articleService.readArticlePage(app.db, ctx.site, ctx.locale, request.params.slug);
        app.viewCounter.remember(article.id, article.viewCount);
        const activities = await listPublicActivitiesOfArticle(app.db, ctx.site.id, article.id);
        page = cachedPage(ctx.site.id, renderDocument(<ArticleView ctx={ctx} article={article} views={viewCountSlot} activities={activities} />), article.id);
        app.pageCache.set(key, page);
      }
      if (page.articleId === undefined) return sendPage(reply, page);
      if (isReader(request.headers['user-agent'])) app.viewCounter.record(page.articleId);
      return sendPage(reply, page, await app.viewCounter.viewsOf(page.articleId));
    },
  );

  routes.get(
    '/:lang/*',
    { schema: { params: sectionParams, querystring: sectionQuery } },
    async (request, reply) => {
      const ctx = await portalContext(request, request.params);
      const feed = sectionFeedOf(request.params['*']);
      if (feed) return sendSectionFeed(request, reply, ctx, feed);
      const key = cacheKey(request, ctx);
      let page = app.pageCache.get(key);
      if (!page) {
        const path = request.params['*'].replace(/\/+$/, '');
        const listing = await articleService.readSectionPage(app.db, ctx.site, ctx.locale, path, request.query.page);
        page = cachedPage(ctx.site.id, renderDocument(<SectionView ctx={ctx} listing={listing} />));
        app.pageCache.set(key, page);
      }
      return sendPage(reply, page);
    },
  );
};
