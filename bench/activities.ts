/**
 * Activities at scale: 100,000 activities and 1,000,000 attendee rows over 30 federations (the demo's
 * three and 27 made up), each with departments, district federations, districts, sub-districts,
 * facilities and 2,000 people. Measures, one request at a time, the median and p95 of the activity list
 * and the calendar under each filter (kind, topic, organization, place, month), the portal's public
 * calendar and feed, a person's duty record, and the XLSX exports of about 10,000 activities (time and
 * the server process's peak resident memory), beside a bare Fastify "hello" measured in the same run;
 * then a short autocannon run of the busiest pages for their throughput against the bare route.
 * Prints figures; judges nothing (but stops when a page does not answer 200 with what it should show).
 *
 *   npm run bench:activities                embedded PostgreSQL in a fresh temporary DATA_DIR
 *   BENCH_REQUESTS=50 npm run bench:activities   requests per page (default 30)
 *   BENCH_DATA_DIR=/tmp/x npm run bench:activities   keep the database there, and use it again next time
 *
 * DATABASE_URL is ignored on purpose: the benchmark inserts a million made-up rows.
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
import { Cleanup, LoadGenerator, makeTempParent, median, mib, removeDir, table } from './support.ts';

const REQUESTS = wholeNumber('BENCH_REQUESTS', 30);
const WARMUP_REQUESTS = 3;
const NEW_FEDERATIONS = 27;
const DEPARTMENTS = 8;
const DISTRICTS = 15;
const SUBDISTRICTS = 8;
const FACILITIES_PER_FEDERATION = 200;
const PEOPLE_PER_FEDERATION = 2000;
const ACTIVITIES = 100_000;
const ATTENDEES_PER_ACTIVITY = 10;
const EXPORT_ROWS = 10_000;
const LOAD_SECONDS = 5;
const LOAD_CONNECTIONS = 10;
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
 * The made-up network, set-based, in one transaction. Federation f (0…29) owns its departments, district
 * federations, places, facilities and people; its activities are organized by it or one of its units, a
 * third with another federation as co-organizer; starts spread over ten years back and one ahead, on
 * working hours; 40 % public, 40 % network, 20 % internal; each with 1–3 topics, 1–3 stops (a facility
 * of the federation or one of its sub-districts) and ten attendees among its people.
 */
