import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded-postgres.ts';

const roots: string[] = [];

/** A fresh parent folder; PostgreSQL's user must be able to enter it when we run as root. */
async function tempDataDir(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'halfsky-pg-test-'));
  await fs.chmod(root, 0o711);
  roots.push(root);
  return path.join(root, 'postgres');
}

async function query<T extends pg.QueryResultRow>(server: EmbeddedPostgresServer, database: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.connectionString(database) });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function canConnect(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function deadPid(): number {
  const { pid } = spawnSync('true');
  if (pid === undefined || pid <= 0) throw new Error('no pid');
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Whether the process is gone, allowing for it to linger a moment as a zombie: when this test
 * process itself started the server, the exited server stays in the process table until Node reaps it.
 */
async function isGone(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 100 && isAlive(pid); tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isAlive(pid);
}

afterAll(async () => {
  for (const root of roots) await fs.rm(root, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('initializes a UTF-8 cluster on a private socket, where pg_trgm handles Chinese', async () => {
    const dataDir = await tempDataDir();
    // A run killed during initdb leaves a temp dir behind; the next start must clear it.
    const leftover = path.join(dataDir, `pgdata.init-${deadPid()}-deadbeef`);
    await fs.mkdir(leftover, { recursive: true });
    await fs.writeFile(path.join(leftover, 'PG_VERSION'), '18\n');

    const messages: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir, log: (m) => messages.push(m) });
    try {
      expect(existsSync(leftover)).toBe(false);
      expect(messages.some((m) => m.includes('interrupted initialization'))).toBe(true);

      const url = server.connectionString('postgres');
      expect(url).toMatch(/^postgresql:\/\/postgres@\/postgres\?host=/);
      expect(await query(server, 'postgres', 'select 1 as one')).toEqual([{ one: 1 }]);
      expect(await query(server, 'postgres', 'show server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
      expect(await query(server, 'postgres', 'show listen_addresses')).toEqual([{ listen_addresses: '' }]);

      const socketDir = path.join(dataDir, 'run');
      expect((await fs.stat(socketDir)).mode & 0o777).toBe(0o700);
      expect((await fs.stat(dataDir)).mode & 0o777).toBe(0o700);

      await server.ensureDatabase('halfsky');
      await server.ensureDatabase('halfsky'); // second call is a no-op
      await query(server, 'halfsky', 'create extension if not exists pg_trgm');
      const [trgm] = await query<{ t: string[] }>(server, 'halfsky', `select show_trgm('妇女联合会') as t`);
      expect(trgm?.t.length).toBeGreaterThan(0);
      const [similar] = await query<{ s: number }>(server, 'halfsky', `select similarity('妇女联合会', '妇女联合') as s`);
      expect(similar?.s).toBeGreaterThan(0.3);
      expect(await query(server, 'halfsky', `select pg_encoding_to_char(encoding) as enc, datcollate from pg_database where datname = 'halfsky'`)).toEqual([
        { enc: 'UTF8', datcollate: 'C.UTF-8' },
      ]);
    } finally {
      await server.stop();
    }
    await server.stop(); // idempotent
    expect(existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);
  }, 30_000);

  it('starts an existing cluster again and keeps its data', async () => {
    const dataDir = await tempDataDir();
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      await query(first, 'postgres', `create table kept (v text); insert into kept values ('半边天')`);
    } finally {
      await first.stop();
    }

    // How fast this is, is measured in bench/startup.ts, not asserted here.
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(second, 'postgres', 'select v from kept')).toEqual([{ v: '半边天' }]);
    } finally {
      await second.stop();
    }
  }, 30_000);

  it('recovers from a stale postmaster.pid, whether its pid is dead or reused', async () => {
    const dataDir = await tempDataDir();
    const pidPath = path.join(dataDir, 'pgdata', 'postmaster.pid');
    const server = await startEmbeddedPostgres({ dataDir });
    const original = await fs.readFile(pidPath, 'utf8');
    await server.stop();
    const withPid = (pid: number): string => original.replace(/^\d+/, String(pid));

    // A server killed with SIGKILL leaves its pid file; the pid no longer exists.
    await fs.writeFile(pidPath, withPid(deadPid()));
    const afterDead = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(afterDead, 'postgres', 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await afterDead.stop();
    }

    // The dead server's pid now belongs to an unrelated live process (here: this test process).
    await fs.writeFile(pidPath, withPid(process.pid));
    const messages: string[] = [];
    const afterReuse = await startEmbeddedPostgres({ dataDir, log: (m) => messages.push(m) });
    try {
      expect(messages.some((m) => m.includes('reused pid'))).toBe(true);
      expect(await query(afterReuse, 'postgres', 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await afterReuse.stop();
    }
  }, 30_000);

  it('adopts a server still running from an earlier handle that was never stopped', async () => {
    const dataDir = await tempDataDir();
    const abandoned = await startEmbeddedPostgres({ dataDir });
    const url = abandoned.connectionString('postgres');
    await query(abandoned, 'postgres', `create table orphan_data (v int); insert into orphan_data values (42)`);
    const serverPid = Number((await fs.readFile(path.join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);

    const messages: string[] = [];
    const adopter = await startEmbeddedPostgres({ dataDir, log: (m) => messages.push(m) });
    try {
      expect(messages.some((m) => m.includes('adopting'))).toBe(true);
      expect(adopter.connectionString('postgres')).toBe(url);
      expect(await query(adopter, 'postgres', 'select v from orphan_data')).toEqual([{ v: 42 }]);
    } finally {
      await adopter.stop();
    }
    expect(await isGone(serverPid)).toBe(true);
    expect(await canConnect(url)).toBe(false);
    expect(existsSync(path.join(dataDir, 'run', '.s.PGSQL.5432'))).toBe(false);
    await abandoned.stop(); // already down: a no-op
  }, 30_000);

  it('survives Ctrl-C and SIGKILL of the process that started it, and is adopted next time', async () => {
    const dataDir = await tempDataDir();
    const modulePath = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));
    const script = `
      const { startEmbeddedPostgres } = await import(${JSON.stringify(pathToFileURL(modulePath).href)});
      const server = await startEmbeddedPostgres({ dataDir: process.argv[1] });
      console.log('ready ' + server.connectionString('postgres'));
      setInterval(() => {}, 1000);
    `;
    // Its own process group, like a terminal session whose Ctrl-C we can send to the whole group.
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dataDir], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /ready (\S+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const childPid = child.pid;
    if (childPid === undefined) throw new Error('no child pid');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-childPid, 'SIGINT');
    process.kill(-childPid, 'SIGKILL');
    await exited;

    const messages: string[] = [];
    expect(await canConnect(url)).toBe(true);
    const server = await startEmbeddedPostgres({ dataDir, log: (m) => messages.push(m) });
    try {
      expect(messages.some((m) => m.includes('adopting'))).toBe(true);
      expect(await query(server, 'postgres', 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
    expect(await canConnect(url)).toBe(false);
  }, 30_000);

  it.skipIf(process.getuid?.() !== 0)('explains in one line when the postgres user cannot reach the data folder', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'halfsky-pg-test-'));
    roots.push(root);
    await fs.chmod(root, 0o700);
    const error = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(/^embedded PostgreSQL failed to initialize: .*cannot enter/);
    expect(message).not.toContain('\n');
  }, 30_000);

  it('falls back to a short private socket folder when the data folder path is long', async () => {
    const dataDir = path.join(await tempDataDir(), 'a-rather-long-folder-name-'.repeat(4), 'postgres');
    const messages: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir, log: (m) => messages.push(m) });
    try {
      expect(messages.some((m) => m.includes('exceeds'))).toBe(true);
      const host = new URL(server.connectionString('postgres').replace('@/', '@x/')).searchParams.get('host') ?? '';
      expect(host.startsWith(os.tmpdir())).toBe(true);
      expect((await fs.stat(host)).mode & 0o777).toBe(0o700);
      expect(await query(server, 'postgres', 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
      const host = new URL(server.connectionString('postgres').replace('@/', '@x/')).searchParams.get('host');
      if (host !== null) await fs.rm(host, { recursive: true, force: true });
    }
  }, 30_000);
});
