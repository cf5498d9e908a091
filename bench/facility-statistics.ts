/**
 * The facility statistics at scale: how long the workspace page takes to count 200,000 facilities over
 * 50,000 places (3 provinces › 60 districts › 1,200 sub-districts › 48,737 communities and villages),
 * for the top level, a province and a district, beside a bare Fastify "hello" measured in the same run.
 * Prints figures; judges nothing (but stops when a page does not answer 200 with its heading).
 *
 *   npm run bench:facility-statistics            embedded PostgreSQL in a fresh temporary DATA_DIR
 *   BENCH_REQUESTS=50 npm run bench:facility-statistics   requests per page (default 30)
 *
 * DATABASE_URL is ignored on purpose: the benchmark inserts tens of thousands of made-up records.
 * Requests go one at a time (the time of one reader's page, not throughput), from this process.
 */
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { demoAccounts } from '../src/db/demo/demo-people.ts';
import { signIn } from '../src/domains/accounts/account.service.ts';
import { startServer } from '../src/server.ts';
import { Cleanup, makeTempParent, median, removeDir, table } from './support.ts';

const REQUESTS = wholeNumber('BENCH_REQUESTS', 30);
const WARMUP_REQUESTS = 3;
const PLACES = 50_000;
const PROVINCES = 3;
const DISTRICTS_PER_PROVINCE = 20;
const SUBDISTRICTS_PER_DISTRICT = 20;
const FACILITIES = 200_000;
const ADMIN_EMAIL = 'admin@bwf.example.org';

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of requests, not ${JSON.stringify(raw)}`);
  return value;
}

/** The value below which 95 of 100 measurements fall (nearest rank). */
function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? Number.NaN;
}

/**
 * Inserts the made-up gazetteer and facilities with set-based statements in one transaction. Places
 * carry no code (none is made up); one bottom-level place in ten is a village. A tenth of the
 * facilities sit in districts and sub-districts, the rest in communities; kinds, operators and status
 * (85 % active, 10 % temporarily closed, 5 % closed) are spread over what the demo has.
 */
async function insertGazetteerAndFacilities(db: Kysely<Database>): Promise<{ places: number; facilities: number }> {
  return db.transaction().execute(async (tx) => {
    await sql`
      insert into place (name_zh, name_en, level)
      select '测试省' || n, 'Bench Province ' || n, 'province' from generate_series(1, ${PROVINCES}::int) n`.execute(tx);
    await sql`
      insert into place (name_zh, name_en, level, parent_id)
      select '测试区' || p.id || '-' || n, 'Bench District ' || p.id || '-' || n, 'district', p.id
      from place p cross join generate_series(1, ${DISTRICTS_PER_PROVINCE}::int) n where p.name_en like 'Bench Province %'`.execute(tx);
    await sql`
      insert into place (name_zh, name_en, level, parent_id)
      select '测试街道' || p.id || '-' || n, 'Bench Sub-district ' || p.id || '-' || n, 'subdistrict', p.id
      from place p cross join generate_series(1, ${SUBDISTRICTS_PER_DISTRICT}::int) n where p.name_en like 'Bench District %'`.execute(tx);
    const upper = PROVINCES * (1 + DISTRICTS_PER_PROVINCE * (1 + SUBDISTRICTS_PER_DISTRICT));
    await sql`
      with subdistricts as (select array_agg(id order by id) as ids from place where name_en like 'Bench Sub-district %')
      insert into place (name_zh, name_en, level, parent_id)
      select '测试社区' || n, 'Bench Community ' || n, case when n % 10 = 0 then 'village' else 'community' end,
             ids[1 + n % cardinality(ids)]
      from subdistricts, generate_series(1, ${PLACES - upper}::int) n`.execute(tx);
    const facilities = await sql<{ count: string }>`
      with bottom as (select array_agg(id order by id) as ids from place where name_en like 'Bench Community %'),
           upper as (select array_agg(id order by id) as ids from place where name_en similar to 'Bench (District|Sub-district) %'),
           kinds as (select array_agg(id order by position) as ids from facility_kind),
           operators as (select array_agg(id order by id) as ids from organization),
           inserted as (
             insert into facility (kind_id, name_zh, name_en, place_id, operator_organization_id, status)
             select kinds.ids[1 + (n * 7919) % cardinality(kinds.ids)],
                    '测试服务阵地' || n, 'Bench Facility ' || n,
                    case when n % 10 = 0 then upper.ids[1 + n % cardinality(upper.ids)]
                         else bottom.ids[1 + (n * 31) % cardinality(bottom.ids)] end,
                    operators.ids[1 + n % cardinality(operators.ids)],
                    case when n % 20 = 0 then 'closed' when n % 10 = 3 then 'temporarily_closed' else 'active' end
             from bottom, upper, kinds, operators, generate_series(1, ${FACILITIES}::int) n
             returning id
           )
      select count(*) as count from inserted`.execute(tx);
    return { places: PLACES, facilities: Number(facilities.rows[0]?.count ?? 0) };
  });
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Times `count` sequential GETs after a warm-up; each must answer 200 and show `expect`. */
async function timeRequests(url: string, headers: Record<string, string>, expect: string, count: number): Promise<number[]> {
  const once = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (!body.includes(expect)) throw new Error(`${url} does not show ${JSON.stringify(expect)}`);
    return elapsed;
  };
  for (let run = 0; run < WARMUP_REQUESTS; run++) await once();
  const times: number[] = [];
  for (let run = 0; run < count; run++) times.push(await once());
  return times;
}

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky facility statistics benchmark\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}; servers and requests in this process\n\n`,
  );

  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  const tempParent = await makeTempParent('halfsky-bench-facility-statistics-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const dataDir = path.join(tempParent, 'data');
  const config = loadConfig({ ...process.env, DATABASE_URL: undefined, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const server = await startServer(config);
  cleanup.add('Halfsky', () => server.stop());
  const db = server.database.db;

  const insertStarted = performance.now();
  const inserted = await insertGazetteerAndFacilities(db);
  const insertMs = performance.now() - insertStarted;
  // What autovacuum does on its own after a large insert: fresh statistics and the visibility map
  // that lets index-only scans skip the table.
  const vacuumStarted = performance.now();
  await sql`vacuum analyze place`.execute(db);
  await sql`vacuum analyze facility`.execute(db);
  const vacuumMs = performance.now() - vacuumStarted;
  const totals = await sql<{ places: string; facilities: string }>`
    select (select count(*) from place) as places, (select count(*) from facility) as facilities`.execute(db);
  process.stdout.write(
    `data (embedded PostgreSQL in ${dataDir})\n` +
      `  inserted ${inserted.places} places and ${inserted.facilities} facilities in ${insertMs.toFixed(0)} ms; VACUUM ANALYZE ${vacuumMs.toFixed(0)} ms\n` +
      `  now ${totals.rows[0]?.places ?? '?'} places, ${totals.rows[0]?.facilities ?? '?'} facilities (the demo's among them)\n\n`,
  );

  const password = demoAccounts.find((account) => account.email === ADMIN_EMAIL)?.password ?? '';
  const session = await signIn(db, { email: ADMIN_EMAIL, password, ip: '127.0.0.1', userAgent: 'facility statistics benchmark' });
  const headers = { cookie: `halfsky_session=${session.token}`, 'accept-language': 'en' };
  const province = await db.selectFrom('place').select(['id', 'name_en']).where('name_en', 'like', 'Bench Province %').orderBy('id').executeTakeFirstOrThrow();
  const district = await db.selectFrom('place').select(['id', 'name_en']).where('parent_id', '=', province.id).orderBy('id').executeTakeFirstOrThrow();
  const within = async (id: number) =>
    (await sql<{ count: string }>`
      with recursive down(id) as (select id from place where parent_id = ${id} union select place.id from place join down on place.parent_id = down.id)
      select count(*) as count from down`.execute(db)).rows[0]?.count ?? '?';
  const page = `${server.url}/workspace/facilities/statistics`;
  const targets = [
    { label: 'bare Fastify "hello"', url: bareUrl, expect: 'hello' },
    { label: `statistics, top level (${PLACES.toLocaleString('en')}+ places)`, url: `${page}?place=top`, expect: 'Facility statistics: all places' },
    { label: `statistics, a province (${await within(province.id)} places below)`, url: `${page}?place=${province.id}`, expect: `Facility statistics: ${province.name_en}` },
    { label: `statistics, a district (${await within(district.id)} places below)`, url: `${page}?place=${district.id}`, expect: `Facility statistics: ${district.name_en}` },
  ];

  process.stdout.write(`${REQUESTS} requests per page, one at a time, after ${WARMUP_REQUESTS} warm-up requests; signed in as ${ADMIN_EMAIL}\n`);
  const results: { label: string; times: number[] }[] = [];
  for (const target of targets) {
    process.stdout.write(`  ${target.label}… `);
    results.push({ label: target.label, times: await timeRequests(target.url, headers, target.expect, REQUESTS) });
    process.stdout.write('done\n');
  }
  const bareMedian = median(results[0]?.times ?? []);
  process.stdout.write(
    `\n${table([
      ['page', 'median', 'p95', 'min', 'max', 'median / bare'],
      ...results.map(({ label, times }) => [
        label,
        ms(median(times)),
        ms(p95(times)),
        ms(Math.min(...times)),
        ms(Math.max(...times)),
        `${(median(times) / bareMedian).toFixed(1)}×`,
      ]),
    ])}\n` + 'Times are whole requests as a client sees them: HTTP, session, counting in PostgreSQL, rendering.\n',
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
