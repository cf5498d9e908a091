import type { Executor } from '../../db/database.ts';
import type { Locale } from '../../platform/i18n.ts';
import { publishedIn } from './article.repository.ts';

/** A published article in one language, whole, for a feed. */
export interface FeedArticleRow {
  id: number;
  slug: string;
  section_id: number;
  publish_at: Date;
  updated_at: Date;
  title: string;
  summary: string;
  body_html: string;
}

/** The newest published articles of a site in `locale` (of the given sections, when given), newest first. */
export async function listFeedArticles(
  db: Executor,
  filter: { siteId: number; sectionIds?: number[] },
  locale: Locale,
  now: Date,
  limit: number,
): Promise<FeedArticleRow[]> {
  return publishedIn(db, locale, now)
    .where('article.site_id', '=', filter.siteId)
    .$if(filter.sectionIds !== undefined, (q) => q.where('article.section_id', 'in', filter.sectionIds ?? []))
    .select([
      'article.id',
      'article.slug',
      'article.section_id',
      'article.publish_at',
      'article.updated_at',
      'tr.title',
      'tr.summary',
      'tr.body_html',
    ])
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(limit)
    .execute();
}

/** An article published in one language, as a sitemap lists it. */
export interface SitemapArticleRow {
  id: number;
  slug: string;
  section_id: number;
  publish_at: Date;
  updated_at: Date;
}

/** Every article of a site published in `locale`, oldest first. */
export async function listSitemapArticles(db: Executor, siteId: number, locale: Locale, now: Date): Promise<SitemapArticleRow[]> {
  return publishedIn(db, locale, now)
    .where('article.site_id', '=', siteId)
    .select(['article.id', 'article.slug', 'article.section_id', 'article.publish_at', 'article.updated_at'])
    .orderBy('article.publish_at')
    .orderBy('article.id')
    .execute();
}
