/**
 * Searching a site's articles in both languages. The index lives in PostgreSQL (migration 0006:
 * article_translation.search_vector, kept by the database itself), and callers go through the
 * {@link ArticleSearch} interface, so that a search engine could take over without the pages changing.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { locales, type Locale } from '../../platform/i18n.ts';
import {
  cjkTsquery,
  hasSearchTerms,
  headlineStandIns,
  highlight,
  markEnd,
  markStart,
  parseSearchQuery,
  type SearchTerms,
} from '../../platform/search-text.ts';
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
 * so without a bound a word in nearly every article (妇联 on a federation's site) would cost a read of
 * every article; 20 pages of results is also as far as readers go.
 */
export const maxCandidates = 200;
/**
 * How a query's candidates are found. Through the GIN index, every match is then read (visibility,
 * date), scattered over the table: fine for a few thousand. A query expected to match more is answered
 * by reading the newest `recentWindow` articles in order until maxCandidates match: its results come
 * from those articles only (a site with fewer is searched whole). Both ways cost at most a few thousand
 * row reads, whatever the size of the site.
 */
export interface SearchTuning {
  /** Expected matches beyond which the newest articles are read instead of the index. */
  indexBudget: number;
  /** How many of the newest articles a query of common words reads at most. */
  recentWindow: number;
}
const defaultTuning: SearchTuning = { indexBudget: 3000, recentWindow: 3000 };
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

/**
 * A condition that the article_translation row named `alias` contains the query: English words
 * stemmed, Chinese runs as written, through the same index as the portal's search. Undefined for a
 * query with nothing to look for. The workspace's lists use it to search drafts too.
 */
export function translationMatches(alias: string, query: string): RawBuilder<boolean> | undefined {
  const terms = parseSearchQuery(query);
  if (!hasSearchTerms(terms)) return undefined;
  return sql<boolean>`${sql.ref(`${alias}.search_vector`)} @@ ${tsqueryOf(terms.latin, cjkTsquery(terms.cjk))}`;
}

function translations(db: Executor, locale: Locale, params: ArticleSearchParams, now: Date) {
  const base = params.includeUnpublished
    ? db
        .selectFrom('article')
        .innerJoin('article_translation as tr', (join) => join.onRef('tr.article_id', '=', 'article.id').on('tr.locale', '=', locale))
    : publishedIn(db, locale, now);
  return base.where('article.site_id', '=', params.siteId);
}

/** How many translations there are, and how many contain each of the most common lexemes (one not listed is rare). */
export interface LexemeStatistics {
  rows: number;
  counts: Map<string, number>;
}

// From PostgreSQL's statistics of the column (ANALYZE keeps them), per database handle, for ten minutes.
const statisticsTtlMs = 10 * 60_000;
const lexemeStatistics = new WeakMap<Executor, { at: number; statistics: LexemeStatistics }>();

async function commonLexemes(db: Executor): Promise<LexemeStatistics> {
  const cached = lexemeStatistics.get(db);
  if (cached && Date.now() - cached.at < statisticsTtlMs) return cached.statistics;
  const result = await sql<{ rows: number; elems: string[] | null; freqs: number[] | null }>`
    select c.reltuples::float8 as rows, s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs
    from pg_class as c
    left join pg_stats as s
      on s.schemaname = current_schema() and s.tablename = c.relname and s.attname = 'search_vector'
    where c.oid = to_regclass('article_translation')`.execute(db);
  const row = result.rows[0];
  const rows = Math.max(0, Number(row?.rows ?? 0));
  const counts = new Map<string, number>();
  (row?.elems ?? []).forEach((lexeme, index) => counts.set(lexeme, Number(row?.freqs?.[index] ?? 0) * rows));
  const statistics = { rows, counts };
  lexemeStatistics.set(db, { at: Date.now(), statistics });
  return statistics;
}

/** Makes the next search read the statistics afresh (after a bulk import and ANALYZE, say). */
export function forgetSearchStatistics(db: Executor): void {
  lexemeStatistics.delete(db);
}

/**
 * At most how many translations can match a query (its querytree): a match needs every lexeme of an
 * AND, so the rarest one bounds it (the bigrams of one Chinese word occur together, so their product,
 * which PostgreSQL's planner takes, is far too low). A prefix ('妇':*) adds up the common lexemes it
 * starts; an OR counts as everything.
 */
