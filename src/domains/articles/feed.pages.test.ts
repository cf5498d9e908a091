import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoArticles, seedArticleSlug } from '../../db/demo/demo-content.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { childNamed, childrenNamed, parseXml, textOf, type XmlElement } from '../../../test/xml.ts';
import { insertArticle, insertArticleTranslation } from './article.repository.ts';

let testApp: TestApp;
const origin = 'http://localhost:80';
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const seedArticle = demoArticles.find((article) => article.slug === seedArticleSlug);
/** An absolute URL as a URL parser writes it (the default port left out). */
const absolute = (path: string) => new URL(path, origin).href;
const rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

// Everything XML and HTML must escape, and a CDATA end and a script end for good measure.
const trickyTitle = `Tom & Jerry <b>"quoted"</b> 'single' ]]> </script>`;
const trickyTitleZh = '汤姆 & 杰瑞 <i>“引号”</i>';

async function addArticle(options: {
  slug: string;
  section: string;
  publishAt: Date;
  status?: 'draft' | 'published';
  translations: { locale: 'zh' | 'en'; title: string; summary?: string; body?: string }[];
}): Promise<void> {
  const { db } = testApp.database;
  const site = await db.selectFrom('site').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow();
  const section = await db
    .selectFrom('section')
    .select('id')
    .where('site_id', '=', site.id)
    .where('slug', '=', options.section)
    .executeTakeFirstOrThrow();
  const id = await insertArticle(db, {
    site_id: site.id,
    section_id: section.id,
    slug: options.slug,
    status: options.status ?? 'published',
    publish_at: options.publishAt,
  });
  for (const translation of options.translations) {
    await insertArticleTranslation(db, {
      article_id: id,
      locale: translation.locale,
      title: translation.title,
      summary: translation.summary ?? '',
      body_html: translation.body ?? '<p>Text.</p>',
    });
  }
}

beforeAll(async () => {
  testApp = await createTestApp();
  await addArticle({
    slug: 'tricky-title',
    section: 'updates',
    publishAt: new Date('2025-01-01T08:00:00Z'),
    translations: [
      {
        locale: 'en',
        title: trickyTitle,
        summary: 'Fish & chips\u0001 < 3\uFFFE',
        body: '<p>See <a href="/files/report.pdf">the report</a> &amp; <img src="pics/a.jpg" alt="A"></p><script>alert(1)</script>',
      },
      { locale: 'zh', title: trickyTitleZh },
    ],
  });
  await addArticle({
    slug: 'english-only',
    section: 'photo-news',
    publishAt: new Date('2025-02-01T08:00:00Z'),
    translations: [{ locale: 'en', title: 'In English only' }],
  });
  await addArticle({
    slug: 'still-a-draft',
    section: 'updates',
    status: 'draft',
    publishAt: new Date('2025-01-02T08:00:00Z'),
    translations: [
      { locale: 'en', title: 'A draft' },
      { locale: 'zh', title: '草稿' },
    ],
  });
  await addArticle({
    slug: 'not-yet',
    section: 'updates',
    publishAt: new Date('2999-01-01T00:00:00Z'),
    translations: [{ locale: 'en', title: 'From the future' }],
  });
  // More English updates than a feed holds.
  for (let day = 1; day <= 5; day += 1) {
    await addArticle({
      slug: `filler-${day}`,
      section: 'photo-news',
      publishAt: new Date(Date.UTC(2025, 2, day, 8)),
      translations: [{ locale: 'en', title: `Filler ${day}` }],
    });
  }
});
afterAll(async () => {
  await testApp.close();
});

function get(url: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ method: 'GET', url, headers });
}

async function getXml(url: string, contentType: string): Promise<{ root: XmlElement; body: string }> {
  const response = await get(url);
  expect(response.statusCode, url).toBe(200);
  expect(response.headers['content-type']).toBe(contentType);
  return { root: parseXml(response.body), body: response.body };
}

const atomType = 'application/atom+xml; charset=utf-8';
const rssType = 'application/rss+xml; charset=utf-8';

function atomEntries(feed: XmlElement) {
  return childrenNamed(feed, 'entry').map((entry) => ({
    entry,
    id: textOf(childNamed(entry, 'id')),
    title: textOf(childNamed(entry, 'title')),
    link: childNamed(entry, 'link').attributes.href ?? '',
    published: textOf(childNamed(entry, 'published')),
    updated: textOf(childNamed(entry, 'updated')),
  }));
}

