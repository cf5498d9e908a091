import { sql, type ExpressionBuilder, type Updateable } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { Locale } from '../../platform/i18n.ts';
import type { ArticleStatus, ArticleTable, NewArticleTranslationRow, TranslationStatus } from './article.table.ts';
import type { NewArticleEventRow, RevisionSnapshot } from './newsroom.table.ts';
import { translationMatches } from './article-search.ts';

/** What the newsroom's list and the articles API can be narrowed to, and whose articles they may show. */
export interface NewsroomFilter {
  /** Sites whose articles are shown in every status: the sites the reader works on; "all" for platform administrators. */
  staffSiteIds: readonly number[] | 'all';
  /** Whether the published articles of every site are shown too (the public API). */
  includePublished: boolean;
  now: Date;
  siteId?: number;
  sectionId?: number;
  status?: ArticleStatus;
  language?: Locale;
  languageStatus?: TranslationStatus;
  q?: string;
}

/** An article with what the newsroom needs of its site. */
export type NewsroomArticleRow = NonNullable<Awaited<ReturnType<typeof findNewsroomArticle>>>;

function withSite(db: Executor) {
  return db
    .selectFrom('article')
    .innerJoin('site', 'site.id', 'article.site_id')
    .select([
      'article.id',
      'article.site_id',
      'article.section_id',
      'article.slug',
      'article.status',
      'article.publish_at',
      'article.tags',
      'article.cover_media_id',
      'article.view_count',
      'article.created_at',
      'article.updated_at',
      'site.slug as site_slug',
      'site.organization_id',
      'site.allow_self_publish',
      'site.time_zone',
    ]);
}

/** Finds an article with its site's slug, organization, time zone and self-publishing setting. */
export async function findNewsroomArticle(db: Executor, id: number) {
  return withSite(db).where('article.id', '=', id).executeTakeFirst();
}

/** Locks an article's row until the transaction ends, so that saves and steps on it happen one at a time. */
export async function lockArticle(db: Executor, id: number): Promise<boolean> {
  const row = await db.selectFrom('article').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}

/** A published article whose time has come, with a reviewed version in some language. */
function visibleToReaders(eb: ExpressionBuilder<Database, 'article'>, now: Date) {
  return eb.and([
    eb('article.status', '=', 'published'),
    eb('article.publish_at', '<=', now),
    eb.exists(
      eb
        .selectFrom('article_translation as visible')
        .select(sql`1`.as('one'))
        .whereRef('visible.article_id', '=', 'article.id')
        .where('visible.status', '=', 'reviewed'),
    ),
  ]);
}

function translationExists(eb: ExpressionBuilder<Database, 'article'>, locale: Locale | undefined, status: 'draft' | 'reviewed' | undefined) {
  return eb.exists(
    eb
      .selectFrom('article_translation as version')
      .select(sql`1`.as('one'))
      .whereRef('version.article_id', '=', 'article.id')
      .$if(locale !== undefined, (q) => q.where('version.locale', '=', locale ?? 'zh'))
      .$if(status !== undefined, (q) => q.where('version.status', '=', status ?? 'draft')),
  );
}

