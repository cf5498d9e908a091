import type { Executor } from '../../db/database.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { mediaForDisplay, type Media } from '../media/media.service.ts';
import * as articleRepository from './article.repository.ts';
import type { ArticleListRow } from './article.repository.ts';
import { sectionAndDescendantIds, sectionTrail, type Section, type Site } from './site.service.ts';

/** Articles per section page. */
export const sectionPageSize = 10;

/** An entry in a list of updates. */
export interface ArticleSummary {
  slug: string;
  title: string;
  summary: string;
  publishAt: Date;
  section: Section | undefined;
}

/** Everything the article page shows, apart from the live view count. */
export interface ArticlePage {
  id: number;
  slug: string;
  title: string;
  summary: string;
  bodyHtml: string;
  /** The cover image, shown above the body and given to link previews; undefined when there is none. */
  cover: Media | undefined;
  publishAt: Date;
  /** When the article was last changed (never before it was published). */
  updatedAt: Date;
  /** The total read from the database when the page was put together. */
  viewCount: number;
  /** Sections from the top of the tree down to the article's own. */
  trail: Section[];
  locales: Locale[];
  previous: ArticleSummary | undefined;
  next: ArticleSummary | undefined;
  related: ArticleSummary[];
}

/** One page of a section's updates. */
export interface SectionPage {
  section: Section;
  trail: Section[];
  articles: ArticleSummary[];
  page: number;
  pages: number;
}

/** A site's home page: the newest update and the newest of each top-level section. */
export interface HomePage {
  lead: ArticleSummary | undefined;
  blocks: { section: Section; articles: ArticleSummary[] }[];
}

function toSummary(site: Site, row: ArticleListRow): ArticleSummary {
  return {
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    publishAt: row.publish_at,
    section: site.sectionsById.get(row.section_id),
  };
}

/**
 * "Not found" for an update that readers may see, but in another language only: its page in this
 * language says so and links to the other.
 */
export class ArticleNotInLanguage extends DomainError {
  constructor(
    readonly slug: string,
    readonly otherLocales: Locale[],
  ) {
    super(404, 'not_in_language', 'This update is not available in this language.');
  }
}

/**
 * Reads a published article for the portal; a draft, a future or a missing one is "not found", and
 * one that is published only in another language is ArticleNotInLanguage.
 */
export async function readArticlePage(
  db: Executor,
  site: Site,
  locale: Locale,
  slug: string,
  now = new Date(),
): Promise<ArticlePage> {
  const article = await articleRepository.findPublishedArticle(db, site.id, slug, locale, now);
  const section = article && site.sectionsById.get(article.section_id);
  if (!article || !section) {
    const elsewhere = article ? [] : await articleRepository.listOtherPublishedLocales(db, site.id, slug, locale, now);
    if (elsewhere.length > 0) throw new ArticleNotInLanguage(slug, elsewhere);
    throw notFound('No published article has this address.');
  }
  const [locales, neighbours, related, covers] = await Promise.all([
    articleRepository.listArticleLocales(db, article.id),
    articleRepository.findNeighbourArticles(db, article, locale, now),
    articleRepository.listRelatedArticles(db, article, locale, now, 4),
    article.cover_media_id === null ? new Map<number, Media>() : mediaForDisplay(db, [article.cover_media_id]),
  ]);
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    bodyHtml: article.body_html,
    cover: article.cover_media_id === null ? undefined : covers.get(article.cover_media_id),
    publishAt: article.publish_at,
    updatedAt: article.updated_at > article.publish_at ? article.updated_at : article.publish_at,
    viewCount: Number(article.view_count),
    trail: sectionTrail(site, section),
    locales,
    previous: neighbours.previous && toSummary(site, neighbours.previous),
    next: neighbours.next && toSummary(site, neighbours.next),
    related: related.map((row) => toSummary(site, row)),
  };
}

/** Reads one page of a section's published updates, its subsections' included. */
export async function readSectionPage(
  db: Executor,
  site: Site,
  locale: Locale,
  sectionPath: string,
  page: number,
  now = new Date(),
): Promise<SectionPage> {
  const section = site.sectionsByPath.get(sectionPath);
  if (!section) throw notFound('This section does not exist.');
  const filter = { siteId: site.id, sectionIds: sectionAndDescendantIds(section) };
  const total = await articleRepository.countPublishedArticles(db, filter, locale, now);
  const pages = Math.max(1, Math.ceil(total / sectionPageSize));
  if (page > pages) throw notFound('This page of the section does not exist.');
  const rows = await articleRepository.listPublishedArticles(db, filter, locale, now, {
    limit: sectionPageSize,
    offset: (page - 1) * sectionPageSize,
  });
  return { section, trail: sectionTrail(site, section), articles: rows.map((row) => toSummary(site, row)), page, pages };
}

/** Reads a site's home page: the lead update and up to five of each top-level section. */
export async function readHomePage(db: Executor, site: Site, locale: Locale, now = new Date()): Promise<HomePage> {
  const perSection = 5;
  const rows = await articleRepository.listLatestPerSection(db, site.id, locale, now, perSection);
  const blocks = site.sections
    .map((section) => {
      const ids = new Set(sectionAndDescendantIds(section));
      const articles = rows
        .filter((row) => ids.has(row.section_id))
        .slice(0, perSection)
        .map((row) => toSummary(site, row));
      return { section, articles };
    })
    .filter((block) => block.articles.length > 0);
  const lead = rows[0];
  return { lead: lead && toSummary(site, lead), blocks };
}
