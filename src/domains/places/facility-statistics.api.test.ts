import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { createAccount } from '../accounts/account.service.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let admin: SignedInClient;
const places: Record<string, number> = {};

function place(nameZh: string): number {
  const id = places[nameZh];
  if (id === undefined) throw new Error(`no place ${nameZh}`);
  return id;
}

async function organizationId(slug: string): Promise<number> {
  return (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  testApp = await createTestApp();
  [bwfEditor, twfEditor, admin] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  for (const row of await testApp.database.db.selectFrom('place').select(['id', 'name_zh']).execute()) places[row.name_zh] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the facility statistics API', () => {
  it('is described in the OpenAPI document', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    const operation = document.paths['/api/v1/facilities/statistics']?.get;
    expect(operation).toBeDefined();
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['place', 'operator']));
  });

  it('answers 401 without credentials', async () => {
    const response = await testApp.app.inject({ url: '/api/v1/facilities/statistics' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it("counts Daxing's facilities per place under it, with the district's own and a total", async () => {
    const response = await bwfEditor.api('GET', `/api/v1/facilities/statistics?place=${place('大兴区')}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.place).toMatchObject({ id: place('大兴区'), code: '110115', nameEn: 'Daxing District', level: 'district' });
    expect(body.ancestors.map((ancestor: { nameEn: string }) => ancestor.nameEn)).toEqual(['Beijing']);
    expect(body.operator).toBeNull();
    expect(body.kinds.map((kind: { code: string }) => kind.code)).toEqual([
      'womens_home',
      'womens_service_centre',
      'executive_member_office',
      'community_service_block',
    ]);
    expect(body.rows).toEqual([
      {
        place: { id: place('观音寺街道'), code: null, nameZh: '观音寺街道', nameEn: 'Guanyinsi Sub-district', level: 'subdistrict' },
        itself: false,
        facilities: 4,
        byKind: { womens_home: 1, womens_service_centre: 1, executive_member_office: 1, community_service_block: 1 },
        active: 4,
        temporarilyClosed: 0,
        closed: 0,
        communities: 1,
        communitiesWithWomensHome: 1,
        coveragePercent: 100,
      },
      expect.objectContaining({ itself: true, facilities: 1, byKind: { womens_service_centre: 1 }, communities: 0, coveragePercent: null }),
    ]);
    expect(body.total).toMatchObject({ facilities: 5, active: 5, communities: 1, communitiesWithWomensHome: 1, coveragePercent: 100 });
  });

  it("starts at the caller's own federation's place, and at the top for a platform administrator", async () => {
    const tianjin = (await twfEditor.api('GET', '/api/v1/facilities/statistics')).json();
    expect(tianjin.place).toMatchObject({ nameEn: 'Tianjin' });
    expect(tianjin.rows.map((row: { place: { nameEn: string } }) => row.place.nameEn)).toEqual(['Heping District', 'Hexi District']);
    expect(tianjin.total).toMatchObject({ facilities: 2, byKind: { womens_home: 1, womens_micro_home: 1 } });

    const top = (await admin.api('GET', '/api/v1/facilities/statistics')).json();
    expect(top.place).toBeNull();
    expect(top.ancestors).toEqual([]);
    expect(top.rows.map((row: { place: { code: string } }) => row.place.code)).toEqual(['110000', '120000', '130000']);
    expect(top.total).toMatchObject({ facilities: 9, temporarilyClosed: 1 });
    expect((await bwfEditor.api('GET', '/api/v1/facilities/statistics?place=top')).json()).toEqual(top);
  });

  it('counts a district federation’s own network, and the same for a federation member of one of its units', async () => {
    const daxingWf = await organizationId('daxing-wf');
    const own = (await bwfEditor.api('GET', `/api/v1/facilities/statistics?place=${place('北京市')}&operator=${daxingWf}`)).json();
    expect(own.operator).toMatchObject({ id: daxingWf, nameEn: "Daxing District Women's Federation" });
    // The family education station belongs to BWF's family department, outside the district's network.
    expect(own.total).toMatchObject({ facilities: 5, temporarilyClosed: 0 });
    expect(own.rows.some((row: { itself: boolean }) => row.itself)).toBe(false);

    await createAccount(testApp.database.db, null, {
      email: 'daxing@bwf.example.org',
      displayName: 'Daxing Viewer',
      password: 'statistics-daxing-password',
      memberships: [{ organizationId: daxingWf, role: 'viewer' }],
    });
    const daxingViewer = await signIn(testApp.app, 'daxing@bwf.example.org', 'statistics-daxing-password');
    const home = (await daxingViewer.api('GET', '/api/v1/facilities/statistics')).json();
    expect(home.place).toMatchObject({ nameEn: 'Daxing District' });
  });

  it('refuses what it cannot count: 404 for an unknown place or operator, 400 for a malformed one', async () => {
    for (const url of ['/api/v1/facilities/statistics?place=999999', '/api/v1/facilities/statistics?operator=999999']) {
      const response = await bwfEditor.api('GET', url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    }
    for (const url of ['/api/v1/facilities/statistics?place=Daxing', '/api/v1/facilities/statistics?operator=-1']) {
      const response = await bwfEditor.api('GET', url);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
  });

  it('answers 404 to an account that holds no role anywhere', async () => {
    await createAccount(testApp.database.db, null, { email: 'nobody@bwf.example.org', displayName: 'Nobody', password: 'statistics-nobody-password', memberships: [] });
    const nobody = await signIn(testApp.app, 'nobody@bwf.example.org', 'statistics-nobody-password');
    const response = await nobody.api('GET', `/api/v1/facilities/statistics?place=${place('大兴区')}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  });
});
