import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { renderDocument } from '../../platform/html.tsx';
import { locales, t } from '../../platform/i18n.ts';
import { formatDate } from '../../platform/time.ts';
import { maxCandidates, postgresArticleSearch, type ArticleSearchPage } from './article-search.ts';
import { portalParams } from './article.schema.ts';
import { Frame, portalContext, portalHref, type PortalContext } from './article.pages.tsx';

/** Results per page of the portal's search. */
export const searchPageSize = 10;
/** How deep readers may page: as far as the ranked matches go. */
const maxSearchPage = Math.ceil(maxCandidates / searchPageSize);

/** The search page's query string: the words (at most 200 characters; none shows the empty page) and the page. */
export const searchQuery = z.object({
  q: z.string().max(200, 'q must be at most 200 characters').default(''),
  page: z.coerce
    .number({ error: 'page must be a whole number' })
    .int('page must be a whole number')
    .min(1, 'page must be 1 or more')
    .max(maxSearchPage, `page must be ${maxSearchPage} or less`)
    .default(1),
});

/** What the search page shows. */
export interface SearchPageData {
  query: string;
  page: number;
  found: ArticleSearchPage;
  /** When nothing matched in the page's language: how many did in the other one ("200+" when more), or ''. */
  elsewhere: string;
}

/** The portal's search page: the query's results with highlighted titles and excerpts, paged. */
export function SearchView(props: { ctx: PortalContext; data: SearchPageData }): VNode {
  const { ctx, data } = props;
  const { locale } = ctx;
  const { query, page, found } = data;
  const pages = Math.max(1, Math.ceil(found.total / searchPageSize));
  const other = locales.find((l) => l !== locale) ?? locale;
  const title = t(locale, 'searchResults');
  return (
    <Frame ctx={ctx} title={query === '' ? title : `${query} - ${title}`} hrefIn={(l) => portalHref.search(ctx, l, query, l === locale ? page : 1)} searchQuery={query}>
      <h1>{title}</h1>
      {query === '' ? (
        <p>{t(locale, 'searchPrompt')}</p>
      ) : found.total === 0 ? (
        <>
          <p role="status">{t(locale, 'searchNoResults', { query })}</p>
          {data.elsewhere !== '' ? (
            <p>
              <a href={portalHref.search(ctx, other, query)} hrefLang={other === 'zh' ? 'zh-CN' : 'en'}>
                {t(locale, 'searchOtherLanguage', { count: data.elsewhere })}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p role="status">
            {found.more
              ? t(locale, 'searchCountMore', { count: found.total, query })
              : found.total === 1
                ? t(locale, 'searchCountOne', { query })
                : t(locale, 'searchCount', { count: found.total, query })}
          </p>
          {found.results.length === 0 ? <p>{t(locale, 'searchNoMorePages')}</p> : null}
          <ol class="results" start={(page - 1) * searchPageSize + 1}>
            {found.results.map((result) => (
              <li>
                <h2>
                  <a href={portalHref.article(ctx, result.locale, result.slug)} dangerouslySetInnerHTML={{ __html: result.titleHtml }} />
                </h2>
                <p dangerouslySetInnerHTML={{ __html: result.snippetHtml }} />
                <time dateTime={result.publishAt.toISOString()}>{formatDate(result.publishAt, ctx.site.timeZone)}</time>
              </li>
            ))}
          </ol>
          {pages > 1 ? (
            <nav class="pager" aria-label={t(locale, 'pagination')}>
              {page > 1 ? <a href={portalHref.search(ctx, locale, query, Math.min(page - 1, pages))}>{t(locale, 'previousPage')}</a> : <span />}
              <span>{t(locale, 'pageOf', { page, pages })}</span>
              {page < pages ? <a href={portalHref.search(ctx, locale, query, page + 1)}>{t(locale, 'nextPage')}</a> : <span />}
            </nav>
          ) : null}
        </>
      )}
    </Frame>
  );
}

/**
 * /:lang/search on every site. Not kept in the page cache: queries are endless, and caching them would
 * push the articles out. Readers search the page's language; when that finds nothing, the page says
 * how many the other language has.
 */
export const searchPages: FastifyPluginAsync = async (app) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const search = postgresArticleSearch(app.db);

  routes.get('/:lang/search', { schema: { params: portalParams, querystring: searchQuery } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const query = request.query.q.trim();
    const page = request.query.page;
    let found: ArticleSearchPage = { total: 0, more: false, results: [] };
    let elsewhere = '';
    if (query !== '') {
      found = await search.search({
        siteId: ctx.site.id,
        locale: ctx.locale,
        query,
        limit: searchPageSize,
        offset: (page - 1) * searchPageSize,
      });
      if (found.total === 0) {
        const other = locales.find((l) => l !== ctx.locale);
        const counted = other && (await search.search({ siteId: ctx.site.id, locale: other, query, limit: 0, offset: 0 }));
        if (counted && counted.total > 0) elsewhere = `${counted.total}${counted.more ? '+' : ''}`;
      }
    }
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(renderDocument(<SearchView ctx={ctx} data={{ query, page, found, elsewhere }} />));
  });
};
