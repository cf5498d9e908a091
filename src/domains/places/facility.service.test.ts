import { CompiledQuery, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import type { Actor } from '../../platform/access.ts';
import { DomainError } from '../../platform/errors.ts';
import * as facilityRepository from './facility.repository.ts';
import type { FacilityInput } from './facility.schema.ts';
import * as facilityService from './facility.service.ts';

let database: TestDatabase;
let bwfEditor: Actor;
let twfEditor: Actor;
let administrator: Actor;

async function actorFor(email: string): Promise<Actor> {
  const account = await database.db.selectFrom('user_account').select(['id', 'display_name', 'is_platform_admin']).where('email', '=', email).executeTakeFirstOrThrow();
  return { userId: account.id, email, displayName: account.display_name, isPlatformAdmin: account.is_platform_admin, ip: '127.0.0.1' };
}

async function organizationId(slug: string): Promise<number> {
  return (await database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

async function facilityId(nameZh: string): Promise<number> {
  return (await database.db.selectFrom('facility').select('id').where('name_zh', '=', nameZh).executeTakeFirstOrThrow()).id;
}

/** What a call is refused with: its status and code, or "allowed". */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'allowed';
  } catch (error) {
    if (error instanceof DomainError) return `${error.status} ${error.code}`;
    throw error;
  }
}

async function input(overrides: Partial<FacilityInput> = {}): Promise<FacilityInput> {
  return {
    kind: 'womens_micro_home',
    nameZh: '兴华大街楼宇妇女微家',
    nameEn: 'Xinghua Street Women’s Micro-home',
    placeId: (await database.db.selectFrom('place').select('id').where('name_zh', '=', '大兴区').executeTakeFirstOrThrow()).id,
    addressZh: '北京市大兴区兴华大街',
    addressEn: 'Xinghua Street, Daxing District, Beijing',
    lat: null,
    lon: null,
    operatorOrganizationId: await organizationId('daxing-wf'),
    hostOrganizationId: null,
    keeperPersonId: null,
    descriptionZh: '',
    descriptionEn: '',
    phone: '',
    email: 'weijia@example.org',
    website: '',
    accessibilityZh: '',
    accessibilityEn: '',
    status: 'active',
    verifiedOn: null,
    services: ['employment_training', 'legal_aid'],
    hours: 'We 12:00-13:30',
    exceptions: '2027-02-10 closed 春节 / Spring Festival',
    photos: [],
    ...overrides,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  [bwfEditor, twfEditor, administrator] = await Promise.all([
    actorFor('editor@bwf.example.org'),
    actorFor('editor@twf.example.org'),
    actorFor('admin@bwf.example.org'),
  ]);
});
afterAll(async () => {
  await database.drop();
});

describe('keeping facilities', () => {
  it('lets a BWF editor record a facility operated by daxing-wf, audited with its services, hours and exceptions as text', async () => {
    const created = await facilityService.createFacility(database.db, bwfEditor, await input());
    const detail = await facilityService.getFacilityDetail(database.db, bwfEditor, created.id);
    expect(detail.services.map((service) => service.code)).toEqual(['legal_aid', 'employment_training']);
    expect(detail.hours).toEqual([{ weekday: 3, opens: '12:00', closes: '13:30' }]);
    expect(detail.exceptions).toEqual([{ onDate: '2027-02-10', opens: null, closes: null, noteZh: '春节', noteEn: 'Spring Festival' }]);
    expect(detail.editable).toBe(true);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'after'])
      .where('entity_type', '=', 'facility')
      .where('entity_id', '=', String(created.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'create', actor_user_id: bwfEditor.userId });
    expect(audit.after).toMatchObject({
      nameZh: '兴华大街楼宇妇女微家',
      kind: 'womens_micro_home',
      services: 'legal_aid, employment_training',
      hours: 'We 12:00-13:30',
      exceptions: '2027-02-10 closed 春节 / Spring Festival',
    });
  });

  it('refuses the TWF editor, as not found, anything about facilities of the BWF tree', async () => {
    const office = await facilityId('北京市妇联执委 Liu Yumei 工作室');
    expect(await refusal(facilityService.createFacility(database.db, twfEditor, await input({ nameZh: '天津不能建' })))).toBe('404 not_found');
    expect(await refusal(facilityService.updateFacility(database.db, twfEditor, office, { phone: '022-0000' }))).toBe('404 not_found');
    expect(await refusal(facilityService.markFacilityVerified(database.db, twfEditor, office))).toBe('404 not_found');
    expect(await refusal(facilityService.deleteFacility(database.db, twfEditor, office))).toBe('404 not_found');
    // Reading is for all staff.
    expect((await facilityService.getFacilityDetail(database.db, twfEditor, office)).editable).toBe(false);
  });

  it('lets other code check that a facility exists and is visible', async () => {
    const office = await facilityId('北京市妇联执委 Liu Yumei 工作室');
    expect((await facilityService.assertFacilityVisible(database.db, twfEditor, office)).nameEn).toBe('Office of Liu Yumei, BWF Executive Committee Member');
    expect(await refusal(facilityService.assertFacilityVisible(database.db, twfEditor, 999_999))).toBe('404 not_found');
    const outsider: Actor = { userId: 999_999, email: 'nobody@example.org', displayName: 'Nobody', isPlatformAdmin: false, ip: '127.0.0.1' };
    expect(await refusal(facilityService.assertFacilityVisible(database.db, outsider, office))).toBe('404 not_found');
  });

  it('refuses hours that overlap or end before they start, with the reason beside the hours field', async () => {
    for (const [hours, message] of [
      ['Mo 09:00-12:00,11:30-14:00', 'On Mon, 09:00-12:00 and 11:30-14:00 overlap.'],
      ['Sa 12:00-09:00', 'Sat 12:00-09:00: the end must be after the start.'],
    ] as const) {
      try {
        await facilityService.createFacility(database.db, bwfEditor, await input({ nameZh: '时间有误', hours }));
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ status: 400, code: 'hours', field: 'hours', message });
      }
    }
    expect(await database.db.selectFrom('facility').select('id').where('name_zh', '=', '时间有误').execute()).toEqual([]);
  });

  it('keeps what a change leaves out, and refuses a change that would break a rule without writing anything', async () => {
    const centre = await facilityId('同仁堂知嘛健康女性服务中心');
    await facilityService.updateFacility(database.db, bwfEditor, centre, { phone: '010-6920 0000' });
    const after = await facilityService.getFacilityDetail(database.db, bwfEditor, centre);
    expect(after).toMatchObject({ phone: '010-6920 0000', host: { nameEn: 'Tongrentang Zhima Health' } });
    expect(after.hours).toHaveLength(7);
    expect(after.exceptions).toHaveLength(1);
    expect(await refusal(facilityService.updateFacility(database.db, bwfEditor, centre, { lat: null }))).toBe('400 coordinates');
    expect(await refusal(facilityService.updateFacility(database.db, bwfEditor, centre, { kind: 'spaceport' }))).toBe('400 kind');
    expect(await refusal(facilityService.updateFacility(database.db, bwfEditor, centre, { photos: [987_654] }))).toBe('400 photos');
    expect((await facilityService.getFacility(database.db, bwfEditor, centre)).lat).toBe(39.7298);
  });
});

