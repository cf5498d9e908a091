/**
 * The text side of full-text search, independent of what is searched: reading a reader's query into
 * Latin-script words and runs of Chinese characters, the Chinese part as a PostgreSQL tsquery over
 * the bigram lexemes of migration 0006, and highlighted excerpts that can carry no markup but <mark>.
 */

/** Characters indexed as Chinese: the same class as `halfsky_zh_bigrams()` in migration 0006. */
const cjkRuns = /[\u3400-\u9fff]+/g;
const cjkChar = /[\u3400-\u9fff]/;

/** Where PostgreSQL's ts_headline puts the start and the end of a match: private-use characters, removed from texts first. */
export const markStart = '\uE000';
export const markEnd = '\uE001';

/**
 * ts_headline reads text with PostgreSQL's parser, which drops what looks like a tag or an entity and
 * reads Latin letters and Chinese characters side by side as one word ("Dongmei参加"). So text goes in
 * with '<' and '&' replaced by control characters and each Chinese run fenced by another, all of them
 * removed from the text first; {@link highlight} puts '<' and '&' back and drops the fences.
 */
export const headlineStandIns = { fence: '\u0001', lessThan: '\u0002', ampersand: '\u0003' } as const;

/** A reader's query, split the way the index is built. */
export interface SearchTerms {
  /** The query with its Chinese runs taken out, for websearch_to_tsquery('english', …); '' when nothing is left. */
  latin: string;
  /** Runs of Chinese characters, in order of first appearance, without repeats. */
  cjk: string[];
}

/**
 * Splits a query into Latin-script text and Chinese runs. Full-width forms become ASCII (NFKC);
 * control and marker characters go. A query made only of exclusions ("-foo") would match nearly
 * everything through a full index scan, so without anything positive the minus signs are dropped.
 */
export function parseSearchQuery(query: string): SearchTerms {
  const normalized = query.normalize('NFKC').replace(/[\u0000-\u001f\u007f\uE000\uE001]/g, ' ');
  const cjk = [...new Set(normalized.match(cjkRuns) ?? [])];
  let latin = normalized.replace(cjkRuns, ' ').replace(/\s+/g, ' ').trim();
  const words = latin.split(' ').filter((token) => /[\p{L}\p{N}]/u.test(token));
  if (cjk.length === 0 && words.every((word) => word.startsWith('-'))) latin = latin.replace(/(^|\s)-+/g, '$1').trim();
  if (!/[\p{L}\p{N}]/u.test(latin)) latin = '';
  return { latin, cjk };
}

/** Tells whether a parsed query has anything to look for. */
export function hasSearchTerms(terms: SearchTerms): boolean {
  return terms.latin !== '' || terms.cjk.length > 0;
}

/**
 * The Chinese part of a query as tsquery text. As a `phrase`, each run is a phrase of its bigrams
 * ('京津' <-> '津冀'), so the run must occur as written; as `all`, its bigrams are only ANDed, which the
 * GIN index answers without reading any row (a phrase needs each candidate's positions). One character
 * is a prefix ('妇':*: any bigram starting with it, or the character alone at the end of a run). Runs
 * are ANDed. Only CJK characters ever go in, so nothing needs quoting but the quotes. '' without runs.
 */
export function cjkTsquery(runs: readonly string[], mode: 'phrase' | 'all' = 'phrase'): string {
  return runs
    .map((run) => {
      const chars = Array.from(run).filter((char) => cjkChar.test(char));
      if (chars.length === 0) return '';
      if (chars.length === 1) return `'${chars[0]}':*`;
      const bigrams = chars.slice(1).map((char, index) => `'${chars[index]}${char}'`);
      return bigrams.length === 1 ? bigrams[0] : `(${bigrams.join(mode === 'phrase' ? ' <-> ' : ' & ')})`;
    })
    .filter((part) => part !== '')
    .join(' & ');
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}


type Range = [start: number, end: number];

/** Reads text with ts_headline's markers into the plain text and the marked ranges. */
function readMarkers(marked: string): { text: string; ranges: Range[] } {
  let text = '';
  const ranges: Range[] = [];
  let open: number | undefined;
  for (const part of marked.split(/([\uE000\uE001])/)) {
    if (part === markStart) open ??= text.length;
    else if (part === markEnd) {
      if (open !== undefined && text.length > open) ranges.push([open, text.length]);
      open = undefined;
    } else text += part;
  }
  if (open !== undefined && text.length > open) ranges.push([open, text.length]);
  return { text, ranges };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where the Chinese runs occur, as written: the index matches a run only where it occurs whole. */
function findRuns(text: string, runs: readonly string[]): Range[] {
  if (runs.length === 0) return [];
  // Longer runs first, so that 妇女联合会 wins over 妇女 at the same place.
  const pattern = [...runs].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return Array.from(text.matchAll(new RegExp(pattern, 'gu')), (match): Range => [match.index, match.index + match[0].length]);
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Range[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Text as HTML with the query's terms in <mark>: the Latin words ts_headline marked (markStart…markEnd,
 * stemmed as it matched them) and the Chinese runs, found here. With `maxLength`, about that many
 * characters around the first match, with "…" where cut. Each piece of text is escaped on its own and
 * the only markup written is <mark></mark>, so neither the query nor the content can add any.
 */
export function highlight(marked: string, cjk: readonly string[], maxLength?: number): string {
  const restored = marked
    .replaceAll(headlineStandIns.fence, '')
    .replaceAll(headlineStandIns.lessThan, '<')
    .replaceAll(headlineStandIns.ampersand, '&');
  const read = readMarkers(restored.replace(/\s+/g, ' ').trim());
  let text = read.text;
  let ranges = mergeRanges([...read.ranges, ...findRuns(text, cjk)]);
  let prefix = '';
  let suffix = '';
  if (maxLength !== undefined && text.length > maxLength) {
    // ts_headline chose where its (Latin) matches are best; otherwise the first Chinese match.
    const first = read.ranges[0]?.[0] ?? ranges[0]?.[0] ?? 0;
    let start = Math.max(0, Math.min(first - Math.floor(maxLength / 4), text.length - maxLength));
    let end = Math.min(text.length, start + maxLength);
    if (start > 0 && isLowSurrogate(text, start)) start += 1;
    if (end < text.length && isLowSurrogate(text, end)) end -= 1;
    if (start > 0) prefix = '…';
    if (end < text.length) suffix = '…';
    ranges = ranges
      .map(([from, to]): Range => [Math.max(from, start) - start, Math.min(to, end) - start])
      .filter(([from, to]) => to > from);
    text = text.slice(start, end);
  }
  let html = prefix;
  let at = 0;
  for (const [from, to] of ranges) {
    html += `${escapeHtml(text.slice(at, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  return `${html}${escapeHtml(text.slice(at))}${suffix}`;
}
