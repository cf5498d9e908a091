/**
 * Throughput of the article page against a bare Fastify "hello", whether every view under load is
 * counted, and the memory the whole thing holds afterwards. Prints figures; judges nothing.
 *
 *   npm run bench                       embedded PostgreSQL in a fresh temporary DATA_DIR
 *   DATABASE_URL=postgres://… npm run bench
 *   BENCH_SECONDS=5 npm run bench       length of each measured round (default 10)
 *
 * Set-up, chosen for a small (2-core) machine: both servers live in this process, and autocannon
 * runs in a child process (bench/load-generator.ts, driven by LoadGenerator in bench/support.ts).
 * In the same process, autocannon would share the servers' event loop and its own JavaScript would be counted as server time; a worker thread
 * would get its own loop but share this process's heap accounting and RSS. As a child process it
 * gets its own core, the servers keep theirs, and process.memoryUsage().rss below is the servers'
 * alone. The client still competes for the 2 cores with the server and PostgreSQL, so absolute
 * figures are a floor; the bare reference is measured in exactly the same way, so the ratio is fair.
 * Rounds alternate bare → article → bare → article so drift (thermal, page cache, JIT) hits both.
 */
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { isBot } from 'isbot';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import type { Database } from '../src/db/database.ts';
import { seedArticleSlug } from '../src/db/demo/demo-content.ts';
import { startServer } from '../src/server.ts';
import type { LoadResult } from './load-generator.ts';
import { Cleanup, clusterMemory, LoadGenerator, makeTempParent, median, mib, removeDir, table } from './support.ts';

const CONNECTIONS = 100;
const ROUNDS = 2;
const WARMUP_SECONDS = 3;
const ROUND_SECONDS = positiveNumber('BENCH_SECONDS', 10);
// A current desktop Chrome on Windows: a reader, so every view of the article counts.
const CHROME_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  return value;
}

async function seedArticleViews(db: Kysely<Database>): Promise<number> {
  // /en/articles/<slug> on 127.0.0.1 is served by the default site (no site has that host name).
  const row = await db
    .selectFrom('article')
    .innerJoin('site', 'site.id', 'article.site_id')
    .select('article.view_count')
    .where('article.slug', '=', seedArticleSlug)
    .where('site.is_default', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.view_count);
}

