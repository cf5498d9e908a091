import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import type { Actor } from '../../platform/access.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { formatDate } from '../../platform/time.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';
import { demoArticles, seedArticleSlug } from '../../db/demo/demo-content.ts';
import * as newsroomService from '../articles/newsroom.service.ts';
import * as activityArticleService from './activity-article.service.ts';
import * as activityService from './activity.service.ts';

let database: TestDatabase;
const actors: Record<string, Actor> = {};
const ids: Record<string, number> = {};

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

function actor(email: string): Actor {
  const found = actors[email];
  if (!found) throw new Error(`no actor ${email}`);
  return { ...found, scopes: undefined };
}

const bwfEditor = () => actor('editor@bwf.example.org');
const twfEditor = () => actor('editor@twf.example.org');
const reviewer = () => actor('reviewer@bwf.example.org');
const admin = () => actor('admin@bwf.example.org');

async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DomainError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('the call was not refused');
}

/** What a reader reads of an HTML body: its text, tags and Markdown's escapes gone, spaces collapsed. */
function plain(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The index of a fact's first mention, or -1. */
function at(text: string, fact: RegExp): number {
  return text.search(fact);
}

/**
 * The seed's facts as each language writes them: each pattern must be found in the seed update and
 * in the draft made from the seed's activity. Stops and topics must also come in the seed's order.
 */
const facts: Record<Locale, { people: RegExp[]; organizers: RegExp[]; stops: RegExp[]; topics: RegExp[]; agreement: RegExp }> = {
  zh: {
    organizers: [/北京市妇(联|女联合会)/, /天津市妇(联|女联合会)/],
    people: [/党组副书记、副主席\s*Wei Jiang/, /党组成员、副主席\s*Wang Dongmei/],
    stops: [/首座御园二里社区公共服务街区/, /Liu Yumei\s*工作室/, /同仁堂知嘛健康女性服务中心/],
    topics: [/妇女组织.{0,4}参与基层社会治理/, /基层妇联执委作用.{0,4}发挥/, /妇女服务阵地.{0,12}运行/],
    agreement: /京津冀妇女协同发展合作框架协议/,
  },
  en: {
    organizers: [/Beijing Women's Federation/, /Tianjin Women's Federation/],
    people: [/Wei Jiang/, /Deputy Secretary of (the|its) Leading Party Members' Group/, /Wang Dongmei/, /Member of (the|its) Leading Party Members' Group/, /Vice-President/],
    stops: [/Shouzuoyuyuan Erli Community/, /Liu Yumei/, /Tongrentang Zhima Health/],
    topics: [/women's organizations take part in (grassroots social )?governance/i, /executive committee members/i, /service (venues|facilities)/i],
    agreement: /framework agreement/i,
  },
};

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  for (const row of await db.selectFrom('user_account').selectAll().execute()) {
    actors[row.email] = { userId: row.id, email: row.email, displayName: row.display_name, isPlatformAdmin: row.is_platform_admin, ip: '127.0.0.1' };
  }
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('site').select(['id', 'slug']).execute()) ids[`site:${row.slug}`] = row.id;
  ids.seed = (await db.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirstOrThrow()).id;
  ids.internalTwf = (await db.selectFrom('activity').select('id').where('title_en', '=', `Investigation of the Heping District Women's Home`).executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await database.drop();
});

