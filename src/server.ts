import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseConnection } from './db/connection.ts';
import { loadDemo } from './db/demo/load-demo.ts';
import { migrateToLatest } from './db/migrate.ts';
import { hasAnySite } from './domains/articles/site.repository.ts';

/** A listening Halfsky server and the way to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseConnection;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Stops taking requests, writes counted views, closes the database (and stops the embedded one). */
  stop(): Promise<void>;
}

/** Opens the database, migrates it, loads the demo into an empty one, and listens. */
export async function startServer(config: Config, logger: Logger = pino({ level: config.logLevel })): Promise<RunningServer> {
  const started = performance.now();
  const database = await openDatabase(config, (line) => logger.debug({ postgres: line }));
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    if (!(await hasAnySite(database.db))) {
      const report = await loadDemo(database.db);
      logger.info(report, 'empty database: demo data loaded');
    }
    app = await buildApp({ config, db: database.db, connectionString: database.connectionString, logger });
    const url = await app.listen({ port: config.port, host: config.host });
    logger.info(
      { url, database: database.kind, ms: Math.round(performance.now() - started) },
      `Halfsky is serving ${url}`,
    );
    const listening = app;
    let stopping: Promise<void> | undefined;
    return {
      app: listening,
      database,
      url,
      stop: () => {
        stopping ??= (async () => {
          await listening.close();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** Stops the server gracefully on SIGINT or SIGTERM; a second signal exits at once. */
export function stopOnSignals(server: RunningServer, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, 'shutting down');
    server
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
