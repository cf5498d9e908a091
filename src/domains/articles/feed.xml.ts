import { htmlLang } from '../../platform/layout.tsx';
import { rfc3339, rfc822, xml, xmlDocument } from '../../platform/xml.ts';
import type { Feed, SitemapUrl } from './feed.service.ts';

/** An Atom 1.0 feed (RFC 4287); content is HTML, escaped as text. */
export function renderAtom(feed: Feed): string {
  return xmlDocument(xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${htmlLang[feed.locale]}">
  <id>${feed.atomUrl}</id>
  <title type="text">${feed.title}</title>
  <subtitle type="text">${feed.description}</subtitle>
  <updated>${rfc3339(feed.updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${feed.atomUrl}"/>
  <link rel="alternate" type="text/html" href="${feed.pageUrl}"/>
  <author><name>${feed.author}</name><uri>${feed.pageUrl}</uri></author>
  <generator>Halfsky</generator>
${feed.entries.map(
  (entry) => xml`  <entry>
    <id>${entry.url}</id>
    <title type="text">${entry.title}</title>
    <link rel="alternate" type="text/html" href="${entry.url}"/>
    <published>${rfc3339(entry.published)}</published>
    <updated>${rfc3339(entry.updated)}</updated>
${entry.category ? xml`    <category term="${entry.category.term}" label="${entry.category.label}"/>\n` : null}${
    entry.summary ? xml`    <summary type="text">${entry.summary}</summary>\n` : null
  }    <content type="html" xml:base="${entry.url}">${entry.contentHtml}</content>
  </entry>
`,
)}</feed>`);
}

/** An RSS 2.0 feed, with the full text in content:encoded and an atom:link to itself. */
export function renderRss(feed: Feed): string {
  return xmlDocument(xml`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>${feed.title}</title>
  <link>${feed.pageUrl}</link>
  <description>${feed.description}</description>
  <language>${htmlLang[feed.locale]}</language>
  <lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
  <generator>Halfsky</generator>
  <atom:link href="${feed.rssUrl}" rel="self" type="application/rss+xml"/>
${feed.entries.map(
  (entry) => xml`  <item>
    <title>${entry.title}</title>
    <link>${entry.url}</link>
    <guid isPermaLink="true">${entry.url}</guid>
    <pubDate>${rfc822(entry.published)}</pubDate>
${entry.category ? xml`    <category>${entry.category.label}</category>\n` : null}    <description>${entry.summary}</description>
    <content:encoded>${entry.contentHtml}</content:encoded>
  </item>
`,
)}</channel>
</rss>`);
}

/** A sitemap (sitemaps.org 0.9) with hreflang alternates (xhtml:link) for every address. */
export function renderSitemap(urls: SitemapUrl[]): string {
  return xmlDocument(xml`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${urls.map(
  (entry) => xml`  <url>
    <loc>${entry.url}</loc>
${entry.lastModified ? xml`    <lastmod>${rfc3339(entry.lastModified)}</lastmod>\n` : null}${entry.alternates.map(
    (alternate) => xml`    <xhtml:link rel="alternate" hreflang="${htmlLang[alternate.locale]}" href="${alternate.url}"/>\n`,
  )}  </url>
`,
)}</urlset>`);
}

/** robots.txt: the workspace and the API are not for crawlers; the sitemaps are named. */
export function renderRobots(sitemaps: string[]): string {
  return ['User-agent: *', 'Disallow: /workspace', 'Disallow: /api', '', ...sitemaps.map((url) => `Sitemap: ${url}`), ''].join('\n');
}