async function insertNetwork(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const run = (query: ReturnType<typeof sql>) => query.execute(tx);
    await run(sql`
      insert into place (name_zh, name_en, level)
      select '测试省' || n, 'Bench Province ' || n, 'province' from generate_series(1, ${NEW_FEDERATIONS}::int) n`);
    await run(sql`
      insert into organization (slug, name_zh, name_en, kind, place_id)
      select 'bench-fed-' || n, '测试妇联' || n, 'Bench Women''s Federation ' || n, 'federation', p.id
      from generate_series(1, ${NEW_FEDERATIONS}::int) n join place p on p.name_en = 'Bench Province ' || n and p.parent_id is null`);
    await run(sql`
      create temp table bench_fed on commit drop as
      select (row_number() over (order by id) - 1)::int as f, id as org_id, place_id
      from organization where parent_id is null and kind = 'federation' and place_id is not null`);
    await run(sql`
      insert into organization (slug, name_zh, name_en, kind, parent_id)
      select 'bench-dept-' || f || '-' || d, '测试部门' || f || '-' || d, 'Bench Department ' || f || '-' || d, 'department', org_id
      from bench_fed, generate_series(1, ${DEPARTMENTS}::int) d`);
    await run(sql`
      insert into place (name_zh, name_en, level, parent_id)
      select '测试区' || f || '-' || d, 'Bench District ' || f || '-' || d, 'district', place_id
      from bench_fed, generate_series(1, ${DISTRICTS}::int) d`);
    await run(sql`
      insert into organization (slug, name_zh, name_en, kind, parent_id, place_id)
      select 'bench-district-' || f || '-' || d, '测试区妇联' || f || '-' || d, 'Bench District Federation ' || f || '-' || d, 'grassroots_federation',
             org_id, (select id from place where name_en = 'Bench District ' || f || '-' || d)
      from bench_fed, generate_series(1, ${DISTRICTS}::int) d`);
    await run(sql`
      insert into place (name_zh, name_en, level, parent_id)
      select '测试街道' || p.id || '-' || s, 'Bench Sub-district ' || p.id || '-' || s, 'subdistrict', p.id
      from place p, generate_series(1, ${SUBDISTRICTS}::int) s where p.name_en like 'Bench District %'`);
    // Per federation: its organizations, sub-districts, facilities and people as arrays, to pick from by number.
    await run(sql`
      create temp table bench_scope on commit drop as
      select f.f, f.org_id,
             (select array_agg(o.id order by o.id) from organization o where o.id = f.org_id or o.parent_id = f.org_id) as orgs,
             (select array_agg(s.id order by s.id) from place s join place d on d.id = s.parent_id
               where d.parent_id = f.place_id and s.name_en like 'Bench Sub-district %') as subdistricts
      from bench_fed f`);
    await run(sql`
      insert into person (name_zh, name_en, organization_id)
      select '测试人员' || s.f || '-' || k, 'Bench Person ' || s.f || '-' || k, s.orgs[1 + k % cardinality(s.orgs)]
      from bench_scope s, generate_series(1, ${PEOPLE_PER_FEDERATION}::int) k`);
    await run(sql`
      alter table bench_scope add column people integer[]`);
    await run(sql`
      update bench_scope s set people = (select array_agg(p.id order by p.id) from person p where p.name_en like 'Bench Person ' || s.f || '-%')`);
    await run(sql`
      insert into facility (kind_id, name_zh, name_en, place_id, operator_organization_id, keeper_person_id, address_zh, address_en)
      select (select array_agg(id order by position) from facility_kind)[1 + k % (select count(*) from facility_kind)::int],
             '测试阵地' || s.f || '-' || k, 'Bench Facility ' || s.f || '-' || k,
             s.subdistricts[1 + (k * 7) % cardinality(s.subdistricts)], s.orgs[1 + k % cardinality(s.orgs)],
             case when k % 3 = 0 then s.people[1 + (k * 13) % cardinality(s.people)] end,
             '测试路' || k || '号', k || ' Bench Road'
      from bench_scope s, generate_series(1, ${FACILITIES_PER_FEDERATION}::int) k`);
    await run(sql`
      alter table bench_scope add column facilities integer[]`);
    await run(sql`
      update bench_scope s set facilities = (select array_agg(x.id order by x.id) from facility x where x.name_en like 'Bench Facility ' || s.f || '-%')`);

    await run(sql`
      insert into activity (kind_id, title_zh, title_en, summary_zh, summary_en, starts_at, ends_at, status, visibility)
      select (select array_agg(id order by position) from activity_kind)[1 + ((n / 30) * 13 + n % 30) % 6],
             '测试活动' || n, 'Bench activity ' || n, '测试活动概要。', 'A made-up activity.',
             t.starts_at, t.ends_at,
             case when t.ends_at < now() then (case when (n / 30) % 20 = 7 then 'cancelled' else 'held' end)
                  else (case when (n / 30) % 50 = 7 then 'cancelled' else 'planned' end) end,
             (array['public', 'public', 'network', 'network', 'internal'])[1 + ((n / 30) * 3 + n % 30) % 5]
      from generate_series(1, ${ACTIVITIES}::int) n,
           lateral (select date_trunc('day', now() - interval '3650 days') + ((n * 7919) % 4015) * interval '1 day'
                           + (1 + (n % 8)) * interval '1 hour' as starts_at) s,
           lateral (select s.starts_at, s.starts_at + case when n % 20 = 1 then interval '1 day 6 hours' else interval '2 hours' end as ends_at) t
      order by n`);
    await run(sql`
      create temp table bench_activity on commit drop as
      select id, n, n % 30 as f, n / 30 as m
      from (select id, substring(title_en from 16)::int as n from activity where title_en like 'Bench activity %') a`);
    await run(sql`
      insert into activity_organizer (activity_id, organization_id, role, position)
      select a.id, s.orgs[1 + (a.m * 7) % cardinality(s.orgs)], 'organizer', 1 from bench_activity a join bench_scope s on s.f = a.f`);
    await run(sql`
      insert into activity_organizer (activity_id, organization_id, role, position)
      select a.id, o.org_id, 'co_organizer', 2 from bench_activity a join bench_fed o on o.f = (a.f + 1 + a.m % 29) % 30
      where a.m % 3 = 0`);
    await run(sql`
      insert into activity_topic_link (activity_id, topic_id)
      select a.id, (select array_agg(id order by position) from activity_topic)[1 + (a.m * 7 + a.f + k * 5) % 12]
      from bench_activity a, generate_series(0, 2) k where k <= (a.m + a.f) % 3`);
    await run(sql`
      insert into activity_stop (activity_id, position, facility_id, place_id)
      select a.id, k + 1,
             case when (a.m + k) % 10 < 7 then s.facilities[1 + (a.m * 31 + k * 7) % cardinality(s.facilities)] end,
             case when (a.m + k) % 10 >= 7 then s.subdistricts[1 + (a.m * 17 + k * 3) % cardinality(s.subdistricts)] end
      from bench_activity a join bench_scope s on s.f = a.f, generate_series(0, 2) k where k <= (a.m / 7) % 3`);
    // Ten different people per activity: k * 1397 mod 2000 differs for k = 1…10.
    await run(sql`
      insert into activity_attendee (activity_id, position, person_id, organization_id, title_zh, title_en, role, status)
      select a.id, k, p.id, p.organization_id, '测试职务', 'Bench post',
             case k when 1 then 'head_of_delegation' when 2 then 'host' when 3 then 'speaker' else 'member' end,
             case when x.status = 'held' then 'attended' when x.status = 'cancelled' then 'absent' else 'invited' end
      from bench_activity a join bench_scope s on s.f = a.f join activity x on x.id = a.id,
           generate_series(1, ${ATTENDEES_PER_ACTIVITY}::int) k,
           lateral (select id, organization_id from person where id = s.people[1 + (a.m * 7 + k * 1397) % cardinality(s.people)]) p`);
    await run(sql`
      insert into activity_session (activity_id, position, title_zh, title_en)
      select a.id, 1, '座谈', 'Meeting' from bench_activity a where a.m % 10 < 3`);
    await run(sql`
      insert into activity_agenda_item (session_id, position, subject_zh, subject_en, speaker_person_id)
      select ses.id, k, '发言' || k, 'Talk ' || k, s.people[1 + (a.m * 11 + k * 701) % cardinality(s.people)]
      from activity_session ses join bench_activity a on a.id = ses.activity_id join bench_scope s on s.f = a.f, generate_series(1, 2) k`);
    await run(sql`
      insert into activity_follow_up (activity_id, position, action_zh, action_en, owner_organization_id, owner_person_id, status)
      select a.id, 1, '后续事项', 'Follow-up', s.org_id, s.people[1 + (a.m * 3) % cardinality(s.people)], 'open'
      from bench_activity a join bench_scope s on s.f = a.f where a.m % 5 = 0`);
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

/** Downloads a file once, sampling this process's resident memory meanwhile (the server runs here). */
async function timeDownload(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number; baseRss: number; peakRss: number }> {
  global.gc?.();
  const baseRss = process.memoryUsage.rss();
  let peakRss = baseRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const response = await fetch(url, { headers });
  let bytes = 0;
  if (!response.body) throw new Error(`${url} sent no body`);
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { ms: elapsed, bytes, baseRss, peakRss };
}

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky activities benchmark\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}; server and requests in this process, autocannon in a child\n\n`,
  );

  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  const kept = process.env.BENCH_DATA_DIR;
  const tempParent = kept ?? (await makeTempParent('halfsky-bench-activities-'));
  if (!kept) cleanup.add('temporary folder', () => removeDir(tempParent));
  const dataDir = path.join(tempParent, 'data');
  const config = loadConfig({ ...process.env, DATABASE_URL: undefined, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const server = await startServer(config);
  cleanup.add('Halfsky', () => server.stop());
  const db = server.database.db;

  const insertStarted = performance.now();
  const inserted = await db.selectFrom('activity').select('id').where('title_en', '=', 'Bench activity 1').executeTakeFirst();
  if (!inserted) await insertNetwork(db);
  const insertMs = performance.now() - insertStarted;
  const vacuumStarted = performance.now();
  for (const name of ['organization', 'place', 'person', 'facility', 'activity', 'activity_organizer', 'activity_topic_link', 'activity_stop', 'activity_attendee', 'activity_session', 'activity_agenda_item', 'activity_follow_up']) {
    await sql`vacuum analyze ${sql.table(name)}`.execute(db);
  }
  const vacuumMs = performance.now() - vacuumStarted;
  const counts = (
    await sql<Record<string, string>>`
      select (select count(*) from activity) as activities, (select count(*) from activity_attendee) as attendees,
             (select count(*) from organization) as organizations, (select count(*) from place) as places,
             (select count(*) from facility) as facilities, (select count(*) from person) as people,
             (select count(*) from activity_stop) as stops`.execute(db)
  ).rows[0];
  process.stdout.write(
    `data (embedded PostgreSQL in ${dataDir})\n` +
      `  inserted in ${(insertMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s\n` +
      `  ${counts?.activities} activities, ${counts?.attendees} attendees, ${counts?.stops} stops, ${counts?.organizations} organizations, ` +
      `${counts?.places} places, ${counts?.facilities} facilities, ${counts?.people} people\n\n`,
  );

  const password = demoAccounts.find((account) => account.email === ADMIN_EMAIL)?.password ?? '';
  const session = await signIn(db, { email: ADMIN_EMAIL, password, ip: '127.0.0.1', userAgent: 'activities benchmark' });
  const headers = { cookie: `halfsky_session=${session.token}`, 'accept-language': 'en' };

  // What the filters choose: a made-up federation, one of its districts, a topic, a busy person of the demo's BWF.
  const federation = await db.selectFrom('organization').select(['id', 'name_en']).where('slug', '=', 'bench-fed-1').executeTakeFirstOrThrow();
  // A district under Beijing (the first federation is the demo's BWF): the calendar names it by path, "110000/测试区0-1".
  const district = await db
    .selectFrom('place as district')
    .innerJoin('place as province', 'province.id', 'district.parent_id')
    .select(['district.id', 'district.name_en', 'district.name_zh', 'province.code'])
    .where('district.name_en', '=', 'Bench District 0-1')
    .executeTakeFirstOrThrow();
  const districtPath = `${district.code ?? ''}/${district.name_zh}`;
  const person = (
    await sql<{ id: number; name_en: string; n: string }>`
      select p.id, p.name_en, count(*) as n from activity_attendee a join person p on p.id = a.person_id
      join activity x on x.id = a.activity_id
      where p.name_en like 'Bench Person 0-%' and x.starts_at >= '2024-01-01' and x.starts_at < '2025-01-01'
      group by p.id, p.name_en order by n desc, p.id limit 1`.execute(db)
  ).rows[0];
  if (!person) throw new Error('no made-up person attended anything in 2024');
  const exportFrom = '2023-01-01';
  const exportTo = (
    await sql<{ day: string }>`
      select to_char(starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day from activity
      where starts_at >= ${exportFrom}::date order by starts_at offset ${EXPORT_ROWS - 1} limit 1`.execute(db)
  ).rows[0]?.day;
  if (!exportTo) throw new Error('too few activities to export');
  const exportCount = (
    await sql<{ n: string }>`
      select count(*) as n from activity where ends_at >= (${exportFrom}::date)::timestamp at time zone 'Asia/Shanghai'
      and starts_at < ((${exportTo}::date + 1)::timestamp at time zone 'Asia/Shanghai')`.execute(db)
  ).rows[0]?.n;

  const base = server.url;
  const list = `${base}/workspace/activities`;
  const calendar = `${base}/workspace/activities/calendar`;
  const targets = [
    { label: 'bare Fastify "hello"', url: bareUrl, expect: 'hello' },
    { label: 'list, no filter', url: list, expect: 'Bench activity' },
    { label: 'list, kind', url: `${list}?kind=training`, expect: 'Bench activity' },
    { label: 'list, topic', url: `${list}?topic=family_education`, expect: 'Bench activity' },
    { label: `list, organization (${federation.name_en} and units)`, url: `${list}?organizationId=${federation.id}`, expect: 'Bench activity' },
    { label: `list, place (${district.name_en} and below)`, url: `${list}?placeId=${district.id}`, expect: 'Bench activity' },
    { label: 'list, month (2024-03)', url: `${list}?from=2024-03-01&to=2024-03-31`, expect: 'Bench activity' },
    { label: 'calendar, month (2024-03)', url: `${calendar}?month=2024-03`, expect: 'March 2024' },
    { label: 'calendar, month + kind', url: `${calendar}?month=2024-03&kind=meeting`, expect: 'March 2024' },
    { label: 'calendar, month + topic', url: `${calendar}?month=2024-03&topic=family_education`, expect: 'March 2024' },
    { label: 'calendar, month + organization', url: `${calendar}?month=2024-03&organizationId=${federation.id}`, expect: 'March 2024' },
    { label: `calendar, month + place (${districtPath})`, url: `${calendar}?month=2024-03&place=${encodeURIComponent(districtPath)}`, expect: 'March 2024' },
    { label: 'portal calendar (BWF, public)', url: `${base}/en/activities`, expect: 'Past activities' },
    { label: 'portal calendar, page 50', url: `${base}/en/activities?page=50`, expect: 'Past activities' },
    { label: 'portal feed .ics (BWF, 1,000 events)', url: `${base}/en/activities.ics`, expect: 'BEGIN:VEVENT' },
    { label: 'staff feed .ics, organization', url: `${base}/api/v1/activities.ics?organization=${federation.id}`, expect: 'BEGIN:VEVENT' },
    { label: `duty record 2024 (${person.name_en}, ${person.n} places)`, url: `${base}/workspace/people/${person.id}/duty-record?year=2024`, expect: 'Totals' },
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
      ...results.map(({ label, times }) => [label, ms(median(times)), ms(p95(times)), ms(Math.min(...times)), ms(Math.max(...times)), `${(median(times) / bareMedian).toFixed(1)}×`]),
    ])}\n\n`,
  );

  process.stdout.write(`exports of the activities from ${exportFrom} to ${exportTo} (${exportCount} activities), one download each\n`);
  const downloads = [];
  for (const [label, file] of [
    ['activities, XLSX', 'export.xlsx'],
    ['attendees, XLSX', 'attendees.xlsx'],
    ['activities, CSV', 'export.csv'],
  ] as const) {
    const result = await timeDownload(`${list}/${file}?from=${exportFrom}&to=${exportTo}`, headers);
    downloads.push([label, ms(result.ms), mib(result.bytes), mib(result.baseRss), mib(result.peakRss), mib(result.peakRss - result.baseRss)]);
  }
  process.stdout.write(
    `${table([['file', 'time', 'size', 'RSS before', 'peak RSS', 'peak − before'], ...downloads])}\n` +
      'RSS: this process (the server, its rendering and writing), sampled every 5 ms during the download.\n\n',
  );

  const generator = await LoadGenerator.start(LOAD_CONNECTIONS);
  cleanup.add('load generator', () => generator.stop());
  process.stdout.write(`throughput: autocannon, ${LOAD_CONNECTIONS} connections, ${LOAD_SECONDS} s per page\n`);
  const loads = [];
  for (const target of [targets[0], targets.find((t) => t.label.startsWith('portal calendar (')), targets.find((t) => t.label === 'calendar, month (2024-03)')]) {
    if (!target) continue;
    const result = await generator.run(target.url, LOAD_SECONDS, headers);
    if (result.non2xx > 0) throw new Error(`${target.label}: ${result.non2xx} non-2xx answers of ${result.completed}`);
    loads.push({ label: target.label, result });
  }
  const bareRate = loads[0]?.result.requestsPerSecond ?? Number.NaN;
  process.stdout.write(
    `${table([
      ['page', 'req/s', 'ratio to bare', 'p50', 'p90', 'p97.5', 'p99'],
      ...loads.map(({ label, result: r }) => [
        label,
        r.requestsPerSecond.toFixed(0),
        (r.requestsPerSecond / bareRate).toFixed(3),
        ms(r.latencyP50),
        ms(r.latencyP90),
        ms(r.latencyP975),
        ms(r.latencyP99),
      ]),
    ])}\n` + 'Times are whole requests as a client sees them: HTTP, session, PostgreSQL, rendering.\n',
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
