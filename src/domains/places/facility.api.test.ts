import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;

async function organizationId(slug: string): Promise<number> {
  return (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

async function placeId(nameZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', nameZh).executeTakeFirstOrThrow()).id;
}

async function facilityId(nameZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('facility').select('id').where('name_zh', '=', nameZh).executeTakeFirstOrThrow()).id;
}

const names = (body: { items: { nameEn: string }[] }): string[] => body.items.map((item) => item.nameEn);

async function newFacility(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'womens_home',
    nameZh: '测试妇女之家',
    nameEn: 'Test Women’s Home',
    placeId: await placeId('观音寺街道'),
    operatorOrganizationId: await organizationId('daxing-wf'),
    services: ['legal_aid', 'family_mediation'],
    hours: [
      { weekday: 1, opens: '09:00', closes: '12:00' },
      { weekday: 1, opens: '13:30', closes: '17:30' },
      { weekday: 3, opens: '9:00', closes: '12:00' },
    ],
    exceptions: [{ onDate: '2027-05-01', opens: null, closes: null, noteZh: '劳动节', noteEn: 'Labour Day' }],
    ...overrides,
  };
}

beforeAll(async () => {
  testApp = await createTestApp();
  [bwfEditor, twfEditor, reviewer] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
  ]);
});
afterAll(async () => {
  await testApp.close();
});

