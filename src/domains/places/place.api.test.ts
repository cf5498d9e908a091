import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
let admin: SignedInClient;
const ids: Record<string, number> = {};

function id(code: string): number {
  const value = ids[code];
  if (value === undefined) throw new Error(`no place ${code}`);
  return value;
}

beforeAll(async () => {
  testApp = await createTestApp();
  [bwfEditor, twfEditor, reviewer, admin] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  for (const row of await testApp.database.db.selectFrom('place').select(['id', 'code', 'name_zh']).execute()) ids[row.code ?? row.name_zh] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the places API', () => {
  it('is described in the OpenAPI document', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/places', '/api/v1/places/{id}']));
    expect(Object.keys(document.paths['/api/v1/places/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    const level = document.paths['/api/v1/places'].get.parameters.find((parameter: { name: string }) => parameter.name === 'level');
    expect(level.schema.enum).toEqual(['province', 'municipality', 'district', 'subdistrict', 'community', 'village']);
  });

  it('answers 401 without credentials', async () => {
    const response = await testApp.app.inject({ url: '/api/v1/places' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('lists with q, level, parentId, within and topLevel', async () => {
    const top = (await reviewer.api('GET', '/api/v1/places?topLevel=true')).json();
    expect(top.items.map((place: { code: string }) => place.code)).toEqual(['110000', '120000', '130000']);
    expect(top.items[0]).toMatchObject({ nameEn: 'Beijing', level: 'province', parent: null, childCount: 1, lat: 39.9042, lon: 116.4074 });
    const children = (await reviewer.api('GET', `/api/v1/places?parentId=${id('120000')}`)).json();
    expect(children.items.map((place: { nameEn: string }) => place.nameEn)).toEqual(['Heping District', 'Hexi District']);
    expect(children.items[0].parent).toMatchObject({ code: '120000', nameZh: '天津市' });
    const within = (await reviewer.api('GET', `/api/v1/places?within=${id('110000')}&level=community`)).json();
    expect(within.items.map((place: { nameZh: string }) => place.nameZh)).toEqual(['首座御园二里社区']);
    const byCode = (await reviewer.api('GET', '/api/v1/places?q=1301&limit=1')).json();
    expect(byCode).toMatchObject({ total: 1, limit: 1, offset: 0 });
    expect(byCode.items[0].nameZh).toBe('石家庄市');
    const bad = await reviewer.api('GET', '/api/v1/places?level=galaxy');
    expect(bad.statusCode).toBe(400);
  });

  it('reads a place with its ancestors, top first', async () => {
    const response = await reviewer.api('GET', `/api/v1/places/${id('首座御园二里社区')}`);
    expect(response.statusCode).toBe(200);
    const place = response.json();
    expect(place).toMatchObject({ code: null, level: 'community', childCount: 0 });
    expect(place.ancestors.map((ancestor: { nameEn: string }) => ancestor.nameEn)).toEqual(['Beijing', 'Daxing District', 'Guanyinsi Sub-district']);
    expect((await reviewer.api('GET', '/api/v1/places/999999')).statusCode).toBe(404);
  });

  it('lets an editor add, change and delete the places her federation covers, each audited', async () => {
    const created = await twfEditor.api('POST', '/api/v1/places', {
      code: '120104',
      nameZh: '南开区',
      nameEn: 'Nankai District',
      level: 'district',
      parentId: id('120000'),
      lat: null,
      lon: null,
    });
    expect(created.statusCode).toBe(201);
    const nankai = created.json();
    expect(nankai).toMatchObject({ code: '120104', parentId: id('120000'), lat: null });
    // Tianjin's district is not Beijing's to change.
    expect((await bwfEditor.api('PATCH', `/api/v1/places/${nankai.id}`, { nameEn: 'Nankai' })).statusCode).toBe(404);
    const changed = await twfEditor.api('PATCH', `/api/v1/places/${nankai.id}`, { lat: 39.1167, lon: 117.15 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ nameEn: 'Nankai District', lat: 39.1167, lon: 117.15 });
    expect((await bwfEditor.api('DELETE', `/api/v1/places/${nankai.id}`)).statusCode).toBe(404);
    const deleted = await twfEditor.api('DELETE', `/api/v1/places/${nankai.id}`);
    expect(deleted.statusCode).toBe(204);
    const audit = await testApp.database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'place').where('entity_id', '=', String(nankai.id)).orderBy('id').execute();
    expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'delete']);
  });

  it('refuses what breaks the rules with a stable code', async () => {
    const cycle = await bwfEditor.api('PATCH', `/api/v1/places/${id('110000')}`, { parentId: id('观音寺街道') });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error).toEqual({ code: 'cycle', message: 'A place cannot be put under itself or a place below it.' });
    const level = await bwfEditor.api('PATCH', `/api/v1/places/${id('110115')}`, { level: 'province' });
    expect(level.json().error.code).toBe('level');
    const half = await bwfEditor.api('PATCH', `/api/v1/places/${id('110115')}`, { lat: 38.04 });
    expect(half.statusCode).toBe(400);
    expect(half.json().error.code).toBe('coordinates');
    const range = await bwfEditor.api('POST', '/api/v1/places', { nameZh: '远方', level: 'province', parentId: null, code: null, lat: 10, lon: 200 });
    expect(range.statusCode).toBe(400);
    const code = await bwfEditor.api('POST', '/api/v1/places', { nameZh: '又一个', level: 'district', parentId: id('110000'), code: '110115', lat: null, lon: null });
    expect(code.statusCode).toBe(409);
    const missingParent = await bwfEditor.api('POST', '/api/v1/places', { nameZh: '孤儿', level: 'village', parentId: 999999, code: null, lat: null, lon: null });
    expect(missingParent.statusCode).toBe(400);
    expect(missingParent.json().error.code).toBe('parent');
    const withChildren = await twfEditor.api('DELETE', `/api/v1/places/${id('120000')}`);
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json().error.message).toContain('still has 2 place(s) below it and 1 organization(s)');
  });

  it('lets the BWF editor add, rename and delete a place under Daxing District (Beijing)', async () => {
    const created = await bwfEditor.api('POST', '/api/v1/places', {
      code: null,
      nameZh: '测试街道',
      nameEn: 'Test Sub-district',
      level: 'subdistrict',
      parentId: id('110115'),
      lat: null,
      lon: null,
    });
    expect(created.statusCode).toBe(201);
    const street = created.json();
    const renamed = await bwfEditor.api('PATCH', `/api/v1/places/${street.id}`, { nameEn: 'Trial Sub-district' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ nameEn: 'Trial Sub-district', parentId: id('110115') });
    expect((await bwfEditor.api('DELETE', `/api/v1/places/${street.id}`)).statusCode).toBe(204);
    expect(await testApp.database.db.selectFrom('place').select('id').where('id', '=', street.id).executeTakeFirst()).toBeUndefined();
  });

  it("answers the TWF editor 404 for Beijing's Daxing District and refuses a place under it beside the parent", async () => {
    const renamed = await twfEditor.api('PATCH', `/api/v1/places/${id('110115')}`, { nameEn: 'Renamed by Tianjin' });
    expect(renamed.statusCode).toBe(404);
    expect(renamed.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await twfEditor.api('DELETE', `/api/v1/places/${id('首座御园二里社区')}`)).statusCode).toBe(404);
    expect((await twfEditor.api('DELETE', `/api/v1/places/${id('110115')}`)).statusCode).toBe(404);
    const added = await twfEditor.api('POST', '/api/v1/places', { code: null, nameZh: '天津人的街道', nameEn: '', level: 'subdistrict', parentId: id('110115'), lat: null, lon: null });
    expect(added.statusCode).toBe(403);
    expect(added.json().error).toEqual({
      code: 'outside_territory',
      message: 'You may add or move places only within the places your federation covers; 大兴区 (110115) is outside them.',
    });
    // Nor may a Tianjin district be moved under Beijing.
    const moved = await twfEditor.api('PATCH', `/api/v1/places/${id('120101')}`, { parentId: id('110000') });
    expect(moved.statusCode).toBe(403);
    expect(moved.json().error.code).toBe('outside_territory');
    const daxing = await testApp.database.db.selectFrom('place').select(['name_en']).where('id', '=', id('110115')).executeTakeFirstOrThrow();
    expect(daxing.name_en).toBe('Daxing District');
    const heping = await testApp.database.db.selectFrom('place').select(['parent_id']).where('id', '=', id('120101')).executeTakeFirstOrThrow();
    expect(heping.parent_id).toBe(id('120000'));
    expect(await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', '天津人的街道').executeTakeFirst()).toBeUndefined();
  });

  it('lets only a platform administrator add a province (the top level)', async () => {
    const shaanxi = { code: '610000', nameZh: '陕西省', nameEn: 'Shaanxi', level: 'province', parentId: null, lat: null, lon: null };
    for (const editor of [bwfEditor, twfEditor]) {
      const refused = await editor.api('POST', '/api/v1/places', shaanxi);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('outside_territory');
      expect(refused.json().error.message).toContain('Only a platform administrator may add a place at the top level');
    }
    // Nor may an editor lift a place of her own to the top.
    expect((await bwfEditor.api('PATCH', `/api/v1/places/${id('110115')}`, { parentId: null, level: 'province' })).statusCode).toBe(403);
    const created = await admin.api('POST', '/api/v1/places', shaanxi);
    expect(created.statusCode).toBe(201);
    expect((await admin.api('DELETE', `/api/v1/places/${created.json().id}`)).statusCode).toBe(204);
  });

  it('refuses every change from a reviewer as not found', async () => {
    expect((await reviewer.api('POST', '/api/v1/places', { nameZh: '审核', level: 'province', parentId: null, code: null, lat: null, lon: null })).statusCode).toBe(404);
    expect((await reviewer.api('PATCH', `/api/v1/places/${id('130000')}`, { nameEn: 'Renamed' })).statusCode).toBe(404);
    expect((await reviewer.api('DELETE', `/api/v1/places/${id('130100')}`)).statusCode).toBe(404);
    const hebei = await testApp.database.db.selectFrom('place').select('name_en').where('id', '=', id('130000')).executeTakeFirstOrThrow();
    expect(hebei.name_en).toBe('Hebei Province');
  });
});
