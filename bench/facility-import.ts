/**
 * Facility files at scale: over the 50,000 places and 200,000 facilities of bench/facility-data.ts, how
 * many rows a second a CSV import plans (dry run) and writes, for a file of 20,000 new facilities (the
 * most a file may hold) and then the same 20,000 changed, and how long exporting every facility takes as
 * CSV, HSDS 3.0 and GeoJSON. The service functions are called in this process (no HTTP, no upload);
 * files are made in the export's format (its columns, a byte-order mark, CRLF lines). Prints figures;
 * judges nothing (but stops when an import refuses a row or does not write).
 *
 *   npm run bench:facility-import          embedded PostgreSQL in a fresh temporary folder
 *   BENCH_ROWS=5000 npm run bench:facility-import   rows of the imported files (default 20,000)
 *
 * DATABASE_URL is ignored on purpose: the benchmark writes hundreds of thousands of made-up records.
 */
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sql, type Kysely } from 'kysely';
import { createDb, type Database } from '../src/db/database.ts';
import { loadDemo } from '../src/db/demo/load-demo.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Actor } from '../src/platform/access.ts';
import { jsonChunks } from '../src/platform/json-chunks.ts';
import { exportFacilitiesGeoJson } from '../src/domains/places/facility.geojson.ts';
import { exportFacilitiesHsds } from '../src/domains/places/facility.hsds.ts';
import { exportFacilitiesCsv, facilityCsvColumns, facilityImportLimits, importFacilitiesCsv, type FacilityCsvColumn, type FacilityImportReport } from '../src/domains/places/facility.import.ts';
import { insertFacilityData, loadAverage, vacuumFacilityData } from './facility-data.ts';
import { Cleanup, makeTempParent, mib, removeDir, table } from './support.ts';

const ROWS = rowCount();
const ADMIN_EMAIL = 'admin@bwf.example.org';