describe('a draft update from the seed’s activity', () => {
  it('carries the seed update’s facts in both languages: date, organizers, officials and their posts, the stops and topics in order, the agreement', async () => {
    const articleId = await activityArticleService.draftArticleFromActivity(database.db, bwfEditor(), id('seed'));
    const draft = await newsroomService.getNewsroomArticle(database.db, bwfEditor(), articleId);
    const seed = demoArticles.find((article) => article.slug === seedArticleSlug);
    if (!seed) throw new Error('the demo has no seed update');

    expect(draft).toMatchObject({ status: 'draft', siteId: id('site:bwf') });
    expect(seed.publishedAt.slice(0, 10)).toBe('2024-03-25');
    for (const locale of ['zh', 'en'] as const) {
      const version = draft.versions[locale];
      if (!version) throw new Error(`the draft has no ${locale} version`);
      expect(version.status).toBe('draft');
      // The same headline as the seed's update.
      expect(version.title).toBe(seed[locale].title);
      const drafted = plain(version.bodyHtml);
      const original = plain(seed[locale].bodyHtml);
      expect(drafted).toContain(locale === 'zh' ? '2024年3月25日' : '25 March 2024');
      for (const fact of [...facts[locale].organizers, ...facts[locale].people, facts[locale].agreement]) {
        expect(at(original, fact), `the seed update lacks ${fact}`).toBeGreaterThan(-1);
        expect(at(drafted, fact), `the ${locale} draft lacks ${fact}:\n${drafted}`).toBeGreaterThan(-1);
      }
      for (const ordered of [facts[locale].stops, facts[locale].topics]) {
        for (const text of [original, drafted]) {
          const positions = ordered.map((fact) => at(text, fact));
          expect(positions.every((position) => position > -1), `${ordered.join(', ')} not all in:\n${text}`).toBe(true);
          expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        }
      }
    }
    // The Markdown is kept for the editor, and the draft's time is today's (it is published when reviewed).
    expect(draft.versions.en?.bodyMarkdown).toContain('# Itinerary');
    expect(formatDate(draft.publishAt, 'Asia/Shanghai')).toBe(formatDate(new Date(), 'Asia/Shanghai'));
  });

  it('goes through the newsroom (its creation step and first revision) and the activity’s audit log records the link', async () => {
    const articleId = await activityArticleService.draftArticleFromActivity(database.db, bwfEditor(), id('seed'));
    const [revisions, events, audit] = await Promise.all([
      newsroomService.listArticleRevisions(database.db, bwfEditor(), articleId),
      database.db.selectFrom('article_event').select('step').where('article_id', '=', articleId).execute(),
      database.db
        .selectFrom('audit_event')
        .select(['action', 'after'])
        .where('entity_type', '=', 'activity')
        .where('entity_id', '=', String(id('seed')))
        .where('action', '=', 'draft_article')
        .execute(),
    ]);
    expect(revisions.map((revision) => revision.number)).toEqual([1]);
    expect(events.map((event) => event.step)).toEqual(['created']);
    expect(audit.map((event) => event.after)).toContainEqual({ articleId, siteId: id('site:bwf') });
  });
});

describe('who may draft, and for which site', () => {
  it('drafts for the site of the first organizer the actor writes for, or the one she chooses', async () => {
    const twfDraft = await activityArticleService.draftArticleFromActivity(database.db, twfEditor(), id('seed'));
    expect((await newsroomService.getNewsroomArticle(database.db, twfEditor(), twfDraft)).siteId).toBe(id('site:twf'));

    const { draftSites } = await activityArticleService.listActivityArticles(database.db, admin(), id('seed'));
    expect(draftSites.map((site) => site.slug)).toEqual(['bwf', 'twf']);
    const chosen = await activityArticleService.draftArticleFromActivity(database.db, admin(), id('seed'), id('site:twf'));
    expect((await newsroomService.getNewsroomArticle(database.db, admin(), chosen)).siteId).toBe(id('site:twf'));
    expect(await refusal(activityArticleService.draftArticleFromActivity(database.db, admin(), id('seed'), id('site:hebei-wf')))).toEqual({
      status: 400,
      code: 'bad_site',
    });
  });

  it('refuses a reader without write_articles, and an activity the actor may not read, as not found', async () => {
    expect((await activityArticleService.listActivityArticles(database.db, reviewer(), id('seed'))).draftSites).toEqual([]);
    expect(await refusal(activityArticleService.draftArticleFromActivity(database.db, reviewer(), id('seed')))).toMatchObject({ status: 404 });
    expect(await refusal(activityArticleService.draftArticleFromActivity(database.db, bwfEditor(), id('internalTwf')))).toMatchObject({ status: 404 });
    expect(await refusal(activityArticleService.listActivityArticles(database.db, bwfEditor(), id('internalTwf')))).toMatchObject({ status: 404 });
  });
});

