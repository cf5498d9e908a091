/**
 * Searching a site's articles in both languages. The index lives in PostgreSQL (migration 0006:
 * article_translation.search_vector, kept by the database itself), and callers go through the
 * {@link ArticleSearch} interface, so that a search engine could take over without the pages changing.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { locales, type Locale } from '../../platform/i18n.ts';
import { cjkTsquery, hasSearchTerms, headlineStandIns, highlight, markEnd, markStart, parseSearchQuery } from '../../platform/search-text.ts';
import { publishedIn } from './article.repository.ts';

/** What to look for, where, and which page of the results. */
export interface ArticleSearchParams {
  siteId: number;
  /** One language; both when absent (an article matching in both is then found twice, once per language). */
  locale?: Locale;
  /** The reader's words, as typed. */
  query: string;
  /** 0 counts only. */
  limit: number;
  offset: number;
  /** Drafts, archived and scheduled articles too: for staff, whose access the caller has checked. */
  includeUnpublished?: boolean;
  now?: Date;
}

/** One language version of an article that matches. */
export interface ArticleSearchResult {
  articleId: number;
  sectionId: number;
  slug: string;
  locale: Locale;
  title: string;
  summary: string;
  publishAt: Date;
  rank: number;
  /** The title as HTML, the query's terms in <mark>; nothing else in it is markup. */
  titleHtml: string;
  /** An excerpt of the summary and body around the first match, as HTML like titleHtml. */
  snippetHtml: string;
}

/** A page of results and how many there are. */
export interface ArticleSearchPage {
  /** How many match, counting at most {@link maxCandidates} per language. */
  total: number;
  /** More match than `total` counts: older ones, left out of the ranking. */
  more: boolean;
  results: ArticleSearchResult[];
}

/** The seam between the portal and whatever answers its searches. */
export interface ArticleSearch {
  search(params: ArticleSearchParams): Promise<ArticleSearchPage>;
}

/** Article search answered by PostgreSQL's full-text search. */
export function postgresArticleSearch(db: Executor): ArticleSearch {
  return { search: (params) => searchArticles(db, params) };
}

/**
 * How many matches per language are ranked: the newest ones. Ranking reads each match's search vector,
 * so a word in nearly every article (妇联) would otherwise cost a read of every article.
 */
export const maxCandidates = 500;
// How many of the newest articles the first try reads (see candidates()).
const recentProbe = 5000;
// ts_rank_cd weights of D, C (body), B (summary), A (title): a title match outweighs several in the body.
const rankWeights = '{0.05, 0.1, 0.3, 1.0}';
// Excerpt lengths in characters: Chinese characters carry more than Latin letters.
const snippetLength: Record<Locale, number> = { zh: 110, en: 240 };
const headlineOptions = `StartSel=${markStart}, StopSel=${markEnd}, MaxWords=40, MinWords=20, ShortWord=2`;
const titleHeadlineOptions = `StartSel=${markStart}, StopSel=${markEnd}, HighlightAll=true`;
// What goes into ts_headline: the stand-ins and markers are removed, then '<' and '&' become stand-ins (translate()
// maps the first characters of `removed` to `replacements` and drops the others); Chinese runs are fenced.
const { fence, lessThan, ampersand } = headlineStandIns;
const removed = `<&${markStart}${markEnd}${fence}${lessThan}${ampersand}`;
const replacements = `${lessThan}${ampersand}`;
const fenced = `${fence}\\&${fence}`;

/** The query as a tsquery expression: the Latin part stemmed as English, the Chinese part as bigram phrases, ANDed. */
function tsqueryOf(latin: string, cjk: string): RawBuilder<string> {
  const latinQuery = sql`websearch_to_tsquery('english'::regconfig, ${latin})`;
  const cjkQuery = sql`${cjk}::tsquery`;
  if (latin === '') return sql<string>`${cjkQuery}`;
  if (cjk === '') return sql<string>`${latinQuery}`;
  return sql<string>`(${latinQuery} && ${cjkQuery})`;
}

function translations(db: Executor, locale: Locale, params: ArticleSearchParams, now: Date) {
  const base = params.includeUnpublished
    ? db
        .selectFrom('article')
        .innerJoin('article_translation as tr', (join) => join.onRef('tr.article_id', '=', 'article.id').on('tr.locale', '=', locale))
    : publishedIn(db, locale, now);
  return base.where('article.site_id', '=', params.siteId);
}

/**
 * The newest matching translations in one language, at most `maxCandidates`. A word most articles
 * contain (妇联 on a federation's site) is found fastest by reading articles newest first until enough
 * match; a rarer one through the GIN index. The first try reads at most the newest `recentProbe`
 * articles; when fewer than `maxCandidates` of them match, the word is rare enough for the index.
 * (PostgreSQL's own choice misjudges Chinese bigrams, which occur together far more often than chance.)
 */
