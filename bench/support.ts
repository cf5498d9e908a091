/**
 * Small helpers shared by the benchmarks: clean-up on success, failure and Ctrl-C, temporary
 * folders the embedded PostgreSQL can enter, the autocannon child process, and reading processes'
 * memory from /proc. Nothing here judges a figure: the benchmarks print, people decide.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadReply, LoadRequest, LoadResult } from './load-generator.ts';

type CleanupStep = () => Promise<void> | void;

/**
 * Clean-up steps run once, last registered first, whether the benchmark ends, fails or is
 * interrupted (SIGINT, SIGTERM). A failing step is reported and does not stop the others.
 */
export class Cleanup {
  private readonly steps: Array<{ label: string; step: CleanupStep }> = [];
  private running: Promise<void> | undefined;
  /** Set once a signal asked us to stop: failures that follow are its consequences. */
  interrupted = false;

  constructor() {
    const onSignal = (signal: NodeJS.Signals) => {
      this.interrupted = true;
      process.stderr.write(`\n${signal}: cleaning up…\n`);
      void this.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  /** Registers a step; returns a function that runs it now (and removes it from the list). */
  add(label: string, step: CleanupStep): () => Promise<void> {
    const entry = { label, step };
    this.steps.push(entry);
    return async () => {
      const index = this.steps.indexOf(entry);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await step();
    };
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const { label, step } = this.steps.pop()!;
        try {
          await step();
        } catch (error) {
          process.stderr.write(`clean-up "${label}" failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    })();
    return this.running;
  }
}

/**
 * A fresh temporary folder with mode 0755: when we run as root, the embedded PostgreSQL runs as the
 * unprivileged "postgres" account, which must be able to enter the parent of DATA_DIR
 * (mkdtemp makes 0700 folders).
 */
export async function makeTempParent(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.chmod(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): Promise<void> {
  return fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Pads cells to a plain-text table; the first row is the header. */
export function table(rows: ReadonlyArray<ReadonlyArray<string>>, rightAlignFrom = 1): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => (i >= rightAlignFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const [head, ...body] = rows;
  if (head === undefined) return '';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// ---------------------------------------------------------------- load generator

/**
 * Sends runs to the autocannon child process (bench/load-generator.ts), one at a time. In the same
 * process autocannon would share the servers' event loop and be counted as server time; as a child
 * process it gets its own core, and this process's memory figures stay the servers' alone.
 */
export class LoadGenerator {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    /** Concurrent connections of every run. */
    readonly connections: number,
  ) {
    child.on('message', (reply: LoadReply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(`autocannon: ${reply.error}`));
      else pending.resolve(reply);
    });
    child.on('exit', (code, signal) => {
      for (const pending of this.waiting.values()) pending.reject(new Error(`the load generator exited (${signal ?? code})`));
      this.waiting.clear();
    });
  }

  static async start(connections: number): Promise<LoadGenerator> {
    const child = fork(path.join(import.meta.dirname, 'load-generator.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new LoadGenerator(child, connections);
  }

  run(url: string, durationSeconds: number, headers: Record<string, string> = {}): Promise<LoadResult> {
    const id = this.nextId++;
    const request: LoadRequest = { id, url, connections: this.connections, durationSeconds, headers };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.disconnect(); // it exits on disconnect
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- PostgreSQL processes

/** Finds postmaster.pid anywhere under `dir` (the cluster lives in <DATA_DIR>/postgres/<subdir>). */
export async function findPostmasterPidFile(dir: string): Promise<string | undefined> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const found = entries.find((entry) => entry.isFile() && entry.name === 'postmaster.pid');
  return found ? path.join(found.parentPath, found.name) : undefined;
}

/** The postmaster's pid from the first line of its postmaster.pid under `dir`, if it runs. */
export async function readPostmasterPid(dir: string): Promise<number | undefined> {
  const file = await findPostmasterPidFile(dir);
  if (file === undefined) return undefined;
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Direct children of `pid`, from the ppid field of /proc/<n>/stat (Linux only). */
export async function childrenOf(pid: number): Promise<number[]> {
  const names = await fs.readdir('/proc').catch(() => [] as string[]);
  const children: number[] = [];
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const stat = await fs.readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
        if (stat === undefined) return;
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === pid) children.push(Number(name));
      }),
  );
  return children.sort((a, b) => a - b);
}

async function statusKiB(pid: number, field: string): Promise<number> {
  const text = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

async function pssKiB(pid: number): Promise<number | undefined> {
  const text = await fs.readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => undefined);
  const match = text === undefined ? null : /^Pss:\s+(\d+) kB/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

export interface ClusterMemory {
  postmasterPid: number;
  processes: number;
  /** Sum of VmRSS over the postmaster and its children; shared memory is counted in each process that touched it. */
  rssBytes: number;
  /** Sum of proportional set sizes (shared pages divided among their users), when /proc allows reading it. */
  pssBytes: number | undefined;
}

/** Memory of the PostgreSQL cluster whose postmaster.pid lies under `dir`. */
export async function clusterMemory(dir: string): Promise<ClusterMemory | undefined> {
  const postmasterPid = await readPostmasterPid(dir);
  if (postmasterPid === undefined) return undefined;
  const pids = [postmasterPid, ...(await childrenOf(postmasterPid))];
  const rss = await Promise.all(pids.map((pid) => statusKiB(pid, 'VmRSS')));
  const pss = await Promise.all(pids.map(pssKiB));
  return {
    postmasterPid,
    processes: pids.length,
    rssBytes: rss.reduce((a, b) => a + b, 0) * 1024,
    pssBytes: pss.every((value) => value !== undefined) ? pss.reduce((a: number, b) => a + b!, 0) * 1024 : undefined,
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
