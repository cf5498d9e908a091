import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { loadDemo } from './db/demo/load-demo.ts';
import { demoAccountLines, OperatorError, runUserCommand, userCommandOptions } from './domains/accounts/account.cli.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startServer, stopOnSignals } from './server.ts';

const usage = `Usage: halfsky <command>

Commands:
  serve     open the database (embedded unless DATABASE_URL is set), migrate, load the demo into
            an empty database, and serve the portal on HOST:PORT
  migrate   bring the database schema up to date
  demo      load the demo data (Beijing, Tianjin and Hebei federations); adds only what is missing,
            then lists the demo accounts and their (public) passwords
  user add --email E --name N [--admin] [--organization SLUG --role ROLE]
            create a workspace account; --admin makes it a platform administrator; ROLE is one of
            administrator, editor, reviewer, organizer, viewer on the organization SLUG
  user reset-password --email E
            set a new password for an account and end its sessions

The password of "user" commands is read from standard input (its first line), or asked for twice
at a terminal; it is never given on the command line. At least 12 characters.

Environment:
  PORT            port to listen on (default 3000)
  HOST            address to listen on (default 127.0.0.1)
  DATA_DIR        folder for the embedded PostgreSQL and uploads (default ./data)
  DATABASE_URL    postgres://… of a PostgreSQL server to use instead of the embedded one
  LOG_LEVEL       fatal, error, warn, info, debug, trace or silent (default info)
  VIEW_FLUSH_MS   how often counted views are written, in ms (default 1000)
  TRUST_PROXY     behind an HTTPS reverse proxy: true, or its addresses (default false)

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

/** The command line's mistake in one line; a password given as an option is refused with the reason. */
function argumentProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;
  const option = /'([^']+)'/.exec(message)?.[1] ?? message;
  if (/^--?pass/i.test(option)) return `${option} is not accepted: the password is read from standard input, never from the command line`;
  return `unknown option ${option}; see halfsky --help`;
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, ...userCommandOptions } });
  } catch (error) {
    throw new UsageError(argumentProblem(error));
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    process.stdout.write(usage);
    return;
  }
  if (command === 'user') {
    process.stdout.write(`${await runUserCommand(rest, parsed.values, withDatabase)}\n`);
    return;
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0]}`);
  const misplaced = Object.keys(userCommandOptions).find((option) => option in parsed.values);
  if (misplaced) throw new UsageError(`--${misplaced} applies to the user commands only; see halfsky --help`);
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
        `demo data: added ${report.organizations} organizations, ${report.sites} sites, ${report.sections} sections, ${report.articles} articles, ${report.places} places, ${report.facilities} facilities, ${report.activities} activities, ${report.agreements} agreements\n`,
      );
      const { host, port } = loadConfig();
      process.stdout.write(
        `demo accounts (password), sign in at http://${host}:${port}/workspace:\n${demoAccountLines().map((line) => `  ${line}\n`).join('')}`,
      );
      return;
    }
    case undefined:
      throw new UsageError('a command is needed (serve, migrate, demo or user); see halfsky --help');
    default:
      throw new UsageError(`unknown command "${command}"; see halfsky --help`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof UsageError || error instanceof ConfigError || error instanceof OperatorError ? '' : 'error: ';
  process.stderr.write(`halfsky: ${kind}${message.split('\n')[0]}\n`);
  process.exit(error instanceof UsageError ? 2 : error instanceof OperatorError ? error.exitCode : 1);
});
