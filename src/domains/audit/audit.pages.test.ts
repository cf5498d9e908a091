import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { formatDate } from '../../platform/time.ts';
import { auditChanges } from './audit.service.ts';

let testApp: TestApp;
let admin: SignedInClient;
let bwfEditor: SignedInClient;
let publicityId: number;

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await signIn(testApp.app, 'admin@bwf.example.org');
  bwfEditor = await signIn(testApp.app, 'editor@bwf.example.org');
  const publicity = await testApp.database.db.selectFrom('organization').selectAll().where('slug', '=', 'bwf-publicity-department').executeTakeFirstOrThrow();
  publicityId = publicity.id;
  const edited = await bwfEditor.post(`/workspace/organizations/${publicityId}`, {
    nameZh: publicity.name_zh,
    nameEn: 'Publicity and Culture Department',
    slug: publicity.slug,
    kind: publicity.kind,
    parentId: String(publicity.parent_id),
  });
  if (edited.statusCode !== 200) throw new Error(`editing the organization failed with ${edited.statusCode}`);
});
afterAll(async () => {
  await testApp.close();
});

describe('the audit log page', () => {
  it('names a changed activity by its title and links to its workspace page', async () => {
    const { db } = testApp.database;
    const activity = await db
      .selectFrom('activity')
      .innerJoin('activity_organizer', 'activity_organizer.activity_id', 'activity.id')
      .innerJoin('organization', 'organization.id', 'activity_organizer.organization_id')
      .select('activity.id')
      .where('organization.slug', '=', 'bwf')
      .orderBy('activity.id')
      .executeTakeFirstOrThrow();
    const changed = await bwfEditor.api('PATCH', `/api/v1/activities/${activity.id}`, { titleZh: '审计日志中的活动' });
    expect(changed.statusCode).toBe(200);
    const page = await admin.get(`/workspace/audit?entityType=activity&entityId=${activity.id}`);
    expect(page.body).toContain(`<a href="/workspace/activities/${activity.id}">活动 #${activity.id} · 审计日志中的活动</a>`);
  });

  it('names a verified facility and links to its workspace page', async () => {
    const centre = await testApp.database.db
      .selectFrom('facility')
      .select('id')
      .where('name_en', '=', 'Daxing District Women and Children’s Service Centre')
      .executeTakeFirstOrThrow();
    const verified = await bwfEditor.post(`/workspace/facilities/${centre.id}/verified`, {});
    expect(verified.statusCode).toBeLessThan(400);
    const page = await admin.get(`/workspace/audit?entityType=facility&entityId=${centre.id}`);
    expect(page.body).toContain(`<a href="/workspace/facilities/${centre.id}">服务阵地 #${centre.id} · 大兴区妇女儿童服务中心</a>`);
    expect(page.body).toContain('<td>核实</td>');
  });

  it('names updates, places and sites in both languages and links to their workspace pages', async () => {
    const { db } = testApp.database;
    const site = await db.selectFrom('site').select(['id', 'organization_id']).where('slug', '=', 'bwf').executeTakeFirstOrThrow();
    const section = await db.selectFrom('section').select('id').where('site_id', '=', site.id).where('slug', '=', 'updates').executeTakeFirstOrThrow();
    const created = await bwfEditor.api('POST', '/api/v1/articles', {
      siteId: site.id,
      sectionId: section.id,
      publishAt: '2024-03-26T09:30',
      titleZh: '审计日志中的稿件',
      titleEn: 'An update in the audit log',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id: number = created.json().id;
    expect((await bwfEditor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'submit' })).statusCode).toBe(200);

    const en = await testApp.app.inject({ url: `/workspace/audit?entityType=article&entityId=${id}`, headers: { cookie: `${admin.cookie}; halfsky_lang=en` } });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain(`<a href="/workspace/articles/${id}">Update #${id} · An update in the audit log</a>`);
    expect(en.body).toContain('<td>Submitted for review</td>');
    expect(en.body).toContain('<option value="article" selected>Update</option>');
    const zh = await testApp.app.inject({ url: `/workspace/audit?entityType=article&entityId=${id}`, headers: { cookie: `${admin.cookie}; halfsky_lang=zh` } });
    expect(zh.body).toContain(`<a href="/workspace/articles/${id}">更新稿件 #${id} · 审计日志中的稿件</a>`);
    expect(zh.body).toContain('<td>提交审核</td>');

    const place = await db.selectFrom('place').select(['id', 'name_zh']).where('code', '=', '110115').executeTakeFirstOrThrow();
    await db
      .insertInto('audit_event')
      .values([
        { actor_user_id: null, action: 'update', entity_type: 'place', entity_id: String(place.id), before: null, after: null },
        { actor_user_id: null, action: 'update', entity_type: 'site', entity_id: String(site.id), before: null, after: null },
      ])
      .execute();
    const places = await testApp.app.inject({ url: `/workspace/audit?entityType=place&entityId=${place.id}`, headers: { cookie: `${admin.cookie}; halfsky_lang=zh` } });
    expect(places.body).toContain(`<a href="/workspace/places/${place.id}">地点 #${place.id} · ${place.name_zh}</a>`);
    const sites = await testApp.app.inject({ url: `/workspace/audit?entityType=site&entityId=${site.id}`, headers: { cookie: `${admin.cookie}; halfsky_lang=en` } });
    expect(sites.body).toContain(`<a href="/workspace/sites/${site.id}">Site #${site.id} · `);
  });

  it('shows an organization edit with who made it and the changed field before → after', async () => {
    const response = await admin.get(`/workspace/audit?entityType=organization&entityId=${publicityId}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<code>nameEn</code>: <span class="before">Publicity Department</span> → <span class="after">Publicity and Culture Department</span>');
    expect(response.body).not.toContain('<code>slug</code>');
    expect(response.body).toContain('BWF Editor');
    expect(response.body).toContain('editor@bwf.example.org');
    expect(response.body).toContain(`href="/workspace/organizations/${publicityId}"`);
  });

  it('is linked from the organization page as its history', async () => {
    const page = await admin.get(`/workspace/organizations/${publicityId}`);
    expect(page.body).toContain(`/workspace/audit?entityType=organization&amp;entityId=${publicityId}`);
  });

  it('filters by who acted, by id or email, and by day in Beijing time', async () => {
    const editorId = (await testApp.database.db.selectFrom('user_account').select('id').where('email', '=', 'editor@bwf.example.org').executeTakeFirstOrThrow()).id;
    const byId = await admin.get(`/workspace/audit?actor=${editorId}&entityType=organization`);
    expect(byId.body).toContain('Publicity and Culture Department');
    const byOther = await admin.get('/workspace/audit?actor=editor@twf.example.org&entityType=organization');
    expect(byOther.body).not.toContain('Publicity and Culture Department');
    const today = formatDate(new Date(), 'Asia/Shanghai');
    const thisDay = await admin.get(`/workspace/audit?entityType=organization&from=${today}&to=${today}`);
    expect(thisDay.body).toContain('Publicity and Culture Department');
    const longAgo = await admin.get('/workspace/audit?entityType=organization&from=2020-01-01&to=2020-12-31');
    expect(longAgo.body).not.toContain('Publicity and Culture Department');
    const empty = await admin.get('/workspace/audit?entityType=&entityId=&actor=&from=&to=');
    expect(empty.statusCode).toBe(200);
  });

  it('answers "not found" to anyone but a platform administrator', async () => {
    expect((await bwfEditor.get('/workspace/audit')).statusCode).toBe(404);
    expect((await bwfEditor.get(`/workspace/audit?entityType=organization&entityId=${publicityId}`)).statusCode).toBe(404);
  });
});

describe('the audit API', () => {
  it('lists events newest first with the same filters and a page', async () => {
    const response = await admin.api('GET', `/api/v1/audit-events?entityType=organization&entityId=${publicityId}`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(page.items[0]).toMatchObject({
      action: 'update',
      entityType: 'organization',
      entityId: String(publicityId),
      actor: { email: 'editor@bwf.example.org', displayName: 'BWF Editor' },
      before: { nameEn: 'Publicity Department' },
      after: { nameEn: 'Publicity and Culture Department' },
    });
    expect(page.items[0].changes).toContainEqual({ field: 'nameEn', before: 'Publicity Department', after: 'Publicity and Culture Department' });

    const signIns = await admin.api('GET', '/api/v1/audit-events?actor=admin@bwf.example.org&limit=1&offset=0');
    expect(signIns.json()).toMatchObject({ limit: 1, offset: 0, items: [{ actor: { email: 'admin@bwf.example.org' } }] });
    const all = (await admin.api('GET', '/api/v1/audit-events?limit=200')).json();
    const times = all.items.map((item: { at: string }) => item.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('answers 401 without credentials, 400 for a bad date and 404 to anyone but a platform administrator', async () => {
    expect((await testApp.app.inject({ url: '/api/v1/audit-events' })).statusCode).toBe(401);
    expect((await admin.api('GET', '/api/v1/audit-events?from=2024-13-45')).statusCode).toBe(400);
    const refused = await bwfEditor.api('GET', '/api/v1/audit-events');
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toContain('/api/v1/audit-events');
  });
});

describe('auditChanges', () => {
  it('shows every field of a created or deleted record, nested ones by path', () => {
    expect(auditChanges(null, { email: 'a@b.org', roles: { bwf: 'editor' } })).toEqual([
      { field: 'email', before: null, after: 'a@b.org' },
      { field: 'roles.bwf', before: null, after: 'editor' },
    ]);
    expect(auditChanges({ slug: 'x' }, null)).toEqual([{ field: 'slug', before: 'x', after: null }]);
  });

  it('shows only the fields a change altered, including ones added and removed', () => {
    const before = { status: 'active', roles: { bwf: 'editor', twf: 'viewer' }, tags: [1, 2] };
    const after = { status: 'active', roles: { bwf: 'administrator', hebei: 'viewer' }, tags: [1, 2] };
    expect(auditChanges(before, after)).toEqual([
      { field: 'roles.bwf', before: 'editor', after: 'administrator' },
      { field: 'roles.twf', before: 'viewer', after: null },
      { field: 'roles.hebei', before: null, after: 'viewer' },
    ]);
  });
});
