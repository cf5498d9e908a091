import type { VNode } from 'preact';
import { t, type Locale } from '../../platform/i18n.ts';
import { htmlLang } from '../../platform/layout.tsx';
import { rfc3339 } from '../../platform/xml.ts';
import type { PortalContext } from './article.pages.tsx';
import type { ArticlePage } from './article.service.ts';
import type { Section, Site } from './site.service.ts';

/** Open Graph's names of our languages. */
export const ogLocale: Record<Locale, string> = { zh: 'zh_CN', en: 'en_US' };

/**
 * A site's primary address, without a trailing slash: https://<host> for a site with its own host
 * name, the root of the current origin for the default site, else /sites/<slug> on the current
 * origin. Canonical links, Open Graph, JSON-LD, feeds and sitemaps all point there, so that the
 * copies of a page (/sites/bwf/en/… and /en/…, or a site under /sites/ and at its host) count as one.
 */
export function canonicalBase(site: Pick<Site, 'host' | 'isDefault' | 'slug'>, origin: string): string {
  if (site.host) return `https://${site.host}`;
  return site.isDefault ? origin : `${origin}/sites/${site.slug}`;
}

/** The canonical absolute URL of a page given by its address as served (which starts with ctx.basePath). */
export function canonicalUrl(ctx: Pick<PortalContext, 'site' | 'origin' | 'basePath'>, href: string): string {
  return `${canonicalBase(ctx.site, ctx.origin)}${href.slice(ctx.basePath.length)}`;
}

/** Addresses of the feeds and the sitemap, relative to the host like portalHref's. */
export const feedHref = {
  atom: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, section?: Section) =>
    `${ctx.basePath}/${locale}/${section ? `${section.path}/` : ''}feed.xml`,
  rss: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, section?: Section) =>
    `${ctx.basePath}/${locale}/${section ? `${section.path}/` : ''}rss.xml`,
  sitemap: (ctx: Pick<PortalContext, 'basePath'>) => `${ctx.basePath}/sitemap.xml`,
};

/**
 * JSON for a <script> element: `<` (and `>`, `&`, U+2028/9) become \u escapes, which JSON reads back
 * as the same characters, so that no text ("</script>", "<!--") can end or confuse the element.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The absolute address of an article's cover for link previews and JSON-LD: the widest rendition in
 * the original's format. Media are served at /media/<key> at the root of every host.
 */
export function coverImage(ctx: Pick<PortalContext, 'site' | 'origin'>, article: Pick<ArticlePage, 'cover'>) {
  const cover = article.cover;
  if (!cover) return undefined;
  const widest = cover.renditions.filter((rendition) => rendition.contentType === cover.contentType).at(-1) ?? cover.renditions.at(-1);
  if (!widest) return undefined;
  const root = ctx.site.host ? `https://${ctx.site.host}` : ctx.origin;
  return { url: `${root}${widest.url}`, width: widest.width, height: widest.height, type: widest.contentType };
}

/** schema.org NewsArticle for an article page, published by the site's federation. */
export function newsArticleJsonLd(ctx: PortalContext, article: ArticlePage, url: string): Record<string, unknown> {
  const base = canonicalBase(ctx.site, ctx.origin);
  const publisher = { '@type': 'Organization', name: ctx.site.name[ctx.locale], url: `${base}/${ctx.locale}/` };
  const section = article.trail.at(-1);
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.summary || undefined,
    datePublished: rfc3339(article.publishAt),
    dateModified: rfc3339(article.updatedAt),
    inLanguage: htmlLang[ctx.locale],
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    articleSection: section?.name[ctx.locale],
    image: coverImage(ctx, article)?.url,
    author: publisher,
    publisher,
  };
}

/** What a portal page says about itself in its head. */
export interface PortalHeadProps {
  ctx: PortalContext;
  /** og:title: the page's title, or the site's name on the home page. */
  title: string;
  description: string;
  /** The page's address as served; null on pages that are not to be indexed (errors). */
  selfHref: string | null;
  /** The other languages the page exists in. */
  alternateLocales: Locale[];
  /** A section page offers the section's own feed too. */
  section?: Section;
  /** An article page describes the article (og:type article, NewsArticle). */
  article?: ArticlePage;
}

/** Canonical link, feeds, Open Graph and (for articles) schema.org JSON-LD: part of the cached page. */
export function PortalHead(props: PortalHeadProps): VNode {
  const { ctx, article, section } = props;
  const { locale } = ctx;
  const siteName = ctx.site.name[locale];
  const url = props.selfHref === null ? undefined : canonicalUrl(ctx, props.selfHref);
  const image = article ? coverImage(ctx, article) : undefined;
  return (
    <>
      {url ? <link rel="canonical" href={url} /> : null}
      <link rel="alternate" type="application/atom+xml" title={siteName} href={feedHref.atom(ctx, locale)} />
      <link rel="alternate" type="application/rss+xml" title={`${siteName} (RSS)`} href={feedHref.rss(ctx, locale)} />
      {section ? (
        <link rel="alternate" type="application/atom+xml" title={`${siteName} - ${section.name[locale]}`} href={feedHref.atom(ctx, locale, section)} />
      ) : null}
      <meta property="og:type" content={article ? 'article' : 'website'} />
      <meta property="og:title" content={props.title} />
      <meta property="og:description" content={props.description} />
      {url ? <meta property="og:url" content={url} /> : null}
      <meta property="og:locale" content={ogLocale[locale]} />
      {props.alternateLocales.map((other) => (
        <meta property="og:locale:alternate" content={ogLocale[other]} />
      ))}
      <meta property="og:site_name" content={siteName} />
      {image && article?.cover ? (
        <>
          <meta property="og:image" content={image.url} />
          <meta property="og:image:type" content={image.type} />
          <meta property="og:image:width" content={String(image.width)} />
          <meta property="og:image:height" content={String(image.height)} />
          <meta property="og:image:alt" content={article.cover.alt[locale]} />
        </>
      ) : null}
      {article ? (
        <>
          <meta property="article:published_time" content={rfc3339(article.publishAt)} />
          <meta property="article:modified_time" content={rfc3339(article.updatedAt)} />
          {article.trail[0] ? <meta property="article:section" content={article.trail[0].name[locale]} /> : null}
          {url ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptJson(newsArticleJsonLd(ctx, article, url)) }} /> : null}
        </>
      ) : null}
    </>
  );
}

/** og:description of a page that has no summary of its own. */
export function fallbackDescription(ctx: PortalContext, title: string | undefined): string {
  const siteName = ctx.site.name[ctx.locale];
  return title ? `${title} - ${siteName}` : `${siteName} - ${t(ctx.locale, 'latest')}`;
}
