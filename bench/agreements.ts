/**
 * Agreements at the scale of a large network: 1,000 documents, 50,000 measures, 500,000 commitments and
 * 2,000,000 progress updates (set-based SQL, generate_series) spread over the demo's three federations
 * and 540 made-up district and sub-district federations under them, beside a bare Fastify "hello"
 * measured in the same run. Measures, one request at a time, the median and p95 of:
 *
 *   - a document's page (its 50 measures rolled up, its 500 commitments listed);
 *   - a federation's commitments: the commitment list filtered by the federation (its units included),
 *     first page with its count, and its dashboard (/workspace/agreements/dashboard/organizations/:id);
 *   - a district federation's commitments, the same way;
 *   - a document's dashboard (/workspace/agreements/:id/dashboard);
 *   - exports, with the process's peak memory above its resting level during each: the CSV of a
 *     document's measures and commitments, the document dashboard's XLSX workbook and TWF's;
 *   - a dry run of importing the document's CSV back (the import's whole check of 550 rows).
 *
 * Routes the workspace does not have (yet) are said so and skipped. Prints figures; judges nothing (but
 * stops when a page does not answer 200 with what it must show).
 *
 *   npm run bench:agreements                          embedded PostgreSQL in a fresh temporary DATA_DIR
 *   BENCH_REQUESTS=50 npm run bench:agreements        requests per page (default 30)
 *
 * DATABASE_URL is ignored on purpose: the benchmark inserts millions of made-up records.
 */
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { demoAccounts } from '../src/db/demo/demo-people.ts';
import { signIn } from '../src/domains/accounts/account.service.ts';
import { startServer } from '../src/server.ts';
import { Cleanup, makeTempParent, median, mib, removeDir, sleep, table } from './support.ts';

const REQUESTS = wholeNumber('BENCH_REQUESTS', 30);
const EXPORT_RUNS = 10;
const WARMUP_REQUESTS = 3;
const EDITOR_EMAIL = 'editor@bwf.example.org';

const agreementScale = { documents: 1_000, measuresPerDocument: 50, commitmentsPerMeasure: 10, updatesPerCommitment: 4 } as const;
const DISTRICTS_PER_FEDERATION = 30;
const UNITS_PER_DISTRICT = 5;

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

const ms = (n: number) => `${n.toFixed(1)} ms`;
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : mib(bytes));

// ---------------------------------------------------------------- data

/**
 * Writes the made-up network of documents in one transaction over a database with the demo loaded.
 *
 * Organizations: under each of BWF, TWF and the Hebei federation, 30 district federations with 5
 * sub-district federations each (540). Documents: three in five are agreements between two or three of
 * the federations (every pairing, and all three), the rest circulars and plans issued by a federation or
 * a district federation; signed from 2018 on. Each has 10 numbered measures with 4 below each ("3",
 * "3.2"), tagged with one of the six work dimensions. Each measure has 10 commitments, the responsible
 * organization drawn from the parties and the units below them (for an agreement) or from the whole
 * network (for a circular or plan); one in five has a partner; weights 1–3; three in ten done, four in
 * progress, two not started, one dropped; due dates from a month to four years after signing (so many are
 * overdue). Each commitment has 4 progress updates two months apart, the last setting its status.
 */
