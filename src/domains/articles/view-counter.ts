import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as articleRepository from './article.repository.ts';

/** What the counter needs to know of the world outside it. */
export interface ViewCounterOptions {
  /** Milliseconds between two writes of the counted views (and reads of other processes' counts). */
  flushMs: number;
  /** Where a failed write is reported; the views are kept and written on the next tick. */
  onError: (error: unknown) => void;
  /** How many articles' totals to remember; the least recently viewed are forgotten first. */
  maxTracked?: number;
}

/**
 * Counts article views in memory and writes them in one statement per tick, so that reading an
 * article never waits on a row write. The number shown is the last total read from the database
 * plus what this process has counted since: exact for this process, at most one tick behind others.
 */
export class ViewCounter {
  private pending = new Map<number, number>();
  private inFlight = new Map<number, number>();
  /** Last known database totals, in least-recently-viewed order. */
  private readonly totals = new Map<number, number>();
  private readonly maxTracked: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ViewCounterOptions,
  ) {
    this.maxTracked = options.maxTracked ?? 10_000;
  }

  /** Starts the periodic write. */
  start(): void {
    this.timer ??= setInterval(() => {
      this.flush().catch(this.options.onError);
    }, this.options.flushMs);
    // The tick alone must not keep the process alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  /** Stops the periodic write and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Counts one view of an article. */
  record(articleId: number): void {
    this.pending.set(articleId, (this.pending.get(articleId) ?? 0) + 1);
  }

  /** Remembers a total just read from the database, unless a fresher one is known. */
  remember(articleId: number, total: number): void {
    if (!this.totals.has(articleId)) this.track(articleId, total);
  }

  /** The number to show for an article; reads the database only for an article not seen lately. */
  async viewsOf(articleId: number): Promise<number> {
    let total = this.totals.get(articleId);
    if (total === undefined) {
      const [row] = await articleRepository.listArticleViewCounts(this.db, [articleId]);
      total = Number(row?.view_count ?? 0);
    }
    this.track(articleId, total);
    return total + (this.inFlight.get(articleId) ?? 0) + (this.pending.get(articleId) ?? 0);
  }

  /** Writes the counted views; safe to call at any time, never runs twice at once. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.writePending().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0 && this.totals.size === 0) return;
    this.inFlight = this.pending;
    this.pending = new Map();
    const ids = [...this.inFlight.keys()];
    try {
      const written = ids.length > 0 ? await articleRepository.addArticleViews(this.db, ids, [...this.inFlight.values()]) : [];
      this.inFlight = new Map();
      for (const row of written) this.totals.set(row.id, Number(row.view_count));
      // Other processes count too: refresh the totals of everything else shown lately.
      const writtenIds = new Set(ids);
      const others = [...this.totals.keys()].filter((id) => !writtenIds.has(id));
      for (const row of await articleRepository.listArticleViewCounts(this.db, others)) {
        if (this.totals.has(row.id)) this.totals.set(row.id, Number(row.view_count));
      }
    } catch (error) {
      // Keep the views for the next tick rather than lose them.
      for (const [id, count] of this.inFlight) this.pending.set(id, (this.pending.get(id) ?? 0) + count);
      this.inFlight = new Map();
      throw error;
    }
  }

  private track(articleId: number, total: number): void {
    this.totals.delete(articleId);
    this.totals.set(articleId, total);
    if (this.totals.size > this.maxTracked) {
      const oldest = this.totals.keys().next();
      if (!oldest.done) this.totals.delete(oldest.value);
    }
  }
}
