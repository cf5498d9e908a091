/**
 * The public service directory at scale: how fast the default site's /zh/facilities pages answer over
 * 50,000 places and 200,000 facilities (bench/facility-data.ts; the site lists the half in Beijing),
 * unfiltered, by place, kind and service, searched (a Latin word, three and two Chinese characters),
 * "open now", and a facility's page, beside a bare Fastify "hello" measured in the same run. Prints
 * figures; judges nothing (but stops when a page does not answer 200 with what it should show).
 *
 * Each page is measured twice: one request at a time (a reader's wait: p50, p95, p99) and under load
 * with autocannon in a child process (req/s, its ratio to the bare route, and autocannon's percentiles,
 * which have no p95). The pages read the server's clock, which no request can set: "open now" over HTTP
 * is measured at whatever moment the run happens, and "open now" by day, in the evening, late at
 * night and early in the morning is measured by calling readDirectory() in this process at fixed instants.
 *
 *   npm run bench:facility-directory              embedded PostgreSQL in a fresh temporary DATA_DIR
 *   BENCH_SECONDS=5 npm run bench:facility-directory    length of each load run (default 10)
 *   BENCH_REQUESTS=100 npm run bench:facility-directory sequential requests per page (default 50)
 *   BENCH_CONNECTIONS=20 npm run bench:facility-directory  concurrent connections of the load (default 10)
 *
 * DATABASE_URL is ignored on purpose: the benchmark inserts tens of thousands of made-up records.
 */
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import * as directoryRepository from '../src/domains/places/facility-directory.repository.ts';
import { directoryQuery } from '../src/domains/places/facility-directory.schema.ts';
import { readDirectory } from '../src/domains/places/facility-directory.service.ts';
import { localClock } from '../src/domains/places/opening-hours.ts';
import { startServer } from '../src/server.ts';
import { insertFacilityData, loadAverage, percentile, timeRequests, timeRuns, vacuumFacilityData } from './facility-data.ts';
import type { LoadResult } from './load-generator.ts';
import { Cleanup, LoadGenerator, makeTempParent, removeDir, table } from './support.ts';

const RUN_SECONDS = positive('BENCH_SECONDS', 10, false);
const REQUESTS = positive('BENCH_REQUESTS', 50, true);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 10, true);
const WARMUP_SECONDS = 2;
const WARMUP_REQUESTS = 3;
/** What readers type: a word of the made-up pinyin, and Chinese of two characters (a place-name stem). */
const LATIN_QUERY = 'Huayuan';
const TWO_CHARACTERS = '花园';
/** Fixed moments on the facilities' clock (Asia/Shanghai), a Tuesday: for "open now" in this process. */
const moments = [
  { label: 'by day (Tue 10:00)', instant: new Date('2026-12-01T02:00:00Z') },
  { label: 'in the evening (Tue 20:30)', instant: new Date('2026-12-01T12:30:00Z') },
  { label: 'late at night (Tue 23:30)', instant: new Date('2026-12-01T15:30:00Z') },
  { label: 'early morning (Wed 06:30)', instant: new Date('2026-12-01T22:30:00Z') },
];