describe('the Atom feed', () => {
  it('is well-formed Atom listing the seed update with absolute links and RFC 3339 dates', async () => {
    const { root } = await getXml('/zh/feed.xml', atomType);
    expect(root.name).toBe('feed');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(root.attributes['xml:lang']).toBe('zh-CN');
    expect(textOf(childNamed(root, 'title'))).toBe('北京市妇女联合会');
    expect(textOf(childNamed(root, 'updated'))).toMatch(rfc3339);
    const self = childrenNamed(root, 'link').find((link) => link.attributes.rel === 'self');
    expect(self?.attributes.href).toBe(`${origin}/zh/feed.xml`);
    const seed = atomEntries(root).find((entry) => entry.link.endsWith(seedArticleSlug));
    expect(seed).toBeDefined();
    expect(seed?.link).toBe(`${origin}/zh/articles/${seedArticleSlug}`);
    expect(seed?.id).toBe(seed?.link);
    expect(seed?.title).toBe(seedArticle?.zh.title);
    expect(seed?.published).toBe('2024-03-25T06:33:38Z');
    expect(seed?.updated).toMatch(rfc3339);
    expect(Date.parse(seed?.updated ?? '')).toBeGreaterThanOrEqual(Date.parse(seed?.published ?? ''));
    const content = seed && childNamed(seed.entry, 'content');
    expect(content?.attributes.type).toBe('html');
    expect(textOf(content ?? root)).toContain('<p>');
  });

  it('holds the 20 newest updates of the language, newest first, and nothing unpublished', async () => {
    const { root } = await getXml('/en/feed.xml', atomType);
    const entries = atomEntries(root);
    expect(entries).toHaveLength(20);
    expect(entries[0]?.title).toBe('Filler 5');
    const published = entries.map((entry) => Date.parse(entry.published));
    expect(published).toEqual([...published].sort((a, b) => b - a));
    const links = entries.map((entry) => entry.link);
    expect(links.every((link) => link.startsWith(`${origin}/en/articles/`))).toBe(true);
    expect(links).toContain(`${origin}/en/articles/english-only`);
    expect(links).not.toContain(`${origin}/en/articles/still-a-draft`);
    expect(links).not.toContain(`${origin}/en/articles/not-yet`);
    const chinese = atomEntries((await getXml('/zh/feed.xml', atomType)).root).map((entry) => entry.link);
    expect(chinese).not.toContain(`${origin}/zh/articles/english-only`);
  });

  it('escapes titles with & < > and quotes, drops characters XML cannot carry, and sanitizes the content again', async () => {
    const { root, body } = await getXml('/en/feed.xml', atomType);
    expect(body).not.toContain('<b>"quoted"</b>');
    const tricky = atomEntries(root).find((entry) => entry.link.endsWith('/tricky-title'));
    expect(tricky?.title).toBe(trickyTitle);
    expect(textOf(childNamed(tricky?.entry ?? root, 'summary'))).toBe('Fish & chips < 3');
    const content = textOf(childNamed(tricky?.entry ?? root, 'content'));
    expect(content).toContain(`href="${absolute('/files/report.pdf')}"`);
    expect(content).toContain(`src="${absolute('/en/articles/pics/a.jpg')}"`);
    expect(content).not.toContain('<script');
    const zh = atomEntries((await getXml('/zh/feed.xml', atomType)).root).find((entry) => entry.link.endsWith('/tricky-title'));
    expect(zh?.title).toBe(trickyTitleZh);
  });

  it('exists per section, with the sections below it, and per site', async () => {
    const events = atomEntries((await getXml('/en/events/feed.xml', atomType)).root);
    expect(events.map((entry) => entry.link)).toContain(`${origin}/en/articles/${seedArticleSlug}`);
    expect(events.map((entry) => entry.link)).not.toContain(`${origin}/en/articles/english-only`);
    const updates = await getXml('/en/events/updates/feed.xml', atomType);
    expect(textOf(childNamed(updates.root, 'title'))).toBe("Beijing Women's Federation - Updates");
    const tianjin = atomEntries((await getXml('/sites/twf/en/feed.xml', atomType)).root);
    expect(tianjin.length).toBeGreaterThan(0);
    expect(tianjin.every((entry) => entry.link.startsWith(`${origin}/sites/twf/en/articles/`))).toBe(true);
  });

  it('answers 404 for an unknown section or language', async () => {
    expect((await get('/en/no-such-section/feed.xml')).statusCode).toBe(404);
    expect((await get('/fr/feed.xml')).statusCode).toBe(404);
    expect((await get('/sites/nowhere/en/feed.xml')).statusCode).toBe(404);
  });

  it('is announced in the head of portal pages', async () => {
    const home = await get('/en/');
    expect(home.body).toContain('<link rel="alternate" type="application/atom+xml" title="Beijing Women\'s Federation" href="/en/feed.xml"/>');
    expect(home.body).toContain('type="application/rss+xml"');
    const section = await get('/en/events');
    expect(section.body).toMatch(/<link rel="alternate" type="application\/atom\+xml" title="[^"]*Events" href="\/en\/events\/feed.xml"\/>/);
  });
});