function rowCount(): number {
  const raw = process.env.BENCH_ROWS;
  if (raw === undefined || raw === '') return facilityImportLimits.maxRows;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > facilityImportLimits.maxRows) {
    throw new Error(`BENCH_ROWS must be a whole number from 1 to ${facilityImportLimits.maxRows}, not ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A community of the made-up gazetteer, as a file names it, with what a new facility there is given. */
interface Community {
  reference: string;
  nameZh: string;
  nameEn: string;
  aboveZh: string;
  aboveEn: string;
  province: string;
}

const operatorOf: Record<string, string> = { '110000': 'bwf-grassroots-department', '120000': 'twf', '130000': 'hebei-wf' };
const kinds = [
  ['childrens_home', '儿童之家', "Children's home"],
  ['womens_micro_home', '妇女微家', "Women's micro-home"],
  ['family_education_station', '家庭教育指导服务站', 'Family education guidance station'],
] as const;
const schedules = ['Mo-Fr 09:00-12:00,13:30-17:30', 'Mo-Fr 08:30-17:00; Sa 09:00-12:00', 'Tu-Su 09:00-17:00', '周一至周五 09:00-21:00'];
const serviceLists = ['legal_aid;family_mediation', 'family_education;childcare', 'health_services', 'rights_protection;psychological_counselling;policy_consultation'];

/** `ROWS` communities spread over the three provinces, each with its path of names from the province's code. */
async function communities(db: Kysely<Database>): Promise<Community[]> {
  const result = await sql<Community>`
    select province.code || '/' || district.name_zh || '/' || subdistrict.name_zh || '/' || community.name_zh as reference,
           community.name_zh as "nameZh", community.name_en as "nameEn",
           district.name_zh || subdistrict.name_zh as "aboveZh", subdistrict.name_en || ', ' || district.name_en as "aboveEn",
           province.code as province
    from place community
    join place subdistrict on subdistrict.id = community.parent_id
    join place district on district.id = subdistrict.parent_id
    join place province on province.id = district.parent_id and province.code is not null
    where community.level = 'community' and district.code is null
    order by community.id % 7, community.id
    limit ${ROWS}`.execute(db);
  if (result.rows.length < ROWS) throw new Error(`only ${result.rows.length} communities to place ${ROWS} facilities in`);
  return result.rows;
}

/** The file's cells of the n-th new facility; `changed` gives the same facility other hours and another phone. */
function newFacility(community: Community, n: number, changed: boolean): Partial<Record<FacilityCsvColumn, string>> {
  const [kind, kindZh, kindEn] = kinds[n % kinds.length]!;
  const road = 100 + (n % 97);
  return {
    kind,
    name_zh: `${community.nameZh}${kindZh}`,
    name_en: `${community.nameEn} ${kindEn}`,
    place: community.reference,
    address_zh: `${community.aboveZh}${community.nameZh}${road}号`,
    address_en: `No. ${road}, ${community.nameEn}, ${community.aboveEn}`,
    lat: n % 5 === 0 ? '' : (39 + (n % 1000) / 1000).toFixed(6),
    lon: n % 5 === 0 ? '' : (116 + (n % 997) / 997).toFixed(6),
    operator: operatorOf[community.province] ?? 'bwf',
    services: serviceLists[n % serviceLists.length],
    hours: schedules[(n + (changed ? 1 : 0)) % schedules.length],
    exceptions: n % 10 === 0 ? '2027-02-06 closed 春节 / Spring Festival; 2027-02-07 09:00-12:00' : '',
    // Unique per row: how the changed file finds the facilities the first one added.
    phone: `${changed ? '020' : '010'}-5${String(n).padStart(7, '0')}`,
    accessibility_zh: n % 3 === 0 ? '无障碍通道，一层' : '',
    accessibility_en: n % 3 === 0 ? 'Step-free entrance, ground floor' : '',
    description_zh: n % 2 === 0 ? `为${community.nameZh}妇女儿童提供就近服务。` : '',
    description_en: n % 2 === 0 ? `Services close to home for women and children of ${community.nameEn}.` : '',
    status: 'active',
    verified_on: '2026-11-01',
  };
}

/** A CSV file as the export writes it. */
function csvFile(rows: Partial<Record<FacilityCsvColumn, string>>[]): Uint8Array {
  const text = `\uFEFF${stringify([[...facilityCsvColumns], ...rows.map((row) => facilityCsvColumns.map((column) => row[column] ?? ''))], { record_delimiter: 'windows' })}`;
  return Buffer.from(text, 'utf8');
}

function expectReport(what: string, report: FacilityImportReport, expected: { added: number; updated: number; written: boolean }): void {
  const refused = report.refused.slice(0, 3).map((row) => `row ${row.row}: ${row.problems.map((problem) => problem.en).join('; ')}`);
  if (report.fileProblem) throw new Error(`${what}: the file was refused: ${report.fileProblem.en}`);
  if (report.refused.length > 0) throw new Error(`${what}: ${report.refused.length} rows refused, e.g. ${refused.join(' | ')}`);
  if (report.added.length !== expected.added || report.updated.length !== expected.updated || report.written !== expected.written) {
    throw new Error(`${what}: ${report.added.length} added, ${report.updated.length} changed, written ${report.written}; expected ${JSON.stringify(expected)}`);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function main(cleanup: Cleanup): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(`Halfsky facility import and export benchmark\nmachine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}\n\n`);
  const tempParent = await makeTempParent('halfsky-bench-facility-import-');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  const server = await startEmbeddedPostgres({ dataDir: path.join(tempParent, 'postgres') });
  cleanup.add('PostgreSQL', () => server.stop());
  await server.ensureDatabase('halfsky_bench');
  const db = createDb(server.connectionString('halfsky_bench'));
  cleanup.add('pool', () => db.destroy());
  await migrateToLatest(db);
  await loadDemo(db);
  const data = await timed(() => insertFacilityData(db));
  await vacuumFacilityData(db);
  process.stdout.write(`data: ${data.value.places} places and ${data.value.facilities} facilities made up in ${seconds(data.ms)} (PostgreSQL in ${tempParent})\n`);

  const account = await db.selectFrom('user_account').select(['id', 'email', 'display_name']).where('email', '=', ADMIN_EMAIL).executeTakeFirstOrThrow();
  const actor: Actor = { userId: account.id, email: account.email, displayName: account.display_name, isPlatformAdmin: true, ip: '127.0.0.1' };
  const places = await communities(db);
  const added = csvFile(places.map((community, n) => newFacility(community, n, false)));
  process.stdout.write(`file of ${ROWS} new facilities: ${mib(added.length)} (the limit is ${mib(facilityImportLimits.maxBytes)})\n\n`);

  const rows: string[][] = [];
  const row = (what: string, count: number, ms: number, note = '') =>
    rows.push([what, String(count), seconds(ms), count === 0 ? '' : (count / (ms / 1000)).toFixed(0), note, loadAverage()]);

  const dryAdd = await timed(() => importFacilitiesCsv(db, actor, added, { dryRun: true }));
  expectReport('dry run of new facilities', dryAdd.value, { added: ROWS, updated: 0, written: false });
  row('CSV dry run, new facilities', ROWS, dryAdd.ms);
  const realAdd = await timed(() => importFacilitiesCsv(db, actor, added, { dryRun: false }));
  expectReport('import of new facilities', realAdd.value, { added: ROWS, updated: 0, written: true });
  row('CSV import, new facilities', ROWS, realAdd.ms, 'with their lists and an audit event each');

  // The same facilities with their ids, other hours and another phone: each row changes two fields.
  const ids = new Map(
    (await db.selectFrom('facility').select(['id', 'phone']).where('phone', 'like', '010-5%').execute()).map((facility) => [facility.phone, facility.id]),
  );
  const changed = csvFile(
    places.map((community, n) => {
      const id = ids.get(`010-5${String(n).padStart(7, '0')}`);
      if (id === undefined) throw new Error(`the facility of row ${n + 2} was not added`);
      return { ...newFacility(community, n, true), id: String(id) };
    }),
  );
  const dryChange = await timed(() => importFacilitiesCsv(db, actor, changed, { dryRun: true }));
  expectReport('dry run of changes', dryChange.value, { added: 0, updated: ROWS, written: false });
  row('CSV dry run, changed facilities', ROWS, dryChange.ms, 'each field compared, before → after');
  const realChange = await timed(() => importFacilitiesCsv(db, actor, changed, { dryRun: false }));
  expectReport('import of changes', realChange.value, { added: 0, updated: ROWS, written: true });
  row('CSV import, changed facilities', ROWS, realChange.ms);

  const total = Number((await sql<{ n: string }>`select count(*) as n from facility`.execute(db)).rows[0]?.n);
  const csv = await timed(() => exportFacilitiesCsv(db, actor));
  row('CSV export, every facility', total, csv.ms, mib(Buffer.byteLength(csv.value)));
  // Written in pieces, as the routes stream it: the whole document is longer than one string can be.
  const hsds = await timed(async () => {
    let bytes = 0;
    for (const piece of jsonChunks(await exportFacilitiesHsds(db, actor))) bytes += Buffer.byteLength(piece);
    return bytes;
  });
  row('HSDS export, every facility', total, hsds.ms, `${mib(hsds.value)} (as served)`);
  const geojson = await timed(async () => JSON.stringify(await exportFacilitiesGeoJson(db, actor)));
  row('GeoJSON export, every facility', total, geojson.ms, mib(Buffer.byteLength(geojson.value)));

  process.stdout.write(
    `${table([['step (service function, in this process)', 'rows', 'time', 'rows/s', 'note', 'load'], ...rows])}\n` +
      `Exports include serializing the document. load: the 1-minute load average after each step (${cpus.length} CPUs).\n`,
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
