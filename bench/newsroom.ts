/**
 * The newsroom on a big database: the article page's throughput against a bare Fastify route in
 * the same run, the time from "publish" (the workflow action over HTTP) to the update answering on
 * the portal, and from an edit of a published update to its new title on the portal. Prints
 * figures; judges nothing.
 *
 *   npm run bench:newsroom                    embedded PostgreSQL in a fresh temporary folder
 *   BENCH_ARTICLES=20000 npm run bench:newsroom   fewer generated articles (default 100,000)
 *   BENCH_SECONDS=5 npm run bench:newsroom        length of each measured load round (default 10)
 *
 * DATABASE_URL is ignored on purpose: the benchmark writes 100,000 made-up articles.
 */
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { seedArticleSlug } from '../src/db/demo/demo-content.ts';
import { demoAccounts } from '../src/db/demo/demo-people.ts';
import { startServer } from '../src/server.ts';
import type { LoadResult } from './load-generator.ts';
import { generateArticles } from './search-data.ts';
import { Cleanup, LoadGenerator, makeTempParent, median, removeDir, sleep, table } from './support.ts';

const ARTICLES = positiveInteger('BENCH_ARTICLES', 100_000);
const ROUND_SECONDS = positiveInteger('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 3;
const ROUNDS = 2;
const CONNECTIONS = 100;
const REPEATS = 10;
const POLL_MS = 10;
const GIVE_UP_MS = 30_000;
const EDITOR_EMAIL = 'editor@bwf.example.org';
// A current desktop Chrome: a reader, so the portal treats the requests as a person's.
const CHROME_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
  return value;
}

function cookieFrom(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [key, ...rest] = (pair ?? '').split('=');
    if (key?.trim() === name) return rest.join('=');
  }
  return undefined;
}

interface Session {
  cookie: string;
  csrfToken: string;
}