export function mostMatches(tree: string, statistics: LexemeStatistics): number {
  if (tree.includes('|')) return statistics.rows;
  const bounds: number[] = [];
  for (const [, negated, quoted, prefix] of tree.matchAll(/(!?)\s*'((?:[^']|'')*)'(:\*)?/g)) {
    if (negated) continue;
    const lexeme = quoted!.replaceAll("''", "'");
    let count = statistics.counts.get(lexeme) ?? 0;
    if (prefix) for (const [other, otherCount] of statistics.counts) if (other !== lexeme && other.startsWith(lexeme)) count += otherCount;
    bounds.push(count);
  }
  return bounds.length === 0 ? statistics.rows : Math.min(statistics.rows, ...bounds);
}

/**
 * The newest matching translations in one language, at most maxCandidates, and whether older ones may
 * match too. A query of common words reads the newest `recentWindow` articles in order and stops at
 * maxCandidates matches; any other goes through the GIN index (see SearchTuning). `query`
 * has Chinese runs as ANDed bigrams, which the index answers exactly; ranking then keeps the phrases.
 */
async function candidates(
  db: Executor,
  locale: Locale,
  params: ArticleSearchParams,
  now: Date,
  query: RawBuilder<string>,
  common: boolean,
  recentWindow: number,
): Promise<{ ids: number[]; more: boolean }> {
  if (common) {
    const recent = translations(db, locale, params, now)
      .select(['article.id', 'article.publish_at', sql<string>`tr.search_vector`.as('search_vector')])
      .orderBy('article.publish_at', 'desc')
      .orderBy('article.id', 'desc')
      .limit(recentWindow);
    const rows = await db
      .selectFrom(recent.as('recent'))
      .where(sql<boolean>`recent.search_vector @@ ${query}`)
      .select('recent.id')
      .orderBy('recent.publish_at', 'desc')
      .orderBy('recent.id', 'desc')
      .limit(maxCandidates)
      .execute();
    if (rows.length === maxCandidates) return { ids: rows.map((row) => row.id), more: true };
    // Fewer than expected: were there older articles, beyond the window?
    const beyond = await translations(db, locale, params, now).select('article.id').orderBy('article.publish_at', 'desc').offset(recentWindow).limit(1).execute();
    return { ids: rows.map((row) => row.id), more: beyond.length > 0 };
  }
  const rows = await translations(db, locale, params, now)
    .where(sql<boolean>`tr.search_vector @@ ${query}`)
    .select('article.id')
    // An expression the publish_at index cannot deliver in order, so that the GIN index finds the matches.
    .orderBy(sql`article.publish_at + interval '0 seconds'`, 'desc')
    .orderBy('article.id', 'desc')
    .limit(maxCandidates + 1)
    .execute();
  return { ids: rows.slice(0, maxCandidates).map((row) => row.id), more: rows.length > maxCandidates };
}

/**
 * Finds the articles of a site whose title, summary or body match the query, best first (ts_rank_cd;
 * newest first on ties), with highlighted titles and excerpts. Readers see what publishedIn() lets them
 * see; `includeUnpublished` drops that rule. Ranking considers the newest {@link maxCandidates} matches
 * in each language: `total` stops there, and `more` tells that older ones exist.
 */
export async function searchArticles(
  db: Executor,
  params: ArticleSearchParams,
  tuning: SearchTuning = defaultTuning,
): Promise<ArticleSearchPage> {
  const terms = parseSearchQuery(params.query);
  if (!hasSearchTerms(terms)) return { total: 0, more: false, results: [] };
  const statistics = await commonLexemes(db);
  if (db.isTransaction) return searchIn(db, params, terms, statistics, tuning);
  return db.transaction().execute(async (tx) => {
    // A search's work is bounded and small: starting a parallel worker would take longer than doing it.
    await sql`set local max_parallel_workers_per_gather = 0`.execute(tx);
    return searchIn(tx, params, terms, statistics, tuning);
  });
}

