/**
 * Start-up time of `npm start` (node --import tsx src/cli.ts serve, without npm's own overhead) as a
 * child process, from spawn to the first 200 of GET /healthz, and the time from SIGTERM to exit.
 * Prints figures; judges nothing.
 *
 *   npm run bench:startup
 *
 * (a) a first start on a DATA_DIR that does not exist yet (initdb + migrate + demo), then
 * (b) three warm starts on the folder it left. DATABASE_URL is removed from the child's
 * environment: this measures the embedded PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { Cleanup, isAlive, makeTempParent, median, readPostmasterPid, removeDir, sleep, table } from './support.ts';

const WARM_STARTS = 3;
const POLL_MS = 25;
const START_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 30_000;
const root = path.resolve(import.meta.dirname, '..');
const nodeBinary = path.join(root, 'node_modules', '.bin', 'node');

interface Measurement {
  run: string;
  /** spawn → first 200 of /healthz */
  readyMs: number;
  /** what Halfsky itself logs as its start-up ("ms" of "Halfsky is serving"), if seen */
  serverMs: number | undefined;
  /** SIGTERM → process exit */
  exitMs: number;
  exitCode: number | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

class Server {
  readonly output: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  /** "ms" of the "Halfsky is serving" log line. */
  reportedStartMs(): number | undefined {
    for (const line of this.output.join('').split('\n')) {
      if (!line.includes('Halfsky is serving')) continue;
      try {
        const parsed = JSON.parse(line) as { ms?: unknown };
        if (typeof parsed.ms === 'number') return parsed.ms;
      } catch {
        // not JSON: ignore
      }
    }
    return undefined;
  }

  tail(lines = 15): string {
    return this.output.join('').trimEnd().split('\n').slice(-lines).join('\n');
  }
}

async function startOnce(dataDir: string, run: string, cleanup: Cleanup): Promise<Measurement> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const url = `http://127.0.0.1:${port}/healthz`;

  const spawnedAt = performance.now();
  const server = new Server(
    spawn(nodeBinary, ['--import', 'tsx', 'src/cli.ts', 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const killNow = cleanup.add(`halfsky (${run})`, async () => {
    if (server.exit === undefined) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (await healthy(url)) readyMs = performance.now() - spawnedAt;
    else if (server.exit !== undefined) {
      throw new Error(`halfsky exited (${server.exit.signal ?? server.exit.code}) before answering /healthz:\n${server.tail()}`);
    } else if (performance.now() - spawnedAt > START_TIMEOUT_MS) {
      throw new Error(`no 200 from /healthz within ${START_TIMEOUT_MS / 1000} s:\n${server.tail()}`);
    } else await sleep(POLL_MS);
  }

  const signalledAt = performance.now();
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  await server.exited;
  clearTimeout(timer);
  const exitMs = performance.now() - signalledAt;
  await killNow();
  if (server.exit?.signal === 'SIGKILL') throw new Error(`halfsky did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM:\n${server.tail()}`);
  return { run, readyMs, serverMs: server.reportedStartMs(), exitMs, exitCode: server.exit?.code ?? null };
}

/** A PostgreSQL left running in `dataDir` by a killed run: stop it by its pid. */
async function stopStraggler(dataDir: string): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === undefined || !isAlive(pid)) return;
  process.stderr.write(`stopping PostgreSQL (pid ${pid}) left running in ${dataDir}\n`);
  process.kill(pid, 'SIGQUIT'); // immediate shutdown; the folder is thrown away anyway
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 50) await sleep(50);
}

async function main(cleanup: Cleanup): Promise<void> {
  const tempParent = await makeTempParent('halfsky-startup-');
  const dataDir = path.join(tempParent, 'data');
  cleanup.add('temporary folder', () => removeDir(tempParent));
  cleanup.add('PostgreSQL stragglers', () => stopStraggler(dataDir));

  process.stdout.write(
    `Halfsky start-up: ${path.relative(root, nodeBinary)} --import tsx src/cli.ts serve (node ${process.version}), ` +
      `DATA_DIR ${dataDir}, /healthz polled every ${POLL_MS} ms\n`,
  );
  const results: Measurement[] = [];
  process.stdout.write('first start (empty DATA_DIR)… ');
  results.push(await startOnce(dataDir, 'first (init + migrate + demo)', cleanup));
  process.stdout.write('done\n');
  for (let i = 1; i <= WARM_STARTS; i++) {
    process.stdout.write(`warm start ${i}/${WARM_STARTS}… `);
    results.push(await startOnce(dataDir, `warm #${i}`, cleanup));
    process.stdout.write('done\n');
  }

  const ms = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(0)} ms`);
  const warm = results.slice(1);
  const rows = [
    ['start', 'spawn → 200 /healthz', 'server-logged start', 'SIGTERM → exit', 'exit code'],
    ...results.map((r) => [r.run, ms(r.readyMs), ms(r.serverMs), ms(r.exitMs), String(r.exitCode)]),
    [
      `warm median of ${warm.length}`,
      ms(median(warm.map((r) => r.readyMs))),
      ms(warm.every((r) => r.serverMs !== undefined) ? median(warm.map((r) => r.serverMs!)) : undefined),
      ms(median(warm.map((r) => r.exitMs))),
      '',
    ],
  ];
  process.stdout.write(
    `\n${table(rows)}\n\n` +
      '"server-logged start" is the ms Halfsky logs with "Halfsky is serving" (database open → listening);\n' +
      'the rest of spawn → 200 is Node and tsx start-up, importing the code, and the first /healthz poll.\n',
  );
}

const cleanup = new Cleanup();
let failed = false;
try {
  await main(cleanup);
} catch (error) {
  failed = true;
  if (!cleanup.interrupted) process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanup.run();
}
process.exit(failed ? 1 : 0);
