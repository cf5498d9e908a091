import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let twfEditor: SignedInClient;
let admin: SignedInClient;
const ids: Record<string, number> = {};

function id(name: string): number {
  const value = ids[name];
  if (value === undefined) throw new Error(`no place ${name}`);
  return value;
}

async function placeId(nameZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', nameZh).executeTakeFirstOrThrow()).id;
}

/** The links of a page's breadcrumb, in order. */
function crumbs(html: string): string[] {
  const nav = /<nav class="crumbs"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((match) => match[1] ?? '');
}

const validForm = { nameZh: '测试村', nameEn: 'Test Village', level: 'village', code: '', parent: '', lat: '', lon: '' };

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwfEditor, bwfReviewer, twf, platformAdmin] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  editor = inLanguage(testApp.app, bwfEditor, 'en');
  reviewer = inLanguage(testApp.app, bwfReviewer, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  admin = inLanguage(testApp.app, platformAdmin, 'en');
  for (const row of await testApp.database.db.selectFrom('place').select(['id', 'name_zh']).execute()) ids[row.name_zh] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('browsing the places', () => {
  it("leads from a place to the facilities in it and below it, Guanyinsi's included", async () => {
    const daxing = await editor.get(`/workspace/places/${id('大兴区')}`);
    const link = /<a href="(\/workspace\/facilities\?place=[^"]+)">Facilities in this place/.exec(daxing.body)?.[1];
    expect(link).toBe('/workspace/facilities?place=110115');
    const dashboard = await editor.get(`/workspace/agreements/dashboard/places/${id('大兴区')}`);
    expect(daxing.body).toContain(`href="/workspace/agreements/dashboard/places/${id('大兴区')}"`);
    expect(dashboard.statusCode).toBe(200);
    const facilities = await editor.get(link ?? '');
    expect(facilities.statusCode).toBe(200);
    expect(facilities.body).toContain('Tongrentang Zhima Health Women’s Service Centre');
    expect(facilities.body).not.toContain('Heping District Women’s Home');
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const response = await testApp.app.inject({ url: '/workspace/places' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace%2Fplaces');
  });

  it('starts at the top: the three provinces, and a Places entry in the navigation', async () => {
    const response = await editor.get('/workspace/places');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/workspace/places" aria-current="page"');
    for (const name of ['Beijing', 'Tianjin', 'Hebei Province']) expect(response.body).toContain(`>${name}</a>`);
    expect(response.body).not.toContain('Daxing District');
  });

  it('walks the demo hierarchy Beijing › Daxing › Guanyinsi › Shouzuoyuyuan Erli, breadcrumb and children at each step', async () => {
    const beijing = await editor.get(`/workspace/places/${id('北京市')}`);
    expect(beijing.statusCode).toBe(200);
    expect(beijing.body).toContain('<code>110000</code>');
    expect(beijing.body).toContain('39.9042, 116.4074');
    expect(beijing.body).toContain(`href="/workspace/places/${id('大兴区')}">Daxing District</a>`);
    expect(beijing.body).toContain(`Beijing Women`);

    const daxing = await editor.get(`/workspace/places/${id('大兴区')}`);
    expect(crumbs(daxing.body)).toEqual(['Places', 'Beijing']);
    expect(daxing.body).toContain(`href="/workspace/places/${id('观音寺街道')}">Guanyinsi Sub-district</a>`);

    const guanyinsi = await editor.get(`/workspace/places/${id('观音寺街道')}`);
    expect(crumbs(guanyinsi.body)).toEqual(['Places', 'Beijing', 'Daxing District']);
    expect(guanyinsi.body).toContain('<code>110115/观音寺街道</code>');
    expect(guanyinsi.body).toContain(`href="/workspace/places/${id('首座御园二里社区')}">Shouzuoyuyuan Erli Residential Community</a>`);

    const community = await editor.get(`/workspace/places/${id('首座御园二里社区')}`);
    expect(crumbs(community.body)).toEqual(['Places', 'Beijing', 'Daxing District', 'Guanyinsi Sub-district']);
    // A community has no level below it: no "add a place below".
    expect(community.body).not.toContain('new?parentId=');
  });

  it('lists the places directly under one, with a breadcrumb', async () => {
    const response = await editor.get(`/workspace/places?parentId=${id('天津市')}`);
    expect(response.statusCode).toBe(200);
    expect(crumbs(response.body)).toEqual(['Places', 'Tianjin']);
    expect(response.body).toContain('Heping District');
    expect(response.body).toContain('Hexi District');
    expect(response.body).not.toContain('Daxing District');
  });

  it('searches names in either language and codes by their leading digits, by level and below a place', async () => {
    expect((await editor.get(`/workspace/places?q=${encodeURIComponent('观音寺')}`)).body).toContain('Guanyinsi Sub-district');
    const byCode = await editor.get('/workspace/places?q=1201');
    expect(byCode.body).toContain('Heping District');
    expect(byCode.body).not.toContain('Daxing District');
    const byLevel = await editor.get('/workspace/places?level=municipality');
    expect(byLevel.body).toContain('Shijiazhuang');
    expect(byLevel.body).not.toContain('Hexi District');
    const within = await editor.get(`/workspace/places?within=${id('北京市')}&q=community`);
    expect(within.body).toContain('Shouzuoyuyuan Erli');
    const elsewhere = await editor.get(`/workspace/places?within=${id('天津市')}&q=community`);
    expect(elsewhere.body).not.toContain('Shouzuoyuyuan Erli');
  });

  it('answers a wrong filter with 400 and a message, not a guess', async () => {
    const response = await editor.get('/workspace/places?level=galaxy');
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="level-error"/);
  });

  it('shows on an organization page where it is', async () => {
    const twfId = (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'twf').executeTakeFirstOrThrow()).id;
    const response = await editor.get(`/workspace/organizations/${twfId}`);
    expect(response.body).toContain('Located in');
    expect(response.body).toContain(`href="/workspace/places/${id('天津市')}">Tianjin</a>`);
  });
});