async function insertAgreementData(db: Kysely<Database>): Promise<{ federationId: number; districtId: number; documentId: number }> {
  return db.transaction().execute(async (tx) => {
    const run = (query: RawBuilder<unknown>) => query.execute(tx);
    await run(sql`
      insert into organization (slug, name_zh, name_en, kind, parent_id)
      select f.slug || '-district-' || d, f.name_zh || '第' || d || '区妇联', 'District ' || d || ' of ' || f.name_en, 'grassroots_federation', f.id
      from organization f cross join generate_series(1, ${DISTRICTS_PER_FEDERATION}::int) d
      where f.slug in ('bwf', 'twf', 'hebei-wf')
      order by f.id, d`);
    await run(sql`
      insert into organization (slug, name_zh, name_en, kind, parent_id)
      select d.slug || '-unit-' || u, d.name_zh || '第' || u || '街道妇联', 'Sub-district ' || u || ', ' || d.name_en, 'grassroots_federation', d.id
      from organization d cross join generate_series(1, ${UNITS_PER_DISTRICT}::int) u
      where d.slug like '%-district-%'
      order by d.id, u`);

    // Who may be responsible, per pattern of parties: the federations and every unit below them.
    await run(sql`
      create temporary table bench_federation on commit drop as
      select row_number() over (order by id) as n, id from organization where slug in ('bwf', 'twf', 'hebei-wf')`);
    await run(sql`
      create temporary table bench_district on commit drop as
      select row_number() over (order by id) as n, id from organization where slug like '%-district-%' and slug not like '%-unit-%'`);

    const firstDocument = Number((await sql<{ id: string }>`select coalesce(max(id), 0) + 1 as id from document`.execute(tx)).rows[0]?.id);
    await run(sql`
      insert into document (kind, title_zh, title_en, doc_number, signed_on, starts_on, ends_on, issuer_organization_id, body_zh, body_en, body_html_zh, body_html_en, is_public)
      select case when n % 5 < 3 then 'agreement' when n % 5 = 3 then 'circular' else 'plan' end,
             '京津冀妇女工作协同文件（第 ' || n || ' 号）', 'Beijing-Tianjin-Hebei joint document no. ' || n,
             '', date '2018-01-01' + (n * 2), case when n % 5 < 3 then date '2018-01-01' + (n * 2) end,
             case when n % 5 < 3 then date '2018-01-01' + (n * 2) + 1825 end,
             case when n % 5 < 3 then null when n % 2 = 0 then (select id from bench_federation where bench_federation.n = 1 + document_n.n % 3)
                  else (select id from bench_district where bench_district.n = 1 + document_n.n % ${3 * DISTRICTS_PER_FEDERATION}::int) end,
             '为推进协同发展，制定本文件。', 'Made to carry coordinated development further.',
             '<p>为推进协同发展，制定本文件。</p>', '<p>Made to carry coordinated development further.</p>', n % 3 = 0
      from generate_series(1, ${agreementScale.documents}::int) as document_n(n)
      order by n`);
    await run(sql`
      create temporary table bench_document on commit drop as
      select id, id - ${firstDocument}::int + 1 as n, kind, signed_on, issuer_organization_id from document where id >= ${firstDocument}::int`);
    // Parties: every pairing of the three federations, and all three.
    await run(sql`
      insert into document_party (document_id, organization_id, position)
      select d.id, f.id, f.n
      from bench_document d join bench_federation f
        on d.kind = 'agreement' and case d.n % 4 when 0 then f.n in (1, 2) when 1 then f.n in (1, 3) when 2 then f.n in (2, 3) else true end`);
    await run(sql`
      create temporary table bench_candidates on commit drop as
      with recursive below(root, id) as (
        select id, id from bench_federation
        union all
        select below.root, organization.id from organization join below on organization.parent_id = below.id
      )
      select d.id as document_id,
             (select array_agg(b.id order by b.id) from below b
               where d.kind <> 'agreement' or b.root in (select organization_id from document_party p where p.document_id = d.id)) as ids
      from bench_document d`);
    await run(sql`alter table bench_candidates add primary key (document_id)`);

    await run(sql`
      insert into measure (document_id, parent_id, number, position, title_zh, title_en, body_zh, body_en)
      select d.id, null, k::text, k * 10, '第 ' || k || ' 项措施', 'Measure ' || k, '措施内容。', 'What the measure says.'
      from bench_document d cross join generate_series(1, 10) k
      order by d.id, k`);
    await run(sql`
      insert into measure (document_id, parent_id, number, position, title_zh, title_en, body_zh, body_en)
      select m.document_id, m.id, m.number || '.' || j, j * 10, '第 ' || m.number || '.' || j || ' 项措施', 'Measure ' || m.number || '.' || j, '', ''
      from measure m join bench_document d on d.id = m.document_id cross join generate_series(1, 4) j
      order by m.id, j`);
    await run(sql`
      insert into measure_dimension (measure_id, dimension_id)
      select m.id, w.id from measure m join bench_document d on d.id = m.document_id
      join (select id, row_number() over (order by position, id) - 1 as k from work_dimension) w on w.k = m.id % 6`);

    await run(sql`
      insert into commitment (document_id, measure_id, what_zh, what_en, responsible_organization_id, due_on, weight, status, progress)
      select m.document_id, m.id, '承诺事项 ' || m.number || '-' || j, 'Commitment ' || m.number || '-' || j,
             c.ids[1 + (h % cardinality(c.ids))], d.signed_on + 30 + (h % 1460), 1 + h % 3,
             case when h % 10 < 3 then 'done' when h % 10 < 7 then 'in_progress' when h % 10 < 9 then 'not_started' else 'dropped' end,
             case when h % 10 < 3 then 100 when h % 10 < 7 then 10 + (h / 10) % 81 when h % 10 < 9 then 0 else (h / 10) % 50 end
      from measure m join bench_document d on d.id = m.document_id join bench_candidates c on c.document_id = m.document_id
      cross join generate_series(1, ${agreementScale.commitmentsPerMeasure}::int) j
      cross join lateral (select hashint4(m.id * 16 + j) & 2147483647 as h) hashed
      order by m.id, j`);
    await run(sql`
      insert into commitment_partner (commitment_id, organization_id)
      select x.id, x.partner from (
        select k.id, k.responsible_organization_id, c.ids[1 + ((hashint4(k.id) & 2147483647) % cardinality(c.ids))] as partner
        from commitment k join bench_candidates c on c.document_id = k.document_id where k.id % 5 = 0
      ) x where x.partner <> x.responsible_organization_id`);

    await run(sql`
      insert into progress_update (commitment_id, reported_on, note_zh, note_en, progress, status)
      select k.id, d.signed_on + 60 * u, '第 ' || u || ' 次进展报告。', 'Progress report ' || u || '.',
             k.progress * u / ${agreementScale.updatesPerCommitment}::int,
             case when u = ${agreementScale.updatesPerCommitment}::int then k.status end
      from commitment k join bench_document d on d.id = k.document_id
      cross join generate_series(1, ${agreementScale.updatesPerCommitment}::int) u
      order by k.id, u`);

    const pick = async (query: RawBuilder<{ id: number }>) => Number((await query.execute(tx)).rows[0]?.id);
    return {
      federationId: await pick(sql<{ id: number }>`select id from organization where slug = 'twf'`),
      districtId: await pick(sql<{ id: number }>`select id from organization where slug = 'bwf-district-7'`),
      // An agreement of all three federations, in the middle of the range.
      documentId: await pick(sql<{ id: number }>`select id from bench_document where kind = 'agreement' and n % 4 = 3 and n > ${agreementScale.documents / 2}::int order by n limit 1`),
    };
  });
}