describe('the links, read from both sides', () => {
  it('lists a draft only for the staff of its site, and a published update for everyone with its portal addresses', async () => {
    const activityId = await activityService.createActivity(database.db, bwfEditor(), {
      kind: 'exchange_visit',
      titleZh: '',
      titleEn: 'Visit to be reported',
      summaryZh: '',
      summaryEn: '',
      startsAt: '2024-05-10 09:00',
      endsAt: '2024-05-10 11:00',
      status: 'held',
      visibility: 'network',
      topics: [],
      organizers: [
        { organizationId: id('bwf'), role: 'organizer' },
        { organizationId: id('twf'), role: 'co_organizer' },
      ],
    });
    const articleId = await activityArticleService.draftArticleFromActivity(database.db, bwfEditor(), activityId);
    const draft = await newsroomService.getNewsroomArticle(database.db, bwfEditor(), articleId);
    // No Chinese title on record: made from the organizers and the kind.
    expect(draft.versions.zh?.title).toBe('京津两地妇联开展交流学习活动');

    const forEditor = (await activityArticleService.listActivityArticles(database.db, bwfEditor(), activityId)).articles;
    expect(forEditor).toEqual([expect.objectContaining({ articleId, status: 'draft', inNewsroom: true, portal: {}, titleEn: 'Visit to be reported' })]);
    expect((await activityArticleService.listActivityArticles(database.db, twfEditor(), activityId)).articles).toEqual([]);
    expect(await activityArticleService.listReportedActivities(database.db, bwfEditor(), articleId)).toEqual([
      { id: activityId, titleZh: '', titleEn: 'Visit to be reported' },
    ]);
    expect(await refusal(activityArticleService.listReportedActivities(database.db, twfEditor(), articleId))).toMatchObject({ status: 404 });

    await newsroomService.updateArticle(database.db, bwfEditor(), articleId, { statusZh: 'reviewed', statusEn: 'reviewed' });
    await newsroomService.transitionArticle(database.db, bwfEditor(), articleId, { action: 'submit' });
    await newsroomService.transitionArticle(database.db, reviewer(), articleId, { action: 'approve' });
    await newsroomService.transitionArticle(database.db, bwfEditor(), articleId, { action: 'publish' });

    const forTwf = (await activityArticleService.listActivityArticles(database.db, twfEditor(), activityId)).articles;
    expect(forTwf).toEqual([
      expect.objectContaining({
        articleId,
        status: 'published',
        inNewsroom: false,
        portal: { zh: `/sites/bwf/zh/articles/${draft.slug}`, en: `/sites/bwf/en/articles/${draft.slug}` },
      }),
    ]);
    expect(await activityArticleService.listReportedActivities(database.db, twfEditor(), articleId)).toEqual([
      { id: activityId, titleZh: '', titleEn: 'Visit to be reported' },
    ]);
  });

  it('drops the link when the update or the activity is deleted', async () => {
    const first = await activityArticleService.draftArticleFromActivity(database.db, bwfEditor(), id('seed'));
    await database.db.deleteFrom('article').where('id', '=', first).execute();
    const remaining = (await activityArticleService.listActivityArticles(database.db, bwfEditor(), id('seed'))).articles.map((article) => article.articleId);
    expect(remaining).not.toContain(first);

    const activityId = await activityService.createActivity(database.db, bwfEditor(), {
      kind: 'meeting',
      titleZh: '将删除的会议',
      titleEn: '',
      summaryZh: '',
      summaryEn: '',
      startsAt: '2024-05-11 09:00',
      endsAt: '2024-05-11 11:00',
      status: 'held',
      visibility: 'network',
      topics: [],
      organizers: [{ organizationId: id('bwf'), role: 'organizer' }],
    });
    const second = await activityArticleService.draftArticleFromActivity(database.db, bwfEditor(), activityId);
    await activityService.deleteActivity(database.db, bwfEditor(), activityId);
    expect(await activityArticleService.listReportedActivities(database.db, bwfEditor(), second)).toEqual([]);
    expect(await database.db.selectFrom('activity_article').where('article_id', '=', second).select('activity_id').execute()).toEqual([]);
  });
});
