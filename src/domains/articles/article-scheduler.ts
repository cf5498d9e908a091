import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as newsroomService from './newsroom.service.ts';

/**
 * Publishes scheduled updates when their time comes. Every process runs one; the state lives in the
 * database (status 'scheduled' and publish_at), so a restart loses nothing, and the publishing
 * UPDATE gives each article to exactly one process.
 */
export class ArticleScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number[]> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { intervalMs?: number; onError: (error: unknown) => void },
  ) {}

  /** Looks for due updates about once a second, without keeping the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.publishDue(), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Publishes what is due now; a look already under way is waited for rather than doubled. Returns the ids published. */
  publishDue(): Promise<number[]> {
    this.running ??= newsroomService
      .publishDueArticles(this.db)
      .catch((error: unknown) => {
        this.options.onError(error);
        return [];
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops looking, after the look under way (if any) has finished. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