describe('verification', () => {
  it('lists, for what the actor may edit, the active or temporarily closed facilities not verified for a year or never, oldest first', async () => {
    const now = new Date('2026-11-24T02:00:00Z');
    const bwf = await facilityService.listFacilities(database.db, bwfEditor, { needsVerification: 'true', limit: 50, offset: 0 }, now);
    expect(bwf.items.map((facility) => facility.verifiedOn)).toEqual([null, '2025-06-10']);
    expect(bwf.items.map((facility) => facility.nameEn)).toEqual(['Xinghua Street Women’s Micro-home', 'Daxing District Women and Children’s Service Centre']);
    const all = await facilityService.listFacilities(database.db, administrator, { needsVerification: 'true', limit: 50, offset: 0 }, now);
    expect(all.items.map((facility) => facility.nameEn)).toContain('Shijiazhuang Women and Children’s Service Centre');
    const twf = await facilityService.listFacilities(database.db, twfEditor, { needsVerification: 'true', limit: 50, offset: 0 }, now);
    expect(twf.total).toBe(0);
  });

  it('counts a year to the day in Asia/Shanghai', async () => {
    const on = async (instant: string) =>
      (await facilityService.listFacilities(database.db, bwfEditor, { needsVerification: 'true', limit: 50, offset: 0 }, new Date(instant))).items.map(
        (facility) => facility.verifiedOn,
      );
    // 16:30 UTC on 9 June is already 10 June in Beijing: a year since 2025-06-10.
    expect(await on('2026-06-09T16:30:00Z')).toContain('2025-06-10');
    expect(await on('2026-06-09T15:30:00Z')).not.toContain('2025-06-10');
    expect(facilityService.oneYearBefore('2028-02-29')).toBe('2027-02-28');
  });

  it('records "verified today" with an audit event, which takes the facility off the list', async () => {
    const centre = await facilityId('大兴区妇女儿童服务中心');
    const now = new Date('2026-11-24T02:00:00Z');
    const verified = await facilityService.markFacilityVerified(database.db, bwfEditor, centre, now);
    expect(verified.verifiedOn).toBe('2026-11-24');
    const list = await facilityService.listFacilities(database.db, bwfEditor, { needsVerification: 'true', limit: 50, offset: 0 }, now);
    expect(list.items.map((facility) => facility.id)).not.toContain(centre);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'facility')
      .where('entity_id', '=', String(centre))
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'verify', before: { verifiedOn: '2025-06-10' }, after: { verifiedOn: '2026-11-24' } });
  });
});