/** What autovacuum does on its own after a large insert: fresh statistics, and the visibility map that lets index-only scans skip the table. */
async function vacuumAgreementData(db: Kysely<Database>): Promise<void> {
  for (const name of ['organization', 'document', 'document_party', 'measure', 'measure_dimension', 'commitment', 'commitment_partner', 'progress_update']) {
    await sql`vacuum analyze ${sql.table(name)}`.execute(db);
  }
}

// ---------------------------------------------------------------- timing

interface Target {
  label: string;
  url: string;
  /** Text the answer must contain. */
  expect: string;
  method?: 'GET' | 'POST';
  body?: Buffer;
  headers?: Record<string, string>;
}

/** How long one request may take before the benchmark gives up on it. */
const REQUEST_TIMEOUT_MS = 120_000;

async function request(target: Target, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
  try {
    const response = await fetch(target.url, {
      method: target.method ?? 'GET',
      headers: { ...headers, ...target.headers },
      body: target.body === undefined ? undefined : new Uint8Array(target.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new Error(`${target.url}: ${timedOut ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error)}`);
  }
}

/** Times `count` sequential requests after a warm-up; each must answer 200 and contain `expect`. */
async function timeRequests(target: Target, headers: Record<string, string>, count: number): Promise<number[]> {
  const once = async (): Promise<number> => {
    const started = performance.now();
    const { status, body } = await request(target, headers);
    const elapsed = performance.now() - started;
    if (status !== 200) throw new Error(`${target.url} answered ${status}`);
    if (!body.includes(target.expect)) throw new Error(`${target.url} does not contain ${JSON.stringify(target.expect)}`);
    return elapsed;
  };
  for (let run = 0; run < WARMUP_REQUESTS; run++) await once();
  const times: number[] = [];
  for (let run = 0; run < count; run++) times.push(await once());
  return times;
}

/**
 * Times an export and the process's peak resident memory above where it rested before it: the server
 * runs in this process, so its memory is this process's, read every 2 ms while the request is under way
 * (and once more when the answer is in: what a synchronous step built is still there).
 */
async function timeExport(target: Target, headers: Record<string, string>, runs: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times: number[] = [];
  const rssPeaks: number[] = [];
  const heapPeaks: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs + 1; run++) {
    gc?.();
    await sleep(20);
    const resting = process.memoryUsage();
    const peak = { rss: resting.rss, heap: resting.heapUsed };
    const sample = () => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.heap = Math.max(peak.heap, now.heapUsed);
    };
    const sampler = setInterval(sample, 2);
    const started = performance.now();
    const { status, body } = await request(target, headers);
    const elapsed = performance.now() - started;
    sample();
    clearInterval(sampler);
    if (status !== 200 || !body.includes(target.expect)) throw new Error(`${target.url} answered ${status} without ${JSON.stringify(target.expect)}`);
    bytes = body.length;
    // The first run warms up.
    if (run === 0) continue;
    times.push(elapsed);
    rssPeaks.push(peak.rss - resting.rss);
    heapPeaks.push(peak.heap - resting.heapUsed);
  }
  return { times, rssPeaks, heapPeaks, bytes, collected: gc !== undefined };
}

/** Whether the workspace answers 200 at an address with `expect` in it (a route another part of the workspace may not have yet). */
async function answers(target: Target, headers: Record<string, string>): Promise<boolean> {
  const { status, body } = await request(target, headers);
  return status === 200 && body.includes(target.expect);
}

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(
    `Halfsky agreements benchmark\n` +
      `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}; servers and requests in this process\n\n`,
  );

  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send('hello'));
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/`;
  cleanup.add('bare Fastify', () => bare.close());

  const tempParent = await makeTempParent('halfsky-bench-agreements-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const dataDir = path.join(tempParent, 'data');
  const config = loadConfig({ ...process.env, DATABASE_URL: undefined, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const server = await startServer(config);
  cleanup.add('Halfsky', () => server.stop());
  const db = server.database.db;

  const insertStarted = performance.now();
  const picked = await insertAgreementData(db);
  const insertMs = performance.now() - insertStarted;
  const vacuumStarted = performance.now();
  await vacuumAgreementData(db);
  const vacuumMs = performance.now() - vacuumStarted;
  const totals = (
    await sql<{ organizations: string; documents: string; measures: string; commitments: string; updates: string; partners: string }>`
      select (select count(*) from organization) as organizations, (select count(*) from document) as documents,
             (select count(*) from measure) as measures, (select count(*) from commitment) as commitments,
             (select count(*) from progress_update) as updates, (select count(*) from commitment_partner) as partners`.execute(db)
  ).rows[0];
  const within = async (organizationId: number) =>
    Number(
      (
        await sql<{ count: string }>`
          select count(*) as count from commitment where responsible_organization_id in (
            with recursive down(id) as (select ${organizationId}::int union select organization.id from organization join down on organization.parent_id = down.id)
            select id from down)`.execute(db)
      ).rows[0]?.count,
    );
  const [federationCommitments, districtCommitments] = [await within(picked.federationId), await within(picked.districtId)];
  process.stdout.write(
    `data (embedded PostgreSQL in ${dataDir})\n` +
      `  inserted in ${(insertMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s\n` +
      `  now ${totals?.organizations} organizations, ${totals?.documents} documents, ${totals?.measures} measures, ${totals?.commitments} commitments ` +
      `(${totals?.partners} partners), ${totals?.updates} progress updates (the demo's among them)\n` +
      `  TWF and its units are responsible for ${federationCommitments.toLocaleString('en')} commitments; ` +
      `BWF's district 7 and its units for ${districtCommitments.toLocaleString('en')}\n\n`,
  );

  const password = demoAccounts.find((account) => account.email === EDITOR_EMAIL)?.password ?? '';
  const session = await signIn(db, { email: EDITOR_EMAIL, password, ip: '127.0.0.1', userAgent: 'agreements benchmark' });
  const headers = { cookie: `halfsky_session=${session.token}`, 'accept-language': 'en' };
  const workspace = await (await fetch(`${server.url}/workspace`, { headers })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(workspace)?.[1] ?? '';
  const documentUrl = `${server.url}/workspace/agreements/${picked.documentId}`;
  const list = (organizationId: number) => `${server.url}/workspace/agreements/commitments?organizationId=${organizationId}`;

  // The dashboards another part of the workspace adds: measured when they are there.
  const dashboard = (id: number) => `${server.url}/workspace/agreements/dashboard/organizations/${id}`;
  const optional: Target[] = [
    { label: 'document dashboard', url: `${documentUrl}/dashboard`, expect: 'Measure 10' },
    { label: "TWF's dashboard", url: dashboard(picked.federationId), expect: 'Tianjin Women' },
    { label: "a district's dashboard", url: dashboard(picked.districtId), expect: 'District 7' },
  ];
  const targets: Target[] = [
    { label: 'bare Fastify "hello"', url: bareUrl, expect: 'hello' },
    { label: 'document page (50 measures, 500 commitments)', url: documentUrl, expect: 'Measure 10.4' },
    { label: `TWF's commitments, list (${federationCommitments.toLocaleString('en')})`, url: list(picked.federationId), expect: 'Commitment ' },
    { label: `a district's commitments, list (${districtCommitments.toLocaleString('en')})`, url: list(picked.districtId), expect: 'Commitment ' },
  ];
  const exports: Target[] = [
    { label: 'CSV export of measures and commitments', url: `${documentUrl}/export.csv`, expect: 'record,measure_number' },
    { label: 'document dashboard XLSX', url: `${documentUrl}/dashboard.xlsx`, expect: 'PK' },
    { label: `TWF's dashboard XLSX (${federationCommitments.toLocaleString('en')} commitments)`, url: `${dashboard(picked.federationId)}.xlsx`, expect: 'PK' },
  ];
  const missing: string[] = [];
  for (const target of optional) {
    const found = await answers(target, headers).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (found === true) targets.push(target);
    else missing.push(`${target.label} (${found === false ? new URL(target.url).pathname : found})`);
  }
  if (missing.length > 0) process.stdout.write(`not in this workspace (yet), so not measured: ${missing.join('; ')}\n`);

  process.stdout.write(`${REQUESTS} requests per page, one at a time, after ${WARMUP_REQUESTS} warm-up requests; signed in as ${EDITOR_EMAIL}\n`);
  const results: { label: string; times: number[]; load: string }[] = [];
  for (const target of targets) {
    process.stdout.write(`  ${target.label}… `);
    const times = await timeRequests(target, headers, REQUESTS);
    results.push({ label: target.label, times, load: os.loadavg()[0]?.toFixed(1) ?? '?' });
    process.stdout.write('done\n');
  }

  const csvFile = (await request({ label: 'csv', url: `${documentUrl}/export.csv`, expect: '' }, headers)).body;
  const dryRun: Target = {
    label: 'import dry run of the document’s CSV (API)',
    url: `${server.url}/api/v1/documents/${picked.documentId}/import?dryRun=true`,
    method: 'POST',
    body: csvFile,
    headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf },
    expect: '"refused":[]',
  };
  process.stdout.write(`  ${dryRun.label}… `);
  results.push({ label: dryRun.label, times: await timeRequests(dryRun, headers, Math.min(REQUESTS, 20)), load: os.loadavg()[0]?.toFixed(1) ?? '?' });
  process.stdout.write('done\n');

  // The exports, the heaviest last: a request the benchmark gives up on goes on in this process.
  const exported: { label: string; result: Awaited<ReturnType<typeof timeExport>> }[] = [];
  const notExported: string[] = [];
  for (const target of exports) {
    process.stdout.write(`  ${target.label} (${EXPORT_RUNS} runs)… `);
    try {
      if (!(await answers(target, headers))) throw new Error('not in this workspace (yet)');
      exported.push({ label: target.label, result: await timeExport(target, headers, EXPORT_RUNS) });
      process.stdout.write('done\n');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      notExported.push(`${target.label}: ${reason}`);
      process.stdout.write(`not measured: ${reason}\n`);
      // A request given up on goes on in this process: let it end before anything else is timed.
      if (reason.includes('no answer within')) break;
    }
  }
  const bareMedian = median(results[0]?.times ?? []);
  process.stdout.write(
    `\n${table([
      ['request', 'median', 'p95', 'min', 'max', 'median / bare', 'load'],
      ...results.map(({ label, times, load }) => [
        label,
        ms(median(times)),
        ms(p95(times)),
        ms(Math.min(...times)),
        ms(Math.max(...times)),
        `${(median(times) / bareMedian).toFixed(1)}×`,
        load,
      ]),
    ])}\n\n` +
      `${table([
        ['export', 'size', 'median', 'p95', 'peak RSS above rest (max)', 'peak heap above rest (median)', 'peak heap above rest (max)'],
        ...exported.map(({ label, result }) => [
          label,
          size(result.bytes),
          ms(median(result.times)),
          ms(p95(result.times)),
          mib(Math.max(...result.rssPeaks)),
          mib(median(result.heapPeaks)),
          mib(Math.max(...result.heapPeaks)),
        ]),
      ])}\n` +
      (notExported.length > 0 ? `not measured: ${notExported.join('; ')}\n` : '') +
      'Times are whole requests as a client sees them: HTTP, session, PostgreSQL, rendering.\n' +
      `Memory: this process's resident set and V8 heap in use (the server runs in it), sampled every 2 ms during each export${exported[0]?.result.collected ? ', after a full GC' : ' (run with --expose-gc for a settled baseline)'}.\n` +
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