/** Signs in as a browser would (form, CSRF cookie and field, POST), then reads the CSRF token for the API. */
async function signInOverHttp(baseUrl: string, email: string): Promise<Session> {
  const password = demoAccounts.find((account) => account.email === email)?.password;
  if (!password) throw new Error(`no demo account ${email}`);
  const form = await fetch(`${baseUrl}/workspace/sign-in`);
  const html = await form.text();
  const signInCsrf = cookieFrom(form, 'halfsky_signin_csrf');
  const csrfField = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (form.status !== 200 || !signInCsrf || !csrfField) throw new Error(`the sign-in form answered ${form.status} without its CSRF cookie and field`);
  const response = await fetch(`${baseUrl}/workspace/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `halfsky_signin_csrf=${signInCsrf}`, origin: baseUrl },
    body: new URLSearchParams({ email, password, _csrf: csrfField, next: '/workspace' }).toString(),
  });
  await response.arrayBuffer();
  const session = cookieFrom(response, 'halfsky_session');
  if (response.status !== 303 || !session) throw new Error(`signing in as ${email} answered ${response.status}`);
  const cookie = `halfsky_session=${session}`;
  const dashboard = await fetch(`${baseUrl}/workspace`, { headers: { cookie } });
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await dashboard.text())?.[1];
  if (!csrfToken) throw new Error('the dashboard carries no CSRF field');
  return { cookie, csrfToken };
}

async function api(baseUrl: string, session: Session, method: 'POST' | 'PATCH', url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Asks for `url` every POLL_MS until `ready` accepts the answer; the milliseconds since `since`. */
async function pollUntil(url: string, since: number, ready: (status: number, body: string) => boolean): Promise<number> {
  for (;;) {
    const response = await fetch(url, { headers: { 'user-agent': CHROME_USER_AGENT } });
    const body = await response.text();
    if (ready(response.status, body)) return performance.now() - since;
    if (performance.now() - since > GIVE_UP_MS) throw new Error(`${url} was not ready after ${GIVE_UP_MS} ms (last status ${response.status})`);
    await sleep(POLL_MS);
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

function loadRow(label: string, r: LoadResult): string[] {
  return [label, r.requestsPerSecond.toFixed(0), `${r.latencyP50} ms`, `${r.latencyP99} ms`, String(r.non2xx), String(r.errors)];
}

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky newsroom benchmark: ${ARTICLES.toLocaleString('en')} generated articles, ${CONNECTIONS} connections, ` +
      `${ROUNDS} rounds of ${ROUND_SECONDS} s per server, ${REPEATS} publishes and edits polled every ${POLL_MS} ms\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}\n`,
  );

  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  const tempParent = await makeTempParent('halfsky-bench-newsroom-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(tempParent, 'data'), LOG_LEVEL: 'silent' });
  const server = await startServer(config);
  cleanup.add('Halfsky', () => server.stop());
  const { db } = server.database;

  const generationStarted = performance.now();
  await generateArticles(db, ARTICLES);
  await sql`analyze`.execute(db);
  const total = await db.selectFrom('article').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  process.stdout.write(`generated ${ARTICLES.toLocaleString('en')} articles in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s (${Number(total.n).toLocaleString('en')} in the database)\n\n`);

  // ------------------------------------------------------------ throughput
  const articleUrl = `${server.url}/en/articles/${seedArticleSlug}`;
  const generator = await LoadGenerator.start(CONNECTIONS);
  cleanup.add('load generator', () => generator.stop());
  const chrome = { 'user-agent': CHROME_USER_AGENT };
  process.stdout.write(`warming up (${WARMUP_SECONDS} s each)…\n`);
  await generator.run(bareUrl, WARMUP_SECONDS);
  const warm = await generator.run(articleUrl, WARMUP_SECONDS, chrome);
  if (warm.ok2xx === 0) throw new Error('the article answered no 2xx during the warm-up');
  const bareRounds: LoadResult[] = [];
  const articleRounds: LoadResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    bareRounds.push(await generator.run(bareUrl, ROUND_SECONDS));
    articleRounds.push(await generator.run(articleUrl, ROUND_SECONDS, chrome));
  }
  const medianBare = median(bareRounds.map((r) => r.requestsPerSecond));
  const medianArticle = median(articleRounds.map((r) => r.requestsPerSecond));
  process.stdout.write(
    `${table([
      ['run', 'req/s', 'p50', 'p99', 'non-2xx', 'errors'],
      ...bareRounds.flatMap((r, i) => [loadRow(`bare Fastify #${i + 1}`, r), loadRow(`article page #${i + 1}`, articleRounds[i]!)]),
    ])}\n` +
      `median req/s: bare ${medianBare.toFixed(0)}, article ${medianArticle.toFixed(0)}, ratio article/bare ${(medianArticle / medianBare).toFixed(3)}\n\n`,
  );

  // ------------------------------------------------------------ publish → visible, edit → visible
  const site = await db.selectFrom('site').select(['id', 'slug']).where('is_default', '=', true).executeTakeFirstOrThrow();
  const section = await db.selectFrom('section').select('id').where('site_id', '=', site.id).where('slug', '=', 'updates').executeTakeFirstOrThrow();
  // The editor may publish her own updates on this throw-away database: one workflow action, timed.
  await db.updateTable('site').set({ allow_self_publish: true }).where('id', '=', site.id).execute();
  const session = await signInOverHttp(server.url, EDITOR_EMAIL);

  const publishTimes: number[] = [];
  const editTimes: number[] = [];
  for (let run = 1; run <= REPEATS; run++) {
    const title = `Bench publish ${run} ${Date.now()}`;
    const created = await api(server.url, session, 'POST', '/api/v1/articles', {
      siteId: site.id,
      sectionId: section.id,
      slug: `bench-publish-${run}-${Date.now()}`,
      publishAt: '2025-06-01 09:00',
      tags: [],
      titleZh: `基准测试 ${run}`,
      summaryZh: '基准测试。',
      bodyZh: '基准测试正文。',
      statusZh: 'reviewed',
      titleEn: title,
      summaryEn: 'A benchmark.',
      bodyEn: 'A benchmark body.',
      statusEn: 'reviewed',
    });
    const id = Number(created.id);
    const url = `${server.url}/en/articles/${String(created.slug)}`;
    // Read once before publishing, as a reader who comes too early would (and as a cache would see it).
    await fetch(url, { headers: chrome }).then((r) => r.arrayBuffer());

    const publishStarted = performance.now();
    await api(server.url, session, 'POST', `/api/v1/articles/${id}/transitions`, { action: 'publish' });
    publishTimes.push(await pollUntil(url, publishStarted, (status, body) => status === 200 && body.includes(title)));

    const edited = `${title} (edited)`;
    const editStarted = performance.now();
    await api(server.url, session, 'PATCH', `/api/v1/articles/${id}`, { titleEn: edited });
    editTimes.push(await pollUntil(url, editStarted, (status, body) => status === 200 && body.includes(edited)));
  }
  const summary = (values: number[]) => [ms(median(values)), ms(Math.max(...values)), ms(Math.min(...values))];
  process.stdout.write(
    `${table([
      [`${REPEATS} runs, polled every ${POLL_MS} ms`, 'median', 'max', 'min'],
      ['publish (POST transition) → 200 on the portal', ...summary(publishTimes)],
      ['edit (PATCH title) → new title on the portal', ...summary(editTimes)],
    ])}\n` +
      `publish, each run: ${publishTimes.map((t) => t.toFixed(1)).join(', ')} ms\n` +
      `edit, each run:    ${editTimes.map((t) => t.toFixed(1)).join(', ')} ms\n`,
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