describe('changing places through the forms', () => {
  it('adds a village under a sub-district named by its path, and records it in the audit log', async () => {
    const response = await editor.post('/workspace/places', { ...validForm, nameZh: '测试一村', parent: '110115/观音寺街道', lat: '39.7', lon: '116.3' });
    expect(response.statusCode).toBe(303);
    const created = await testApp.database.db.selectFrom('place').selectAll().where('name_zh', '=', '测试一村').executeTakeFirstOrThrow();
    expect(created.parent_id).toBe(id('观音寺街道'));
    expect(response.headers.location).toBe(`/workspace/places/${created.id}`);
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'place').where('entity_id', '=', String(created.id)).execute();
    expect(audit.map((event) => event.action)).toEqual(['create']);
    expect(audit[0]?.after).toMatchObject({ nameZh: '测试一村', level: 'village', lat: 39.7, lon: 116.3 });
  });

  it('offers the form below a place with its parent and the next level filled in', async () => {
    const response = await editor.get(`/workspace/places/new?parentId=${id('大兴区')}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('name="parent" type="text" value="110115"');
    expect(response.body).toMatch(/<option value="subdistrict" selected/);
  });

  it('refuses wrong fields with a message beside each, keeping what was typed', async () => {
    const response = await editor.post('/workspace/places', { ...validForm, nameZh: '', code: '11011', lat: '100', lon: '10' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="nameZh-error"/);
    expect(response.body).toMatch(/id="code-error"[^>]*>A code is 6 to 12 digits/);
    expect(response.body).toMatch(/id="lat-error"[^>]*>A latitude is a number from -90 to 90/);
    expect(response.body).toContain('value="11011"');
  });

  it('refuses a latitude without a longitude', async () => {
    const response = await editor.post('/workspace/places', { ...validForm, lat: '39.9' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="lon-error"[^>]*>Give both latitude and longitude, or neither/);
  });

  it('refuses a parent nobody knows, beside the parent field', async () => {
    const response = await editor.post('/workspace/places', { ...validForm, parent: '110115/不存在街道' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="parent-error"[^>]*>No place is known as &quot;110115\/不存在街道&quot;/);
  });

  it('refuses a level that is not below the parent’s', async () => {
    const response = await editor.post('/workspace/places', { ...validForm, nameZh: '错误市', level: 'municipality', parent: '110115' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="level-error"[^>]*>A municipality cannot stand under the district 大兴区 \(110115\)/);
  });

  it('says the level rule in Chinese to a Chinese reader', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/places',
      headers: { cookie: editor.cookie.replace('halfsky_lang=en', 'halfsky_lang=zh'), origin: 'http://localhost:80' },
      payload: { _csrf: editor.csrfToken, ...validForm, nameZh: '错误市', level: 'municipality', parent: '110115' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('地级市不能位于区县“大兴区 (110115)”之下');
  });

  it('refuses a code another place has, and a second place without a code of the same name under one parent', async () => {
    const taken = await editor.post('/workspace/places', { ...validForm, nameZh: '另一个区', level: 'district', code: '110115', parent: '110000' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toMatch(/id="code-error"[^>]*>The code 110115 belongs to 大兴区 already/);
    const twin = await editor.post('/workspace/places', { ...validForm, nameZh: '观音寺街道', level: 'subdistrict', parent: '110115' });
    expect(twin.statusCode).toBe(409);
    expect(twin.body).toMatch(/id="nameZh-error"/);
  });

  it('refuses to put a place under one of its own places (a cycle)', async () => {
    const response = await editor.post(`/workspace/places/${id('北京市')}`, {
      nameZh: '北京市',
      nameEn: 'Beijing',
      level: 'province',
      code: '110000',
      parent: '110115/观音寺街道',
      lat: '39.9042',
      lon: '116.4074',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="parent-error"[^>]*>A place cannot be put under itself or a place below it/);
    const beijing = await testApp.database.db.selectFrom('place').select('parent_id').where('id', '=', id('北京市')).executeTakeFirstOrThrow();
    expect(beijing.parent_id).toBeNull();
  });

  it('refuses to raise a child to its parent’s level, or to lower a parent below its children', async () => {
    const daxing = await editor.post(`/workspace/places/${id('大兴区')}`, { nameZh: '大兴区', nameEn: 'Daxing District', level: 'community', code: '110115', parent: '110000' });
    expect(daxing.statusCode).toBe(400);
    expect(daxing.body).toMatch(/id="level-error"[^>]*>Its sub-district 观音寺街道 below would not be below a community/);
  });

  it('edits a place: the form comes filled in, the change is saved and audited before → after', async () => {
    const form = await twfEditor.get(`/workspace/places/${id('河西区')}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="parent" type="text" value="120000"');
    const saved = await twfEditor.post(`/workspace/places/${id('河西区')}`, { nameZh: '河西区', nameEn: 'Hexi', level: 'district', code: '120103', parent: '120000', lat: '', lon: '' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Saved.');
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'place').where('entity_id', '=', String(id('河西区'))).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.before).toMatchObject({ nameEn: 'Hexi District' });
    expect(audit[0]?.after).toMatchObject({ nameEn: 'Hexi' });
  });

  it('refuses to delete a place with places below it or organizations in it, and deletes one without', async () => {
    const daxing = await editor.post(`/workspace/places/${id('大兴区')}/delete`);
    expect(daxing.statusCode).toBe(409);
    expect(daxing.body).toContain('This place still has 1 place(s) below it and 1 organization(s) located in it');
    const village = await placeId('测试一村');
    const confirm = await editor.get(`/workspace/places/${village}/delete`);
    expect(confirm.body).toContain('Delete “Test Village”?');
    const deleted = await editor.post(`/workspace/places/${village}/delete`);
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`/workspace/places/${id('观音寺街道')}`);
    const audit = await testApp.database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'place').where('entity_id', '=', String(village)).execute();
    expect(audit.map((event) => event.action)).toEqual(['create', 'delete']);
  });

  it('refuses a form without the CSRF token', async () => {
    const response = await editor.post('/workspace/places', { ...validForm, _csrf: 'forged', nameZh: '伪造村' });
    expect(response.statusCode).toBe(403);
    expect(await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', '伪造村').executeTakeFirst()).toBeUndefined();
  });
});