describe('the facilities API', () => {
  it('is described in the OpenAPI document', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/facilities', '/api/v1/facilities/{id}', '/api/v1/facility-kinds', '/api/v1/service-types']),
    );
    expect(Object.keys(document.paths['/api/v1/facilities/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    const status = document.paths['/api/v1/facilities'].get.parameters.find((parameter: { name: string }) => parameter.name === 'status');
    expect(status.schema.enum).toEqual(['active', 'temporarily_closed', 'closed']);
  });

  it('answers 401 without credentials, and 404 for an address that is not a number', async () => {
    const anonymous = await testApp.app.inject({ url: '/api/v1/facilities' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect((await reviewer.api('GET', '/api/v1/facilities/abc')).statusCode).toBe(404);
    expect((await reviewer.api('GET', '/api/v1/facilities/999999')).statusCode).toBe(404);
  });

  it('lists the two lists in their order, with how many facilities use each entry', async () => {
    const kinds = (await reviewer.api('GET', '/api/v1/facility-kinds')).json();
    expect(kinds.items[0]).toMatchObject({ code: 'womens_home', nameEn: 'Women’s home'.replace('’', "'") });
    expect(kinds.items.find((kind: { code: string }) => kind.code === 'womens_service_centre').facilityCount).toBe(3);
    const services = (await reviewer.api('GET', '/api/v1/service-types')).json();
    expect(services.items.map((service: { code: string }) => service.code)).toContain('health_services');
  });

  it('filters by kind, service, place below, operator and its units, status and text in either language', async () => {
    const centres = (await reviewer.api('GET', '/api/v1/facilities?kind=womens_service_centre')).json();
    expect(names(centres)).toHaveLength(3);
    const health = (await reviewer.api('GET', '/api/v1/facilities?service=health_services')).json();
    expect(names(health).sort()).toEqual(['Shijiazhuang Women and Children’s Service Centre', 'Tongrentang Zhima Health Women’s Service Centre']);
    const inDaxing = (await reviewer.api('GET', `/api/v1/facilities?placeId=${await placeId('大兴区')}`)).json();
    expect(inDaxing.total).toBe(5);
    const daxingWf = (await reviewer.api('GET', `/api/v1/facilities?operatorId=${await organizationId('daxing-wf')}`)).json();
    // Daxing's own three and the two of Guanyinsi's federation below it.
    expect(daxingWf.total).toBe(5);
    const bwfTree = (await reviewer.api('GET', `/api/v1/facilities?operatorId=${await organizationId('bwf')}&status=temporarily_closed`)).json();
    expect(names(bwfTree)).toEqual(['BWF Family Education Guidance Station']);
    for (const q of ['同仁堂', 'tongrentang', '门店', 'shop']) {
      const found = (await reviewer.api('GET', `/api/v1/facilities?q=${encodeURIComponent(q)}`)).json();
      expect(names(found)).toEqual(['Tongrentang Zhima Health Women’s Service Centre']);
    }
    expect((await reviewer.api('GET', '/api/v1/facilities?status=open')).statusCode).toBe(400);
  });

  it('reads a facility with its host, services, hours in both forms and exceptions', async () => {
    const response = await reviewer.api('GET', `/api/v1/facilities/${await facilityId('同仁堂知嘛健康女性服务中心')}`);
    expect(response.statusCode).toBe(200);
    const centre = response.json();
    expect(centre).toMatchObject({
      kind: 'womens_service_centre',
      kindName: { en: 'Women’s service centre'.replace('’', "'") },
      host: { nameEn: 'Tongrentang Zhima Health' },
      operator: { nameEn: `Daxing District Women's Federation` },
      services: ['psychological_counselling', 'health_services'],
      hoursText: 'Mo-Su 09:00-18:00',
      exceptions: [{ onDate: '2027-02-06', opens: null, closes: null, noteZh: '春节闭馆', noteEn: 'Closed for the Spring Festival' }],
      lat: 39.7298,
    });
    expect(centre.hours).toHaveLength(7);
    expect(centre.places.map((place: { nameEn: string }) => place.nameEn)).toEqual(['Beijing', 'Daxing District', 'Guanyinsi Sub-district']);
  });

  it('lets a BWF editor add, change and delete a facility operated by a unit below BWF, each audited', async () => {
    const created = await bwfEditor.api('POST', '/api/v1/facilities', await newFacility());
    expect(created.statusCode).toBe(201);
    const facility = created.json();
    expect(facility).toMatchObject({ hoursText: 'Mo 09:00-12:00,13:30-17:30; We 09:00-12:00', services: ['legal_aid', 'family_mediation'], status: 'active' });
    const changed = await bwfEditor.api('PATCH', `/api/v1/facilities/${facility.id}`, { hours: '周一至周五 09:00-17:00', phone: '010-6925 0000' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ hoursText: 'Mo-Fr 09:00-17:00', phone: '010-6925 0000', services: ['legal_aid', 'family_mediation'] });
    expect((await bwfEditor.api('DELETE', `/api/v1/facilities/${facility.id}`)).statusCode).toBe(204);
    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'facility')
      .where('entity_id', '=', String(facility.id))
      .orderBy('id')
      .execute();
    expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'delete']);
    expect(audit[1]?.before).toMatchObject({ hours: 'Mo 09:00-12:00,13:30-17:30; We 09:00-12:00' });
    expect(audit[1]?.after).toMatchObject({ hours: 'Mo-Fr 09:00-17:00', services: 'legal_aid, family_mediation' });
  });

  it('refuses overlapping hours and hours that end before they start with 400 and the reason', async () => {
    const overlap = await bwfEditor.api('POST', '/api/v1/facilities', await newFacility({ hours: 'Mo-Fr 09:00-12:00,11:00-13:00' }));
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().error).toEqual({ code: 'hours', message: 'On Mon, 09:00-12:00 and 11:00-13:00 overlap.' });
    const backwards = await bwfEditor.api('POST', '/api/v1/facilities', await newFacility({ hours: [{ weekday: 2, opens: '17:00', closes: '09:00' }] }));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toEqual({ code: 'hours', message: 'Tue 17:00-09:00: the end must be after the start.' });
    const exception = await bwfEditor.api(
      'POST',
      '/api/v1/facilities',
      await newFacility({ exceptions: [{ onDate: '2027-02-06', opens: null, closes: null }, { onDate: '2027-02-06', opens: '09:00', closes: '12:00' }] }),
    );
    expect(exception.statusCode).toBe(400);
    expect(exception.json().error.code).toBe('exceptions');
    const unknownService = await bwfEditor.api('POST', '/api/v1/facilities', await newFacility({ services: ['astrology'] }));
    expect(unknownService.statusCode).toBe(400);
    expect(unknownService.json().error.code).toBe('services');
    expect(await testApp.database.db.selectFrom('facility').select('id').where('name_zh', '=', '测试妇女之家').execute()).toEqual([]);
  });

  it('refuses, as not found, a TWF editor changing a BWF facility or creating one operated by a BWF unit', async () => {
    const office = await facilityId('北京市妇联执委 Liu Yumei 工作室');
    expect((await twfEditor.api('GET', `/api/v1/facilities/${office}`)).statusCode).toBe(200);
    expect((await twfEditor.api('PATCH', `/api/v1/facilities/${office}`, { nameEn: 'Renamed' })).statusCode).toBe(404);
    expect((await twfEditor.api('DELETE', `/api/v1/facilities/${office}`)).statusCode).toBe(404);
    expect((await twfEditor.api('POST', '/api/v1/facilities', await newFacility())).statusCode).toBe(404);
    // Nor may a BWF editor hand a facility over to TWF.
    expect((await bwfEditor.api('PATCH', `/api/v1/facilities/${office}`, { operatorOrganizationId: await organizationId('twf') })).statusCode).toBe(404);
    const stored = await testApp.database.db.selectFrom('facility').select(['name_en', 'operator_organization_id']).where('id', '=', office).executeTakeFirstOrThrow();
    expect(stored).toEqual({ name_en: 'Office of Liu Yumei, BWF Executive Committee Member', operator_organization_id: await organizationId('daxing-wf') });
  });

  it('lists what needs verification for what the caller may edit, oldest first', async () => {
    const bwf = (await bwfEditor.api('GET', '/api/v1/facilities?needsVerification=true')).json();
    expect(names(bwf)).toEqual(['Daxing District Women and Children’s Service Centre']);
    expect(bwf.items[0].verifiedOn).toBe('2025-06-10');
    const twf = (await twfEditor.api('GET', '/api/v1/facilities?needsVerification=true')).json();
    expect(twf.items).toEqual([]);
  });

  it('refuses to delete a place while a facility is located there', async () => {
    const heping = await placeId('和平区');
    // Heping is Tianjin's: its federation's editor may delete it, but for the facility.
    const response = await twfEditor.api('DELETE', `/api/v1/places/${heping}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe('1 facility(ies) are still located in this place; move or delete them first.');
    expect(await testApp.database.db.selectFrom('place').select('id').where('id', '=', heping).executeTakeFirst()).toBeDefined();
  });
});