describe('searching', () => {
  it('searches names and addresses through the trigram index', async () => {
    const captured: { node: RootOperationNode; queryId: QueryId }[] = [];
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        captured.push({ node: args.node, queryId: args.queryId });
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const rows = await facilityRepository.listFacilities(database.db.withPlugin(capture), { q: '知嘛健康' }, { limit: 10, offset: 0 });
    expect(rows.map((row) => row.name_en)).toEqual(['Tongrentang Zhima Health Women’s Service Centre']);
    const first = captured[0];
    if (!first) throw new Error('no query captured');
    const compiled = database.db.getExecutor().compileQuery(first.node, first.queryId);
    const plan = await database.db.transaction().execute(async (tx) => {
      // A handful of rows is read faster without an index; forbid that to see whether the index can serve.
      await tx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
      const result = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('facility_search_trgm_idx');
  });
});

describe('the lists of kinds and services', () => {
  it('lets a platform administrator add, rename, reorder and delete an unused entry; refuses an editor and deleting one in use', async () => {
    expect(await refusal(facilityService.addTaxonomyEntry(database.db, bwfEditor, 'kinds', { code: 'legal_clinic', nameZh: '法律诊所', nameEn: 'Legal clinic' }))).toBe(
      '404 not_found',
    );
    const added = await facilityService.addTaxonomyEntry(database.db, administrator, 'kinds', { code: 'legal_clinic', nameZh: '法律诊所', nameEn: 'Legal clinic' });
    expect(await refusal(facilityService.addTaxonomyEntry(database.db, administrator, 'kinds', { code: 'legal_clinic', nameZh: '又一个', nameEn: 'Again' }))).toBe(
      '409 conflict',
    );
    await facilityService.renameTaxonomyEntry(database.db, administrator, 'kinds', added.id, { nameZh: '妇女法律诊所', nameEn: 'Women’s legal clinic' });
    await facilityService.moveTaxonomyEntry(database.db, administrator, 'kinds', added.id, 'up');
    const kinds = await facilityService.listTaxonomy(database.db, bwfEditor, 'kinds');
    expect(kinds.map((kind) => kind.code).slice(-2)).toEqual(['legal_clinic', 'childrens_home']);
    expect(kinds.find((kind) => kind.code === 'legal_clinic')).toMatchObject({ nameEn: 'Women’s legal clinic', facilityCount: 0 });
    const inUse = kinds.find((kind) => kind.code === 'womens_home');
    if (!inUse) throw new Error('no womens_home');
    expect(await refusal(facilityService.deleteTaxonomyEntry(database.db, administrator, 'kinds', inUse.id))).toBe('409 conflict');
    await facilityService.deleteTaxonomyEntry(database.db, administrator, 'kinds', added.id);
    expect((await facilityService.listTaxonomy(database.db, bwfEditor, 'kinds')).map((kind) => kind.code)).not.toContain('legal_clinic');
    const events = await database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'facility_kind').where('entity_id', '=', String(added.id)).execute();
    expect(events.map((event) => event.action)).toEqual(['create', 'update', 'update', 'delete']);
  });
});
