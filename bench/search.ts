/**
 * Article search on 100,000 bilingual articles: how long generating them takes (the database
 * computes every search vector as the rows go in), then search latency p50/p95/p99 for two-character
 * Chinese, four-character Chinese and English queries, one at a time and several at once. Prints
 * figures; judges nothing.
 *
 *   npm run bench:search                 embedded PostgreSQL in a fresh temporary folder
 *   BENCH_ARTICLES=20000 npm run bench:search
 *   BENCH_QUERIES=100 npm run bench:search   searches per query kind and mode (default 200)
 *
 * DATABASE_URL is ignored on purpose: the benchmark writes 100,000 made-up articles.
 */
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createDb, type Database } from '../src/db/database.ts';
import { loadDemo } from '../src/db/demo/load-demo.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { maxCandidates, searchArticles } from '../src/domains/articles/article-search.ts';
import { cjkTsquery, parseSearchQuery } from '../src/platform/search-text.ts';
import type { Locale } from '../src/platform/i18n.ts';
import { generateArticles } from './search-data.ts';
import { Cleanup, makeTempParent, removeDir, table } from './support.ts';

const ARTICLES = positiveInteger('BENCH_ARTICLES', 100_000);
const QUERIES = positiveInteger('BENCH_QUERIES', 200);
const CONCURRENCY = 8;
const PAGE_SIZE = 10;

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
  return value;
}

interface QueryKind {
  label: string;
  locale: Locale;
  queries: string[];
}

// Per kind, three words in most or half of the articles and three in about one in forty (see search-data.ts).
const kinds: QueryKind[] = [
  { label: '2-char Chinese', locale: 'zh', queries: ['妇联', '家庭', '直播', '托育', '心理', '非遗'] },
  { label: '4-char Chinese', locale: 'zh', queries: ['乡村振兴', '家庭教育', '基层妇联', '心理健康', '法律援助', '两癌筛查'] },
  { label: 'English', locale: 'en', queries: ['federation', 'rural revitalization', 'family education', 'mental health', 'legal aid', 'fraud prevention'] },
];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Runs `total` searches of a kind, `concurrency` at a time, and returns each one's latency. */
async function measure(db: Kysely<Database>, siteId: number, kind: QueryKind, total: number, concurrency: number): Promise<{ times: number[]; seconds: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const query = kind.queries[index % kind.queries.length]!;
      const page = index % 3 === 2 ? 2 : 1;
      const t0 = performance.now();
      await searchArticles(db, { siteId, locale: kind.locale, query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { times, seconds: (performance.now() - started) / 1000 };
}

async function main(cleanup: Cleanup): Promise<void> {
  const tempParent = await makeTempParent('halfsky-bench-search-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const server = await startEmbeddedPostgres({ dataDir: path.join(tempParent, 'postgres') });
  cleanup.add('PostgreSQL', () => server.stop());
  await server.ensureDatabase('halfsky_bench');
  const db = createDb(server.connectionString('halfsky_bench'), { maxConnections: CONCURRENCY + 2 });
  cleanup.add('pool', () => db.destroy());
  await migrateToLatest(db);
  await loadDemo(db);

  const generationStarted = performance.now();
  await generateArticles(db, ARTICLES);
  const generationMs = performance.now() - generationStarted;
  const analyzeStarted = performance.now();
  await sql`vacuum analyze article, article_translation`.execute(db);
  const analyzeMs = performance.now() - analyzeStarted;
  const sizes = await sql<{ translations: string; table: string; index: string }>`
    select (select count(*) from article_translation) as translations,
           pg_size_pretty(pg_total_relation_size('article_translation')) as table,
           pg_size_pretty(pg_relation_size('article_translation_search_idx')) as index`.execute(db);
  const size = sizes.rows[0]!;
  const version = await sql<{ server_version: string }>`show server_version`.execute(db);
  process.stdout.write(
    `PostgreSQL ${version.rows[0]!.server_version} (embedded) in ${tempParent}\n` +
      `generated ${ARTICLES} articles, ${size.translations} translations in all, in ${(generationMs / 1000).toFixed(1)} s ` +
      `(two statements at once, search vectors computed by the database); VACUUM ANALYZE ${(analyzeMs / 1000).toFixed(1)} s\n` +
      `article_translation ${size.table} with indexes; search index ${size.index}\n\n`,
  );

  const site = await db.selectFrom('site').select('id').where('is_default', '=', true).executeTakeFirstOrThrow();
  const matches: string[][] = [];
  for (const kind of kinds) {
    const inLocale = await db.selectFrom('article_translation').where('locale', '=', kind.locale).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const query of kind.queries) {
      const terms = parseSearchQuery(query);
      const tsquery = terms.latin === '' ? sql`${cjkTsquery(terms.cjk)}::tsquery` : sql`websearch_to_tsquery('english', ${terms.latin})`;
      const count = await sql<{ n: string }>`
        select count(*) as n from article_translation where locale = ${kind.locale} and search_vector @@ ${tsquery}`.execute(db);
      const n = Number(count.rows[0]!.n);
      const found = await searchArticles(db, { siteId: site.id, locale: kind.locale, query, limit: 0, offset: 0 });
      if (found.total === 0) throw new Error(`"${query}" finds nothing: the generated articles are not searchable`);
      matches.push([kind.label, query, String(n), `${((100 * n) / Number(inLocale.n)).toFixed(1)} %`, `${found.total}${found.more ? '+' : ''}`]);
    }
  }
  process.stdout.write(
    `matches per query: translations containing it (drafts too), their share of the language, and what search reports (newest ${maxCandidates} ranked)\n` +
      `${table([['kind', 'query', 'translations', 'share', 'searchArticles'], ...matches])}\n\n`,
  );

  // Other work on the machine shows in every figure below: the load average says how much there was.
  const loadBefore = os.loadavg().map((n) => n.toFixed(1)).join(' ');
  const rows: string[][] = [];
  for (const [mode, concurrency] of [['sequential', 1], [`${CONCURRENCY} at once`, CONCURRENCY]] as const) {
    for (const kind of kinds) {
      await measure(db, site.id, kind, Math.min(QUERIES, 30), concurrency); // warm-up
      const { times, seconds } = await measure(db, site.id, kind, QUERIES, concurrency);
      rows.push([kind.label, mode, String(times.length), ms(percentile(times, 50)), ms(percentile(times, 95)), ms(percentile(times, 99)), ms(Math.max(...times)), (times.length / seconds).toFixed(0)]);
    }
  }
  const load = os.loadavg().map((n) => n.toFixed(1)).join(' ');
  process.stdout.write(
    `searchArticles(): one page of ${PAGE_SIZE} with highlights and the total, pages 1 and 2 ` +
      `(${os.cpus().length} CPUs; load average ${loadBefore} before, ${load} after)\n` +
      `${table([['queries', 'mode', 'searches', 'p50', 'p95', 'p99', 'max', 'searches/s'], ...rows])}\n`,
  );
}

const cleanup = new Cleanup();
try {
  await main(cleanup);
} catch (error) {
  if (!cleanup.interrupted) process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanup.run();
}