function filtered(db: Executor, filter: NewsroomFilter) {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const { language, languageStatus } = filter;
  return db
    .selectFrom('article')
    .where((eb) => {
      const visible = [];
      if (filter.staffSiteIds === 'all') visible.push(eb.lit(true));
      else if (filter.staffSiteIds.length > 0) visible.push(eb('article.site_id', 'in', filter.staffSiteIds));
      if (filter.includePublished) visible.push(visibleToReaders(eb, filter.now));
      return visible.length > 0 ? eb.or(visible) : eb.lit(false);
    })
    .$if(filter.siteId !== undefined, (q) => q.where('article.site_id', '=', filter.siteId ?? 0))
    .$if(filter.sectionId !== undefined, (q) => q.where('article.section_id', '=', filter.sectionId ?? 0))
    .$if(filter.status !== undefined, (q) => q.where('article.status', '=', filter.status ?? 'draft'))
    .$if(languageStatus === 'missing', (q) =>
      q.where((eb) =>
        language !== undefined
          ? eb.not(translationExists(eb, language, undefined))
          : eb.or([eb.not(translationExists(eb, 'zh', undefined)), eb.not(translationExists(eb, 'en', undefined))]),
      ),
    )
    .$if(languageStatus === 'draft' || languageStatus === 'reviewed', (q) =>
      q.where((eb) => translationExists(eb, language, languageStatus === 'draft' ? 'draft' : 'reviewed')),
    )
    .$if(pattern !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('article_translation as titled')
            .select(sql`1`.as('one'))
            .whereRef('titled.article_id', '=', 'article.id')
            .where((inner) => {
              // A title fragment, or the words of any language version (the portal's search index, drafts included).
              const byTitle = inner('titled.title', 'ilike', pattern ?? '');
              const byText = translationMatches('titled', filter.q ?? '');
              return byText ? inner.or([byTitle, byText]) : byTitle;
            }),
        ),
      ),
    );
}

/** Lists a page of articles the filter lets through, the most recently changed first (by publish time for readers). */
export async function listNewsroomArticles(
  db: Executor,
  filter: NewsroomFilter,
  page: { limit: number; offset: number; order: 'updated' | 'published' },
) {
  const ids = filtered(db, filter).select('article.id');
  return withSite(db)
    .where('article.id', 'in', ids)
    .$if(page.order === 'updated', (q) => q.orderBy('article.updated_at', 'desc'))
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the articles the filter lets through. */
export async function countNewsroomArticles(db: Executor, filter: NewsroomFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Lists the language versions of the given articles. */
export async function listTranslations(db: Executor, articleIds: readonly number[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_translation')
    .select(['article_id', 'locale', 'status', 'title', 'summary', 'body_html', 'body_markdown'])
    .where('article_id', 'in', articleIds)
    .orderBy('article_id')
    .orderBy('locale', 'desc')
    .execute();
}

/** Writes one language version of an article, replacing the one stored. */
export async function upsertTranslation(db: Executor, row: NewArticleTranslationRow): Promise<void> {
  await db
    .insertInto('article_translation')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['article_id', 'locale']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        summary: eb.ref('excluded.summary'),
        body_html: eb.ref('excluded.body_html'),
        body_markdown: eb.ref('excluded.body_markdown'),
        status: eb.ref('excluded.status'),
      })),
    )
    .execute();
}

/** Deletes one language version of an article. */
export async function deleteTranslation(db: Executor, articleId: number, locale: Locale): Promise<void> {
  await db.deleteFrom('article_translation').where('article_id', '=', articleId).where('locale', '=', locale).execute();
}