describe('the RSS 2.0 feed', () => {
  it('is well-formed RSS with RFC 822 dates, permalinks and the full text', async () => {
    const { root } = await getXml('/en/rss.xml', rssType);
    expect(root.name).toBe('rss');
    expect(root.attributes.version).toBe('2.0');
    const channel = childNamed(root, 'channel');
    expect(textOf(childNamed(channel, 'link'))).toBe(`${origin}/en/`);
    expect(textOf(childNamed(channel, 'lastBuildDate'))).toMatch(rfc822);
    const items = childrenNamed(channel, 'item');
    expect(items).toHaveLength(20);
    const tricky = items.find((item) => textOf(childNamed(item, 'link')).endsWith('/tricky-title'));
    expect(textOf(childNamed(tricky ?? root, 'title'))).toBe(trickyTitle);
    expect(textOf(childNamed(tricky ?? root, 'pubDate'))).toBe('Wed, 01 Jan 2025 08:00:00 GMT');
    const guid = childNamed(tricky ?? root, 'guid');
    expect(guid.attributes.isPermaLink).toBe('true');
    expect(textOf(guid)).toBe(`${origin}/en/articles/tricky-title`);
    expect(textOf(childNamed(tricky ?? root, 'content:encoded'))).toContain(`href="${absolute('/files/report.pdf')}"`);
  });

  it('exists per section too', async () => {
    const { root } = await getXml('/zh/events/updates/rss.xml', rssType);
    const links = childrenNamed(childNamed(root, 'channel'), 'item').map((item) => textOf(childNamed(item, 'link')));
    expect(links).toContain(`${origin}/zh/articles/${seedArticleSlug}`);
  });
});

describe('the sitemap', () => {
  function urlsOf(root: XmlElement) {
    return childrenNamed(root, 'url').map((url) => ({
      loc: textOf(childNamed(url, 'loc')),
      lastmod: childrenNamed(url, 'lastmod')[0],
      alternates: Object.fromEntries(childrenNamed(url, 'xhtml:link').map((link) => [link.attributes.hreflang, link.attributes.href])),
    }));
  }

  it('lists the seed article in both languages with hreflang alternates and lastmod', async () => {
    const { root } = await getXml('/sitemap.xml', 'application/xml; charset=utf-8');
    expect(root.name).toBe('urlset');
    expect(root.attributes.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const urls = urlsOf(root);
    const alternates = { 'zh-CN': `${origin}/zh/articles/${seedArticleSlug}`, en: `${origin}/en/articles/${seedArticleSlug}` };
    for (const loc of Object.values(alternates)) {
      const entry = urls.find((url) => url.loc === loc);
      expect(entry, loc).toBeDefined();
      expect(entry?.alternates).toEqual(alternates);
      expect(textOf(entry?.lastmod ?? root)).toMatch(rfc3339);
    }
  });

  it('lists home pages and sections in both languages, and each article only in the languages it is published in', async () => {
    const urls = urlsOf((await getXml('/sitemap.xml', 'application/xml; charset=utf-8')).root);
    const locs = urls.map((url) => url.loc);
    expect(locs).toEqual(expect.arrayContaining([`${origin}/zh/`, `${origin}/en/`, `${origin}/zh/events/updates`, `${origin}/en/work/rights`]));
    expect(locs).toContain(`${origin}/en/articles/english-only`);
    expect(locs).not.toContain(`${origin}/zh/articles/english-only`);
    expect(urls.find((url) => url.loc === `${origin}/en/articles/english-only`)?.alternates).toEqual({ en: `${origin}/en/articles/english-only` });
    expect(locs.some((loc) => loc.includes('still-a-draft') || loc.includes('not-yet'))).toBe(false);
    expect(locs.some((loc) => loc.includes('/sites/'))).toBe(false);
    expect(new Set(locs).size).toBe(locs.length);
  });

  it('exists per site, at the site canonical addresses', async () => {
    const tianjin = urlsOf((await getXml('/sites/twf/sitemap.xml', 'application/xml; charset=utf-8')).root).map((url) => url.loc);
    expect(tianjin).toContain(`${origin}/sites/twf/en/`);
    expect(tianjin.every((loc) => loc.startsWith(`${origin}/sites/twf/`))).toBe(true);
    // The default site under /sites/bwf/ lists its addresses at the root, where it lives.
    const beijing = urlsOf((await getXml('/sites/bwf/sitemap.xml', 'application/xml; charset=utf-8')).root).map((url) => url.loc);
    expect(beijing).toContain(`${origin}/en/articles/${seedArticleSlug}`);
  });
});

describe('robots.txt', () => {
  it('keeps crawlers out of the workspace and the API and names the sitemaps', async () => {
    const response = await get('/robots.txt');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = response.body.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['User-agent: *', 'Disallow: /workspace', 'Disallow: /api']));
    expect(lines).toContain(`Sitemap: ${origin}/sitemap.xml`);
    expect(lines).toContain(`Sitemap: ${origin}/sites/twf/sitemap.xml`);
  });
});
