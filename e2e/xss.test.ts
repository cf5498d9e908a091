/**
 * Script smuggled into an update's title, summary, body or tags must not run in a real browser:
 * every payload both opens a dialog and sets window.__xss, and neither may happen on any page that
 * shows the update, to a reader or in the workspace.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../test/app.ts';
import { sectionIdOf, siteIdOf } from '../test/newsroom.ts';
import { demoPassword, signIn } from '../test/workspace.ts';
import { launchChromium, startTestServer, type TestServer } from './browser.ts';

// The project's TypeScript has no DOM library: the little of the page's window the checks read.
declare const window: { __xss?: unknown };

/** What every payload does when it runs. */
const run = 'window.__xss=1;alert(1)';

/** Raw HTML, attributes, addresses, parser confusion and Markdown, each trying to run `run`. */
const payloads = [
  `<script>${run}</script>`,
  `<SCRIPT>${run}</SCRIPT>`,
  `<img src=x onerror="${run}">`,
  `<img src=x onerror=${run}>`,
  `<svg onload="${run}">`,
  `<svg><script>${run}</script></svg>`,
  `"><script>${run}</script>`,
  `'><img src=x onerror="${run}">`,
  `<iframe srcdoc="<script>parent.__xss=1;parent.alert(1)</script>"></iframe>`,
  `<a href="javascript:${run}">click</a>`,
  `<details open ontoggle="${run}">x</details>`,
  `<body onload="${run}">`,
  `<input autofocus onfocus="${run}">`,
  `<video><source onerror="${run}"></video>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${run}">`,
  `<noscript><p title="</noscript><img src=x onerror=${run}>">`,
  `</textarea><script>${run}</script>`,
  `</title><script>${run}</script>`,
  `<object data="javascript:${run}"></object>`,
  `<embed src="javascript:${run}">`,
  `<style>@import "javascript:${run}";</style>`,
  `<!--<script>${run}</script>-->`,
  `[click](javascript:${run})`,
  `![x](x" onerror="${run})`,
  `<javascript:${run}>`,
];

/** A word in every payload update's title, to find them all with search. */
const marker = 'xssprobe';

let server: TestServer | undefined;
let browser: Browser | undefined;
let readerContext: BrowserContext | undefined;
let staffContext: BrowserContext | undefined;
let baseUrl: string;
const written: { id: number; slug: string; payload: string }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  baseUrl = server.baseUrl;
  const { db } = server.database;
  const bwfSite = await siteIdOf(db, 'bwf');
  const updatesSection = await sectionIdOf(db, 'bwf', 'updates');
  // This file's own database: the editor may publish her own updates, which keeps the set-up short.
  await db.updateTable('site').set({ allow_self_publish: true }).where('id', '=', bwfSite).execute();
  const editor = await signIn(server.app, 'editor@bwf.example.org');
  for (const [index, payload] of payloads.entries()) {
    const created = await editor.api('POST', '/api/v1/articles', {
      siteId: bwfSite,
      sectionId: updatesSection,
      slug: `xss-payload-${index}`,
      publishAt: '2025-06-01 09:00',
      tags: [payload.slice(0, 40), `t${index}`],
      titleZh: `${marker} 标题 ${payload}`.slice(0, 300),
      summaryZh: payload,
      bodyZh: `正文开始\n\n${payload}\n\n正文结束`,
      statusZh: 'reviewed',
      titleEn: `${marker} Title ${payload}`.slice(0, 300),
      summaryEn: payload,
      bodyEn: `Before ${payload} inline\n\n${payload}\n\n- a list with ${payload}\n\nAfter`,
      statusEn: 'reviewed',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, slug } = created.json();
    const published = await editor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'publish' });
    expect(published.statusCode, published.body).toBe(200);
    written.push({ id, slug, payload });
  }

  readerContext = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent });
  readerContext.setDefaultTimeout(10_000);
  staffContext = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent });
  staffContext.setDefaultTimeout(10_000);
  const page = await staffContext.newPage();
  await page.goto(`${baseUrl}/workspace/sign-in`);
  await page.getByLabel('Email').fill('editor@bwf.example.org');
  await page.getByLabel('Password').fill(demoPassword('editor@bwf.example.org'));
  await Promise.all([page.waitForURL(`${baseUrl}/workspace`), page.getByRole('main').getByRole('button', { name: 'Sign in' }).click()]);
  await page.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** One page per context, kept for all the visits: it records every dialog it is shown. */
const watched = new Map<BrowserContext, { page: Page; dialogs: string[] }>();

async function watchedPage(context: BrowserContext): Promise<{ page: Page; dialogs: string[] }> {
  let entry = watched.get(context);
  if (!entry) {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    entry = { page, dialogs };
    watched.set(context, entry);
  }
  return entry;
}

/** Loads a page, lets its images fail and its events fire, and reports dialogs and the flag. */
async function visit(context: BrowserContext, path: string): Promise<{ dialogs: string[]; flag: unknown; text: string }> {
  const { page, dialogs } = await watchedPage(context);
  dialogs.length = 0;
  const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  expect(response?.status(), path).toBe(200);
  // onerror, onfocus and ontoggle fire just after load.
  await page.waitForTimeout(100);
  const flag = await page.evaluate(() => window.__xss);
  const text = await page.locator('body').innerText();
  return { dialogs: [...dialogs], flag, text };
}

async function expectInert(context: BrowserContext, path: string, mustShow?: string): Promise<void> {
  const { dialogs, flag, text } = await visit(context, path);
  expect(dialogs, `dialogs opened on ${path}`).toEqual([]);
  expect(flag, `window.__xss was set on ${path}`).toBeUndefined();
  if (mustShow !== undefined) expect(text, `${path} does not show the payload updates`).toContain(mustShow);
}

describe('script in an update does not run in the browser', () => {
  it('the checks notice a payload that does run (a page given the payload as is)', async () => {
    const page = await browser!.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      await page.setContent(`<p>${payloads[2]}</p>`);
      await page.waitForTimeout(100);
      expect(await page.evaluate(() => window.__xss)).toBe(1);
      expect(dialogs).toEqual(['1']);
    } finally {
      await page.close();
    }
  });

  it('on the portal article pages, in both languages', { timeout: 180_000 }, async () => {
    for (const { slug } of written) {
      await expectInert(readerContext!, `/en/articles/${slug}`, marker);
      await expectInert(readerContext!, `/zh/articles/${slug}`, marker);
    }
  });

  it('on the section list and in search results', { timeout: 60_000 }, async () => {
    await expectInert(readerContext!, '/en/events/updates', marker);
    await expectInert(readerContext!, '/zh/events/updates', marker);
    await expectInert(readerContext!, `/en/search?q=${marker}`, marker);
    await expectInert(readerContext!, `/zh/search?q=${marker}`, marker);
  });

  it('in the workspace: the list, each update page and its edit form', { timeout: 180_000 }, async () => {
    await expectInert(staffContext!, `/workspace/articles?q=${marker}`, marker);
    for (const { id } of written) {
      await expectInert(staffContext!, `/workspace/articles/${id}`, marker);
      await expectInert(staffContext!, `/workspace/articles/${id}/edit`);
    }
  });
});
