import { Marked } from 'marked';
import { sanitizeArticleHtml } from '../../platform/sanitize.ts';

// GitHub-flavoured Markdown (tables, strikethrough, autolinks). The page title is the article's <h1>,
// so the body's headings start one level lower: "#" is <h2>, and nothing goes below <h4>, the
// smallest the sanitizer keeps.
const markdown = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  walkTokens: (token) => {
    if (token.type === 'heading') token.depth = Math.min(Math.max(token.depth + 1, 2), 4);
  },
});

/**
 * Turns an editor's Markdown into the HTML the portal shows. Raw HTML inside the Markdown passes
 * through the parser, so the result always goes through the article sanitizer: what comes out is
 * safe to store and to serve.
 */
export function renderArticleMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false });
  return sanitizeArticleHtml(html);
}
