import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let bwfId: number;

beforeAll(async () => {
  testApp = await createTestApp();
  bwfEditor = await signIn(testApp.app, 'editor@bwf.example.org');
  bwfId = (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await testApp.close();
});

describe('organization pages', () => {
  it('send a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
    const response = await testApp.app.inject({ url: '/workspace/organizations?q=bwf' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace%2Forganizations%3Fq%3Dbwf');
  });

  it('list the network with search and a kind filter', async () => {
    const all = await bwfEditor.get('/workspace/organizations?kind=federation');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Tianjin Women');
    expect(all.body).not.toContain('Tongrentang');
    const search = await bwfEditor.get('/workspace/organizations?q=Tongrentang');
    expect(search.body).toContain('Tongrentang Zhima Health');
    expect(search.body).not.toContain('Tianjin Women');
  });

  it('show an organization with its units', async () => {
    const response = await bwfEditor.get(`/workspace/organizations/${bwfId}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('基层组织建设部');
    expect(response.body).toContain(`/workspace/organizations/${bwfId}/edit`);
  });

  it('re-render a wrong form with a message beside each field and the values kept', async () => {
    const response = await bwfEditor.post('/workspace/organizations', { nameZh: '', nameEn: 'Volunteer Service Department', slug: 'Not A Slug!', kind: 'department', parentId: String(bwfId) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="nameZh-error"/);
    expect(response.body).toMatch(/id="slug-error"/);
    expect(response.body).toContain('value="Volunteer Service Department"');
  });

  it('create a unit under the editor own federation, which then shows in the audit log', async () => {
    const response = await bwfEditor.post('/workspace/organizations', {
      nameZh: '志愿服务部',
      nameEn: 'Volunteer Service Department',
      slug: 'bwf-volunteer-department',
      kind: 'department',
      parentId: String(bwfId),
    });
    expect(response.statusCode).toBe(303);
    const created = await testApp.database.db.selectFrom('organization').selectAll().where('slug', '=', 'bwf-volunteer-department').executeTakeFirstOrThrow();
    expect(created.parent_id).toBe(bwfId);
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'organization').where('entity_id', '=', String(created.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe('create');
  });

  it('refuse a taken short name beside the field', async () => {
    const response = await bwfEditor.post('/workspace/organizations', { nameZh: '重复', nameEn: 'Duplicate', slug: 'twf', kind: 'department', parentId: String(bwfId) });
    expect(response.statusCode).toBe(409);
    expect(response.body).toMatch(/id="slug-error"[^>]*>The short name &quot;twf&quot; is taken/);
  });

  it('refuse a form without the CSRF token', async () => {
    const response = await bwfEditor.post('/workspace/organizations', { _csrf: 'forged', nameZh: 'x', nameEn: 'x', slug: 'forged-unit', kind: 'department', parentId: String(bwfId) });
    expect(response.statusCode).toBe(403);
    const stored = await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'forged-unit').executeTakeFirst();
    expect(stored).toBeUndefined();
  });
});

describe('organization pages for a reader who may not edit', () => {
  it('offer no form and refuse an edit as not found, whatever the form holds', async () => {
    const reviewer = await signIn(testApp.app, 'reviewer@bwf.example.org');
    expect((await reviewer.get('/workspace/organizations/new')).statusCode).toBe(404);
    expect((await reviewer.get(`/workspace/organizations/${bwfId}/edit`)).statusCode).toBe(404);
    const invalid = await reviewer.post(`/workspace/organizations/${bwfId}`, { nameZh: '', slug: '!' });
    expect(invalid.statusCode).toBe(404);
    const detail = await reviewer.get(`/workspace/organizations/${bwfId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(`/workspace/organizations/${bwfId}/edit`);
  });
});

describe('the organization API', () => {
  it('answers 401 without credentials and 400 for a bad body', async () => {
    const anonymous = await testApp.app.inject({ url: '/api/v1/organizations' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const bad = await bwfEditor.api('POST', '/api/v1/organizations', { nameZh: '', kind: 'club' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
  });

  it('lets an editor create under her federation and refuses another federation as not found', async () => {
    const twfId = (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'twf').executeTakeFirstOrThrow()).id;
    const ok = await bwfEditor.api('POST', '/api/v1/organizations', { slug: 'bwf-api-unit', nameZh: '接口单位', nameEn: 'API Unit', kind: 'department', parentId: bwfId });
    expect(ok.statusCode).toBe(201);
    const refused = await bwfEditor.api('PATCH', `/api/v1/organizations/${twfId}`, { nameEn: 'Renamed' });
    expect(refused.statusCode).toBe(404);
    const read = await bwfEditor.api('GET', `/api/v1/organizations/${twfId}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().nameEn).toBe("Tianjin Women's Federation");
  });
});

describe('deleting an organization that activities name', () => {
  it('is refused with a conflict that says why, and nothing is deleted', async () => {
    const { db } = testApp.database;
    const created = await bwfEditor.api('POST', '/api/v1/organizations', {
      nameZh: '志愿者工作部',
      nameEn: 'Volunteers Unit',
      slug: 'bwf-volunteers-unit',
      kind: 'department',
      parentId: bwfId,
    });
    expect(created.statusCode).toBe(201);
    const unitId: number = created.json().id;
    const activity = await db.selectFrom('activity').select('id').orderBy('id').executeTakeFirstOrThrow();
    await db.insertInto('activity_organizer').values({ activity_id: activity.id, organization_id: unitId, role: 'host' }).execute();
    const refused = await bwfEditor.api('DELETE', `/api/v1/organizations/${unitId}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('activities');
    expect(await db.selectFrom('organization').select('id').where('id', '=', unitId).executeTakeFirst()).toBeDefined();
  });
});
