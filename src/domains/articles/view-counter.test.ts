import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedArticleSlug } from '../../db/demo/demo-content.ts';
import { browserUserAgent, createTestApp, type TestApp } from '../../../test/app.ts';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

async function storedViews(slug: string): Promise<number> {
  const row = await testApp.database.db
    .selectFrom('article')
    .select('view_count')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return Number(row.view_count);
}

function view(slug: string, userAgent = browserUserAgent, locale = 'en') {
  return testApp.app.inject({ method: 'GET', url: `/${locale}/articles/${slug}`, headers: { 'user-agent': userAgent } });
}

function shownViews(body: string): number {
  const match = /<span class="views">(\d+)<\/span>/.exec(body);
  if (!match?.[1]) throw new Error('the page shows no view count');
  return Number(match[1]);
}

describe('the view counter', () => {
  it('counts N concurrent views exactly once each, in both languages', async () => {
    const before = await storedViews(seedArticleSlug);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => view(seedArticleSlug, browserUserAgent, i % 2 === 0 ? 'en' : 'zh')),
    );
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    await testApp.app.viewCounter.flush();
    expect(await storedViews(seedArticleSlug)).toBe(before + 60);
  });

  it('shows a count that goes up by one with each view, before anything is written', async () => {
    const first = shownViews((await view(seedArticleSlug)).body);
    const second = shownViews((await view(seedArticleSlug)).body);
    expect(second).toBe(first + 1);
  });

  it('does not count crawlers', async () => {
    await testApp.app.viewCounter.flush();
    const before = await storedViews(seedArticleSlug);
    const crawlers = [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
      'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
      'curl/8.5.0',
      '',
    ];
    for (const userAgent of crawlers) {
      const response = await view(seedArticleSlug, userAgent);
      expect(response.statusCode).toBe(200);
    }
    await testApp.app.viewCounter.flush();
    expect(await storedViews(seedArticleSlug)).toBe(before);
  });

  it('counts views seen by another process within one flush', async () => {
    const before = shownViews((await view(seedArticleSlug)).body);
    // Another process's flush, as it reaches the database.
    await sql`update article set view_count = view_count + 5 where slug = ${seedArticleSlug}`.execute(testApp.database.db);
    await testApp.app.viewCounter.flush();
    const after = shownViews((await view(seedArticleSlug)).body);
    expect(after).toBe(before + 5 + 1);
  });

  it('writes what it counted when the app closes', async () => {
    const closing = await createTestApp();
    try {
      const before = Number(
        (
          await closing.database.db
            .selectFrom('article')
            .select('view_count')
            .where('slug', '=', seedArticleSlug)
            .executeTakeFirstOrThrow()
        ).view_count,
      );
      await Promise.all(
        Array.from({ length: 7 }, () =>
          closing.app.inject({ url: `/en/articles/${seedArticleSlug}`, headers: { 'user-agent': browserUserAgent } }),
        ),
      );
      await closing.app.close();
      const after = await closing.database.db
        .selectFrom('article')
        .select('view_count')
        .where('slug', '=', seedArticleSlug)
        .executeTakeFirstOrThrow();
      expect(Number(after.view_count)).toBe(before + 7);
    } finally {
      await closing.database.drop();
    }
  });
});
