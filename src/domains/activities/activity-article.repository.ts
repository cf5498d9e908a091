import type { Executor } from '../../db/database.ts';

/** The updates reporting on an activity, oldest link first, with their site and both titles (null: no such version). */
export async function listArticlesOfActivity(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_article')
    .innerJoin('article', 'article.id', 'activity_article.article_id')
    .innerJoin('site', 'site.id', 'article.site_id')
    .leftJoin('article_translation as zh', (join) => join.onRef('zh.article_id', '=', 'article.id').on('zh.locale', '=', 'zh'))
    .leftJoin('article_translation as en', (join) => join.onRef('en.article_id', '=', 'article.id').on('en.locale', '=', 'en'))
    .where('activity_article.activity_id', '=', activityId)
    .select([
      'article.id',
      'article.slug',
      'article.status',
      'article.publish_at',
      'site.id as site_id',
      'site.slug as site_slug',
      'site.organization_id',
      'site.time_zone',
      'zh.title as title_zh',
      'zh.status as status_zh',
      'en.title as title_en',
      'en.status as status_en',
    ])
    .orderBy('activity_article.created_at')
    .orderBy('article.id')
    .execute();
}

/** The ids of the activities an update reports on, oldest link first. */
export async function listActivityIdsOfArticle(db: Executor, articleId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('activity_article')
    .where('article_id', '=', articleId)
    .select('activity_id')
    .orderBy('created_at')
    .orderBy('activity_id')
    .execute();
  return rows.map((row) => row.activity_id);
}

/** Links an update to the activity it reports on (once). */
export async function insertActivityArticle(db: Executor, activityId: number, articleId: number): Promise<void> {
  await db
    .insertInto('activity_article')
    .values({ activity_id: activityId, article_id: articleId })
    .onConflict((conflict) => conflict.columns(['activity_id', 'article_id']).doNothing())
    .execute();
}

/** Takes a share lock on an activity's row, so that it cannot be deleted before the transaction ends; false when it is gone. */
export async function lockActivityForLink(db: Executor, activityId: number): Promise<boolean> {
  const row = await db.selectFrom('activity').where('id', '=', activityId).select('id').forKeyShare().executeTakeFirst();
  return row !== undefined;
}

/** The province-level place code ("110000") of each of these organizations that is placed in a province itself. */
export async function listProvinceCodes(db: Executor, organizationIds: readonly number[]): Promise<Map<number, string>> {
  if (organizationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('organization')
    .innerJoin('place', 'place.id', 'organization.place_id')
    .where('organization.id', 'in', organizationIds)
    .where('place.level', '=', 'province')
    .where('place.code', 'is not', null)
    .select(['organization.id', 'place.code'])
    .execute();
  return new Map(rows.flatMap((row) => (row.code === null ? [] : [[row.id, row.code] as const])));
}

/** The section an update from an activity starts in: the site's "updates" section (Events › Updates), else its first. */
export async function findDraftSectionId(db: Executor, siteId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('section')
    .where('site_id', '=', siteId)
    .select('id')
    .orderBy((eb) => eb.case().when('slug', '=', 'updates').then(0).else(1).end())
    .orderBy((eb) => eb.case().when('parent_id', 'is', null).then(0).else(1).end())
    .orderBy('position')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}
