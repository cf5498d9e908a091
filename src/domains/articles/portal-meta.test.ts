import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoArticles, seedArticleSlug } from '../../db/demo/demo-content.ts';
import { browserUserAgent, createTestApp, type TestApp } from '../../../test/app.ts';
import { insertArticle, insertArticleTranslation } from './article.repository.ts';

let testApp: TestApp;
const origin = 'http://localhost:80';
const seed = demoArticles.find((article) => article.slug === seedArticleSlug);
const seedPath = `/en/articles/${seedArticleSlug}`;
const breakout = '</script><script>alert(1)</script>';

beforeAll(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  const section = await db
    .selectFrom('section')
    .innerJoin('site', 'site.id', 'section.site_id')
    .select(['section.id', 'section.site_id'])
    .where('site.slug', '=', 'bwf')
    .where('section.slug', '=', 'updates')
    .executeTakeFirstOrThrow();
  const id = await insertArticle(db, {
    site_id: section.site_id,
    section_id: section.id,
    slug: 'script-in-title',
    status: 'published',
    publish_at: new Date('2025-05-01T00:00:00Z'),
  });
  await insertArticleTranslation(db, { article_id: id, locale: 'en', title: breakout, summary: '<!-- & -->', body_html: '<p>x</p>' });
});
afterAll(async () => {
  await testApp.close();
});

function get(url: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ method: 'GET', url, headers: { 'user-agent': browserUserAgent, ...headers } });
}

/** The JSON-LD blocks of a page, as written. */
function jsonLdBlocks(html: string): string[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
}

function metaProperty(html: string, property: string): string[] {
  return [...html.matchAll(new RegExp(`<meta property="${property.replace(/[.:]/g, '\\$&')}" content="([^"]*)"/>`, 'g'))].map((match) => match[1] ?? '');
}

function canonicalOf(html: string): string[] {
  return [...html.matchAll(/<link rel="canonical" href="([^"]*)"\/>/g)].map((match) => match[1] ?? '');
}

describe('schema.org NewsArticle on article pages', () => {
  it('is valid JSON with the headline, dates, language, publisher and page', async () => {
    const response = await get(seedPath);
    expect(response.statusCode).toBe(200);
    const blocks = jsonLdBlocks(response.body);
    expect(blocks).toHaveLength(1);
    const data = JSON.parse(blocks[0] ?? '');
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: seed?.en.title,
      description: seed?.en.summary,
      datePublished: '2024-03-25T06:33:38Z',
      inLanguage: 'en',
      mainEntityOfPage: { '@type': 'WebPage', '@id': `${origin}${seedPath}` },
      publisher: { '@type': 'Organization', name: "Beijing Women's Federation" },
    });
    expect(Date.parse(data.dateModified)).toBeGreaterThanOrEqual(Date.parse(data.datePublished));
    const chinese = JSON.parse(jsonLdBlocks((await get(`/zh/articles/${seedArticleSlug}`)).body)[0] ?? '');
    expect(chinese).toMatchObject({ headline: seed?.zh.title, inLanguage: 'zh-CN', publisher: { name: '北京市妇女联合会' } });
  });

  it('keeps a title containing </script> inside the JSON', async () => {
    const response = await get('/en/articles/script-in-title');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>alert(1)');
    // The only script element on the page is the JSON-LD, and it ends where it should.
    expect(response.body.match(/<script/g)).toHaveLength(1);
    const blocks = jsonLdBlocks(response.body);
    expect(blocks[0]).toContain('\\u003c/script\\u003e');
    const data = JSON.parse(blocks[0] ?? '');
    expect(data.headline).toBe(breakout);
    expect(data.description).toBe('<!-- & -->');
  });

  it('is part of the cached page, which keeps its live view count', async () => {
    await get(seedPath);
    const cached = testApp.app.pageCache.get(`${origin}${seedPath}`);
    expect(cached).toBeDefined();
    expect(Buffer.concat(cached?.parts ?? []).toString()).toContain('application/ld+json');
    expect(cached?.parts.length).toBe(2);
    const again = await get(seedPath);
    expect(jsonLdBlocks(again.body)).toHaveLength(1);
    expect(again.body).toMatch(/<span class="views">\d+<\/span>/);
  });
});

describe('canonical links and Open Graph', () => {
  it('describe an article page', async () => {
    const { body } = await get(seedPath);
    expect(canonicalOf(body)).toEqual([`${origin}${seedPath}`]);
    expect(metaProperty(body, 'og:type')).toEqual(['article']);
    expect(metaProperty(body, 'og:title')).toEqual([seed?.en.title.replace(/&/g, '&amp;')]);
    expect(metaProperty(body, 'og:description')).toHaveLength(1);
    expect(metaProperty(body, 'og:url')).toEqual([`${origin}${seedPath}`]);
    expect(metaProperty(body, 'og:locale')).toEqual(['en_US']);
    expect(metaProperty(body, 'og:locale:alternate')).toEqual(['zh_CN']);
    expect(metaProperty(body, 'og:site_name')).toEqual(["Beijing Women's Federation"]);
    expect(metaProperty(body, 'article:published_time')).toEqual(['2024-03-25T06:33:38Z']);
  });

  it('describe home and section pages in Chinese', async () => {
    const home = (await get('/zh/')).body;
    expect(canonicalOf(home)).toEqual([`${origin}/zh/`]);
    expect(metaProperty(home, 'og:type')).toEqual(['website']);
    expect(metaProperty(home, 'og:title')).toEqual(['北京市妇女联合会']);
    expect(metaProperty(home, 'og:locale')).toEqual(['zh_CN']);
    expect(metaProperty(home, 'og:site_name')).toEqual(['北京市妇女联合会']);
    expect(metaProperty(home, 'og:description')).toHaveLength(1);
    const section = (await get('/zh/events/updates?page=1')).body;
    expect(canonicalOf(section)).toEqual([`${origin}/zh/events/updates`]);
    expect(metaProperty(section, 'og:url')).toEqual([`${origin}/zh/events/updates`]);
  });

  it('point at the primary address: the root for the default site, /sites/<slug>/ for a site without a host name', async () => {
    expect(canonicalOf((await get(`/sites/bwf${seedPath}`)).body)).toEqual([`${origin}${seedPath}`]);
    expect(canonicalOf((await get('/sites/twf/en/')).body)).toEqual([`${origin}/sites/twf/en/`]);
    expect(metaProperty((await get('/sites/twf/en/')).body, 'og:site_name')).toEqual(["Tianjin Women's Federation"]);
  });

  it('point at https://<host> for a site with its own host name', async () => {
    const { db } = testApp.database;
    await db.updateTable('site').set({ host: 'hebei.example.org' }).where('slug', '=', 'hebei-wf').execute();
    testApp.app.sites.invalidate();
    testApp.app.pageCache.invalidate('*');
    try {
      expect(canonicalOf((await get('/sites/hebei-wf/en/')).body)).toEqual(['https://hebei.example.org/en/']);
      expect(canonicalOf((await get('/en/', { host: 'hebei.example.org' })).body)).toEqual(['https://hebei.example.org/en/']);
    } finally {
      await db.updateTable('site').set({ host: null }).where('slug', '=', 'hebei-wf').execute();
      testApp.app.sites.invalidate();
      testApp.app.pageCache.invalidate('*');
    }
  });

  it('leave the canonical link off error pages', async () => {
    const response = await get('/en/articles/no-such-article');
    expect(response.statusCode).toBe(404);
    expect(canonicalOf(response.body)).toEqual([]);
    expect(metaProperty(response.body, 'og:url')).toEqual([]);
  });
});
