/**
 * A made-up network of facilities at the scale of a large deployment, shared by the facility
 * benchmarks: 50,000 places and 200,000 facilities, written by set-based SQL (generate_series).
 *
 * The gazetteer hangs under the demo's three provinces: Beijing gets 30 districts, Tianjin and Hebei
 * 15 each (60 in all), each district 20 sub-districts (1,200), and 48,740 communities and villages
 * (one in ten a village) are spread over the sub-districts, so that Beijing holds half the places.
 * Names are made of two syllables from a list of forty (安华, 青松) with their pinyin: "安华区" /
 * "Anhua District", "青松街道" / "Qingsong Sub-district", "安华里社区" / "Anhuali Community",
 * "安华村" / "Anhua Village". Names are unique among a place's children, so that a file can name a
 * place by its path ("110000/安华区/青松街道/福宁苑社区"); the same name recurs under other parents,
 * as it does in a real gazetteer.
 *
 * Facilities: a tenth in districts and sub-districts (service centres, family education stations),
 * the rest in communities (half of them women's homes, then children's homes, micro-homes, executive
 * members' offices, service blocks). A facility is named for its place and kind ("安华里社区妇女之家" /
 * "Anhuali Community Women's home") with an address on a made-up road ("安华区青松街道福康路12号" /
 * "No. 12 Fukang Road, Qingsong Sub-district, Anhua District"). Operators follow the province: Beijing's
 * are the BWF and its units (one in twenty-five is the demo's partner, which no site lists), Tianjin's
 * the TWF's, Hebei's the Hebei federation's. 85 % are active, 10 % temporarily closed, 5 % closed;
 * four in five have coordinates. Each offers one to four of the ten services. Statuses, services and
 * hours are picked by hashes of the number, so that none follows the place. Weekly hours: half open Mo–Fr
 * 09:00–12:00 and 13:30–17:30, a fifth Mo–Fr 08:30–17:00 and Sa 09:00–12:00, a tenth Tu–Su
 * 09:00–17:00, one in twenty Mo–Fr until 21:00, one in a hundred day and night, 4 % Mo–Sa 10:00–20:00,
 * and a tenth keep no hours. One in fifty has a closed day among the coming weeks, one in fifty a
 * day of other hours.
 *
 * The rows go in as a restore writes them (indexes built afterwards), in about a minute on two cores.
 * The timing helpers at the end are shared by the facility benchmarks.
 */
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';

export const facilityScale = { places: 50_000, facilities: 200_000 } as const;

/** Districts under each of the demo's provinces, by its code. */
const districtsPerProvince: ReadonlyArray<readonly [code: string, districts: number]> = [
  ['110000', 30],
  ['120000', 15],
  ['130000', 15],
];
const SUBDISTRICTS_PER_DISTRICT = 20;

// Forty syllables and their pinyin; two make a name. None makes a demo place's name (和平, 河西, 大兴).
const syllables = [
  ['安', 'an'], ['华', 'hua'], ['嘉', 'jia'], ['平', 'ping'], ['新', 'xin'], ['兴', 'xing'], ['光', 'guang'], ['明', 'ming'],
  ['东', 'dong'], ['西', 'xi'], ['南', 'nan'], ['北', 'bei'], ['长', 'chang'], ['青', 'qing'], ['龙', 'long'], ['凤', 'feng'],
  ['春', 'chun'], ['秋', 'qiu'], ['花', 'hua'], ['园', 'yuan'], ['金', 'jin'], ['银', 'yin'], ['桥', 'qiao'], ['海', 'hai'],
  ['湖', 'hu'], ['山', 'shan'], ['林', 'lin'], ['松', 'song'], ['柳', 'liu'], ['桃', 'tao'], ['丰', 'feng'], ['泰', 'tai'],
  ['福', 'fu'], ['宁', 'ning'], ['康', 'kang'], ['乐', 'le'], ['文', 'wen'], ['德', 'de'], ['民', 'min'], ['永', 'yong'],
] as const;
/** Ordered pairs of different syllables: 40 × 39. */
const PAIRS = 1560;
// What ends a community's name before 社区 ("安华里社区"), and its pinyin.
const communitySuffixes = [
  ['里', 'li'], ['园', 'yuan'], ['苑', 'yuan'], ['路', 'lu'], ['街', 'jie'], ['桥', 'qiao'], ['门', 'men'], ['新村', 'xincun'],
] as const;

