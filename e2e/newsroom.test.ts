/**
 * The newsroom's acceptance journey in Chromium: an editor uploads an image and drafts a bilingual
 * update, a reviewer approves it, it is published, and a reader finds it everywhere the portal
 * lists it; an edit of the published title reaches the reader within a second.
 */
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../test/app.ts';
import { sectionIdOf } from '../test/newsroom.ts';
import { demoPassword } from '../test/workspace.ts';
import { clickAndLoad as clickAndWait, expectAccessible, launchChromium, pathOf, startTestServer, type TestServer } from './browser.ts';

const editor = 'editor@bwf.example.org';
const reviewer = 'reviewer@bwf.example.org';
const admin = 'admin@bwf.example.org';

// Words found nowhere else in the demo content, so that search can only find this update.
const unique = Date.now().toString(36);
const englishWord = `Zephyrquill${unique}`;
const chineseWord = '翡翠鹦鹉湖';
const update = {
  titleEn: `Federation ${englishWord} workshop opens`,
  titleZh: `妇联${chineseWord}工作坊开幕`,
  summaryEn: 'A workshop for women entrepreneurs.',
  summaryZh: '面向女性创业者的工作坊。',
  bodyEn: `# The workshop\n\nThe **${englishWord}** workshop welcomed sixty participants.\n\n- Training\n- Mentoring`,
  bodyZh: `# 工作坊\n\n**${chineseWord}**工作坊迎来六十名学员。\n\n- 培训\n- 结对帮扶`,
  editedTitleEn: `Federation ${englishWord} workshop closes`,
};

let server: TestServer | undefined;
let browser: Browser | undefined;
let staff: BrowserContext | undefined;
let reader: BrowserContext | undefined;
let baseUrl: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  baseUrl = server.baseUrl;
  staff = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
  staff.setDefaultTimeout(10_000);
  // A reader: desktop Chrome, whose views count (HeadlessChrome would be taken for a crawler).
  reader = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
  reader.setDefaultTimeout(10_000);
});

