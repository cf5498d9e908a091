import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { sectionIdOf, siteIdOf } from '../../../test/newsroom.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import * as accountService from '../accounts/account.service.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let admin: SignedInClient;
let twfEditor: SignedInClient;
let twfReviewer: SignedInClient;
let bwfSite: number;
let updatesSection: number;

function anonymous(url: string) {
  return testApp.app.inject({ url });
}

function newUpdate(overrides: Record<string, unknown> = {}) {
  return {
    siteId: bwfSite,
    sectionId: updatesSection,
    publishAt: '2024-05-01 10:00',
    tags: ['api', 'exchange'],
    titleZh: '接口写的动态',
    bodyZh: '中文**正文**',
    statusZh: 'reviewed',
    titleEn: 'An update written through the API',
    summaryEn: 'Written by a script.',
    bodyEn: 'English **body**',
    statusEn: 'draft',
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}): Promise<number> {
  const response = await editor.api('POST', '/api/v1/articles', newUpdate(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

beforeAll(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  const twf = await db.selectFrom('organization').select('id').where('slug', '=', 'twf').executeTakeFirstOrThrow();
  await accountService.createAccount(db, null, {
    email: 'reviewer@twf.example.org',
    displayName: 'TWF Reviewer',
    password: 'halfsky-twf-reviewer-test',
    memberships: [{ organizationId: twf.id, role: 'reviewer' }],
  });
  [editor, reviewer, admin, twfEditor, twfReviewer] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@twf.example.org', 'halfsky-twf-reviewer-test'),
  ]);
  bwfSite = await siteIdOf(db, 'bwf');
  updatesSection = await sectionIdOf(db, 'bwf', 'updates');
});
afterAll(async () => {
  await testApp.close();
});