/** Operators by province; a facility picks one by its number. */
const operatorsByProvince: Record<string, readonly string[]> = {
  '110000': ['bwf-grassroots-department', 'bwf-grassroots-department', 'bwf-family-department', 'bwf', 'daxing-wf', 'guanyinsi-wf', 'bwf-rights-department'],
  '120000': ['twf-organization-department', 'twf', 'twf-rights-department'],
  '130000': ['hebei-wf', 'hebei-wf-rights-department', 'hebei-wf-publicity-department'],
};
/** One facility in this many in Beijing is run by the demo's partner, which no site lists. */
const PARTNER_EVERY = 25;
const PARTNER = 'tongrentang-zhima-health';

export interface FacilityData {
  places: number;
  facilities: number;
  hours: number;
  services: number;
  exceptions: number;
  /** Beijing: the province of the BWF, the default site. */
  provinceId: number;
  /** The first made-up district of Beijing, and its first sub-district. */
  districtId: number;
  subdistrictId: number;
}

async function count(db: Kysely<Database>, table: 'facility_hours' | 'facility_service' | 'facility_hours_exception', firstFacility: number): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('facility_id', '>=', firstFacility)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Runs `work` as a restore would: with the tables' indexes other than their keys dropped, then built
 * again from their definitions (building an index at once costs a fraction of growing it row by row,
 * the trigram index most), and without foreign-key triggers (the made-up rows refer to rows that exist,
 * by construction). Needs a superuser, which the embedded server's connection is.
 */
