import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedArticleSlug } from '../src/db/demo/demo-content.ts';
import { browserUserAgent } from '../test/app.ts';
import { graveAxeViolations, launchChromium, startTestServer, type TestServer } from './browser.ts';

// The project's TypeScript has no DOM library; these name the little of the browser that the
// functions run inside the page use. They exist only in the page, never in Node.
declare const window: { innerWidth: number };
declare const document: { documentElement: { scrollWidth: number } };
declare function getComputedStyle(element: unknown, pseudo: string): { content: string };
interface PageElement {
  innerText: string;
}

const seedTitle = "Beijing, Tianjin Women's Federations Hold Exchange Activity";
const seedDateTime = '2024-3-25 14:33:38';

let server: TestServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let baseUrl: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({ viewFlushMs: 200 });
  baseUrl = server.baseUrl;
  // Headless Chrome names itself HeadlessChrome, which the portal takes for a crawler whose views do not count.
  context = await browser.newContext({ userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  if (!context) throw new Error('the browser did not start');
  return context.newPage();
}

/** Clicks a link and waits until the browser has loaded the page it leads to. */
async function follow(page: Page, link: ReturnType<Page['getByRole']>, path: string): Promise<void> {
  await Promise.all([page.waitForURL(`${baseUrl}${path}`), link.click()]);
}

/** The breadcrumb as a reader sees it: each item's text, with the separator the page's CSS draws before it. */
async function breadcrumbOf(page: Page, label: string): Promise<{ items: string[]; line: string }> {
  const items = page.locator(`nav[aria-label="${label}"] li`);
  await items.first().waitFor();
  const shown = await items.evaluateAll((elements: unknown[]) =>
    (elements as PageElement[]).map((element) => ({
      text: element.innerText.trim(),
      before: getComputedStyle(element, '::before').content.replace(/^none$/, '').replace(/^"(.*)"$/, '$1'),
    })),
  );
  return {
    items: shown.map((item) => item.text),
    line: shown.map((item) => (item.before ? `${item.before} ${item.text}` : item.text)).join(' '),
  };
}

async function viewsShown(page: Page): Promise<number> {
  const text = await page.locator('article .meta').innerText();
  const match = /(?:Views:|浏览次数：)\s*(\d+)/.exec(text);
  if (!match?.[1]) throw new Error(`no view count in the article's meta line: ${JSON.stringify(text)}`);
  return Number(match[1]);
}

describe('a reader in the browser', () => {
  it('goes from the home page to the seed update, sees its views count, and switches to Chinese', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/en/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    const mainNavigation = page.getByRole('navigation', { name: 'Main navigation' });
    await follow(page, mainNavigation.getByRole('link', { name: 'Events', exact: true }), '/en/events');
    expect(await page.locator('h1').innerText()).toBe('Events');

    await follow(page, page.getByRole('main').getByRole('link', { name: 'Updates', exact: true }), '/en/events/updates');
    expect(await page.locator('h1').innerText()).toBe('Updates');

    const articlePath = `/en/articles/${seedArticleSlug}`;
    await follow(page, page.getByRole('main').getByRole('link', { name: seedTitle, exact: true }), articlePath);

    const crumbs = await breadcrumbOf(page, 'You are here');
    expect(crumbs.items).toEqual(['Home', 'Events', 'Updates']);
    expect(crumbs.line).toBe('Home > Events > Updates');
    expect(await page.locator('article h1').innerText()).toBe(seedTitle);
    expect(await page.title()).toContain(seedTitle);
    const meta = await page.locator('article .meta').innerText();
    expect(meta).toContain(`Date:${seedDateTime}`);
    expect(meta).toMatch(/Views:\s*\d+/);

    const views = await viewsShown(page);
    await page.reload();
    expect(await viewsShown(page)).toBe(views + 1);

    await follow(page, page.getByRole('link', { name: '中文', exact: true }), `/zh/articles/${seedArticleSlug}`);
    expect(new URL(page.url()).pathname).toBe(`/zh/articles/${seedArticleSlug}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const zhCrumbs = await breadcrumbOf(page, '当前位置');
    expect(zhCrumbs.items).toEqual(['首页', '活动', '工作动态']);
    expect(zhCrumbs.line).toBe('首页 > 活动 > 工作动态');
    const zhMeta = await page.locator('article .meta').innerText();
    expect(zhMeta).toContain(`发布时间：${seedDateTime}`);
    // Views belong to the article, not to one language of it.
    expect(await viewsShown(page)).toBe(views + 2);
    await page.close();
  });
});

describe('accessibility (axe-core)', () => {
  const pages = ['en', 'zh'].flatMap((lang) => [
    { name: `the ${lang} home page`, path: `/${lang}/` },
    { name: `the ${lang} Events > Updates section`, path: `/${lang}/events/updates` },
    { name: `the ${lang} seed article`, path: `/${lang}/articles/${seedArticleSlug}` },
  ]);

  it.each(pages)('$name ($path) has no serious or critical violations', async ({ path }) => {
    const page = await newPage();
    const response = await page.goto(`${baseUrl}${path}`);
    expect(response?.status()).toBe(200);
    const { ids, report } = await graveAxeViolations(page);
    expect(ids, `axe found on ${path}:\n${report}`).toEqual([]);
    await page.close();
  });
});

describe('a phone-width screen (375×740)', () => {
  it.each(['en', 'zh'])('shows the %s seed article without horizontal scrolling', async (lang) => {
    if (!browser) throw new Error('the browser did not start');
    const phone = await browser.newContext({ userAgent: browserUserAgent, viewport: { width: 375, height: 740 } });
    try {
      const page = await phone.newPage();
      await page.goto(`${baseUrl}/${lang}/articles/${seedArticleSlug}`);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(innerWidth).toBe(375);
      expect(scrollWidth, `the page is ${scrollWidth}px wide on a ${innerWidth}px screen`).toBeLessThanOrEqual(innerWidth);
    } finally {
      await phone.close();
    }
  });
});
