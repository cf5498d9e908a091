import { LRUCache } from 'lru-cache';

/** A rendered page kept for reuse; `parts` are joined with live values (a view count) between them. */
export interface CachedPage {
  /** Which site's content the page shows, so that a change to the site drops it. */
  siteId: number;
  status: number;
  /** UTF-8 already: encoding a large string on every send costs more than everything else on the path. */
  parts: Buffer[];
  /** The article whose view count goes between the parts, if any. */
  articleId?: number;
}

/**
 * Rendered portal pages by origin and path. Pages only change when content changes, and every
 * change is announced to all processes, which then drop the pages of that site.
 */
export class PageCache {
  private readonly pages: LRUCache<string, CachedPage>;

  constructor(maxPages = 2000) {
    this.pages = new LRUCache({ max: maxPages });
  }

  /** The page cached under `key`. */
  get(key: string): CachedPage | undefined {
    return this.pages.get(key);
  }

  /** Keeps a page under `key`. */
  set(key: string, page: CachedPage): void {
    this.pages.set(key, page);
  }

  /** Drops the pages of one site, or all of them for topic "*". */
  invalidate(topic: string): void {
    const siteId = /^site:(\d+)$/.exec(topic)?.[1];
    if (siteId === undefined) {
      this.pages.clear();
      return;
    }
    for (const [key, page] of this.pages.entries()) {
      if (page.siteId === Number(siteId)) this.pages.delete(key);
    }
  }
}