/** Changes an article's own columns and marks it changed now. */
export async function updateArticleRow(
  db: Executor,
  id: number,
  changes: Pick<Updateable<ArticleTable>, 'section_id' | 'slug' | 'status' | 'publish_at' | 'tags' | 'cover_media_id'>,
): Promise<void> {
  await db
    .updateTable('article')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Moves an article to another step of its workflow; its content, and so updated_at, stay as they are. */
export async function setArticleStatus(db: Executor, id: number, status: ArticleStatus): Promise<void> {
  await db.updateTable('article').set({ status }).where('id', '=', id).execute();
}

/** Tells whether any scheduled article's time has come: the scheduler's cheap look before it takes locks. */
export async function hasDueArticles(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('article')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('publish_at', '<=', sql<Date>`now()`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Tells whether a section belongs to a site. */
export async function isSectionOfSite(db: Executor, siteId: number, sectionId: number): Promise<boolean> {
  const row = await db.selectFrom('section').select('id').where('id', '=', sectionId).where('site_id', '=', siteId).executeTakeFirst();
  return row !== undefined;
}

/** Tells whether another article of the site has this slug. */
export async function isSlugTaken(db: Executor, siteId: number, slug: string, exceptId?: number): Promise<boolean> {
  const row = await db
    .selectFrom('article')
    .select('id')
    .where('site_id', '=', siteId)
    .where('slug', '=', slug)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? 0))
    .executeTakeFirst();
  return row !== undefined;
}

/** Records steps of articles' workflows. */
export async function insertArticleEvents(db: Executor, rows: readonly NewArticleEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('article_event').values([...rows]).execute();
}

/** Lists the steps of an article's workflow, oldest first, with the names of who took them. */
export async function listArticleEvents(db: Executor, articleId: number) {
  return db
    .selectFrom('article_event')
    .leftJoin('user_account', 'user_account.id', 'article_event.actor_user_id')
    .select([
      'article_event.id',
      'article_event.step',
      'article_event.actor_user_id',
      'article_event.at',
      'article_event.comment',
      'user_account.display_name as actor_name',
    ])
    .where('article_event.article_id', '=', articleId)
    .orderBy('article_event.at')
    .orderBy('article_event.id')
    .execute();
}

/** Stores a revision numbered one past the article's last; returns its number. Call with the article locked. */
export async function insertRevision(db: Executor, articleId: number, authorUserId: number | null, snapshot: RevisionSnapshot): Promise<number> {
  const row = await db
    .insertInto('article_revision')
    .values((eb) => ({
      article_id: articleId,
      number: eb
        .selectFrom('article_revision')
        .select(sql<number>`coalesce(max(number), 0) + 1`.as('next'))
        .where('article_id', '=', articleId),
      author_user_id: authorUserId,
      snapshot: JSON.stringify(snapshot),
    }))
    .returning('number')
    .executeTakeFirstOrThrow();
  return row.number;
}

/** Lists an article's revisions, newest first, with their authors' names. */
export async function listRevisions(db: Executor, articleId: number) {
  return db
    .selectFrom('article_revision')
    .leftJoin('user_account', 'user_account.id', 'article_revision.author_user_id')
    .select([
      'article_revision.number',
      'article_revision.author_user_id',
      'article_revision.created_at',
      'article_revision.snapshot',
      'user_account.display_name as author_name',
    ])
    .where('article_revision.article_id', '=', articleId)
    .orderBy('article_revision.number', 'desc')
    .execute();
}

/** Finds the newest revision of an article. */
export async function findLatestRevision(db: Executor, articleId: number) {
  return db
    .selectFrom('article_revision')
    .select(['number', 'author_user_id', 'snapshot'])
    .where('article_id', '=', articleId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Finds one revision of an article by its number. */
export async function findRevision(db: Executor, articleId: number, number: number) {
  return db
    .selectFrom('article_revision')
    .select(['number', 'author_user_id', 'created_at', 'snapshot'])
    .where('article_id', '=', articleId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/**
 * Publishes every scheduled article whose time has come, in one statement. The UPDATE takes each
 * row's lock, and a concurrent one re-checks `status` after waiting, so of several processes
 * running it at once exactly one gets each article.
 */
export async function publishDueArticles(db: Executor): Promise<{ id: number; site_id: number }[]> {
  return db
    .updateTable('article')
    .set({ status: 'published' })
    .where('status', '=', 'scheduled')
    .where('publish_at', '<=', sql<Date>`now()`)
    .returning(['id', 'site_id'])
    .execute();
}

/** Finds a site with what the newsroom needs: its organization, time zone and self-publishing setting. */
export async function findNewsroomSite(db: Executor, siteId: number) {
  return db
    .selectFrom('site')
    .select(['id', 'slug', 'organization_id', 'time_zone', 'allow_self_publish'])
    .where('id', '=', siteId)
    .executeTakeFirst();
}

/** Lists every site with its organization's names, for choosing where an update goes. */
export async function listNewsroomSites(db: Executor) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select([
      'site.id',
      'site.slug',
      'site.organization_id',
      'site.time_zone',
      'site.allow_self_publish',
      'organization.name_zh',
      'organization.name_en',
    ])
    .orderBy('site.id')
    .execute();
}

/** Lets a site's editors publish their own updates, or requires a second person again. */
export async function updateAllowSelfPublish(db: Executor, siteId: number, allow: boolean): Promise<void> {
  await db.updateTable('site').set({ allow_self_publish: allow }).where('id', '=', siteId).execute();
}
