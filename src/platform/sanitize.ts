import sanitizeHtml from 'sanitize-html';

// What an article body may contain: text structure, links and images; no script, style or event handler.
const articleBodyPolicy: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'h2', 'h3', 'h4', 'strong', 'em', 'b', 'i', 'u', 's', 'sub', 'sup', 'blockquote',
    'ul', 'ol', 'li', 'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'code', 'pre',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

/** Cleans rich text for storage and display: only the allow-listed tags and attributes survive. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, articleBodyPolicy);
}

/** Makes a link absolute against `baseUrl`; a value that is no URL at all is dropped. */
function absoluteUrl(value: string | undefined, baseUrl: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value, baseUrl).href;
  } catch {
    return undefined;
  }
}

/**
 * Cleans rich text for a feed: the same allow-list as the portal, with links and images made absolute
 * (feed readers show the content away from our pages, and few honour xml:base).
 */
export function sanitizeArticleHtmlForFeed(html: string, baseUrl: string): string {
  const attribute = (name: string) => (tagName: string, attribs: sanitizeHtml.Attributes) => {
    const { [name]: value, ...rest } = attribs;
    const absolute = absoluteUrl(value, baseUrl);
    return { tagName, attribs: absolute === undefined ? rest : { ...rest, [name]: absolute } };
  };
  const link = attribute('href');
  return sanitizeHtml(html, {
    ...articleBodyPolicy,
    transformTags: {
      a: (tagName, attribs) => {
        const transformed = link(tagName, attribs);
        return { tagName: transformed.tagName, attribs: { ...transformed.attribs, rel: 'noopener noreferrer' } };
      },
      img: attribute('src'),
    },
  });
}