describe('who may change which place: the territory of her federation', () => {
  it('lets the BWF editor add, rename and delete a place under Daxing District (Beijing)', async () => {
    const daxing = await editor.get(`/workspace/places/${id('大兴区')}`);
    expect(daxing.body).toContain(`href="/workspace/places/${id('大兴区')}/edit"`);
    expect(daxing.body).toContain(`href="/workspace/places/new?parentId=${id('大兴区')}"`);
    expect(daxing.body).toContain(`href="/workspace/places/${id('大兴区')}/delete"`);
    const added = await editor.post('/workspace/places', { ...validForm, nameZh: '北京测试街道', nameEn: 'Beijing Test Sub-district', level: 'subdistrict', parent: '110115' });
    expect(added.statusCode).toBe(303);
    const street = await placeId('北京测试街道');
    const renamed = await editor.post(`/workspace/places/${street}`, { ...validForm, nameZh: '北京测试街道', nameEn: 'Renamed Sub-district', level: 'subdistrict', parent: '110115' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.body).toContain('Saved.');
    const row = await testApp.database.db.selectFrom('place').select(['name_en', 'parent_id']).where('id', '=', street).executeTakeFirstOrThrow();
    expect(row).toEqual({ name_en: 'Renamed Sub-district', parent_id: id('大兴区') });
    expect((await editor.get(`/workspace/places/${street}/delete`)).statusCode).toBe(200);
    const deleted = await editor.post(`/workspace/places/${street}/delete`);
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`/workspace/places/${id('大兴区')}`);
  });

  it('shows the TWF editor no buttons for Beijing’s places and answers 404 to renaming or deleting Daxing District', async () => {
    const daxing = await twfEditor.get(`/workspace/places/${id('大兴区')}`);
    expect(daxing.statusCode).toBe(200);
    expect(daxing.body).not.toContain(`/workspace/places/${id('大兴区')}/edit`);
    expect(daxing.body).not.toContain(`/workspace/places/${id('大兴区')}/delete`);
    expect(daxing.body).not.toContain('new?parentId=');
    expect((await twfEditor.get(`/workspace/places?parentId=${id('北京市')}`)).body).not.toContain('/workspace/places/new');
    // Her own places keep their buttons.
    const tianjin = await twfEditor.get(`/workspace/places/${id('天津市')}`);
    expect(tianjin.body).toContain(`href="/workspace/places/${id('天津市')}/edit"`);
    expect(tianjin.body).toContain(`href="/workspace/places/new?parentId=${id('天津市')}"`);
    expect((await twfEditor.get(`/workspace/places?parentId=${id('天津市')}`)).body).toContain(`href="/workspace/places/new?parentId=${id('天津市')}"`);

    for (const url of [`/workspace/places/${id('大兴区')}/edit`, `/workspace/places/${id('大兴区')}/delete`, `/workspace/places/new?parentId=${id('大兴区')}`]) {
      expect((await twfEditor.get(url)).statusCode, url).toBe(404);
    }
    const renamed = await twfEditor.post(`/workspace/places/${id('大兴区')}`, { nameZh: '大兴区', nameEn: 'Renamed by Tianjin', level: 'district', code: '110115', parent: '110000', lat: '', lon: '' });
    expect(renamed.statusCode).toBe(404);
    const emptyPlace = await placeId('首座御园二里社区');
    expect((await twfEditor.post(`/workspace/places/${emptyPlace}/delete`)).statusCode).toBe(404);
    const row = await testApp.database.db.selectFrom('place').select('name_en').where('id', '=', id('大兴区')).executeTakeFirstOrThrow();
    expect(row.name_en).toBe('Daxing District');
    expect(await testApp.database.db.selectFrom('place').select('id').where('id', '=', emptyPlace).executeTakeFirst()).toBeDefined();
  });

  it('shows the TWF editor the form again with a message beside the parent when she adds a place under Daxing District', async () => {
    const response = await twfEditor.post('/workspace/places', { ...validForm, nameZh: '天津人的街道', nameEn: 'Tianjin’s Street', level: 'subdistrict', parent: '110115' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toMatch(/id="parent-error"[^>]*>You may add or move places only within the places your federation covers; 大兴区 \(110115\) is outside them/);
    expect(response.body).toContain('value="天津人的街道"');
    expect(response.body).toContain('value="Tianjin’s Street"');
    expect(response.body).toContain('name="parent" type="text" value="110115"');
    expect(await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', '天津人的街道').executeTakeFirst()).toBeUndefined();
    const chinese = await inLanguage(testApp.app, twfEditor, 'zh').post('/workspace/places', { ...validForm, nameZh: '天津人的街道', level: 'subdistrict', parent: '110115' });
    expect(chinese.statusCode).toBe(403);
    expect(chinese.body).toContain('只能在本组织所辖的地点范围内新增或移动地点；“大兴区 (110115)”不在其中。');
  });

  it('lets neither federation editor add a province (the top level); the platform administrator may', async () => {
    const province = { ...validForm, nameZh: '陕西省', nameEn: 'Shaanxi', level: 'province', code: '610000', parent: '' };
    for (const client of [editor, twfEditor]) {
      const refused = await client.post('/workspace/places', province);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toMatch(/id="parent-error"[^>]*>Only a platform administrator may add a place at the top level/);
      expect(refused.body).toContain('value="陕西省"');
    }
    expect(await testApp.database.db.selectFrom('place').select('id').where('code', '=', '610000').executeTakeFirst()).toBeUndefined();
    const created = await admin.post('/workspace/places', province);
    expect(created.statusCode).toBe(303);
    const shaanxi = await placeId('陕西省');
    expect(created.headers.location).toBe(`/workspace/places/${shaanxi}`);
    // Beijing's staff may not touch it; the administrator may delete it again.
    expect((await editor.get(`/workspace/places/${shaanxi}/edit`)).statusCode).toBe(404);
    expect((await admin.post(`/workspace/places/${shaanxi}/delete`)).statusCode).toBe(303);
  });
});

describe('places for a reader who may not change them', () => {
  it('reads and exports, but every change answers 404 and changes nothing', async () => {
    const detail = await reviewer.get(`/workspace/places/${id('大兴区')}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(`/workspace/places/${id('大兴区')}/edit`);
    expect((await reviewer.get('/workspace/places')).body).not.toContain('/workspace/places/new');
    expect((await reviewer.get('/workspace/places/export.csv')).statusCode).toBe(200);
    for (const url of ['/workspace/places/new', `/workspace/places/${id('大兴区')}/edit`, `/workspace/places/${id('河北省')}/delete`, '/workspace/places/import']) {
      expect((await reviewer.get(url)).statusCode, url).toBe(404);
    }
    expect((await reviewer.post('/workspace/places', { ...validForm, nameZh: '审核村' })).statusCode).toBe(404);
    expect((await reviewer.post(`/workspace/places/${id('河北省')}`, { ...validForm, nameZh: '' })).statusCode).toBe(404);
    expect((await reviewer.post(`/workspace/places/${id('石家庄市')}/delete`)).statusCode).toBe(404);
    expect(await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', '审核村').executeTakeFirst()).toBeUndefined();
    expect(await testApp.database.db.selectFrom('place').select('id').where('id', '=', id('石家庄市')).executeTakeFirst()).toBeDefined();
  });
});