describe('the articles API', () => {
  it('is described in the OpenAPI document', async () => {
    const document = (await anonymous('/api/openapi.json')).json();
    const paths = Object.keys(document.paths);
    for (const path of ['/api/v1/articles', '/api/v1/articles/{id}', '/api/v1/articles/{id}/transitions']) expect(paths).toContain(path);
    expect(Object.keys(document.paths['/api/v1/articles'])).toEqual(expect.arrayContaining(['get', 'post']));
    const action = document.paths['/api/v1/articles/{id}/transitions'].post.requestBody.content['application/json'].schema.properties.action;
    expect(action.enum).toEqual(['submit', 'approve', 'send_back', 'publish', 'unpublish', 'archive', 'reopen']);
  });

  it('lets anyone list published updates in their reviewed languages only', async () => {
    const id = await create();
    const response = await anonymous(`/api/v1/articles?siteId=${bwfSite}&limit=200`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((item: { status: string }) => item.status === 'published')).toBe(true);
    expect(page.items.map((item: { id: number }) => item.id)).not.toContain(id);
    const seed = page.items.find((item: { slug: string }) => item.slug.includes('exchange'));
    expect(seed.translations.map((translation: { locale: string }) => translation.locale)).toEqual(['zh', 'en']);
    expect(seed.translations[0]).not.toHaveProperty('bodyHtml');
    // Newest publish time first for readers.
    const times = page.items.map((item: { publishAt: string }) => item.publishAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("shows staff their own site's drafts, and nobody else's", async () => {
    const id = await create({ titleEn: 'Staff only draft' });
    const mine = (await editor.api('GET', '/api/v1/articles?status=draft&q=Staff%20only')).json();
    expect(mine.items.map((item: { id: number }) => item.id)).toEqual([id]);
    expect(mine.items[0].translations.map((translation: { status: string }) => translation.status)).toEqual(['reviewed', 'draft']);
    const theirs = (await twfEditor.api('GET', '/api/v1/articles?status=draft&q=Staff%20only')).json();
    expect(theirs.items).toEqual([]);
    expect((await anonymous(`/api/v1/articles/${id}`)).statusCode).toBe(404);
    expect((await twfEditor.api('GET', `/api/v1/articles/${id}`)).statusCode).toBe(404);

    const read = await editor.api('GET', `/api/v1/articles/${id}`);
    expect(read.statusCode).toBe(200);
    const body = read.json();
    expect(body.status).toBe('draft');
    expect(body.tags).toEqual(['api', 'exchange']);
    expect(body.publishAt).toBe('2024-05-01T02:00:00.000Z');
    expect(body.translations[1]).toMatchObject({ locale: 'en', status: 'draft', bodyMarkdown: 'English **body**', bodyHtml: '<p>English <strong>body</strong></p>\n' });
    expect(body.events).toEqual([{ step: 'created', actorName: 'BWF Editor', at: expect.any(String), comment: '' }]);
  });

  it('walks the ladder 401 → 400 → 404 → 201 for writing', async () => {
    const unauthenticated = await testApp.app.inject({ method: 'POST', url: '/api/v1/articles', payload: newUpdate() });
    expect(unauthenticated.statusCode).toBe(401);
    const badToken = await testApp.app.inject({ url: '/api/v1/articles', headers: { authorization: 'Bearer hsk_nonsense' } });
    expect(badToken.statusCode).toBe(401);

    const invalid = await Promise.all([
      editor.api('POST', '/api/v1/articles', newUpdate({ publishAt: 'tomorrow' })),
      editor.api('POST', '/api/v1/articles', newUpdate({ tags: ['x'.repeat(41)] })),
      editor.api('POST', '/api/v1/articles', newUpdate({ titleZh: '', titleEn: '' })),
      editor.api('POST', '/api/v1/articles', newUpdate({ titleEn: '', bodyEn: 'text without a title' })),
      editor.api('POST', '/api/v1/articles', newUpdate({ siteId: undefined })),
    ]);
    expect(invalid.map((response) => response.statusCode)).toEqual([400, 400, 400, 400, 400]);
    expect(invalid[4]?.json().error.message).toBe('Choose the site the update is for.');

    expect((await twfEditor.api('POST', '/api/v1/articles', newUpdate())).statusCode).toBe(404);
    expect((await reviewer.api('POST', '/api/v1/articles', newUpdate())).statusCode).toBe(404);

    const zoned = await editor.api('POST', '/api/v1/articles', newUpdate({ publishAt: '2030-01-01T00:00:00Z', slug: 'new-year-2030' }));
    expect(zoned.statusCode).toBe(201);
    expect(zoned.json()).toMatchObject({ slug: 'new-year-2030', publishAt: '2030-01-01T00:00:00.000Z', status: 'draft' });
    const taken = await editor.api('POST', '/api/v1/articles', newUpdate({ slug: 'new-year-2030' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('slug_taken');
  });

  it('changes an update with PATCH: a new revision each time; an empty title removes a language', async () => {
    const id = await create();
    const changed = await editor.api('PATCH', `/api/v1/articles/${id}`, { titleEn: 'Patched title', tags: ['one'] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ tags: ['one'] });
    expect(changed.json().translations[1]).toMatchObject({ title: 'Patched title', bodyMarkdown: 'English **body**' });
    const removed = await editor.api('PATCH', `/api/v1/articles/${id}`, { titleEn: '' });
    expect(removed.json().translations.map((translation: { locale: string }) => translation.locale)).toEqual(['zh']);
    expect((await editor.api('PATCH', `/api/v1/articles/${id}`, { titleZh: '' })).statusCode).toBe(400);
    expect((await twfEditor.api('PATCH', `/api/v1/articles/${id}`, { titleEn: 'Hijack' })).statusCode).toBe(404);
    expect((await reviewer.api('PATCH', `/api/v1/articles/${id}`, { titleEn: 'Reviewer edit' })).statusCode).toBe(404);
    const revisions = await testApp.database.db.selectFrom('article_revision').select('number').where('article_id', '=', id).execute();
    expect(revisions).toHaveLength(3);
  });

  it('takes the workflow through transitions; a wrong step is a 409 that says why', async () => {
    const id = await create({ titleEn: 'Through the API', statusEn: 'reviewed' });
    const early = await reviewer.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'approve' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toEqual({ error: { code: 'conflict', message: 'Only a submitted update can be approved.' } });
    expect((await editor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'fly' })).statusCode).toBe(400);
    expect((await testApp.app.inject({ method: 'POST', url: `/api/v1/articles/${id}/transitions`, payload: { action: 'submit' } })).statusCode).toBe(401);

    expect((await editor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'submit' })).json().status).toBe('submitted');
    expect((await twfReviewer.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'approve' })).statusCode).toBe(404);
    const sendBack = await reviewer.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'send_back' });
    expect(sendBack.statusCode).toBe(400);
    expect(sendBack.json().error.code).toBe('comment_required');
    expect((await reviewer.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'approve', comment: 'Good' })).json().status).toBe('approved');
    // Approved by a reviewer: the editor who wrote it may publish it.
    const published = await editor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'publish' });
    expect(published.statusCode).toBe(200);
    expect(published.json().status).toBe('published');
    expect(published.json().events.map((event: { step: string }) => event.step)).toEqual(['created', 'submitted', 'approved', 'published']);

    const publicView = await anonymous(`/api/v1/articles/${id}`);
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json().events).toBeUndefined();
    expect(publicView.json().translations.map((translation: { bodyMarkdown?: unknown }) => translation.bodyMarkdown ?? null)).toEqual([null, null]);

    expect((await editor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'unpublish' })).statusCode).toBe(404);
    expect((await admin.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'unpublish' })).json().status).toBe('unpublished');
    expect((await anonymous(`/api/v1/articles/${id}`)).statusCode).toBe(404);
    expect((await editor.api('GET', `/api/v1/articles/${id}`)).json().status).toBe('unpublished');
  });

  it('shows readers only the reviewed language of a published update', async () => {
    const id = await create({ titleEn: 'English is a draft' });
    for (const [client, action] of [
      [editor, 'submit'],
      [reviewer, 'approve'],
      [admin, 'publish'],
    ] as const) {
      expect((await client.api('POST', `/api/v1/articles/${id}/transitions`, { action })).statusCode).toBe(200);
    }
    const publicView = (await anonymous(`/api/v1/articles/${id}`)).json();
    expect(publicView.translations.map((translation: { locale: string }) => translation.locale)).toEqual(['zh']);
    const listed = (await anonymous('/api/v1/articles?q=%E6%8E%A5%E5%8F%A3')).json();
    expect(listed.items.find((item: { id: number }) => item.id === id).translations.map((translation: { locale: string }) => translation.locale)).toEqual(['zh']);
    // A TWF editor is a reader of BWF updates, not their staff.
    const twfView = (await twfEditor.api('GET', `/api/v1/articles/${id}`)).json();
    expect(twfView.translations.map((translation: { locale: string }) => translation.locale)).toEqual(['zh']);
    expect(twfView.events).toBeUndefined();
  });
});
