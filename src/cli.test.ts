import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

/** Runs `halfsky` as an operator would and returns its exit code and output. */
async function halfsky(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin/halfsky.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('the halfsky command', () => {
  it('explains itself with --help', async () => {
    const result = await halfsky(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: halfsky <command>');
    for (const command of ['serve', 'migrate', 'demo', 'user add', 'user reset-password']) expect(result.stdout).toContain(`  ${command} `);
  });

  it('refuses an unknown command in one line with a non-zero exit', async () => {
    const result = await halfsky(['publish-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('halfsky: unknown command "publish-everything"; see halfsky --help\n');
  });

  it('refuses a bad setting in one line before touching anything', async () => {
    const result = await halfsky(['serve'], { PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('invalid PORT="abc"');
  });

  it('migrates and loads the demo into a PostgreSQL server named by DATABASE_URL, adding only what is missing', async () => {
    const env = { DATABASE_URL: database.connectionString, LOG_LEVEL: 'silent' };
    const migrate = await halfsky(['migrate'], env);
    expect(migrate).toMatchObject({ code: 0, stdout: 'the schema is up to date\n' });
    await database.db.deleteFrom('article').where('slug', '=', '2024-03-25-beijing-tianjin-exchange').execute();
    const demo = await halfsky(['demo'], env);
    expect(demo.code).toBe(0);
    const [report, accountsHeading, ...accountLines] = demo.stdout.trimEnd().split('\n');
    expect(report).toBe('demo data: added 0 organizations, 0 sites, 0 sections, 1 articles, 0 places, 0 facilities, 0 activities, 0 agreements');
    expect(accountsHeading).toBe('demo accounts (password), sign in at http://127.0.0.1:3000/workspace:');
    expect(accountLines).toContain('  admin@bwf.example.org (halfsky-admin-demo) — platform administrator, BWF administrator');
    expect(accountLines).toHaveLength(4);
  });

  it('says in one line when the database cannot be reached', async () => {
    const result = await halfsky(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^halfsky: error: .*ECONNREFUSED/);
  });
});
