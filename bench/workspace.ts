/**
 * The workspace under load: what argon2id costs a sign-in, and how fast the signed-in pages answer
 * with 10,000 people and 30,000 posts in the database, against a bare Fastify "hello".
 * Prints figures; judges nothing (but stops when a page does not answer 2xx: a 303 to the sign-in
 * page would be measured as if it were the page).
 *
 *   npm run bench:workspace               embedded PostgreSQL in a fresh temporary DATA_DIR
 *   BENCH_SECONDS=5 npm run bench:workspace   length of each measured run (default 10)
 *
 * DATABASE_URL is ignored on purpose: the benchmark inserts thousands of made-up people.
 * Same set-up as bench/portal.ts (see there why): the servers in this process, autocannon in a child
 * process. The session is touched at most once a minute, so the load reads and does not write.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { demoAccounts } from '../src/db/demo/demo-people.ts';
import { hashPassword } from '../src/domains/accounts/password.ts';
import { startServer } from '../src/server.ts';
import type { LoadResult } from './load-generator.ts';
import { childrenOf, Cleanup, LoadGenerator, makeTempParent, median, readPostmasterPid, removeDir, table } from './support.ts';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const RUN_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const HASH_RUNS = 20;
const SIGN_IN_RUNS = 10;
const PEOPLE = 10_000;
const POSTS_PER_PERSON = 3;
const ADMIN_EMAIL = 'admin@bwf.example.org';
/** A fragment of the made-up names: matches the ten of Person 00420 … Person 00429. */
const NAME_FRAGMENT = 'Person 0042';
/** The made-up person whose page is measured. */
const MEASURED_PERSON = 'Person 05000';

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  return value;
}

/** The nearest-rank percentile (p in 0…100) of the values. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

function password(email: string): string {
  const account = demoAccounts.find((candidate) => candidate.email === email);
  if (!account) throw new Error(`no demo account ${email}`);
  return account.password;
}

// ---------------------------------------------------------------- CPU time spent by the servers

/** CPU time (user + system, ms) of each process of the PostgreSQL cluster under `dir`, by pid, from /proc (Linux). */
async function postgresCpu(dir: string): Promise<Map<number, number>> {
  const postmaster = await readPostmasterPid(dir);
  const cpu = new Map<number, number>();
  if (postmaster === undefined) return cpu;
  for (const pid of [postmaster, ...(await childrenOf(postmaster))]) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    // After "pid (comm) ": state is field 3, utime and stime are fields 14 and 15, in USER_HZ (100 per second).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
  }
  return cpu;
}

/** What the servers spent on a run: this process (Fastify, Halfsky, pg) and the PostgreSQL cluster. */
async function measureCpu<T>(dir: string, run: () => Promise<T>): Promise<{ result: T; nodeMs: number; postgresMs: number }> {
  const pgBefore = await postgresCpu(dir);
  const nodeBefore = process.cpuUsage();
  const result = await run();
  const node = process.cpuUsage(nodeBefore);
  const pgAfter = await postgresCpu(dir);
  // A backend that ended during the run takes its time with it: a floor, not an exact sum.
  let postgresMs = 0;
  for (const [pid, ms] of pgAfter) postgresMs += ms - (pgBefore.get(pid) ?? 0);
  return { result, nodeMs: (node.user + node.system) / 1000, postgresMs };
}

// ---------------------------------------------------------------- signing in over HTTP

