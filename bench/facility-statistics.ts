/**
 * The facility statistics at scale: how long the workspace page takes to count 200,000 facilities over
 * 50,000 places (bench/facility-data.ts: 60 districts › 1,200 sub-districts › 48,740 communities and
 * villages under the demo's three provinces), for the top level, a province (Beijing) and a district,
 * beside a bare Fastify "hello" measured in the same run.
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
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { demoAccounts } from '../src/db/demo/demo-people.ts';
import { signIn } from '../src/domains/accounts/account.service.ts';
import { startServer } from '../src/server.ts';
import { facilityScale, insertFacilityData, loadAverage, percentile, timeRequests, vacuumFacilityData } from './facility-data.ts';
import { Cleanup, makeTempParent, median, removeDir, table } from './support.ts';

const REQUESTS = wholeNumber('BENCH_REQUESTS', 30);
const WARMUP_REQUESTS = 3;
const ADMIN_EMAIL = 'admin@bwf.example.org';

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of requests, not ${JSON.stringify(raw)}`);
  return value;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

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
  const inserted = await insertFacilityData(db);
  const insertMs = performance.now() - insertStarted;
  const vacuumStarted = performance.now();
  await vacuumFacilityData(db);
  const vacuumMs = performance.now() - vacuumStarted;
  const totals = await sql<{ places: string; facilities: string }>`
    select (select count(*) from place) as places, (select count(*) from facility) as facilities`.execute(db);
  process.stdout.write(
    `data (embedded PostgreSQL in ${dataDir})\n` +
      `  inserted ${inserted.places} places and ${inserted.facilities} facilities (${inserted.services} services, ${inserted.hours} weekly hours, ` +
      `${inserted.exceptions} exceptions) in ${insertMs.toFixed(0)} ms; VACUUM ANALYZE ${vacuumMs.toFixed(0)} ms\n` +
      `  now ${totals.rows[0]?.places ?? '?'} places, ${totals.rows[0]?.facilities ?? '?'} facilities (the demo's among them)\n\n`,
  );

  const password = demoAccounts.find((account) => account.email === ADMIN_EMAIL)?.password ?? '';
  const session = await signIn(db, { email: ADMIN_EMAIL, password, ip: '127.0.0.1', userAgent: 'facility statistics benchmark' });
  const headers = { cookie: `halfsky_session=${session.token}`, 'accept-language': 'en' };
  const province = await db.selectFrom('place').select(['id', 'name_en']).where('id', '=', inserted.provinceId).executeTakeFirstOrThrow();
  const district = await db.selectFrom('place').select(['id', 'name_en']).where('id', '=', inserted.districtId).executeTakeFirstOrThrow();
  const within = async (id: number) =>
    (await sql<{ count: string }>`
      with recursive down(id) as (select id from place where parent_id = ${id} union select place.id from place join down on place.parent_id = down.id)
      select count(*) as count from down`.execute(db)).rows[0]?.count ?? '?';
  const page = `${server.url}/workspace/facilities/statistics`;
  const targets = [
    { label: 'bare Fastify "hello"', url: bareUrl, expect: 'hello' },
    { label: `statistics, top level (${facilityScale.places.toLocaleString('en')}+ places)`, url: `${page}?place=top`, expect: 'Facility statistics: all places' },
    { label: `statistics, a province (${await within(province.id)} places below)`, url: `${page}?place=${province.id}`, expect: `Facility statistics: ${province.name_en}` },
    { label: `statistics, a district (${await within(district.id)} places below)`, url: `${page}?place=${district.id}`, expect: `Facility statistics: ${district.name_en}` },
  ];

  process.stdout.write(`${REQUESTS} requests per page, one at a time, after ${WARMUP_REQUESTS} warm-up requests; signed in as ${ADMIN_EMAIL}\n`);
  const results: { label: string; times: number[]; load: string }[] = [];
  for (const target of targets) {
    process.stdout.write(`  ${target.label}… `);
    const times = await timeRequests(target.url, headers, target.expect, REQUESTS, WARMUP_REQUESTS);
    results.push({ label: target.label, times, load: loadAverage() });
    process.stdout.write('done\n');
  }
  const bareMedian = median(results[0]?.times ?? []);
  process.stdout.write(
    `\n${table([
      ['page', 'median', 'p95', 'min', 'max', 'median / bare', 'load'],
      ...results.map(({ label, times, load }) => [
        label,
        ms(median(times)),
        ms(percentile(times, 95)),
        ms(Math.min(...times)),
        ms(Math.max(...times)),
        `${(median(times) / bareMedian).toFixed(1)}×`,
        load,
      ]),
    ])}\n` +
      'Times are whole requests as a client sees them: HTTP, session, counting in PostgreSQL, rendering.\n' +
      `load: the 1-minute load average after each page (${cpus.length} CPUs; other work on the machine shows in every figure).\n`,
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
