import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { demoPassword, signIn, submitSignIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let admin: SignedInClient;
let bwfId: number;
let twfId: number;

async function organizationId(slug: string): Promise<number> {
  return (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

async function accountId(email: string): Promise<number> {
  return (await testApp.database.db.selectFrom('user_account').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function latestAudit(entityId: number) {
  return testApp.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_type', '=', 'user_account')
    .where('entity_id', '=', String(entityId))
    .where('action', '<>', 'sign_in')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  testApp = await createTestApp();
  admin = await signIn(testApp.app, 'admin@bwf.example.org');
  bwfId = await organizationId('bwf');
  twfId = await organizationId('twf');
});
afterAll(async () => {
  await testApp.close();
});

describe('accounts administration', () => {
  it('lists the accounts with their status and roles', async () => {
    const response = await admin.get('/workspace/accounts');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('editor@twf.example.org');
    expect(response.body).toContain('TWF Editor');
    expect(response.body).toContain('天津市妇女联合会 · 编辑');
  });

  it('creates an account with a role, and the new account signs in', async () => {
    const form = await admin.get('/workspace/accounts/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`<option value="${bwfId}"`);
    const response = await admin.post('/workspace/accounts', {
      email: 'Publicity@BWF.example.org',
      displayName: 'BWF Publicity',
      password: 'a long initial password',
      organizationId: String(bwfId),
      role: 'editor',
    });
    expect(response.statusCode).toBe(303);
    const id = await accountId('publicity@bwf.example.org');
    expect(response.headers.location).toBe(`/workspace/accounts/${id}`);
    const detail = await admin.get(`/workspace/accounts/${id}`);
    expect(detail.body).toContain('BWF Publicity');
    expect(detail.body).toContain(`/workspace/audit?actor=${id}`);

    const newcomer = await signIn(testApp.app, 'publicity@bwf.example.org', 'a long initial password');
    const dashboard = await newcomer.get('/workspace');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('BWF Publicity');
    expect(dashboard.body).not.toContain('href="/workspace/accounts"');

    const audit = await latestAudit(id);
    expect(audit.action).toBe('create');
    expect(audit.after).toMatchObject({ email: 'publicity@bwf.example.org', isPlatformAdmin: false, status: 'active', roles: { bwf: 'editor' } });
  });

  it('re-renders the form with a message beside each wrong field, and a taken email beside the email', async () => {
    const wrong = await admin.post('/workspace/accounts', { email: 'not-an-email', displayName: '', password: 'short', organizationId: String(bwfId), role: '' });
    expect(wrong.statusCode).toBe(400);
    for (const field of ['email', 'displayName', 'password', 'role']) expect(wrong.body).toMatch(new RegExp(`id="${field}-error"`));
    expect(wrong.body).toContain('value="not-an-email"');
    expect(wrong.body).not.toContain('value="short"');

    const taken = await admin.post('/workspace/accounts', {
      email: 'EDITOR@bwf.example.org',
      displayName: 'Someone Else',
      password: 'a long initial password',
      isPlatformAdmin: 'on',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toMatch(/id="email-error"[^>]*>An account with this email exists already\./);
    expect(taken.body).toContain('value="Someone Else"');
    expect(taken.body).toMatch(/id="isPlatformAdmin"[^>]*checked/);
  });

  it('adds, changes and removes a role, each audited with before and after', async () => {
    const id = await accountId('editor@twf.example.org');
    const added = await admin.post(`/workspace/accounts/${id}/memberships`, { organizationId: String(bwfId), role: 'viewer' });
    expect(added.statusCode).toBe(200);
    let audit = await latestAudit(id);
    expect(audit.action).toBe('set_role');
    expect(audit.before).toMatchObject({ roles: { twf: 'editor' } });
    expect(audit.after).toMatchObject({ roles: { twf: 'editor', bwf: 'viewer' } });

    await admin.post(`/workspace/accounts/${id}/memberships`, { organizationId: String(bwfId), role: 'reviewer' });
    audit = await latestAudit(id);
    expect(audit.after).toMatchObject({ roles: { bwf: 'reviewer' } });

    const confirm = await admin.get(`/workspace/accounts/${id}/memberships/${bwfId}/remove`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`action="/workspace/accounts/${id}/memberships/${bwfId}/remove"`);
    const removed = await admin.post(`/workspace/accounts/${id}/memberships/${bwfId}/remove`);
    expect(removed.statusCode).toBe(200);
    audit = await latestAudit(id);
    expect(audit.action).toBe('remove_role');
    expect(audit.after).toEqual(expect.objectContaining({ roles: { twf: 'editor' } }));
    const memberships = await testApp.database.db.selectFrom('membership').select('organization_id').where('user_id', '=', id).execute();
    expect(memberships.map((m) => m.organization_id)).toEqual([twfId]);
  });

  it('disabling an account ends its session at once; enabling lets it sign in again', async () => {
    const email = 'reviewer@bwf.example.org';
    const reviewer = await signIn(testApp.app, email);
    expect((await reviewer.get('/workspace')).statusCode).toBe(200);
    const id = await accountId(email);

    const confirm = await admin.get(`/workspace/accounts/${id}/disable`);
    expect(confirm.body).toContain('name="status" value="disabled"');
    const disabled = await admin.post(`/workspace/accounts/${id}/status`, { status: 'disabled' });
    expect(disabled.statusCode).toBe(200);

    const next = await reviewer.get('/workspace/organizations');
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toMatch(/^\/workspace\/sign-in/);
    expect((await submitSignIn(testApp.app, email, demoPassword(email))).statusCode).toBe(401);
    expect((await latestAudit(id)).after).toMatchObject({ status: 'disabled' });

    await admin.post(`/workspace/accounts/${id}/status`, { status: 'active' });
    expect((await submitSignIn(testApp.app, email, demoPassword(email))).statusCode).toBe(303);
  });

  it('refuses to disable the administrator own account', async () => {
    const id = await accountId('admin@bwf.example.org');
    const response = await admin.post(`/workspace/accounts/${id}/status`, { status: 'disabled' });
    expect(response.statusCode).toBe(400);
    expect((await admin.get('/workspace')).statusCode).toBe(200);
  });

  it('resets a password: the account signs out everywhere and only the new password works', async () => {
    const email = 'editor@bwf.example.org';
    const editor = await signIn(testApp.app, email);
    const id = await accountId(email);
    const mismatch = await admin.post(`/workspace/accounts/${id}/password`, { password: 'a new long password', repeatPassword: 'something else' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toMatch(/id="repeatPassword-error"/);

    const reset = await admin.post(`/workspace/accounts/${id}/password`, { password: 'a new long password', repeatPassword: 'a new long password' });
    expect(reset.statusCode).toBe(200);
    expect((await editor.get('/workspace')).statusCode).toBe(303);
    expect((await submitSignIn(testApp.app, email, demoPassword(email))).statusCode).toBe(401);
    expect((await submitSignIn(testApp.app, email, 'a new long password')).statusCode).toBe(303);
    expect((await latestAudit(id)).action).toBe('reset_password');
  });

  it('answers "not found" to anyone but a platform administrator', async () => {
    const editor = await signIn(testApp.app, 'editor@twf.example.org');
    const id = await accountId('editor@twf.example.org');
    for (const url of ['/workspace/accounts', '/workspace/accounts/new', `/workspace/accounts/${id}`, `/workspace/accounts/${id}/disable`]) {
      expect((await editor.get(url)).statusCode, url).toBe(404);
    }
    const post = await editor.post('/workspace/accounts', { email: 'sneaky@twf.example.org', displayName: 'Sneaky', password: 'a long initial password' });
    expect(post.statusCode).toBe(404);
    const promote = await editor.post(`/workspace/accounts/${id}/memberships`, { organizationId: String(bwfId), role: 'administrator' });
    expect(promote.statusCode).toBe(404);
    const stored = await testApp.database.db.selectFrom('user_account').select('id').where('email', '=', 'sneaky@twf.example.org').executeTakeFirst();
    expect(stored).toBeUndefined();
  });
});