function cookieFrom(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair?.indexOf('=') ?? -1;
    if (pair && at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** Signs in as a browser would: the form (its CSRF cookie and field), then the POST. Times the POST. */
async function signInOverHttp(baseUrl: string, email: string): Promise<{ cookie: string; postMs: number; totalMs: number }> {
  const started = performance.now();
  const form = await fetch(`${baseUrl}/workspace/sign-in`);
  const html = await form.text();
  const signInCsrf = cookieFrom(form, 'halfsky_signin_csrf');
  const csrfField = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (form.status !== 200 || !signInCsrf || !csrfField) throw new Error(`the sign-in form answered ${form.status} without its CSRF cookie and field`);
  const postStarted = performance.now();
  const response = await fetch(`${baseUrl}/workspace/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `halfsky_signin_csrf=${signInCsrf}`,
      origin: baseUrl,
    },
    body: new URLSearchParams({ email, password: password(email), _csrf: csrfField, next: '/workspace' }).toString(),
  });
  await response.arrayBuffer();
  const ended = performance.now();
  const session = cookieFrom(response, 'halfsky_session');
  if (response.status !== 303 || !session) throw new Error(`signing in as ${email} answered ${response.status}${session ? '' : ' without a session cookie'}`);
  return { cookie: `halfsky_session=${session}`, postMs: ended - postStarted, totalMs: ended - started };
}

// ---------------------------------------------------------------- 10,000 people, 30,000 posts

/**
 * Inserts the made-up people and their posts in two set-based statements, spread over every
 * organization of the demo: names 'Person 00001' / '测试人员00001', four kinds of post, start dates
 * over 25 years, about a third of the posts ended, a few without a known start.
 */
async function insertPeople(db: Kysely<Database>): Promise<{ people: number; posts: number }> {
  return db.transaction().execute(async (tx) => {
    const people = await sql<{ count: string }>`
      with orgs as (select array_agg(id order by id) as ids from organization),
      inserted as (
        insert into person (name_zh, name_en, organization_id, notes)
        select '测试人员' || lpad(n::text, 5, '0'),
               'Person ' || lpad(n::text, 5, '0'),
               orgs.ids[1 + n % cardinality(orgs.ids)],
               case when n % 10 = 0 then 'Made up by the workspace benchmark.' else '' end
        from generate_series(1, ${PEOPLE}::int) as n, orgs
        returning id
      )
      select count(*) as count from inserted`.execute(tx);
    const posts = await sql<{ count: string }>`
      with orgs as (select array_agg(id order by id) as ids from organization),
      made_up as (select id from person where name_en like 'Person _____'),
      post as (
        select p.id as person_id,
               k,
               orgs.ids[1 + (p.id * 7 + k * 3) % cardinality(orgs.ids)] as organization_id,
               (array['leader', 'member', 'executive_member', 'staff'])[1 + (p.id + k) % 4] as kind,
               case when (p.id + k) % 17 = 0 then null else date '2000-01-01' + ((p.id * 37 + k * 911) % 9000) end as starts_on
        from made_up p cross join generate_series(1, ${POSTS_PER_PERSON}::int) as k cross join orgs
      ),
      inserted as (
        insert into position (person_id, organization_id, title_zh, title_en, kind, starts_on, ends_on)
        select person_id, organization_id,
               (array['主席', '副主席', '委员', '干事'])[1 + (person_id + k) % 4] || k,
               (array['President', 'Vice-President', 'Member', 'Officer'])[1 + (person_id + k) % 4] || ' ' || k,
               kind,
               starts_on,
               case when starts_on is not null and (person_id + k) % 3 = 0 then starts_on + 365 + (person_id % 2000) end
        from post
        returning id
      )
      select count(*) as count from inserted`.execute(tx);
    return { people: Number(people.rows[0]?.count ?? 0), posts: Number(posts.rows[0]?.count ?? 0) };
  });
}

// ---------------------------------------------------------------- printing

const ms = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2)} ms`;

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky workspace benchmark\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}; ` +
      `servers in this process (pid ${process.pid}), autocannon in a child process\n\n`,
  );

  // argon2id alone, before anything else runs: one warm-up, then the measured hashes.
  await hashPassword('warm-up password for the benchmark');
  const hashTimes: number[] = [];
  for (let run = 0; run < HASH_RUNS; run++) {
    const started = performance.now();
    await hashPassword(`benchmark password number ${run}`);
    hashTimes.push(performance.now() - started);
  }

  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  const tempParent = await makeTempParent('halfsky-bench-workspace-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const dataDir = path.join(tempParent, 'data');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: undefined,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const startedAt = performance.now();
  const server = await startServer(config);
  const startMs = performance.now() - startedAt;
  cleanup.add('Halfsky', () => server.stop());
  const db = server.database.db;

  // A full sign-in over HTTP: throttle check, argon2id verification, session and audit rows.
  await signInOverHttp(server.url, ADMIN_EMAIL); // warm-up
  const signIns: { postMs: number; totalMs: number }[] = [];
  for (let run = 0; run < SIGN_IN_RUNS; run++) signIns.push(await signInOverHttp(server.url, ADMIN_EMAIL));
  const postTimes = signIns.map((s) => s.postMs);
  const totalTimes = signIns.map((s) => s.totalMs);

  process.stdout.write(
    `argon2id (m=19 MiB, t=2, p=1)\n${table([
      ['what', 'runs', 'median', 'p90', 'min', 'max'],
      ['hashPassword', String(HASH_RUNS), ms(median(hashTimes)), ms(percentile(hashTimes, 90)), ms(Math.min(...hashTimes)), ms(Math.max(...hashTimes))],
      ['sign-in POST → 303', String(SIGN_IN_RUNS), ms(median(postTimes)), ms(percentile(postTimes, 90)), ms(Math.min(...postTimes)), ms(Math.max(...postTimes))],
      ['GET form + POST', String(SIGN_IN_RUNS), ms(median(totalTimes)), ms(percentile(totalTimes, 90)), ms(Math.min(...totalTimes)), ms(Math.max(...totalTimes))],
    ])}\n\n`,
  );

  // The data: made-up people and posts, then fresh statistics for the planner.
  const insertStarted = performance.now();
  const inserted = await insertPeople(db);
  const insertMs = performance.now() - insertStarted;
  const analyzeStarted = performance.now();
  await sql`analyze`.execute(db);
  const analyzeMs = performance.now() - analyzeStarted;
  const totals = await sql<{ people: string; posts: string; organizations: string }>`
    select (select count(*) from person) as people, (select count(*) from position) as posts,
           (select count(*) from organization) as organizations`.execute(db);
  const total = totals.rows[0]!;
  process.stdout.write(
    `data (embedded PostgreSQL in ${dataDir}; Halfsky started in ${startMs.toFixed(0)} ms)\n` +
      `  inserted ${inserted.people} people and ${inserted.posts} posts in ${insertMs.toFixed(0)} ms (one transaction, two statements); ANALYZE ${analyzeMs.toFixed(0)} ms\n` +
      `  now ${total.people} people, ${total.posts} posts over ${total.organizations} organizations\n\n`,
  );

  // The session the load runs with; checked page by page before the load.
  const { cookie } = await signInOverHttp(server.url, ADMIN_EMAIL);
  const measured = await db.selectFrom('person').select('id').where('name_en', '=', MEASURED_PERSON).executeTakeFirstOrThrow();
  const targets: { label: string; url: string; expect: string }[] = [
    { label: 'bare Fastify "hello"', url: bareUrl, expect: 'hello' },
    { label: '/workspace/organizations', url: `${server.url}/workspace/organizations`, expect: `Beijing Women&#39;s Federation` },
    { label: '/workspace/people', url: `${server.url}/workspace/people`, expect: 'Person ' },
    {
      label: `/workspace/people?q=${NAME_FRAGMENT}`,
      url: `${server.url}/workspace/people?q=${encodeURIComponent(NAME_FRAGMENT)}`,
      expect: 'Person 00425',
    },
    { label: `/workspace/people/:id (${MEASURED_PERSON})`, url: `${server.url}/workspace/people/${measured.id}`, expect: MEASURED_PERSON },
  ];
  const headers = { cookie, 'accept-language': 'en' };
  for (const target of targets) {
    const response = await fetch(target.url, { headers, redirect: 'manual' });
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(`${target.label} answered ${response.status}${response.headers.get('location') ? ` → ${response.headers.get('location')}` : ''} before the load`);
    }
    const expected = [target.expect, target.expect.replace('&#39;', "'"), target.expect.replace('&#39;', '&#x27;')];
    if (!expected.some((text) => body.includes(text))) throw new Error(`${target.label} does not show ${JSON.stringify(target.expect)}`);
  }

  const generator = await LoadGenerator.start(CONNECTIONS);
  cleanup.add('load generator', () => generator.stop());
  process.stdout.write(`load: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${RUN_SECONDS} s per page, signed in as ${ADMIN_EMAIL}\n`);
  const results: { label: string; result: LoadResult; nodeMs: number; postgresMs: number }[] = [];
  for (const target of targets) {
    process.stdout.write(`  ${target.label}… `);
    const warm = await generator.run(target.url, WARMUP_SECONDS, headers);
    const { result, nodeMs, postgresMs } = await measureCpu(path.join(dataDir, 'postgres'), () => generator.run(target.url, RUN_SECONDS, headers));
    process.stdout.write('done\n');
    for (const [what, run] of [['warm-up', warm], ['run', result]] as const) {
      if (run.non2xx > 0 || run.ok2xx === 0) {
        throw new Error(
          `${target.label} (${what}): ${run.non2xx} non-2xx answers of ${run.completed}: ` +
            'the session expired or was not sent (a 303 to the sign-in page), or the page failed',
        );
      }
    }
    results.push({ label: target.label, result, nodeMs, postgresMs });
  }
  const bareRate = results[0]!.result.requestsPerSecond;
  process.stdout.write(
    `\n${table([
      ['page', 'req/s', 'ratio to bare', 'p50', 'p90', 'p97.5', 'p99', 'non-2xx', 'errors', '2xx', 'CPU/req node', 'CPU/req pg'],
      ...results.map(({ label, result: r, nodeMs, postgresMs }) => [
        label,
        r.requestsPerSecond.toFixed(0),
        (r.requestsPerSecond / bareRate).toFixed(3),
        ms(r.latencyP50),
        ms(r.latencyP90),
        ms(r.latencyP975),
        ms(r.latencyP99),
        String(r.non2xx),
        String(r.errors),
        String(r.ok2xx),
        ms(nodeMs / r.completed),
        ms(postgresMs / r.completed),
      ]),
    ])}\n` +
      'autocannon reports no p95: it lies between p90 and p97.5. Latencies are whole milliseconds.\n' +
      'CPU/req: CPU time over the run divided by the requests answered; node = this process (bare Fastify and Halfsky),\n' +
      'pg = the PostgreSQL processes (from /proc; a backend that ended during the run is not counted). The load generator is in neither.\n',
  );
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
