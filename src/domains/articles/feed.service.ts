import type { Executor } from '../../db/database.ts';
import { locales, type Locale } from '../../platform/i18n.ts';
import { sanitizeArticleHtmlForFeed } from '../../platform/sanitize.ts';
import { portalHref, type PortalContext } from './article.pages.tsx';
import * as feedRepository from './feed.repository.ts';
import { canonicalBase, canonicalUrl, fallbackDescription, feedHref } from './portal-meta.tsx';
import { sectionAndDescendantIds, type Section } from './site.service.ts';

/** Updates per feed. */
export const feedSize = 20;

/** One update in a feed; every address absolute. */
export interface FeedEntry {
  url: string;
  title: string;
  summary: string;
  /** Sanitized HTML with absolute links. */
  contentHtml: string;
  published: Date;
  updated: Date;
  category: { term: string; label: string } | undefined;
}

/** A feed of a site, or of one section of it, in one language. */
export interface Feed {
  locale: Locale;
  title: string;
  description: string;
  /** The page the feed follows (the home page or the section page). */
  pageUrl: string;
  /** The canonical addresses of the feed in each format. */
  atomUrl: string;
  rssUrl: string;
  /** The site's name: the author of every entry. */
  author: string;
  updated: Date;
  entries: FeedEntry[];
}

/** The later of the two instants: an article changed before it went out was "updated" when it went out. */
function laterOf(a: Date, b: Date): Date {
  return a > b ? a : b;
}

/** Reads the newest published updates of a site (or of a section and the sections below it) in ctx.locale. */
export async function readFeed(db: Executor, ctx: PortalContext, section?: Section, now = new Date()): Promise<Feed> {
  const { site, locale } = ctx;
  const filter = { siteId: site.id, sectionIds: section ? sectionAndDescendantIds(section) : undefined };
  const rows = await feedRepository.listFeedArticles(db, filter, locale, now, feedSize);
  const entries = rows.map((row): FeedEntry => {
    const url = canonicalUrl(ctx, portalHref.article(ctx, locale, row.slug));
    const rowSection = site.sectionsById.get(row.section_id);
    return {
      url,
      title: row.title,
      summary: row.summary,
      contentHtml: sanitizeArticleHtmlForFeed(row.body_html, url),
      published: row.publish_at,
      updated: laterOf(row.updated_at, row.publish_at),
      category: rowSection && { term: rowSection.path, label: rowSection.name[locale] },
    };
  });
  const siteName = site.name[locale];
  const title = section ? `${siteName} - ${section.name[locale]}` : siteName;
  return {
    locale,
    title,
    description: fallbackDescription(ctx, section?.name[locale]),
    pageUrl: canonicalUrl(ctx, section ? portalHref.section(ctx, locale, section) : portalHref.home(ctx, locale)),
    atomUrl: canonicalUrl(ctx, feedHref.atom(ctx, locale, section)),
    rssUrl: canonicalUrl(ctx, feedHref.rss(ctx, locale, section)),
    author: siteName,
    updated: entries.reduce<Date | undefined>((newest, entry) => (newest && newest > entry.updated ? newest : entry.updated), undefined) ?? now,
    entries,
  };
}

/** One address in a sitemap, with the same page in every language it exists in (itself included). */
export interface SitemapUrl {
  url: string;
  lastModified: Date | undefined;
  alternates: { locale: Locale; url: string }[];
}

/**
 * Reads what a site's sitemap lists, at the site's canonical addresses: the home page and every
 * section in both languages, and every published article in each language it is published in.
 */
export async function readSitemap(db: Executor, ctx: Omit<PortalContext, 'locale'>, now = new Date()): Promise<SitemapUrl[]> {
  const { site } = ctx;
  const perLocale = await Promise.all(locales.map(async (locale) => ({ locale, rows: await feedRepository.listSitemapArticles(db, site.id, locale, now) })));
  const absolute = (href: string) => canonicalUrl(ctx, href);

  // The newest change per section (its own articles only) and per language, to date the listing pages.
  const newestBySection = new Map<string, Date>();
  const newestByLocale = new Map<Locale, Date>();
  const articles = new Map<number, { slug: string; updated: Partial<Record<Locale, Date>> }>();
  for (const { locale, rows } of perLocale) {
    for (const row of rows) {
      const updated = laterOf(row.updated_at, row.publish_at);
      const key = `${locale}:${row.section_id}`;
      const seen = newestBySection.get(key);
      if (!seen || updated > seen) newestBySection.set(key, updated);
      const newest = newestByLocale.get(locale);
      if (!newest || updated > newest) newestByLocale.set(locale, updated);
      const article = articles.get(row.id) ?? { slug: row.slug, updated: {} };
      article.updated[locale] = updated;
      articles.set(row.id, article);
    }
  }
  const newestIn = (section: Section, locale: Locale): Date | undefined =>
    sectionAndDescendantIds(section)
      .map((id) => newestBySection.get(`${locale}:${id}`))
      .reduce<Date | undefined>((newest, date) => (date && (!newest || date > newest) ? date : newest), undefined);

  const urls: SitemapUrl[] = [];
  const everyLocale = (href: (locale: Locale) => string) => locales.map((locale) => ({ locale, url: absolute(href(locale)) }));

  const homeAlternates = everyLocale((locale) => portalHref.home(ctx, locale));
  for (const alternate of homeAlternates) {
    urls.push({ url: alternate.url, lastModified: newestByLocale.get(alternate.locale), alternates: homeAlternates });
  }
  for (const section of site.sectionsById.values()) {
    const alternates = everyLocale((locale) => portalHref.section(ctx, locale, section));
    for (const alternate of alternates) {
      urls.push({ url: alternate.url, lastModified: newestIn(section, alternate.locale), alternates });
    }
  }
  for (const article of articles.values()) {
    const published = locales.filter((locale) => article.updated[locale] !== undefined);
    const alternates = published.map((locale) => ({ locale, url: absolute(portalHref.article(ctx, locale, article.slug)) }));
    for (const alternate of alternates) {
      urls.push({ url: alternate.url, lastModified: article.updated[alternate.locale], alternates });
    }
  }
  return urls;
}

/** The sitemaps robots.txt names for a host: those whose addresses are canonical on this host. */
export function sitemapsForHost(ctxs: Omit<PortalContext, 'locale'>[], hostname: string): string[] {
  return ctxs
    .map((ctx) => `${canonicalBase(ctx.site, ctx.origin)}/sitemap.xml`)
    .filter((url) => new URL(url).hostname === hostname);
}