async function asRestore<T>(tx: Kysely<Database>, tables: readonly string[], work: () => Promise<T>): Promise<T> {
  await sql`set local session_replication_role = replica`.execute(tx);
  const indexes = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = any(${[...tables]}::text[])
      and not exists (select 1 from pg_constraint where conname = indexname)`.execute(tx);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(tx);
  const result = await work();
  for (const index of indexes.rows) await sql.raw(index.definition).execute(tx);
  await sql`set local session_replication_role = origin`.execute(tx);
  return result;
}

/**
 * Writes the made-up gazetteer and facilities (see the top of this file) in one transaction over a
 * database with the demo loaded. Run VACUUM ANALYZE afterwards (vacuumFacilityData), as autovacuum
 * would after a large insert.
 */
export async function insertFacilityData(db: Kysely<Database>): Promise<FacilityData> {
  return db.transaction().execute((tx) => asRestore(tx, ['facility', 'facility_service', 'facility_hours', 'facility_hours_exception'], () => insertAll(tx)));
}

async function insertAll(tx: Kysely<Database>): Promise<FacilityData> {
  const firstPlace = Number((await sql<{ id: string }>`select coalesce(max(id), 0) + 1 as id from place`.execute(tx)).rows[0]?.id);
  const firstFacility = Number((await sql<{ id: string }>`select coalesce(max(id), 0) + 1 as id from facility`.execute(tx)).rows[0]?.id);

  await sql`
    create temporary table bench_pair on commit drop as
    select idx,
           s.zh[1 + idx / 39] || s.zh[1 + (idx / 39 + 1 + idx % 39) % 40] as zh,
           initcap(s.py[1 + idx / 39] || s.py[1 + (idx / 39 + 1 + idx % 39) % 40]) as en
    from generate_series(0, ${PAIRS - 1}::int) idx,
         (select ${syllables.map(([zh]) => zh)}::text[] as zh, ${syllables.map(([, py]) => py)}::text[] as py) s`.execute(tx);
  await sql`alter table bench_pair add primary key (idx)`.execute(tx);

  await sql`
    insert into place (name_zh, name_en, level, parent_id)
    select pair.zh || '区', pair.en || ' District', 'district', province.id
    from unnest(${districtsPerProvince.map(([code]) => code)}::text[], ${districtsPerProvince.map(([, n]) => n)}::int[])
           with ordinality as plan(code, districts, ord)
    join place province on province.code = plan.code
    cross join generate_series(0, plan.districts - 1) k
    join bench_pair pair on pair.idx = (k * 37 + plan.ord * 11) % ${PAIRS}::int
    order by province.id, k`.execute(tx);
  await sql`
    insert into place (name_zh, name_en, level, parent_id)
    select pair.zh || '街道', pair.en || ' Sub-district', 'subdistrict', district.id
    from (select id, row_number() over (order by id) as ord from place where level = 'district' and id >= ${firstPlace}) district
    cross join generate_series(0, ${SUBDISTRICTS_PER_DISTRICT - 1}::int) j
    join bench_pair pair on pair.idx = (j * 53 + district.ord * 17) % ${PAIRS}::int
    order by district.id, j`.execute(tx);
  const upper = Number((await sql<{ n: string }>`select count(*) as n from place where id >= ${firstPlace}`.execute(tx)).rows[0]?.n);
  // Community n goes under sub-district n % S as its (n / S)-th child: names differ among siblings.
  await sql`
    with subdistricts as (select array_agg(id order by id) as ids from place where level = 'subdistrict' and id >= ${firstPlace}),
         suffix as (select ${communitySuffixes.map(([zh]) => zh)}::text[] as zh, ${communitySuffixes.map(([, py]) => py)}::text[] as py),
         community as (
           select n, n % 10 = 0 as village, ids[1 + n % cardinality(ids)] as parent_id,
                  ((n / cardinality(ids)) * 101 + (n % cardinality(ids)) * 7) % ${PAIRS * communitySuffixes.length}::int as name
           from subdistricts, generate_series(1, ${facilityScale.places - upper}::int) n
         )
    insert into place (name_zh, name_en, level, parent_id)
    select case when village then pair.zh || '村' else pair.zh || suffix.zh[1 + name % 8] || '社区' end,
           case when village then pair.en || ' Village' else pair.en || suffix.py[1 + name % 8] || ' Community' end,
           case when village then 'village' else 'community' end,
           parent_id
    from community cross join suffix
    join bench_pair pair on pair.idx = case when village then name % ${PAIRS}::int else name / 8 end
    order by n`.execute(tx);

  // Each made-up place with what an address says above it and the province it lies in.
  await sql`
    create temporary table bench_place on commit drop as
    select place.id, place.level, place.name_zh, place.name_en,
           case place.level when 'district' then place.name_zh when 'subdistrict' then up1.name_zh || place.name_zh
                else up2.name_zh || up1.name_zh end as above_zh,
           case place.level when 'district' then place.name_en when 'subdistrict' then place.name_en || ', ' || up1.name_en
                else up1.name_en || ', ' || up2.name_en end as above_en,
           coalesce(case when up1.level = 'province' then up1.code end, case when up2.level = 'province' then up2.code end, up3.code) as province,
           place.level in ('district', 'subdistrict') as upper,
           row_number() over (partition by place.level in ('district', 'subdistrict') order by place.id) - 1 as ord
    from place
    join place up1 on up1.id = place.parent_id
    left join place up2 on up2.id = up1.parent_id
    left join place up3 on up3.id = up2.parent_id
    where place.id >= ${firstPlace}`.execute(tx);
  await sql`alter table bench_place add primary key (upper, ord)`.execute(tx);
  await sql`analyze bench_place`.execute(tx);
  const tiers = await sql<{ upper: boolean; n: string }>`select upper, count(*) as n from bench_place group by upper`.execute(tx);
  const tier = (upper: boolean) => Number(tiers.rows.find((row) => row.upper === upper)?.n);

  const operatorRows = Object.entries(operatorsByProvince).flatMap(([code, slugs]) => slugs.map((slug, position) => ({ code, slug, position })));
  await sql`
    with operator as (
           select plan.code, plan.position, organization.id
           from unnest(${operatorRows.map((row) => row.code)}::text[], ${operatorRows.map((row) => row.slug)}::text[], ${operatorRows.map((row) => row.position)}::int[])
                  as plan(code, slug, position)
           join organization on organization.slug = plan.slug
         ),
         operators as (select code, count(*)::int as n from operator group by code),
         partner as (select id from organization where slug = ${PARTNER}),
         made_up as (
           select n, place.*,
                  case when place.level in ('district', 'subdistrict')
                       then (array['womens_service_centre', 'family_education_station', 'womens_home'])[1 + n % 3]
                       else (array['womens_home', 'womens_home', 'womens_home', 'womens_home', 'womens_home',
                                   'womens_home', 'womens_home', 'womens_home', 'womens_home', 'womens_home',
                                   'childrens_home', 'childrens_home', 'childrens_home', 'womens_micro_home', 'womens_micro_home',
                                   'executive_member_office', 'executive_member_office', 'family_education_station',
                                   'community_service_block', 'community_service_block'])[1 + (n / 10) % 20] end as kind
           from generate_series(1, ${facilityScale.facilities}::int) n
           join bench_place place on place.upper = (n % 10 = 0)
                                 and place.ord = case when n % 10 = 0 then (n / 10) % ${tier(true)}::int else (n * 31) % ${tier(false)}::int end
         )
    insert into facility (kind_id, name_zh, name_en, place_id, address_zh, address_en, lat, lon, operator_organization_id,
                          description_zh, description_en, phone, status, verified_on)
    select kind.id,
           -- "安华里社区" and "社区公共服务站" make "安华里社区公共服务站".
           f.name_zh || case when f.name_zh like '%社区' and kind.name_zh like '社区%' then substr(kind.name_zh, 3) else kind.name_zh end,
           f.name_en || ' ' || case when f.name_en like '% Community' and kind.name_en like 'Community %' then substr(kind.name_en, 11) else kind.name_en end,
           f.id,
           f.above_zh || road.zh || (array['路', '街', '大街', '胡同'])[1 + f.n % 4] || (1 + (f.n * 7) % 198) || '号',
           'No. ' || (1 + (f.n * 7) % 198) || ' ' || road.en || ' ' || (array['Road', 'Street', 'Avenue', 'Hutong'])[1 + f.n % 4] || ', ' || f.above_en,
           case when f.n % 5 <> 0 then round((case f.province when '110000' then 39.9 when '120000' then 39.1 else 38.0 end
                                              + ((f.n * 7919) % 10000) / 10000.0 - 0.5)::numeric, 6) end,
           case when f.n % 5 <> 0 then round((case f.province when '110000' then 116.4 when '120000' then 117.2 else 114.5 end
                                              + ((f.n::bigint * 104729) % 10000) / 10000.0 - 0.5)::numeric, 6) end,
           case when f.province = '110000' and f.n % ${PARTNER_EVERY}::int = 0 then partner.id else operator.id end,
           case when f.n % 3 = 0 then '为' || f.name_zh || '及周边妇女儿童提供政策咨询、维权服务和家庭教育指导。' else '' end,
           case when f.n % 3 = 0 then 'Policy advice, rights protection and family education guidance for women and children in and around ' || f.name_en || '.' else '' end,
           (case f.province when '110000' then '010-' when '120000' then '022-' else '0311-' end) || (60000000 + (f.n * 7919) % 30000000),
           -- Picked by a hash of the number, so that status does not follow the level of the place.
           case when (f.n * 7919) % 997 % 20 = 0 then 'closed' when (f.n * 7919) % 997 % 10 = 3 then 'temporarily_closed' else 'active' end,
           case when f.n % 4 <> 0 then current_date - (f.n % 700) end
    from made_up f
    join facility_kind kind on kind.code = f.kind
    join bench_pair road on road.idx = (f.n * 13 + f.id) % ${PAIRS}::int
    join operators on operators.code = f.province
    join operator on operator.code = f.province and operator.position = f.n % operators.n
    cross join partner
    order by f.n`.execute(tx);

  // One to four services, picked by hashes of the id, so that no service follows the place.
  await sql`
    insert into facility_service (facility_id, service_type_id)
    select distinct facility.id, services.ids[1 + (facility.id * 7919 + k * 104729) % 1009 % cardinality(services.ids)]
    from facility
    cross join (select array_agg(id order by position, id) as ids from service_type) services
    cross join generate_series(0, facility.id * 31 % 1013 % 4) k
    where facility.id >= ${firstFacility}`.execute(tx);

  // Weekly schedules by pattern; a facility's pattern follows from a hash of its id.
  await sql`
    with schedule(pattern, first_day, last_day, opens, closes) as (values
           ('office', 1, 5, time '09:00', time '12:00'), ('office', 1, 5, time '13:30', time '17:30'),
           ('saturday', 1, 5, time '08:30', time '17:00'), ('saturday', 6, 6, time '09:00', time '12:00'),
           ('weekend', 2, 7, time '09:00', time '17:00'),
           ('evening', 1, 5, time '09:00', time '21:00'),
           ('always', 1, 7, time '00:00', time '24:00'),
           ('long', 1, 6, time '10:00', time '20:00')),
         patterned as (
           select id, case when h < 10 then null when h < 60 then 'office' when h < 80 then 'saturday'
                           when h < 90 then 'weekend' when h < 95 then 'evening' when h = 95 then 'always' else 'long' end as pattern
           from (select id, (id * 7919) % 1009 % 100 as h from facility where id >= ${firstFacility}) hashed
         )
    insert into facility_hours (facility_id, weekday, opens, closes)
    select patterned.id, weekday, schedule.opens, schedule.closes
    from patterned
    join schedule on schedule.pattern = patterned.pattern
    cross join generate_series(schedule.first_day, schedule.last_day) weekday
    order by patterned.id, weekday, schedule.opens`.execute(tx);
  await sql`
    insert into facility_hours_exception (facility_id, on_date, opens, closes, note_zh, note_en)
    select id, current_date + (id % 60)::int - 20, null, null, '设施维护', 'Maintenance'
    from facility where id >= ${firstFacility} and id % 50 = 7
    union all
    select id, current_date + (id % 30)::int, time '09:00', time '12:00', '周末活动', 'Weekend activity'
    from facility where id >= ${firstFacility} and id % 50 = 8`.execute(tx);

  const [facilities, hours, services, exceptions] = await Promise.all([
    sql<{ n: string }>`select count(*) as n from facility where id >= ${firstFacility}`.execute(tx).then((r) => Number(r.rows[0]?.n)),
    count(tx, 'facility_hours', firstFacility),
    count(tx, 'facility_service', firstFacility),
    count(tx, 'facility_hours_exception', firstFacility),
  ]);
  const anchors = await sql<{ province_id: number; district_id: number; subdistrict_id: number }>`
    select province.id as province_id, district.id as district_id,
           (select id from place where parent_id = district.id order by id limit 1) as subdistrict_id
    from place province
    join place district on district.parent_id = province.id and district.id >= ${firstPlace}
    where province.code = '110000'
    order by district.id limit 1`.execute(tx);
  const anchor = anchors.rows[0];
  if (!anchor) throw new Error('the made-up gazetteer has no district under Beijing (is the demo loaded?)');
  return {
    places: Number((await sql<{ n: string }>`select count(*) as n from place where id >= ${firstPlace}`.execute(tx)).rows[0]?.n),
    facilities,
    hours,
    services,
    exceptions,
    provinceId: anchor.province_id,
    districtId: anchor.district_id,
    subdistrictId: anchor.subdistrict_id,
  };
}

/** What autovacuum does on its own after a large insert: fresh statistics, and the visibility map that lets index-only scans skip the table. */
export async function vacuumFacilityData(db: Kysely<Database>): Promise<void> {
  for (const table of ['place', 'facility', 'facility_service', 'facility_hours', 'facility_hours_exception']) {
    await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  }
}

// ---------------------------------------------------------------- timing, shared by the facility benchmarks

/** The nearest-rank percentile (p in 0…100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/** Runs `once` `warmUp` times unmeasured, then `count` times one after another; returns each run's milliseconds. */
export async function timeRuns(count: number, warmUp: number, once: () => Promise<void>): Promise<number[]> {
  for (let run = 0; run < warmUp; run++) await once();
  const times: number[] = [];
  for (let run = 0; run < count; run++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return times;
}

/** Times `count` sequential GETs after `warmUp` more; each must answer 200 and show `expect`. */
export function timeRequests(url: string, headers: Record<string, string>, expect: string, count: number, warmUp: number): Promise<number[]> {
  return timeRuns(count, warmUp, async () => {
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (!body.includes(expect)) throw new Error(`${url} does not show ${JSON.stringify(expect)}`);
  });
}

/** The 1-minute load average, for printing beside a figure: other work on the machine shows in every one. */
export function loadAverage(): string {
  return os.loadavg()[0]?.toFixed(1) ?? '?';
}
