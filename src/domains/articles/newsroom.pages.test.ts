import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { articleFields, eventually, readPortal, sectionIdOf, siteIdOf } from '../../../test/newsroom.ts';
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
let noticesSection: number;

/** Reads a workspace page in English. */
function getEn(client: SignedInClient, url: string): Promise<LightMyRequestResponse> {
  return testApp.app.inject({ url, headers: { cookie: `${client.cookie}; halfsky_lang=en` } });
}

/** Posts a workspace form in English. */
function postEn(client: SignedInClient, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return testApp.app.inject({
    method: 'POST',
    url,
    headers: { cookie: `${client.cookie}; halfsky_lang=en`, origin: 'http://localhost:80' },
    payload: { _csrf: client.csrfToken, ...fields },
  });
}

/** Writes an update through the form as `client` and returns its id. */
async function writeUpdate(client: SignedInClient, overrides: Record<string, string> = {}): Promise<number> {
  const response = await postEn(client, '/workspace/articles', {
    siteId: String(bwfSite),
    sectionId: String(updatesSection),
    intent: 'save',
    ...articleFields(overrides),
  });
  expect(response.statusCode, response.body).toBe(303);
  const id = Number(/\/workspace\/articles\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

function step(client: SignedInClient, id: number, action: string, comment = ''): Promise<LightMyRequestResponse> {
  return postEn(client, `/workspace/articles/${id}/steps`, { action, comment });
}

async function slugOf(id: number): Promise<string> {
  const row = await testApp.database.db.selectFrom('article').select('slug').where('id', '=', id).executeTakeFirstOrThrow();
  return row.slug;
}

async function statusOf(id: number): Promise<string> {
  const row = await testApp.database.db.selectFrom('article').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  return row.status;
}

/** Takes an update written by the BWF editor all the way to published. */
async function publishThroughReview(id: number): Promise<void> {
  expect((await step(editor, id, 'submit')).statusCode).toBe(200);
  expect((await step(reviewer, id, 'approve')).statusCode).toBe(200);
  expect((await step(admin, id, 'publish')).statusCode).toBe(200);
  expect(await statusOf(id)).toBe('published');
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
  noticesSection = await sectionIdOf(db, 'bwf', 'notices');
});
afterAll(async () => {
  await testApp.close();
});

describe('the newsroom list', () => {
  it('is in the workspace navigation as Newsroom / 新闻稿件', async () => {
    const en = await getEn(editor, '/workspace/articles');
    expect(en.statusCode).toBe(200);
    expect(en.body).toMatch(/<a href="\/workspace\/articles" aria-current="page">Newsroom<\/a>/);
    const zh = await testApp.app.inject({ url: '/workspace', headers: { cookie: `${editor.cookie}; halfsky_lang=zh` } });
    expect(zh.body).toContain('<a href="/workspace/articles">新闻稿件</a>');
  });

  it("lists the site's updates with their step and each language's state, filtered", async () => {
    const id = await writeUpdate(editor, { titleEn: 'Filter me: women in science', statusEn: 'draft', titleZh: '' , summaryZh: '', bodyZh: '' });
    const all = await getEn(editor, '/workspace/articles');
    expect(all.body).toContain("Beijing, Tianjin Women's Federations Hold Exchange Activity");
    expect(all.body).toContain(`href="/workspace/articles/${id}"`);

    const drafts = await getEn(editor, `/workspace/articles?siteId=${bwfSite}&status=draft&q=science`);
    expect(drafts.body).toContain(`href="/workspace/articles/${id}"`);
    expect(drafts.body).not.toContain('Hold Exchange Activity');

    const zhMissing = await getEn(editor, '/workspace/articles?language=zh&languageStatus=missing');
    expect(zhMissing.body).toContain(`href="/workspace/articles/${id}"`);
    const enDraft = await getEn(editor, '/workspace/articles?language=en&languageStatus=draft');
    expect(enDraft.body).toContain(`href="/workspace/articles/${id}"`);
    const enReviewed = await getEn(editor, '/workspace/articles?language=en&languageStatus=reviewed');
    expect(enReviewed.body).not.toContain(`href="/workspace/articles/${id}"`);
    const inNotices = await getEn(editor, `/workspace/articles?siteId=${bwfSite}&sectionId=${noticesSection}`);
    expect(inNotices.body).not.toContain(`href="/workspace/articles/${id}"`);
    // A filter value that makes no sense is dropped, not a 400.
    expect((await getEn(editor, '/workspace/articles?status=bogus')).statusCode).toBe(200);
  });

  it('searches the words of every language version, drafts included, not only titles', async () => {
    const id = await writeUpdate(editor, {
      titleEn: 'Spring volunteers',
      statusEn: 'draft',
      titleZh: '春季志愿服务',
      summaryZh: '',
      bodyZh: '志愿者走进观音寺街道的社区图书角。',
    });
    // Words that stand only in the bodies: the English seed update's "Guanyinsi", this draft's 图书角.
    const english = await getEn(editor, '/workspace/articles?q=Guanyinsi');
    expect(english.body).toContain('Hold Exchange Activity');
    const chinese = await getEn(editor, `/workspace/articles?q=${encodeURIComponent('图书角')}`);
    expect(chinese.body).toContain(`href="/workspace/articles/${id}"`);
    expect(chinese.body).not.toContain('Hold Exchange Activity');
    const twoCharacters = await getEn(editor, `/workspace/articles?q=${encodeURIComponent('观音')}`);
    expect(twoCharacters.body).toContain(`href="/workspace/articles/${id}"`);
  });

  it("does not show a BWF draft to Tianjin's staff", async () => {
    const id = await writeUpdate(editor, { titleEn: 'Beijing only draft' });
    const twf = await getEn(twfEditor, '/workspace/articles?q=Beijing%20only');
    expect(twf.statusCode).toBe(200);
    expect(twf.body).not.toContain(`/workspace/articles/${id}`);
    expect((await getEn(twfEditor, `/workspace/articles/${id}`)).statusCode).toBe(404);
  });
});

describe('the form', () => {
  it('puts the Chinese and English versions side by side, with the sections of the site', async () => {
    const response = await getEn(editor, '/workspace/articles/new');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<fieldset class="version" lang="zh-CN"><legend>Chinese version</legend>');
    expect(response.body).toContain('<fieldset class="version" lang="en"><legend>English version</legend>');
    expect(response.body).toContain(`<option value="${updatesSection}"`);
    expect(response.body).toContain('type="datetime-local"');
    expect(response.body).toContain('Asia/Shanghai');
  });

  it('asks a writer of several sites which one the update is for', async () => {
    const response = await getEn(admin, '/workspace/articles/new');
    expect(response.body).toContain(`href="/workspace/articles/new?siteId=${bwfSite}"`);
    expect((await getEn(twfEditor, `/workspace/articles/new?siteId=${bwfSite}`)).statusCode).toBe(404);
  });

  it('previews the Markdown on the server, sanitized, without saving', async () => {
    const before = await testApp.database.db.selectFrom('article').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const response = await postEn(editor, '/workspace/articles', {
      siteId: String(bwfSite),
      sectionId: String(updatesSection),
      intent: 'preview',
      ...articleFields({ bodyEn: '# Heading\n\nSome **bold** text <script>alert(1)</script>' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h2>Heading</h2>');
    expect(response.body).toContain('<strong>bold</strong>');
    expect(response.body).not.toContain('<script>alert(1)');
    // What was typed comes back in the form, escaped.
    expect(response.body).toContain('text &lt;script>alert(1)&lt;/script></textarea>');
    const after = await testApp.database.db.selectFrom('article').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('stores the Markdown and its sanitized HTML, the tags trimmed, the Beijing wall clock as UTC', async () => {
    const id = await writeUpdate(editor, { tags: '  women , science，  rural revitalization ,, women', publishAt: '2024-03-25T14:33:38' });
    const { db } = testApp.database;
    const article = await db.selectFrom('article').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(article.tags).toEqual(['women', 'science', 'rural revitalization']);
    expect(article.publish_at.toISOString()).toBe('2024-03-25T06:33:38.000Z');
    expect(article.status).toBe('draft');
    expect(article.slug).toBe('2024-03-25-beijing-and-tianjin-federations-meet');
    const en = await db.selectFrom('article_translation').selectAll().where('article_id', '=', id).where('locale', '=', 'en').executeTakeFirstOrThrow();
    expect(en.body_markdown).toContain('**Daxing**');
    expect(en.body_html).toContain('<strong>Daxing</strong>');
    expect(en.body_html).toContain('<li>Guanyinsi Sub-district</li>');
  });

  it('shows field messages: a version with text but no title, too many or too long tags, a day that does not exist', async () => {
    const response = await postEn(editor, '/workspace/articles', {
      siteId: String(bwfSite),
      sectionId: String(updatesSection),
      intent: 'save',
      ...articleFields({
        titleEn: '',
        tags: Array.from({ length: 21 }, (_, index) => `tag${index}`).join(','),
        publishAt: '2024-02-30T10:00',
      }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Give this language version a title, or clear its text.');
    expect(response.body).toContain('An update has at most 20 tags.');
    expect(response.body).toContain('Give a date and time such as 2024-03-25 14:33.');
    const long = await postEn(editor, '/workspace/articles', {
      siteId: String(bwfSite),
      sectionId: String(updatesSection),
      intent: 'save',
      ...articleFields({ tags: 'x'.repeat(41) }),
    });
    expect(long.body).toContain('A tag has at most 40 characters.');
    const zh = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/articles',
      headers: { cookie: `${editor.cookie}; halfsky_lang=zh`, origin: 'http://localhost:80' },
      payload: { _csrf: editor.csrfToken, siteId: String(bwfSite), sectionId: String(updatesSection), ...articleFields({ titleZh: '', titleEn: '', summaryZh: '', summaryEn: '', bodyZh: '', bodyEn: '' }) },
    });
    expect(zh.body).toContain('请至少填写一个语言版本：中文或英文标题。');
  });

  it("refuses another site's section and a taken address beside the fields", async () => {
    const twfSection = await sectionIdOf(testApp.database.db, 'twf', 'updates');
    const wrongSection = await postEn(editor, '/workspace/articles', {
      siteId: String(bwfSite),
      ...articleFields({ sectionId: String(twfSection) }),
    });
    expect(wrongSection.statusCode).toBe(400);
    expect(wrongSection.body).toContain('Choose a section of this site.');
    const id = await writeUpdate(editor, { slug: 'a-taken-address' });
    const taken = await postEn(editor, '/workspace/articles', {
      siteId: String(bwfSite),
      sectionId: String(updatesSection),
      ...articleFields({ slug: 'a-taken-address' }),
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Another update of this site has this address already.');
    expect(id).toBeGreaterThan(0);
  });
});

describe('the workflow on the BWF site', () => {
  it('goes draft → submitted → approved → published, with who and when on the article page', async () => {
    const id = await writeUpdate(editor, { titleEn: 'Spring exchange in Daxing', publishAt: '2024-04-01T10:00' });
    const slug = await slugOf(id);
    expect((await readPortal(testApp.app, `/en/articles/${slug}`)).statusCode).toBe(404);

    const page = await getEn(editor, `/workspace/articles/${id}`);
    expect(page.body).toContain('Submit for review');
    expect(page.body).not.toContain('>Approve<');

    const submitted = await step(editor, id, 'submit');
    expect(submitted.statusCode).toBe(200);
    expect(submitted.body).toContain('Submitted for review.');
    expect(await statusOf(id)).toBe('submitted');

    const reviewerPage = await getEn(reviewer, `/workspace/articles/${id}`);
    expect(reviewerPage.body).toContain('>Approve</button>');
    expect(reviewerPage.body).toContain(`href="/workspace/articles/${id}/steps/send_back"`);
    expect((await step(reviewer, id, 'approve', 'Facts checked')).statusCode).toBe(200);
    expect(await statusOf(id)).toBe('approved');
    expect((await readPortal(testApp.app, `/en/articles/${slug}`)).statusCode).toBe(404);

    // The reviewer's approval is the second pair of eyes: the editor who wrote it may now publish it.
    expect((await getEn(editor, `/workspace/articles/${id}`)).body).toContain('>Publish now</button>');
    const published = await step(editor, id, 'publish');
    expect(published.statusCode).toBe(200);
    expect(await statusOf(id)).toBe('published');

    const zh = await readPortal(testApp.app, `/zh/articles/${slug}`);
    const en = await readPortal(testApp.app, `/en/articles/${slug}`);
    expect(zh.statusCode).toBe(200);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Spring exchange in Daxing');
    expect(en.body).toContain('<strong>Daxing</strong>');

    const history = await getEn(editor, `/workspace/articles/${id}`);
    const workflow = history.body.slice(history.body.indexOf('<h2>Workflow</h2>'));
    expect(workflow).toMatch(/<td>Created<\/td><td>BWF Editor<\/td>/);
    expect(workflow).toMatch(/<td>Submitted for review<\/td><td>BWF Editor<\/td>/);
    expect(workflow).toMatch(/<td>Approved<\/td><td>BWF Reviewer<\/td><td><time [^>]+>\d{4}-\d{1,2}-\d{1,2} \d{2}:\d{2}:\d{2}<\/time><\/td><td>Facts checked<\/td>/);
    expect(workflow).toMatch(/<td>Published<\/td><td>BWF Editor<\/td>/);
    // Taking it off the portal stays with the administrators.
    expect(history.body).not.toContain('>Unpublish<');
    expect((await step(editor, id, 'unpublish')).statusCode).toBe(404);
    expect((await step(editor, id, 'archive')).statusCode).toBe(404);
    expect(await statusOf(id)).toBe('published');
    expect(history.body).toContain(`href="/sites/bwf/en/articles/${slug}"`);
  });

  it('sends an update back with a comment, asking for a confirmation first', async () => {
    const id = await writeUpdate(editor);
    await step(editor, id, 'submit');
    const confirm = await getEn(reviewer, `/workspace/articles/${id}/steps/send_back`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('What needs to change');
    const withoutComment = await step(reviewer, id, 'send_back');
    expect(withoutComment.statusCode).toBe(400);
    expect(withoutComment.body).toContain('sending an update back needs a comment');
    expect(await statusOf(id)).toBe('submitted');
    const sentBack = await step(reviewer, id, 'send_back', 'Add the date of the visit');
    expect(sentBack.statusCode).toBe(200);
    expect(await statusOf(id)).toBe('draft');
    expect(sentBack.body).toMatch(/<td>Sent back<\/td><td>BWF Reviewer<\/td><td><time[^>]*>[^<]+<\/time><\/td><td>Add the date of the visit<\/td>/);
  });

  it('answers 409 with a clear message for a step from the wrong place', async () => {
    const id = await writeUpdate(editor);
    const approveDraft = await step(reviewer, id, 'approve');
    expect(approveDraft.statusCode).toBe(409);
    expect(approveDraft.body).toContain('Only a submitted update can be approved.');
    const publishDraft = await step(admin, id, 'publish');
    expect(publishDraft.statusCode).toBe(409);
    expect(publishDraft.body).toContain('Only an approved update can be published.');
    expect((await step(admin, id, 'unpublish')).statusCode).toBe(409);
    expect((await step(editor, id, 'reopen')).statusCode).toBe(409);
    expect(await statusOf(id)).toBe('draft');
  });

  it('lets a reviewer approve only what someone else last changed, unless the site allows self-publishing', async () => {
    // The administrator is editor and reviewer at once: her own change needs another reviewer.
    const id = await writeUpdate(admin);
    await step(admin, id, 'submit');
    const own = await step(admin, id, 'approve');
    expect(own.statusCode).toBe(403);
    expect(own.body).toContain('another reviewer must approve it');
    expect((await step(reviewer, id, 'approve')).statusCode).toBe(200);
  });

  it("does not let a TWF reviewer approve a BWF update: it is not found", async () => {
    const id = await writeUpdate(editor);
    await step(editor, id, 'submit');
    expect((await getEn(twfReviewer, `/workspace/articles/${id}`)).statusCode).toBe(404);
    expect((await step(twfReviewer, id, 'approve')).statusCode).toBe(404);
    expect((await step(twfEditor, id, 'submit')).statusCode).toBe(404);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('lets an editor publish her own draft only when the site allows it', async () => {
    const id = await writeUpdate(editor, { titleEn: 'Published by its own editor' });
    expect((await step(editor, id, 'publish')).statusCode).toBe(409);
    expect(await statusOf(id)).toBe('draft');

    // Only the site's administrators may change the setting.
    expect((await postEn(editor, `/workspace/articles/settings/${bwfSite}`, { allowSelfPublish: 'on' })).statusCode).toBe(404);
    const settings = await postEn(admin, `/workspace/articles/settings/${bwfSite}`, { allowSelfPublish: 'on' });
    expect(settings.statusCode).toBe(200);
    try {
      // Someone else's draft still needs a review.
      const other = await writeUpdate(admin, { titleEn: 'Written by the administrator' });
      const refused = await step(editor, other, 'publish');
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('only the person who made the last change may publish');

      const own = await step(editor, id, 'publish');
      expect(own.statusCode).toBe(200);
      expect(await statusOf(id)).toBe('published');
      expect((await readPortal(testApp.app, `/en/articles/${await slugOf(id)}`)).statusCode).toBe(200);
    } finally {
      await postEn(admin, `/workspace/articles/settings/${bwfSite}`, {});
    }
    const site = await testApp.database.db.selectFrom('site').select('allow_self_publish').where('id', '=', bwfSite).executeTakeFirstOrThrow();
    expect(site.allow_self_publish).toBe(false);
  });

  it('schedules an update whose publish time is in the future instead of publishing it', async () => {
    const id = await writeUpdate(editor, { publishAt: '2099-01-01T08:00' });
    await step(editor, id, 'submit');
    await step(reviewer, id, 'approve');
    const page = await getEn(admin, `/workspace/articles/${id}`);
    expect(page.body).toContain('Schedule for 2099-1-1 08:00:00');
    expect((await step(admin, id, 'publish')).statusCode).toBe(200);
    expect(await statusOf(id)).toBe('scheduled');
    expect((await readPortal(testApp.app, `/en/articles/${await slugOf(id)}`)).statusCode).toBe(404);
  });

  it('hides an unpublished update from the public, and keeps it for its editors', async () => {
    const id = await writeUpdate(editor, { titleEn: 'Soon to be withdrawn' });
    await publishThroughReview(id);
    const slug = await slugOf(id);
    expect((await readPortal(testApp.app, `/en/articles/${slug}`)).statusCode).toBe(200);

    const confirm = await getEn(admin, `/workspace/articles/${id}/steps/unpublish`);
    expect(confirm.body).toContain('Readers will no longer see this update on the portal.');
    expect((await step(admin, id, 'unpublish')).statusCode).toBe(200);
    const gone = await eventually(
      () => readPortal(testApp.app, `/en/articles/${slug}`),
      (response) => response.statusCode === 404,
    );
    expect(gone.statusCode).toBe(404);
    const home = await readPortal(testApp.app, '/en/');
    expect(home.body).not.toContain('Soon to be withdrawn');

    const mine = await getEn(editor, `/workspace/articles/${id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Soon to be withdrawn');
    expect(mine.body).toContain('Unpublished');
    // It can go round again: submitted, approved, published.
    await publishThroughReview(id);
    expect((await eventually(() => readPortal(testApp.app, `/en/articles/${slug}`), (r) => r.statusCode === 200)).statusCode).toBe(200);

    expect((await step(admin, id, 'archive')).statusCode).toBe(200);
    expect(await statusOf(id)).toBe('archived');
    expect((await getEn(editor, `/workspace/articles/${id}/edit`)).statusCode).toBe(404);
    expect((await step(editor, id, 'reopen')).statusCode).toBe(200);
    expect(await statusOf(id)).toBe('draft');
  });

  it('shows an edit after publishing on the portal at once: the cached page is dropped', async () => {
    const id = await writeUpdate(editor, { titleEn: 'Title before the correction' });
    await publishThroughReview(id);
    const slug = await slugOf(id);
    const url = `/en/articles/${slug}`;
    const first = await readPortal(testApp.app, url);
    expect(first.body).toContain('Title before the correction');
    expect(testApp.app.pageCache.get(`http://localhost:80${url}`)).toBeDefined();
    // Served from the cache: a change behind the application's back is not seen.
    await testApp.database.db.updateTable('article_translation').set({ summary: 'changed behind its back' }).where('article_id', '=', id).execute();
    expect((await readPortal(testApp.app, url)).body).not.toContain('changed behind its back');

    const edit = await postEn(editor, `/workspace/articles/${id}`, {
      sectionId: String(updatesSection),
      intent: 'save',
      ...articleFields({ titleEn: 'Title after the correction' }),
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Saved.');
    expect(await statusOf(id)).toBe('published');
    const after = await eventually(
      () => readPortal(testApp.app, url),
      (response) => response.body.includes('Title after the correction'),
    );
    expect(after.body).toContain('Title after the correction');
    expect(after.body).not.toContain('Title before the correction');
  });

  it('sends an approved update back to review when it is changed', async () => {
    const id = await writeUpdate(editor);
    await step(editor, id, 'submit');
    await step(reviewer, id, 'approve');
    await postEn(editor, `/workspace/articles/${id}`, { sectionId: String(updatesSection), ...articleFields({ titleEn: 'Changed after approval' }) });
    expect(await statusOf(id)).toBe('submitted');
  });
});

describe('language versions on the portal', () => {
  it("answers 404 in a language whose version is not reviewed, and links to the other", async () => {
    const id = await writeUpdate(editor, { titleEn: 'English still a draft', statusEn: 'draft', titleZh: '只有中文版已审校' });
    await publishThroughReview(id);
    const slug = await slugOf(id);
    const zh = await readPortal(testApp.app, `/zh/articles/${slug}`);
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('只有中文版已审校');
    expect(zh.body).not.toMatch(/hreflang="en"[^>]*articles/);

    const en = await readPortal(testApp.app, `/en/articles/${slug}`);
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('This update has not been published in English.');
    expect(en.body).toContain(`<a href="/zh/articles/${slug}" hreflang="zh-CN" lang="zh-CN">阅读本动态的中文版</a>`);
    expect(en.body).not.toContain('English still a draft');

    // Reviewed now: both languages, each page naming the other.
    await postEn(editor, `/workspace/articles/${id}`, {
      sectionId: String(updatesSection),
      ...articleFields({ titleEn: 'English reviewed at last', titleZh: '只有中文版已审校' }),
    });
    const enNow = await eventually(
      () => readPortal(testApp.app, `/en/articles/${slug}`),
      (response) => response.statusCode === 200,
    );
    expect(enNow.body).toContain('English reviewed at last');
    const zhNow = await eventually(
      () => readPortal(testApp.app, `/zh/articles/${slug}`),
      (response) => /hreflang="en"[^>]*articles/.test(response.body),
    );
    expect(zhNow.body).toMatch(new RegExp(`<link rel="alternate" hreflang="en" href="http://localhost(:\\d+)?/en/articles/${slug}"`, 'i'));
  });

  it('gives the plain 404 for an address no update has', async () => {
    const response = await readPortal(testApp.app, '/en/articles/no-such-update');
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('has not been published in English');
  });
});

describe('revisions', () => {
  it('keeps one per save, compares any two, and restores an old one as a new revision', async () => {
    const id = await writeUpdate(editor, { titleEn: 'First words', bodyEn: 'The meeting was held in Daxing.' });
    await postEn(editor, `/workspace/articles/${id}`, {
      sectionId: String(updatesSection),
      ...articleFields({ titleEn: 'Second words', bodyEn: 'The meeting was held in Guanyinsi.' }),
    });
    await postEn(editor, `/workspace/articles/${id}`, {
      sectionId: String(noticesSection),
      ...articleFields({ titleEn: 'Third words', bodyEn: 'The meeting was held in Guanyinsi.', titleZh: '第三稿' }),
    });
    const list = await getEn(editor, `/workspace/articles/${id}/revisions`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatch(/<td>3<\/td><td>BWF Editor<\/td>/);
    expect(list.body).toMatch(/<td>1<\/td><td>BWF Editor<\/td>/);
    // By default the newest is compared with the one before.
    expect(list.body).toContain('<del>Second</del><ins>Third</ins>');
    expect(list.body).toContain('<del>京津妇联交流座谈</del><ins>第三稿</ins>');
    expect(list.body).toContain('<span>Events › </span><del>Updates</del><ins>Notices</ins>');

    const oneToTwo = await getEn(editor, `/workspace/articles/${id}/revisions?from=1&to=2`);
    expect(oneToTwo.body).toContain('<del>First</del><ins>Second</ins>');
    expect(oneToTwo.body).toContain('<del>Daxing</del><ins>Guanyinsi</ins>');

    const confirm = await getEn(editor, `/workspace/articles/${id}/revisions/1/restore`);
    expect(confirm.statusCode).toBe(200);
    const restored = await postEn(editor, `/workspace/articles/${id}/revisions/1/restore`, {});
    expect(restored.statusCode).toBe(200);
    expect(restored.body).toContain('Revision #1 restored.');
    const { db } = testApp.database;
    const revisions = await db.selectFrom('article_revision').select(['number', 'snapshot']).where('article_id', '=', id).orderBy('number').execute();
    expect(revisions.map((revision) => revision.number)).toEqual([1, 2, 3, 4]);
    expect(revisions[3]?.snapshot).toEqual(revisions[0]?.snapshot);
    const en = await db.selectFrom('article_translation').select(['title', 'body_html']).where('article_id', '=', id).where('locale', '=', 'en').executeTakeFirstOrThrow();
    expect(en).toEqual({ title: 'First words', body_html: '<p>The meeting was held in Daxing.</p>\n' });
    const article = await db.selectFrom('article').select('section_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(article.section_id).toBe(updatesSection);

    const audit = await db.selectFrom('audit_event').select('action').where('entity_type', '=', 'article').where('entity_id', '=', String(id)).orderBy('id').execute();
    expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'update', 'restore']);
  });

  it("keeps an article's content from before the newsroom as its first revision on the first save", async () => {
    const { db } = testApp.database;
    const seed = await db.selectFrom('article').select('id').where('site_id', '=', bwfSite).where('status', '=', 'published').orderBy('id').executeTakeFirstOrThrow();
    const page = await getEn(editor, `/workspace/articles/${seed.id}/edit`);
    expect(page.statusCode).toBe(200);
    // Saving unchanged changes nothing.
    const form = Object.fromEntries(
      [...page.body.matchAll(/<(?:input|select|textarea)[^>]*name="(\w+)"[^>]*>/g)].map((match) => [match[1], '']),
    );
    expect(Object.keys(form)).toContain('bodyEn');
    const revisionsBefore = await db.selectFrom('article_revision').select('number').where('article_id', '=', seed.id).execute();
    expect(revisionsBefore).toEqual([]);
    const translations = await db.selectFrom('article_translation').selectAll().where('article_id', '=', seed.id).execute();
    const zh = translations.find((row) => row.locale === 'zh');
    const en = translations.find((row) => row.locale === 'en');
    const article = await db.selectFrom('article').selectAll().where('id', '=', seed.id).executeTakeFirstOrThrow();
    const fields = {
      sectionId: String(article.section_id),
      slug: article.slug,
      publishAt: '2024-03-25T14:33:38',
      tags: 'exchange',
      titleZh: zh?.title ?? '',
      summaryZh: zh?.summary ?? '',
      bodyZh: zh?.body_html ?? '',
      statusZh: 'reviewed',
      titleEn: en?.title ?? '',
      summaryEn: en?.summary ?? '',
      bodyEn: en?.body_html ?? '',
      statusEn: 'reviewed',
    };
    expect((await postEn(editor, `/workspace/articles/${seed.id}`, fields)).statusCode).toBe(200);
    const revisions = await db.selectFrom('article_revision').select(['number', 'author_user_id']).where('article_id', '=', seed.id).orderBy('number').execute();
    expect(revisions.map((revision) => revision.number)).toEqual([1, 2]);
    expect(revisions[0]?.author_user_id).toBeNull();
    const after = await db.selectFrom('article_translation').select('body_html').where('article_id', '=', seed.id).where('locale', '=', 'en').executeTakeFirstOrThrow();
    expect(after.body_html).toBe(en?.body_html);
  });
});
