import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Locale } from '../../platform/i18n.ts';
import type { NewArticleRow, NewArticleTranslationRow } from './article.table.ts';

/** A published article's list entry in one language. */
export interface ArticleListRow {
  id: number;
  slug: string;
  section_id: number;
  publish_at: Date;
  title: string;
  summary: string;
}

/**
 * Articles readers may see in `locale` at `now`, joined to that translation as `tr`: the one rule of
 * visibility. Published (not draft, scheduled, unpublished or archived), its time come, and the
 * language version reviewed.
 */
export function publishedIn(db: Executor, locale: Locale, now: Date) {
  return db
    .selectFrom('article')
    .innerJoin('article_translation as tr', (join) =>
      join.onRef('tr.article_id', '=', 'article.id').on('tr.locale', '=', locale).on('tr.status', '=', 'reviewed'),
    )
    .where('article.status', '=', 'published')
    .where('article.publish_at', '<=', now);
}

/** Finds a published article of a site by slug, with its translation in `locale`. */
export async function findPublishedArticle(db: Executor, siteId: number, slug: string, locale: Locale, now: Date) {
  return publishedIn(db, locale, now)
    .where('article.site_id', '=', siteId)
    .where('article.slug', '=', slug)
    .select([
      'article.id',
      'article.slug',
      'article.section_id',
      'article.publish_at',
      'article.updated_at',
      'article.view_count',
      'article.cover_media_id',
      'tr.title',
      'tr.summary',
      'tr.body_html',
    ])
    .executeTakeFirst();
}

/** Lists the languages an article has a reviewed translation in: those readers may see. */
export async function listArticleLocales(db: Executor, articleId: number): Promise<Locale[]> {
  const rows = await db
    .selectFrom('article_translation')
    .where('article_id', '=', articleId)
    .where('status', '=', 'reviewed')
    .select('locale')
    .orderBy('locale')
    .execute();
  return rows.map((row) => row.locale);
}

const listColumns = [
  'article.id',
  'article.slug',
  'article.section_id',
  'article.publish_at',
  'tr.title',
  'tr.summary',
] as const;

/** Finds the published neighbours of an article in its section: the one before it and the one after it. */
export async function findNeighbourArticles(
  db: Executor,
  article: { id: number; section_id: number; publish_at: Date },
  locale: Locale,
  now: Date,
): Promise<{ previous: ArticleListRow | undefined; next: ArticleListRow | undefined }> {
  const inSection = publishedIn(db, locale, now).where('article.section_id', '=', article.section_id).select(listColumns);
  const [previous, next] = await Promise.all([
    inSection
      .where((eb) =>
        eb.or([
          eb('article.publish_at', '<', article.publish_at),
          eb.and([eb('article.publish_at', '=', article.publish_at), eb('article.id', '<', article.id)]),
        ]),
      )
      .orderBy('article.publish_at', 'desc')
      .orderBy('article.id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    inSection
      .where((eb) =>
        eb.or([
          eb('article.publish_at', '>', article.publish_at),
          eb.and([eb('article.publish_at', '=', article.publish_at), eb('article.id', '>', article.id)]),
        ]),
      )
      .orderBy('article.publish_at', 'asc')
      .orderBy('article.id', 'asc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { previous, next };
}

/** Lists published articles of the same section closest in time to the given one. */
export async function listRelatedArticles(
  db: Executor,
  article: { id: number; section_id: number; publish_at: Date },
  locale: Locale,
  now: Date,
  limit: number,
): Promise<ArticleListRow[]> {
  return publishedIn(db, locale, now)
    .where('article.section_id', '=', article.section_id)
    .where('article.id', '<>', article.id)
    .select(listColumns)
    .orderBy(sql`abs(extract(epoch from (article.publish_at - ${article.publish_at})))`)
    .limit(limit)
    .execute();
}

/** Lists a page of published articles in the given sections, newest first. */
export async function listPublishedArticles(
  db: Executor,
  filter: { siteId: number; sectionIds?: number[] },
  locale: Locale,
  now: Date,
  page: { limit: number; offset: number },
): Promise<ArticleListRow[]> {
  return publishedIn(db, locale, now)
    .where('article.site_id', '=', filter.siteId)
    .$if(filter.sectionIds !== undefined, (q) => q.where('article.section_id', 'in', filter.sectionIds ?? []))
    .select(listColumns)
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the published articles in the given sections. */
export async function countPublishedArticles(
  db: Executor,
  filter: { siteId: number; sectionIds?: number[] },
  locale: Locale,
  now: Date,
): Promise<number> {
  const row = await publishedIn(db, locale, now)
    .where('article.site_id', '=', filter.siteId)
    .$if(filter.sectionIds !== undefined, (q) => q.where('article.section_id', 'in', filter.sectionIds ?? []))
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Lists the newest published articles of each given section (section ids in, up to `perSection` each). */
export async function listLatestPerSection(
  db: Executor,
  siteId: number,
  locale: Locale,
  now: Date,
  perSection: number,
): Promise<ArticleListRow[]> {
  const ranked = publishedIn(db, locale, now)
    .where('article.site_id', '=', siteId)
    .select([
      ...listColumns,
      sql<number>`row_number() over (partition by article.section_id order by article.publish_at desc, article.id desc)`.as(
        'rank',
      ),
    ]);
  return db
    .selectFrom(ranked.as('ranked'))
    .selectAll()
    .where('rank', '<=', perSection)
    .orderBy('publish_at', 'desc')
    .execute();
}

/** Lists the other languages in which readers may see the article with this slug (when it is not there in `locale`). */
export async function listOtherPublishedLocales(db: Executor, siteId: number, slug: string, locale: Locale, now: Date): Promise<Locale[]> {
  const rows = await db
    .selectFrom('article')
    .innerJoin('article_translation as tr', 'tr.article_id', 'article.id')
    .where('article.site_id', '=', siteId)
    .where('article.slug', '=', slug)
    .where('article.status', '=', 'published')
    .where('article.publish_at', '<=', now)
    .where('tr.status', '=', 'reviewed')
    .where('tr.locale', '<>', locale)
    .select('tr.locale')
    .orderBy('tr.locale', 'desc')
    .execute();
  return rows.map((row) => row.locale);
}

/** Inserts an article and returns its id. */
export async function insertArticle(db: Executor, row: NewArticleRow): Promise<number> {
  const { id } = await db.insertInto('article').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Inserts one language version of an article. */
export async function insertArticleTranslation(db: Executor, row: NewArticleTranslationRow): Promise<void> {
  await db.insertInto('article_translation').values(row).execute();
}

/** Adds counted views to articles in one statement: ids[i] gains counts[i]; returns the new totals. */
export async function addArticleViews(
  db: Executor,
  ids: number[],
  counts: number[],
): Promise<{ id: number; view_count: string }[]> {
  const result = await sql<{ id: number; view_count: string }>`
    update article set view_count = article.view_count + v.n
    from unnest(${ids}::int[], ${counts}::int[]) as v(id, n)
    where article.id = v.id
    returning article.id, article.view_count`.execute(db);
  return result.rows;
}

/** Reads the current view counts of the given articles. */
export async function listArticleViewCounts(db: Executor, ids: number[]): Promise<{ id: number; view_count: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('article').where('id', '=', sql<number>`any(${ids}::int[])`).select(['id', 'view_count']).execute();
}