const fmt = {
  rate: (n: number) => n.toFixed(0),
  // autocannon records latencies in whole milliseconds.
  ms: (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2)} ms`,
  int: (n: number) => String(n),
};

function resultRow(label: string, r: LoadResult): string[] {
  return [
    label,
    fmt.rate(r.requestsPerSecond),
    fmt.ms(r.latencyP50),
    fmt.ms(r.latencyP99),
    fmt.int(r.non2xx),
    fmt.int(r.errors),
    fmt.int(r.ok2xx),
    `${r.seconds.toFixed(2)} s`,
  ];
}

const header = ['run', 'req/s', 'p50', 'p99', 'non-2xx', 'errors', '2xx', 'took'];

function best(results: readonly LoadResult[]): LoadResult {
  return results.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
}

async function main(cleanup: Cleanup): Promise<void> {
  if (isBot(CHROME_USER_AGENT)) throw new Error('isbot takes the benchmark User-Agent for a crawler: its views would not count');
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky portal benchmark: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds of ${ROUND_SECONDS} s per server\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}; ` +
      `servers in this process (pid ${process.pid}), autocannon in a child process\n`,
  );

  // (a) the reference: Fastify answering a constant, nothing else.
  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  // (b) Halfsky, as `npm start` would run it but on port 0 and silent.
  const tempParent = await makeTempParent('halfsky-bench-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const dataDir = path.join(tempParent, 'data');
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const startedAt = performance.now();
  const server = await startServer(config);
  const startMs = performance.now() - startedAt;
  const stopHalfsky = cleanup.add('Halfsky', () => server.stop());
  const articleUrl = `${server.url}/en/articles/${seedArticleSlug}`;
  process.stdout.write(
    `database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${dataDir}`}; ` +
      `Halfsky started in ${startMs.toFixed(0)} ms (${config.databaseUrl ? 'migrate, and demo if empty' : 'initdb + migrate + demo'})\n` +
      `bare:    ${bareUrl}\narticle: ${articleUrl} (User-Agent: desktop Chrome, so each view counts)\n\n`,
  );

  const viewsBefore = await seedArticleViews(server.database.db);

  const generator = await LoadGenerator.start(CONNECTIONS);
  cleanup.add('load generator', () => generator.stop());
  const chrome = { 'user-agent': CHROME_USER_AGENT };

  process.stdout.write(`warming up (${WARMUP_SECONDS} s each)…\n`);
  const warmBare = await generator.run(bareUrl, WARMUP_SECONDS);
  const warmArticle = await generator.run(articleUrl, WARMUP_SECONDS, chrome);
  if (warmArticle.ok2xx === 0) throw new Error(`the article answered no 2xx during the warm-up (${warmArticle.non2xx} non-2xx, ${warmArticle.errors} errors)`);

  const bareRounds: LoadResult[] = [];
  const articleRounds: LoadResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}: bare… `);
    bareRounds.push(await generator.run(bareUrl, ROUND_SECONDS));
    process.stdout.write('article… ');
    articleRounds.push(await generator.run(articleUrl, ROUND_SECONDS, chrome));
    process.stdout.write('done\n');
  }

  // Memory after the load, before anything is stopped.
  const nodeMemory = process.memoryUsage();
  const pgMemory = config.databaseUrl ? undefined : await clusterMemory(path.join(dataDir, 'postgres'));

  const rows = [
    header,
    resultRow('bare warm-up', warmBare),
    resultRow('article warm-up', warmArticle),
    ...bareRounds.flatMap((r, i) => [resultRow(`bare #${i + 1}`, r), resultRow(`article #${i + 1}`, articleRounds[i]!)]),
  ];
  process.stdout.write(`\n${table(rows)}\n\n`);

  const bestBare = best(bareRounds);
  const bestArticle = best(articleRounds);
  const medianBare = median(bareRounds.map((r) => r.requestsPerSecond));
  const medianArticle = median(articleRounds.map((r) => r.requestsPerSecond));
  process.stdout.write(
    `${table([
      ['best round', 'req/s', 'p50', 'p99', 'non-2xx', `median req/s of ${ROUNDS}`],
      ['bare Fastify "hello"', fmt.rate(bestBare.requestsPerSecond), fmt.ms(bestBare.latencyP50), fmt.ms(bestBare.latencyP99), fmt.int(bestBare.non2xx), fmt.rate(medianBare)],
      ['Halfsky article', fmt.rate(bestArticle.requestsPerSecond), fmt.ms(bestArticle.latencyP50), fmt.ms(bestArticle.latencyP99), fmt.int(bestArticle.non2xx), fmt.rate(medianArticle)],
    ])}\n` +
      `ratio article/bare (req/s): best ${(bestArticle.requestsPerSecond / bestBare.requestsPerSecond).toFixed(3)}, ` +
      `median ${(medianArticle / medianBare).toFixed(3)}\n\n`,
  );

  process.stdout.write('memory after the load, before stop:\n');
  process.stdout.write(
    `  Node (this process: bare Fastify + Halfsky; autocannon not included): rss ${mib(nodeMemory.rss)}, ` +
      `heap used ${mib(nodeMemory.heapUsed)} of ${mib(nodeMemory.heapTotal)}\n`,
  );
  if (config.databaseUrl) {
    process.stdout.write('  PostgreSQL: not measured (DATABASE_URL: a server this benchmark did not start)\n\n');
  } else if (pgMemory === undefined) {
    process.stdout.write('  PostgreSQL: not measured (no postmaster.pid found)\n\n');
  } else {
    process.stdout.write(
      `  PostgreSQL (postmaster pid ${pgMemory.postmasterPid} + ${pgMemory.processes - 1} children): ` +
        `sum of VmRSS ${mib(pgMemory.rssBytes)}` +
        (pgMemory.pssBytes === undefined ? '' : `, sum of PSS ${mib(pgMemory.pssBytes)} (shared memory counted once)`) +
        '\n\n',
    );
  }

  // stop() flushes the counted views, closes the pool and stops the embedded PostgreSQL.
  const stopStarted = performance.now();
  await stopHalfsky();
  const stopMs = performance.now() - stopStarted;
  const reopened = await openDatabase(config);
  let viewsAfter: number;
  try {
    viewsAfter = await seedArticleViews(reopened.db);
  } finally {
    await reopened.close();
  }

  const articleRuns = [warmArticle, ...articleRounds];
  const reported2xx = articleRuns.reduce((sum, r) => sum + r.ok2xx, 0);
  const sent = articleRuns.reduce((sum, r) => sum + r.sent, 0);
  const completed = articleRuns.reduce((sum, r) => sum + r.completed, 0);
  const increase = viewsAfter - viewsBefore;
  const difference = increase - reported2xx;
  process.stdout.write(
    `every view counted? (Halfsky stop() took ${stopMs.toFixed(0)} ms, final flush included)\n` +
      `  view_count of ${seedArticleSlug}: ${viewsBefore} before, ${viewsAfter} after: increase ${increase}\n` +
      `  2xx article responses reported by autocannon (warm-up + ${ROUNDS} rounds): ${reported2xx}\n` +
      `  match exactly: ${difference === 0 ? 'yes' : `no (increase − 2xx = ${difference > 0 ? '+' : ''}${difference})`}\n`,
  );
  if (difference !== 0) {
    // autocannon ends a timed run by destroying its sockets: requests already written (sent) but not
    // yet answered (completed) may have reached the server and been counted, without a 2xx on record.
    const cutOff = sent - completed;
    const verdict =
      difference < 0
        ? 'FEWER views stored than 2xx answers received: views were lost'
        : increase > sent
          ? 'MORE views stored than requests sent: views were counted twice'
          : increase === sent
            ? 'increase = requests sent: the cut-off requests had reached the server and were counted; no view lost, none counted twice'
            : 'the surplus lies within the cut-off requests (some reached the server, some did not): no view lost, none counted twice';
    process.stdout.write(
      `  requests sent ${sent}, answered ${completed}: ${cutOff} cut off unanswered when autocannon stopped its ${articleRuns.length} timed runs\n` +
        `  ${verdict}\n`,
    );
  }
}

const cleanup = new Cleanup();
let failed = false;
try {
  await main(cleanup);
} catch (error) {
  failed = true;
  if (!cleanup.interrupted) process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanup.run();
}
process.exit(failed ? 1 : 0);