async function searchIn(
  db: Executor,
  params: ArticleSearchParams,
  terms: SearchTerms,
  statistics: LexemeStatistics,
  tuning: SearchTuning,
): Promise<ArticleSearchPage> {
  const { latin } = terms;
  const now = params.now ?? new Date();
  // Candidates are found with the Chinese runs' bigrams ANDed, then ranked where the runs occur as written.
  const loose = tsqueryOf(latin, cjkTsquery(terms.cjk, 'all'));
  const query = tsqueryOf(latin, cjkTsquery(terms.cjk));
  // A query of exclusions only ('!foo' after stop words went) matches nearly everything and no index can serve it.
  const tree = (await sql<{ tree: string }>`select querytree(${loose}) as tree`.execute(db)).rows[0]?.tree ?? '';
  if (tree === 'T' || tree === '') return { total: 0, more: false, results: [] };

  const searched = locales.filter((locale) => params.locale === undefined || params.locale === locale);
  const common = mostMatches(tree, statistics) > tuning.indexBudget;
  const found = await Promise.all(
    searched.map(async (locale) => ({ locale, ...(await candidates(db, locale, params, now, loose, common, tuning.recentWindow)) })),
  );
  const more = found.some((branch) => branch.more);
  const ids = found.flatMap(({ ids }) => ids);
  const idLocales = found.flatMap(({ locale, ids }) => ids.map(() => locale));
  if (ids.length === 0) return { total: 0, more, results: [] };

  // All candidates ranked (a few hundred at most), so that the total is exact and any page can be cut from them.
  const ranked = await db
    .selectFrom('article')
    .innerJoin('article_translation as tr', 'tr.article_id', 'article.id')
    .where(sql<boolean>`(article.id, tr.locale) in (select * from unnest(${ids}::int[], ${idLocales}::text[]))`)
    .where(sql<boolean>`tr.search_vector @@ ${query}`)
    .select([
      'article.id',
      'tr.locale',
      sql<number>`ts_rank_cd(${rankWeights}::float4[], tr.search_vector, ${query})`.as('rank'),
    ])
    .orderBy('rank', 'desc')
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .orderBy('tr.locale')
    .execute();
  const total = ranked.length;
  const onPage = params.limit > 0 ? ranked.slice(params.offset, params.offset + params.limit) : [];
  if (onPage.length === 0) return { total, more, results: [] };

  // Titles and excerpts for the page's rows only, as ts_headline reads the whole text. It reads it as English, so it
  // gets the Latin part only (with the Chinese part it would find no cover); highlight() marks the Chinese runs.
  const latinQuery = tsqueryOf(latin, '');
  const headline = (text: RawBuilder<string>, options: string) => {
    const prepared = sql<string>`regexp_replace(translate(${text}, ${removed}, ${replacements}), '[\\u3400-\\u9fff]+', ${fenced}, 'g')`;
    return latin === '' ? prepared : sql<string>`ts_headline('english'::regconfig, ${prepared}, ${latinQuery}, ${options})`;
  };
  const rows = await db
    .selectFrom('article')
    .innerJoin('article_translation as tr', 'tr.article_id', 'article.id')
    .where(
      sql<boolean>`(article.id, tr.locale) in (select * from unnest(${onPage.map((hit) => hit.id)}::int[], ${onPage.map((hit) => hit.locale)}::text[]))`,
    )
    .select([
      'article.id',
      'article.section_id',
      'article.slug',
      'article.publish_at',
      'tr.locale',
      'tr.title',
      'tr.summary',
      headline(sql<string>`tr.title`, titleHeadlineOptions).as('marked_title'),
      headline(sql<string>`tr.summary || ' ' || halfsky_plain(tr.body_html)`, headlineOptions).as('marked_excerpt'),
    ])
    .execute();
  const byKey = new Map(rows.map((row) => [`${row.id}:${row.locale}`, row]));

  return {
    total,
    more,
    results: onPage.flatMap((hit) => {
      const row = byKey.get(`${hit.id}:${hit.locale}`);
      if (!row) return [];
      return [
        {
          articleId: row.id,
          sectionId: row.section_id,
          slug: row.slug,
          locale: row.locale,
          title: row.title,
          summary: row.summary,
          publishAt: row.publish_at,
          rank: Number(hit.rank),
          titleHtml: highlight(row.marked_title, terms.cjk),
          snippetHtml: highlight(row.marked_excerpt, terms.cjk, snippetLength[row.locale]),
        },
      ];
    }),
  };
}
