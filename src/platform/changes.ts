import pg from 'pg';
import { sql, type Kysely } from 'kysely';

/** The PostgreSQL channel on which Halfsky processes tell each other that published content changed. */
export const changeChannel = 'halfsky_changes';

/** Announces a change to every Halfsky process on this database (this one included), once the transaction commits. */
export async function announceChange<DB>(db: Kysely<DB>, topic: string): Promise<void> {
  await sql`select pg_notify(${changeChannel}, ${topic})`.execute(db);
}

/** Keeps a LISTEN connection open and calls `onChange` for every announced topic; reconnects after a loss. */
export class ChangeListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly onChange: (topic: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts listening; when the database cannot be reached yet, keeps trying in the background. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.onError(error);
      this.reconnectLater();
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      if (message.channel === changeChannel) this.onChange(message.payload ?? '*');
    });
    client.on('error', (error) => {
      this.onError(error);
      this.reconnectLater();
    });
    client.on('end', () => this.reconnectLater());
    try {
      await client.connect();
      await client.query(`listen ${changeChannel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.client = undefined;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect()
        // Announcements may have been missed while disconnected: treat everything as changed.
        .then(() => this.onChange('*'))
        .catch((error: unknown) => {
          this.onError(error);
          this.reconnectLater();
        });
    }, 1000);
    this.retry.unref();
  }
}
