import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedArticleSlug } from '../../db/demo/demo-content.ts';
import { insertArticle, insertArticleTranslation } from './article.repository.ts';
import { browserUserAgent, createTestApp, type TestApp } from '../../../test/app.ts';

let testApp: TestApp;
const seedPath = `/en/articles/${seedArticleSlug}`;

beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

function get(url: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ method: 'GET', url, headers: { 'user-agent': browserUserAgent, ...headers } });
}

describe('the root address', () => {
  it('sends a Chinese browser to /zh/', async () => {
    const response = await get('/', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/zh/');
    expect(response.headers.vary).toContain('Accept-Language');
  });

  it('sends an English browser to /en/', async () => {
    const response = await get('/', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(response.headers.location).toBe('/en/');
  });

  it('sends a browser that names neither language to the site default, Chinese', async () => {
    const response = await get('/', { 'accept-language': 'fr-FR' });
    expect(response.headers.location).toBe('/zh/');
  });
});

describe('the home page', () => {
  it('shows the federation name, the sections and the latest updates in English', async () => {
    const response = await get('/en/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<html lang="en"');
    expect(response.body).toContain("Beijing Women's Federation");
    expect(response.body).toMatch(/<a href="\/en\/events"[^>]*>Events<\/a>/);
    expect(response.body).toContain(`href="${seedPath}"`);
  });

  it('is in Chinese under /zh/ and links the English version', async () => {
    const response = await get('/zh/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="zh-CN"');
    expect(response.body).toContain('北京市妇女联合会');
    expect(response.body).toMatch(/<link rel="alternate" hreflang="en" href="http:\/\/localhost(:\d+)?\/en\/"/i);
  });
});

describe('a section page', () => {
  it('lists the updates of Events > Updates with a breadcrumb', async () => {
    const response = await get('/en/events/updates');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<ol><li><a href="\/en\/">Home<\/a><\/li><li><a href="\/en\/events">Events<\/a><\/li><li><span aria-current="page">Updates<\/span>/);
    expect(response.body).toContain("Beijing, Tianjin Women's Federations Hold Exchange Activity");
  });

  it('lists the updates of its subsections too', async () => {
    const response = await get('/en/events');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Beijing, Tianjin Women's Federations Hold Exchange Activity");
    expect(response.body).toContain('href="/en/events/updates"');
  });

  it('pages through a long list, ten to a page, newest first', async () => {
    const { db } = testApp.database;
    const notices = await db.selectFrom('section').select(['id', 'site_id']).where('slug', '=', 'notices').orderBy('id').executeTakeFirstOrThrow();
    for (let day = 1; day <= 12; day += 1) {
      const id = await insertArticle(db, { site_id: notices.site_id, section_id: notices.id, slug: `notice-${day}`, status: 'published', publish_at: new Date(Date.UTC(2025, 0, day, 2)) });
      await insertArticleTranslation(db, { article_id: id, locale: 'en', title: `Notice number ${day}`, summary: '', body_html: '<p>x</p>' });
    }
    testApp.app.pageCache.invalidate('*');
    const first = await get('/en/events/notices');
    expect(first.body.match(/href="\/en\/articles\/[^"]+"/g)).toHaveLength(10);
    expect(first.body).toContain('Notice number 12');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('href="/en/events/notices?page=2"');
    const second = await get('/en/events/notices?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Page 2 of 2');
    expect(second.body).not.toContain('Notice number 12');
  });

  it('answers 400 for a page number that is not a positive whole number', async () => {
    for (const bad of ['-1', 'abc', '0', '1.5']) {
      const response = await get(`/en/events/updates?page=${bad}`);
      expect(response.statusCode, `page=${bad}`).toBe(400);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('Bad request');
    }
  });

  it('answers 404 for a page past the last', async () => {
    const response = await get('/en/events/updates?page=999');
    expect(response.statusCode).toBe(404);
  });

  it('answers 404 in Chinese for an unknown section under /zh/', async () => {
    const response = await get('/zh/no-such-section');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('页面不存在');
    expect(response.body).toContain('<html lang="zh-CN"');
  });
});

describe('the article page', () => {
  it('shows breadcrumb, title, date-time, views and body of the seed update', async () => {
    const response = await get(seedPath);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toMatch(/<a href="\/en\/">Home<\/a><\/li><li><a href="\/en\/events">Events<\/a><\/li><li><a href="\/en\/events\/updates">Updates<\/a>/);
    expect(html).toContain("<h1>Beijing, Tianjin Women's Federations Hold Exchange Activity</h1>");
    expect(html).toContain('Date:<time datetime="2024-03-25T06:33:38.000Z">2024-3-25 14:33:38</time>');
    expect(html).toMatch(/Views:<span class="views">\d+<\/span>/);
    expect(html).toContain('Wang Dongmei');
    expect(html).toContain('Guanyinsi');
  });

  it('exists in Chinese with the same address under /zh/', async () => {
    const response = await get(`/zh/articles/${seedArticleSlug}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('发布时间：<time datetime="2024-03-25T06:33:38.000Z">2024-3-25 14:33:38</time>');
    expect(response.body).toContain('首页');
    expect(response.body).toContain('妇联');
  });

  it('links both language versions with hreflang and switches language to the same article', async () => {
    const response = await get(seedPath);
    expect(response.body).toMatch(new RegExp(`<link rel="alternate" hreflang="zh-CN" href="http://localhost(:\\d+)?/zh/articles/${seedArticleSlug}"`, 'i'));
    expect(response.body).toMatch(new RegExp(`<a href="/zh/articles/${seedArticleSlug}" hreflang="zh-CN" lang="zh-CN">中文</a>`, 'i'));
  });

  it('links the previous and next update of its section and related updates', async () => {
    const response = await get(seedPath);
    expect(response.body).toMatch(/Previous: <a href="\/en\/articles\/[a-z0-9-]+">/);
    expect(response.body).toMatch(/Next: <a href="\/en\/articles\/[a-z0-9-]+">/);
    expect(response.body).toContain('Related updates');
  });

  it('answers 404 in English for an unknown article', async () => {
    const response = await get('/en/articles/no-such-update');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
    expect(response.body).toContain('<html lang="en"');
  });

  it('answers 404, not 500, for slugs that could never exist', async () => {
    for (const slug of ['%00', 'UPPER', '..%2F..%2Fetc', 'a'.repeat(250)]) {
      const response = await get(`/en/articles/${slug}`);
      expect(response.statusCode, slug).toBe(404);
    }
  });

  it('does not show a draft', async () => {
    const { db } = testApp.database;
    await db.updateTable('article').set({ status: 'draft' }).where('slug', '=', '2024-03-21-new-forms-of-employment-seminar').execute();
    const response = await get('/en/articles/2024-03-21-new-forms-of-employment-seminar');
    expect(response.statusCode).toBe(404);
  });
});

describe('unknown addresses', () => {
  it('answers 404 for an unknown language', async () => {
    const response = await get('/fr/', { 'accept-language': 'en' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
  });

  it('answers 404 in the browser language for an address outside the portal', async () => {
    const response = await get('/wp-login.php', { 'accept-language': 'zh-CN' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('页面不存在');
  });
});

describe('other federations', () => {
  it('serves the Tianjin site under /sites/twf with links that stay under the prefix', async () => {
    const response = await get('/sites/twf/en/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Tianjin Women's Federation");
    expect(response.body).toContain('href="/sites/twf/en/events"');
  });

  it('serves a site at the root of its own host name', async () => {
    const { db } = testApp.database;
    await db.updateTable('site').set({ host: 'hebei.example.org' }).where('slug', '=', 'hebei-wf').execute();
    testApp.app.sites.invalidate();
    const response = await get('/en/', { host: 'hebei.example.org' });
    expect(response.body).toContain("Hebei Women's Federation");
    expect(response.body).toContain('href="/en/events"');
  });

  it('answers 404 for an unknown site', async () => {
    const response = await get('/sites/nowhere/en/');
    expect(response.statusCode).toBe(404);
  });
});
