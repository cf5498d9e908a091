import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { loadDemo } from './db/demo/load-demo.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startServer, stopOnSignals } from './server.ts';

const usage = `Usage: halfsky <command>

Commands:
  serve     open the database (embedded unless DATABASE_URL is set), migrate, load the demo into
            an empty database, and serve the portal on HOST:PORT
  migrate   bring the database schema up to date
  demo      load the demo data (Beijing, Tianjin and Hebei federations); adds only what is missing

Environment:
  PORT            port to listen on (default 3000)
  HOST            address to listen on (default 127.0.0.1)
  DATA_DIR        folder for the embedded PostgreSQL and uploads (default ./data)
  DATABASE_URL    postgres://… of a PostgreSQL server to use instead of the embedded one
  LOG_LEVEL       fatal, error, warn, info, debug, trace or silent (default info)
  VIEW_FLUSH_MS   how often counted views are written, in ms (default 1000)

Options:
  -h, --help      show this help
`;

/** Thrown for a mistake in the command line; printed as one line. */
class UsageError extends Error {}

async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig());
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    process.stdout.write(usage);
    return;
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0]}`);
  switch (command) {
    case 'serve': {
      const config = loadConfig();
      const logger = pino({ level: config.logLevel });
      const server = await startServer(config, logger);
      stopOnSignals(server, logger);
      return;
    }
    case 'migrate': {
      const applied = await withDatabase(migrateToLatest);
      process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
      return;
    }
    case 'demo': {
      const report = await withDatabase(async (db) => {
        await migrateToLatest(db);
        return loadDemo(db);
      });
      process.stdout.write(
        `demo data: added ${report.organizations} organizations, ${report.sites} sites, ${report.sections} sections, ${report.articles} articles\n`,
      );
      return;
    }
    case undefined:
      throw new UsageError('a command is needed (serve, migrate or demo); see halfsky --help');
    default:
      throw new UsageError(`unknown command "${command}"; see halfsky --help`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof UsageError || error instanceof ConfigError ? '' : 'error: ';
  process.stderr.write(`halfsky: ${kind}${message.split('\n')[0]}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
