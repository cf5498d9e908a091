import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { demoPassword } from '../../../test/workspace.ts';
import * as accountService from './account.service.ts';

const root = path.resolve(import.meta.dirname, '../../..');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** Runs `halfsky` as an operator would, with `input` on standard input; returns its exit code and output. */
function halfsky(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/halfsky.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: database.connectionString, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function signsIn(email: string, password: string): Promise<boolean> {
  try {
    await accountService.signIn(database.db, { email, password, ip: '192.0.2.1', userAgent: 'test' });
    return true;
  } catch {
    return false;
  }
}

describe('halfsky user add', () => {
  it('creates an account with the password from standard input, audited as the operator', async () => {
    const result = await halfsky(
      ['user', 'add', '--email', 'Volunteer@BWF.example.org', '--name', 'Volunteer Coordinator', '--organization', 'bwf', '--role', 'organizer'],
      'correct horse battery\nignored second line\n',
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^created account \d+ for volunteer@bwf\.example\.org \(organizer of bwf\)\n$/);
    expect(await signsIn('volunteer@bwf.example.org', 'correct horse battery')).toBe(true);
    const account = await database.db.selectFrom('user_account').selectAll().where('email', '=', 'volunteer@bwf.example.org').executeTakeFirstOrThrow();
    expect(account.is_platform_admin).toBe(false);
    const audit = await database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'user_account').where('entity_id', '=', String(account.id)).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'create', actor_user_id: null });
    expect(audit.after).toMatchObject({ email: 'volunteer@bwf.example.org', roles: { bwf: 'organizer' } });
    expect(JSON.stringify(audit.after)).not.toContain('correct horse');
  });

  it('refuses a short password in one line, creating nothing', async () => {
    const result = await halfsky(['user', 'add', '--email', 'short@bwf.example.org', '--name', 'Short'], 'too-short\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('halfsky: the password is too short: at least 12 characters are needed\n');
    expect(result.stdout).toBe('');
    const stored = await database.db.selectFrom('user_account').select('id').where('email', '=', 'short@bwf.example.org').executeTakeFirst();
    expect(stored).toBeUndefined();
  });

  it('refuses a password given on the command line as an unknown option', async () => {
    for (const option of [['--password', 'correct horse battery'], ['--password=correct horse battery']]) {
      const result = await halfsky(['user', 'add', '--email', 'argv@bwf.example.org', '--name', 'Argv', ...option], '');
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('--password is not accepted');
    }
  });

  it('checks the email, the role and the organization in one line each', async () => {
    const badEmail = await halfsky(['user', 'add', '--email', 'not-an-email', '--name', 'X'], 'correct horse battery\n');
    expect(badEmail).toMatchObject({ code: 2, stderr: 'halfsky: --email "not-an-email" is not an email address\n' });
    const badRole = await halfsky(['user', 'add', '--email', 'x@bwf.example.org', '--name', 'X', '--organization', 'bwf', '--role', 'queen'], 'correct horse battery\n');
    expect(badRole).toMatchObject({ code: 2, stderr: 'halfsky: --role must be one of administrator, editor, reviewer, organizer, viewer\n' });
    const badOrganization = await halfsky(
      ['user', 'add', '--email', 'x@bwf.example.org', '--name', 'X', '--organization', 'atlantis', '--role', 'viewer'],
      'correct horse battery\n',
    );
    expect(badOrganization).toMatchObject({ code: 1, stderr: 'halfsky: No organization has the short name "atlantis".\n' });
    const taken = await halfsky(['user', 'add', '--email', 'editor@bwf.example.org', '--name', 'Again'], 'correct horse battery\n');
    expect(taken).toMatchObject({ code: 1, stderr: 'halfsky: An account with this email exists already.\n' });
  });

  it('makes a platform administrator with --admin', async () => {
    const result = await halfsky(['user', 'add', '--email', 'operator@example.org', '--name', 'Operator', '--admin'], 'a platform administrator password\n');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/\(platform administrator\)\n$/);
    const account = await database.db.selectFrom('user_account').selectAll().where('email', '=', 'operator@example.org').executeTakeFirstOrThrow();
    expect(account.is_platform_admin).toBe(true);
  });
});

describe('halfsky user reset-password', () => {
  it('sets the new password from standard input: the old one no longer signs in', async () => {
    const email = 'reviewer@bwf.example.org';
    expect(await signsIn(email, demoPassword(email))).toBe(true);
    const result = await halfsky(['user', 'reset-password', '--email', email], 'a brand new reviewer password\r\n');
    expect(result).toMatchObject({ code: 0, stdout: `password reset for ${email}; its sessions were ended\n`, stderr: '' });
    expect(await database.db.selectFrom('session').innerJoin('user_account', 'user_account.id', 'session.user_id').where('email', '=', email).select('id_hash').execute()).toEqual([]);
    expect(await signsIn(email, demoPassword(email))).toBe(false);
    expect(await signsIn(email, 'a brand new reviewer password')).toBe(true);
  });

  it('says so in one line when no account has the email', async () => {
    const result = await halfsky(['user', 'reset-password', '--email', 'nobody@example.org'], 'a brand new password\n');
    expect(result).toMatchObject({ code: 1, stderr: 'halfsky: No account has this email.\n' });
  });
});
