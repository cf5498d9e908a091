import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { eventually, readPortal } from '../../../test/newsroom.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let admin: SignedInClient;
let twfEditor: SignedInClient;
let seedId: number;
const siteIds: Record<string, number> = {};

/** The part of a page from the element with this id to the end of its section. */
function section(html: string, sectionId: string): string {
  const start = html.indexOf(`id="${sectionId}"`);
  expect(start, `no #${sectionId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The id of the update a draft's redirect lands on (/workspace/articles/:id/edit). */
function draftedId(location: unknown): number {
  const match = /^\/workspace\/articles\/(\d+)\/edit$/.exec(String(location));
  if (!match?.[1]) throw new Error(`not the newsroom's editor: ${String(location)}`);
  return Number(match[1]);
}

/** Takes a drafted update through review and publishes it, as the newsroom's API does for its editor and reviewer. */
async function publish(articleId: number): Promise<void> {
  expect((await editor.api('PATCH', `/api/v1/articles/${articleId}`, { statusZh: 'reviewed', statusEn: 'reviewed' })).statusCode).toBe(200);
  for (const [client, action] of [
    [editor, 'submit'],
    [reviewer, 'approve'],
    [editor, 'publish'],
  ] as const) {
    const response = await client.api('POST', `/api/v1/articles/${articleId}/transitions`, { action });
    expect(response.statusCode, response.body).toBe(200);
  }
}

beforeAll(async () => {
  testApp = await createTestApp();
  // The workspace in English, as these accounts' readers chose it.
  [editor, reviewer, admin, twfEditor] = (
    await Promise.all(['editor@bwf.example.org', 'reviewer@bwf.example.org', 'admin@bwf.example.org', 'editor@twf.example.org'].map((email) => signIn(testApp.app, email)))
  ).map((client) => inLanguage(testApp.app, client, 'en')) as [SignedInClient, SignedInClient, SignedInClient, SignedInClient];
  const db = testApp.database.db;
  seedId = (await db.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirstOrThrow()).id;
  for (const row of await db.selectFrom('site').select(['id', 'slug']).execute()) siteIds[row.slug] = row.id;
});

afterAll(async () => {
  await testApp.close();
});

describe('the demo', () => {
  it('lists the seed update under "Reported in" on the seed visit’s page, with its portal page', async () => {
    const page = await editor.get(`/workspace/activities/${seedId}`);
    const reported = section(page.body, 'reported-in');
    expect(reported).toContain(`Beijing, Tianjin Women's Federations Hold Exchange Activity</a>`);
    expect(reported).toContain('/en/articles/2024-03-25-beijing-tianjin-exchange" hreflang="en">On the portal (English)</a>');
  });
});

describe('drafting an update from the activity’s page', () => {
  it('warns, beside the button, that a draft from an activity that is not public carries what the portal does not show', async () => {
    const created = await editor.api('POST', '/api/v1/activities', {
      kind: 'meeting',
      titleZh: '内部座谈',
      titleEn: 'Internal talks',
      startsAt: '2024-05-20 09:00',
      endsAt: '2024-05-20 11:00',
      status: 'held',
      visibility: 'internal',
      organizers: [{ organizationId: (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id, role: 'organizer' }],
    });
    expect(created.statusCode).toBe(201);
    const internal = section((await editor.get(`/workspace/activities/${created.json().id}`)).body, 'reported-in');
    expect(internal).toContain('This activity is not public: a draft from it carries its attendees, minutes and findings.');
    expect(internal).toContain('Draft an update');
    expect(section((await editor.get(`/workspace/activities/${seedId}`)).body, 'reported-in')).not.toContain('This activity is not public');
  });

  it('offers the button to an editor, drafts, lands in the newsroom’s editor, and both pages link back to the activity', async () => {
    const page = await editor.get(`/workspace/activities/${seedId}`);
    const reported = section(page.body, 'reported-in');
    expect(reported).toContain('Reported in');
    expect(reported).toContain(`action="/workspace/activities/${seedId}/draft-article"`);
    expect(reported).toContain('Draft an update');
    expect(reported).toContain('name="_csrf"');

    const drafted = await editor.post(`/workspace/activities/${seedId}/draft-article`, { siteId: String(siteIds.bwf) });
    expect(drafted.statusCode).toBe(303);
    const articleId = draftedId(drafted.headers.location);

    const form = await editor.get(`/workspace/articles/${articleId}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Reports on: ');
    expect(form.body).toContain(`href="/workspace/activities/${seedId}"`);
    expect(form.body).toContain("Beijing, Tianjin Women's Federations Hold Exchange Activity");
    expect(form.body).toContain('# Itinerary');
    const detail = await editor.get(`/workspace/articles/${articleId}`);
    expect(detail.body).toContain(`href="/workspace/activities/${seedId}"`);

    const after = section((await editor.get(`/workspace/activities/${seedId}`)).body, 'reported-in');
    const draftItem = after.slice(after.indexOf(`href="/workspace/articles/${articleId}"`));
    expect(draftItem).toContain(`href="/workspace/articles/${articleId}"`);
    expect(draftItem.slice(0, draftItem.indexOf('</li>'))).toContain('Draft');
    expect(draftItem.slice(0, draftItem.indexOf('</li>'))).not.toContain('On the portal');
  });

  it('gives a reviewer no button, and refuses her draft as not found; a draft without the CSRF token is refused', async () => {
    expect(section((await reviewer.get(`/workspace/activities/${seedId}`)).body, 'reported-in')).not.toContain('Draft an update');
    expect((await reviewer.post(`/workspace/activities/${seedId}/draft-article`)).statusCode).toBe(404);
    expect((await editor.post(`/workspace/activities/${seedId}/draft-article`, { _csrf: 'wrong' })).statusCode).toBe(403);
  });

  it('lets someone writing for both organizers’ sites choose, and puts a refused choice beside the field in her language', async () => {
    const choice = section((await admin.get(`/workspace/activities/${seedId}`)).body, 'reported-in');
    expect(choice).toContain('<select');
    expect(choice).toContain("Beijing Women's Federation");
    expect(choice).toContain("Tianjin Women's Federation");

    const refused = await admin.post(`/workspace/activities/${seedId}/draft-article`, { siteId: String(siteIds['hebei-wf']) });
    expect(refused.statusCode).toBe(400);
    expect(section(refused.body, 'reported-in')).toContain("Choose the site of one of the activity's organizers that you write updates for.");
    const inChinese = await inLanguage(testApp.app, admin, 'zh').post(`/workspace/activities/${seedId}/draft-article`, { siteId: String(siteIds['hebei-wf']) });
    expect(inChinese.statusCode).toBe(400);
    expect(section(inChinese.body, 'reported-in')).toContain('请选择您可为其撰稿的主办单位网站。');

    const tianjin = await admin.post(`/workspace/activities/${seedId}/draft-article`, { siteId: String(siteIds.twf) });
    const article = await admin.api('GET', `/api/v1/articles/${draftedId(tianjin.headers.location)}`);
    expect(JSON.parse(article.body)).toMatchObject({ siteSlug: 'twf', status: 'draft' });
  });

  it('once published, lists the portal’s pages on the activity page, and the portal’s article links the activity’s public page', async () => {
    const articleId = draftedId((await editor.post(`/workspace/activities/${seedId}/draft-article`)).headers.location);
    await publish(articleId);
    const slug = JSON.parse((await editor.api('GET', `/api/v1/articles/${articleId}`)).body).slug as string;

    // The TWF editor does not work on BWF's updates: she sees the published one as readers do.
    for (const client of [editor, twfEditor]) {
      const reported = section((await client.get(`/workspace/activities/${seedId}`)).body, 'reported-in');
      expect(reported).toContain(`href="/sites/bwf/en/articles/${slug}"`);
      expect(reported).toContain(`href="/sites/bwf/zh/articles/${slug}"`);
      expect(reported).toContain('Published');
    }
    expect(section((await twfEditor.get(`/workspace/activities/${seedId}`)).body, 'reported-in')).not.toContain(`href="/workspace/articles/${articleId}"`);

    const portal = await eventually(
      () => readPortal(testApp.app, `/sites/bwf/en/articles/${slug}`),
      (response) => response.statusCode === 200,
    );
    expect(portal.body).toContain('Wei Jiang');
    expect(portal.body).toContain('About the activity: ');
    expect(portal.body).toContain(`href="/sites/bwf/en/activities/${seedId}"`);
    expect((await readPortal(testApp.app, `/sites/bwf/en/activities/${seedId}`)).statusCode).toBe(200);
  });
});

describe('the API', () => {
  it('drafts with POST /api/v1/activities/:id/draft-article and lists the update in the activity’s output', async () => {
    // No body: the first of the organizers' sites the caller writes for.
    const created = await editor.api('POST', `/api/v1/activities/${seedId}/draft-article`);
    expect(created.statusCode, created.body).toBe(201);
    const { articleId } = JSON.parse(created.body) as { articleId: number };
    const activity = JSON.parse((await editor.api('GET', `/api/v1/activities/${seedId}`)).body) as { articles: { articleId: number; status: string; portal: object }[] };
    expect(activity.articles).toContainEqual(expect.objectContaining({ articleId, status: 'draft', portal: {} }));

    expect((await reviewer.api('POST', `/api/v1/activities/${seedId}/draft-article`, {})).statusCode).toBe(404);
    const refused = await admin.api('POST', `/api/v1/activities/${seedId}/draft-article`, { siteId: siteIds['hebei-wf'] });
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'bad_site' } });
    expect((await testApp.app.inject({ method: 'POST', url: `/api/v1/activities/${seedId}/draft-article`, payload: {} })).statusCode).toBe(401);

    const openapi = JSON.parse((await testApp.app.inject({ url: '/api/openapi.json' })).body) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/activities/{id}/draft-article');
  });
});