function positive(name: string, fallback: number, whole: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${whole ? 'whole ' : ''}number, not ${JSON.stringify(raw)}`);
  }
  return value;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)} %`;

interface Target {
  label: string;
  url: string;
  /** What the page must show. */
  expect: string;
  /** How many facilities it matches, as the reader is told ("1000+": more than the directory counts). */
  matches: string;
}

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky service directory benchmark\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}; ` +
      `servers and the one-at-a-time requests in this process, autocannon in a child process\n\n`,
  );

  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  const tempParent = await makeTempParent('halfsky-bench-facility-directory-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const dataDir = path.join(tempParent, 'data');
  const config = loadConfig({ ...process.env, DATABASE_URL: undefined, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const server = await startServer(config);
  cleanup.add('Halfsky', () => server.stop());
  const db = server.database.db;

  const insertStarted = performance.now();
  const data = await insertFacilityData(db);
  const insertMs = performance.now() - insertStarted;
  const vacuumStarted = performance.now();
  await vacuumFacilityData(db);
  const vacuumMs = performance.now() - vacuumStarted;

  const site = await db.selectFrom('site').select(['id', 'organization_id']).where('is_default', '=', true).executeTakeFirstOrThrow();
  const organizationId = site.organization_id;
  const everything = 1_000_000_000;
  const listed = await directoryRepository.countDirectoryFacilities(db, { organizationId }, everything);
  const total = Number((await sql<{ n: string }>`select count(*) as n from facility`.execute(db)).rows[0]?.n);
  const places = async (...ids: number[]) =>
    db.selectFrom('place').select(['id', 'name_zh']).where('id', 'in', ids).orderBy('id').execute();
  const [district, subdistrict] = await places(data.districtId, data.subdistrictId);
  if (!district || !subdistrict) throw new Error('the made-up district and sub-district are missing');
  // Three characters: the district's name ("安长区"), as a reader types where she lives.
  const threeCharacters = district.name_zh;
  process.stdout.write(
    `data (embedded PostgreSQL in ${dataDir})\n` +
      `  inserted ${data.places} places and ${data.facilities} facilities (${data.services} services, ${data.hours} weekly hours, ` +
      `${data.exceptions} exceptions) in ${(insertMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s\n` +
      `  the default site lists ${listed} of the ${total} facilities (${share(listed, total)}): those its federation or a unit below it runs, not closed\n\n`,
  );

  // What each search matches among the listed facilities, counted to the end.
  const searches = [LATIN_QUERY, threeCharacters, TWO_CHARACTERS];
  const searchRows: string[][] = [];
  for (const q of searches) {
    const n = await directoryRepository.countDirectoryFacilities(db, { organizationId, q }, everything);
    if (n === 0) throw new Error(`"${q}" matches nothing: the made-up names are not what the benchmark expects`);
    searchRows.push([q, String([...q].length), String(n), share(n, listed)]);
  }
  process.stdout.write(`searches: the facilities of the site each matches (name or address, either language)\n${table([['query', 'characters', 'matches', 'share'], ...searchRows])}\n\n`);

  const facility = await sql<{ id: number; name_zh: string }>`
    select facility.id, facility.name_zh from facility
    where facility.place_id in (select id from place where parent_id = ${subdistrict.id}) and facility.status = 'active'
      and facility.operator_organization_id in (select id from organization where id = ${organizationId} or parent_id = ${organizationId})
      and exists (select 1 from facility_hours where facility_id = facility.id)
      and exists (select 1 from facility_service where facility_id = facility.id)
    order by facility.id limit 1`.execute(db);
  const measuredFacility = facility.rows[0];
  if (!measuredFacility) throw new Error('no active facility with hours and services in the measured sub-district');

  // The reader's page as the directory counts it (at most directoryCountLimit, then "more").
  const now = new Date();
  const matches = async (query: Record<string, string>): Promise<string> => {
    const page = await readDirectory(db, site.id, 'zh', directoryQuery.parse(query), now);
    return `${page.total}${page.more ? '+' : ''}`;
  };
  const list = `${server.url}/zh/facilities`;
  const listTarget = async (label: string, query: Record<string, string>, expect = '<ol class="facilities">'): Promise<Target> => ({
    label,
    url: `${list}${Object.keys(query).length === 0 ? '' : `?${new URLSearchParams(query)}`}`,
    expect,
    matches: await matches(query),
  });
  const clock = localClock(now);
  const targets: Target[] = [
    { label: 'bare Fastify "hello"', url: bareUrl, expect: 'hello', matches: '' },
    await listTarget('unfiltered', {}),
    await listTarget(`a district (${district.name_zh})`, { place: String(district.id) }),
    await listTarget(`a sub-district (${subdistrict.name_zh})`, { place: String(subdistrict.id) }),
    await listTarget('a kind (children’s homes)', { kind: 'childrens_home' }),
    await listTarget('a service (legal aid)', { service: 'legal_aid' }),
    await listTarget(`search, Latin word "${LATIN_QUERY}"`, { q: LATIN_QUERY }),
    await listTarget(`search, 3 Chinese characters "${threeCharacters}"`, { q: threeCharacters }),
    await listTarget(`search, 2 Chinese characters "${TWO_CHARACTERS}"`, { q: TWO_CHARACTERS }),
    await listTarget(`2 characters in a district`, { place: String(district.id), q: TWO_CHARACTERS }),
    await listTarget(`open now (server clock: ${clock.date} ${clock.time}, weekday ${clock.weekday})`, { open: '1' }),
    { label: `a facility's page (${measuredFacility.name_zh})`, url: `${list}/${measuredFacility.id}`, expect: measuredFacility.name_zh, matches: '' },
  ];

  process.stdout.write(`one request at a time: ${REQUESTS} per page after ${WARMUP_REQUESTS} warm-up requests\n`);
  const sequential: { times: number[]; load: string }[] = [];
  for (const target of targets) {
    process.stdout.write(`  ${target.label}… `);
    const times = await timeRequests(target.url, {}, target.expect, REQUESTS, WARMUP_REQUESTS);
    sequential.push({ times, load: loadAverage() });
    process.stdout.write('done\n');
  }

  process.stdout.write(
    `\n${table([
      ['page /zh/facilities…', 'matches', 'p50', 'p95', 'p99', 'max', 'load'],
      ...targets.map((target, index) => {
        const { times, load } = sequential[index]!;
        return [target.label, target.matches, ms(percentile(times, 50)), ms(percentile(times, 95)), ms(percentile(times, 99)), ms(Math.max(...times)), load];
      }),
    ])}\n` +
      'Whole requests as a client sees them (HTTP, PostgreSQL, rendering), nearest-rank percentiles.\n' +
      `matches: as the page counts them (it stops past 1,000). load: the 1-minute load average after each page (${cpus.length} CPUs).\n\n`,
  );

  const generator = await LoadGenerator.start(CONNECTIONS);
  cleanup.add('load generator', () => generator.stop());
  process.stdout.write(`under load: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${RUN_SECONDS} s per page\n`);
  const loaded: { result: LoadResult; load: string }[] = [];
  for (const target of targets) {
    process.stdout.write(`  ${target.label}… `);
    const warm = await generator.run(target.url, WARMUP_SECONDS);
    const result = await generator.run(target.url, RUN_SECONDS);
    // A slow page may finish nothing within the warm-up, or time out (autocannon waits 10 s): reported, not fatal.
    for (const [what, run] of [['warm-up', warm], ['run', result]] as const) {
      if (run.non2xx > 0) throw new Error(`${target.label} (${what}): ${run.non2xx} non-2xx answers of ${run.completed}`);
    }
    loaded.push({ result, load: loadAverage() });
    process.stdout.write('done\n');
  }
  const bareRate = loaded[0]!.result.requestsPerSecond;
  process.stdout.write(
    `\n${table([
      ['page /zh/facilities…', 'req/s', '/ bare', 'p50', 'p90', 'p97.5', 'p99', '2xx', 'errors', 'load'],
      ...targets.map((target, index) => {
        const { result: r, load } = loaded[index]!;
        return [
          target.label,
          r.requestsPerSecond.toFixed(1),
          (r.requestsPerSecond / bareRate).toFixed(4),
          ms(r.latencyP50),
          ms(r.latencyP90),
          ms(r.latencyP975),
          ms(r.latencyP99),
          String(r.ok2xx),
          String(r.errors),
          load,
        ];
      }),
    ])}\n` +
      'autocannon has no p95: it lies between p90 and p97.5. Its latencies are whole milliseconds; errors include timeouts (10 s).\n\n',
  );

  // "Open now" at fixed moments: the page's service called in this process (no HTTP, no rendering).
  const openRows: string[][] = [];
  for (const moment of moments) {
    const clockThen = localClock(moment.instant);
    const weeklyOpen = await directoryRepository.listFacilitiesOpenWeekly(db, clockThen, everything);
    const query = directoryQuery.parse({ open: '1' });
    const page = await readDirectory(db, site.id, 'zh', query, moment.instant);
    const times = await timeRuns(REQUESTS, WARMUP_REQUESTS, async () => {
      await readDirectory(db, site.id, 'zh', query, moment.instant);
    });
    const weeklyTimes = await timeRuns(REQUESTS, WARMUP_REQUESTS, async () => {
      await directoryRepository.listFacilitiesOpenWeekly(db, clockThen, 5000);
    });
    openRows.push([
      moment.label,
      String(weeklyOpen.length),
      `${page.total}${page.more ? '+' : ''}`,
      ms(percentile(times, 50)),
      ms(percentile(times, 95)),
      ms(percentile(times, 99)),
      ms(percentile(weeklyTimes, 50)),
      ms(percentile(weeklyTimes, 95)),
      loadAverage(),
    ]);
  }
  process.stdout.write(
    `"open now" at fixed moments: readDirectory(open=1) for the default site in this process, ${REQUESTS} calls each, one at a time\n` +
      `${table([
        ['moment', 'open by weekly hours (all)', 'listed open', 'p50', 'p95', 'p99', 'weekly lookup p50', 'p95', 'load'],
        ...openRows,
      ])}\n` +
      'weekly lookup: listFacilitiesOpenWeekly(), the first step, which stops past 5,000 (then each row is tested as the list is read).\n',
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