/** Clicks and waits for the page it loads, on this test's server. */
function clickAndLoad(page: Page, target: ReturnType<Page['getByRole']>, path: string | RegExp): Promise<void> {
  return clickAndWait(page, target, baseUrl, path);
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs out whoever is signed in, then signs in through the form as `email`. */
async function signInAs(page: Page, email: string): Promise<void> {
  await staff!.clearCookies();
  await page.goto(`${baseUrl}/workspace/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoPassword(email));
  await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }), '/workspace');
  expect(await page.locator('h1').innerText()).toBe('Dashboard');
}

/** Presses a workflow button on the update's page; the page comes back with the step done. */
async function workflowStep(page: Page, articlePath: string, button: string): Promise<void> {
  await page.goto(`${baseUrl}${articlePath}`);
  await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: button, exact: true }), new RegExp(`${articlePath}(\\?.*)?$`));
}

async function tinyPng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
}

describe('the newsroom, from upload to reader', () => {
  it('uploads, drafts, reviews, publishes, finds the update everywhere, and shows an edit within a second', { timeout: 180_000 }, async () => {
    if (!staff || !reader || !server) throw new Error('the browser did not start');
    const page = await staff.newPage();

    // The editor uploads an image.
    await signInAs(page, editor);
    await page.goto(`${baseUrl}/workspace/media`);
    await page.getByLabel('Image file').setInputFiles({ name: 'workshop.png', mimeType: 'image/png', buffer: await tinyPng() });
    await page.getByLabel('Description in Chinese').fill('工作坊现场');
    await page.getByLabel('Description in English').fill('The workshop in progress');
    await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Upload', exact: true }), /\/workspace\/media\/\d+\?(uploaded|existing)=1$/);

    // Drafts a bilingual update in Events > Updates.
    await page.goto(`${baseUrl}/workspace/articles`);
    await clickAndLoad(page, page.getByRole('main').getByRole('link', { name: 'New update', exact: true }), /\/workspace\/articles\/new/);
    if ((await page.locator('form[action="/workspace/articles"]').count()) === 0) {
      await clickAndLoad(page, page.getByRole('main').getByRole('link', { name: "Beijing Women's Federation", exact: true }), /\/workspace\/articles\/new\?siteId=\d+$/);
    }
    await expectAccessible(page, 'the editor form');
    const updatesSection = await sectionIdOf(server.database.db, 'bwf', 'updates');
    await page.getByLabel('Section').selectOption(String(updatesSection));
    const english = page.getByRole('group', { name: 'English version' });
    const chinese = page.getByRole('group', { name: 'Chinese version' });
    await english.getByLabel('Title', { exact: true }).fill(update.titleEn);
    await english.getByLabel('Summary', { exact: true }).fill(update.summaryEn);
    await english.getByLabel('Body (Markdown)').fill(update.bodyEn);
    await english.getByLabel('This version is').selectOption({ label: 'Reviewed' });
    await chinese.getByLabel('Title', { exact: true }).fill(update.titleZh);
    await chinese.getByLabel('Summary', { exact: true }).fill(update.summaryZh);
    await chinese.getByLabel('Body (Markdown)').fill(update.bodyZh);
    await chinese.getByLabel('This version is').selectOption({ label: 'Reviewed' });
    // The cover select arrives with another change; until it is there, the update has no cover.
    const cover = page.getByLabel('Cover image');
    const withCover = (await cover.count()) > 0;
    if (withCover) {
      const options = await cover.locator('option').allInnerTexts();
      const ours = options.find((text) => text.includes('The workshop in progress'));
      expect(ours, `the uploaded image is not among the covers: ${options.join(' | ')}`).toBeDefined();
      await cover.selectOption({ label: ours! });
    }
    await clickAndLoad(page, page.getByRole('button', { name: 'Save', exact: true }), /\/workspace\/articles\/\d+$/);
    const articlePath = new URL(page.url()).pathname;
    expect(await page.locator('h1').innerText()).toContain(update.titleEn);

    // Submits it for review.
    await workflowStep(page, articlePath, 'Submit for review');

    // The reviewer approves it.
    await signInAs(page, reviewer);
    await workflowStep(page, articlePath, 'Approve');

    // Published by the editor once approved, or by the administrator while only she may publish.
    await signInAs(page, editor);
    await page.goto(`${baseUrl}${articlePath}`);
    if ((await page.getByRole('main').getByRole('button', { name: 'Publish now', exact: true }).count()) === 0) await signInAs(page, admin);
    await workflowStep(page, articlePath, 'Publish now');
    expect(await page.locator('.badge').first().innerText()).toBe('Published');

    // A reader finds it in the Updates list and opens it.
    const readerPage = await reader.newPage();
    await readerPage.goto(`${baseUrl}/en/events/updates`);
    const listed = readerPage.getByRole('main').getByRole('link', { name: update.titleEn, exact: true });
    await expect.poll(async () => {
      if ((await listed.count()) > 0) return true;
      await readerPage.reload();
      return (await listed.count()) > 0;
    }, { timeout: 5000 }).toBe(true);
    await clickAndLoad(readerPage, listed, /\/en\/articles\/[^/?#]+$/);
    const slug = new URL(readerPage.url()).pathname.split('/').pop()!;
    expect(await readerPage.locator('article h1').innerText()).toBe(update.titleEn);
    expect(await readerPage.locator('article').innerText()).toContain('sixty participants');
    if (withCover) expect(await readerPage.locator('article img[alt="The workshop in progress"]').count()).toBe(1);
    await expectAccessible(readerPage, 'the published article');

    await readerPage.goto(`${baseUrl}/zh/articles/${slug}`);
    expect(await readerPage.locator('article h1').innerText()).toBe(update.titleZh);

    // Search finds it in both languages.
    await readerPage.goto(`${baseUrl}/en/search?q=${encodeURIComponent(englishWord)}`);
    expect(await readerPage.getByRole('main').getByRole('link', { name: update.titleEn }).count()).toBeGreaterThan(0);
    await readerPage.goto(`${baseUrl}/zh/search?q=${encodeURIComponent(chineseWord)}`);
    expect(await readerPage.getByRole('main').getByRole('link', { name: update.titleZh }).count()).toBeGreaterThan(0);

    // The feed and the sitemap list it.
    const feed = await reader.request.get(`${baseUrl}/en/feed.xml`);
    expect(feed.status()).toBe(200);
    const feedText = await feed.text();
    expect(feedText).toContain(update.titleEn);
    expect(feedText).toContain(`/en/articles/${slug}`);
    const sitemap = await reader.request.get(`${baseUrl}/sitemap.xml`);
    expect(sitemap.status()).toBe(200);
    expect(await sitemap.text()).toContain(`/articles/${slug}`);

    // The editor changes the published title; the reader sees it within a second.
    await signInAs(page, editor);
    await page.goto(`${baseUrl}${articlePath}`);
    await clickAndLoad(page, page.getByRole('main').getByRole('link', { name: 'Edit', exact: true }), `${articlePath}/edit`);
    await page.getByRole('group', { name: 'English version' }).getByLabel('Title', { exact: true }).fill(update.editedTitleEn);
    await clickAndLoad(page, page.getByRole('button', { name: 'Save', exact: true }), new RegExp(`${articlePath}(\\?.*)?$`));
    const savedAt = Date.now();
    let shown = '';
    while (Date.now() - savedAt <= 1000) {
      await readerPage.goto(`${baseUrl}/en/articles/${slug}`);
      shown = await readerPage.locator('article h1').innerText();
      if (shown === update.editedTitleEn) break;
    }
    expect(shown, `the reader still saw the old title ${Date.now() - savedAt} ms after the save`).toBe(update.editedTitleEn);

    await readerPage.close();
    await page.close();
  });
});