async function candidates(
  db: Executor,
  locale: Locale,
  params: ArticleSearchParams,
  now: Date,
  query: RawBuilder<string>,
): Promise<number[]> {
  const recent = translations(db, locale, params, now)
    .select(['article.id', 'article.publish_at', sql<string>`tr.search_vector`.as('search_vector')])
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(recentProbe);
  const newest = await db
    .selectFrom(recent.as('recent'))
    .where(sql<boolean>`recent.search_vector @@ ${query}`)
    .select('recent.id')
    .orderBy('recent.publish_at', 'desc')
    .orderBy('recent.id', 'desc')
    .limit(maxCandidates)
    .execute();
  if (newest.length === maxCandidates) return newest.map((row) => row.id);
  const indexed = await translations(db, locale, params, now)
    .where(sql<boolean>`tr.search_vector @@ ${query}`)
    .select('article.id')
    // An expression the publish_at index cannot give in order: the GIN index finds the matches, then they are sorted.
    .orderBy(sql`article.publish_at + interval '0 seconds'`, 'desc')
    .orderBy('article.id', 'desc')
    .limit(maxCandidates)
    .execute();
  return indexed.map((row) => row.id);
}

/**
 * Finds the articles of a site whose title, summary or body match the query, best first (ts_rank_cd;
 * newest first on ties), with highlighted titles and excerpts. Readers see what publishedIn() lets them
 * see; `includeUnpublished` drops that rule. Ranking considers the newest {@link maxCandidates} matches
 * in each language: `total` stops there, and `more` tells that older ones exist.
 */
export async function searchArticles(db: Executor, params: ArticleSearchParams): Promise<ArticleSearchPage> {
  const terms = parseSearchQuery(params.query);
  const latin = terms.latin;
  const cjk = cjkTsquery(terms.cjk);
  if (!hasSearchTerms(terms)) return { total: 0, more: false, results: [] };
  const now = params.now ?? new Date();
  const query = tsqueryOf(latin, cjk);
  // A query of exclusions only ('!foo' after stop words went) matches nearly everything and no index can serve it.
  const usable = await sql<{ usable: boolean }>`select querytree(${query}) not in ('T', '') as usable`.execute(db);
  if (!usable.rows[0]?.usable) return { total: 0, more: false, results: [] };

  const searched = locales.filter((locale) => params.locale === undefined || params.locale === locale);
  const found = await Promise.all(searched.map(async (locale) => ({ locale, ids: await candidates(db, locale, params, now, query) })));
  const total = found.reduce((sum, { ids }) => sum + ids.length, 0);
  const more = found.some(({ ids }) => ids.length === maxCandidates);
  if (params.limit <= 0 || total === 0 || params.offset >= total) return { total, more, results: [] };

  const ids = found.flatMap(({ ids }) => ids);
  const idLocales = found.flatMap(({ locale, ids }) => ids.map(() => locale));
  const page = db
    .selectFrom('article')
    .innerJoin('article_translation as tr', 'tr.article_id', 'article.id')
    .innerJoin(sql<{ id: number; locale: Locale }>`unnest(${ids}::int[], ${idLocales}::text[])`.as('candidate(id, locale)'), (join) =>
      join.onRef('candidate.id', '=', 'article.id').onRef('candidate.locale', '=', 'tr.locale'),
    )
    .select([
      'article.id',
      'article.section_id',
      'article.slug',
      'article.publish_at',
      'tr.locale',
      sql<number>`ts_rank_cd(${rankWeights}::float4[], tr.search_vector, ${query})`.as('rank'),
    ])
    .orderBy('rank', 'desc')
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .orderBy('tr.locale')
    .limit(params.limit)
    .offset(params.offset);

  // Titles and excerpts for the page's rows only: ts_headline reads the whole text. Chinese runs are marked by highlight().
  // ts_headline reads text as English: it can only find the Latin words, and with the Chinese part it would find no cover.
  const latinQuery = tsqueryOf(latin, '');
  const headline = (text: RawBuilder<string>, options: string) => {
    const prepared = sql<string>`regexp_replace(translate(${text}, ${removed}, ${replacements}), '[\\u3400-\\u9fff]+', ${fenced}, 'g')`;
    return latin === '' ? prepared : sql<string>`ts_headline('english'::regconfig, ${prepared}, ${latinQuery}, ${options})`;
  };
  const rows = await db
    .selectFrom(page.as('hit'))
    .innerJoin('article_translation as tr', (join) =>
      join.onRef('tr.article_id', '=', 'hit.id').onRef('tr.locale', '=', 'hit.locale'),
    )
    .select([
      'hit.id',
      'hit.section_id',
      'hit.slug',
      'hit.publish_at',
      'hit.locale',
      'hit.rank',
      'tr.title',
      'tr.summary',
      headline(sql<string>`tr.title`, titleHeadlineOptions).as('marked_title'),
      headline(sql<string>`tr.summary || ' ' || halfsky_plain(tr.body_html)`, headlineOptions).as('marked_excerpt'),
    ])
    .orderBy('hit.rank', 'desc')
    .orderBy('hit.publish_at', 'desc')
    .orderBy('hit.id', 'desc')
    .orderBy('hit.locale')
    .execute();

  return {
    total,
    more,
    results: rows.map((row) => ({
      articleId: row.id,
      sectionId: row.section_id,
      slug: row.slug,
      locale: row.locale,
      title: row.title,
      summary: row.summary,
      publishAt: row.publish_at,
      rank: Number(row.rank),
      titleHtml: highlight(row.marked_title, terms.cjk),
      snippetHtml: highlight(row.marked_excerpt, terms.cjk, snippetLength[row.locale]),
    })),
  };
}
