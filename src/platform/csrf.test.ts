import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { demoPassword, signIn, type SignedInClient } from '../../test/workspace.ts';
import type { OrganizationRow } from '../domains/organizations/organization.table.ts';

let testApp: TestApp;
let editor: SignedInClient;
let otherSession: SignedInClient;
let bwf: OrganizationRow;

const ourOrigin = 'http://localhost:80';

async function currentBwf(): Promise<OrganizationRow> {
  return testApp.database.db.selectFrom('organization').selectAll().where('id', '=', bwf.id).executeTakeFirstOrThrow();
}

/** The edit form of BWF with a new English name, as a browser would send it. */
function renameForm(nameEn: string): Record<string, string> {
  return { slug: bwf.slug, nameZh: bwf.name_zh, nameEn, kind: bwf.kind, parentId: '' };
}

/** Posts the BWF edit form with the editor's session cookie and the given extra headers. */
function postForm(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return testApp.app.inject({ method: 'POST', url: `/workspace/organizations/${bwf.id}`, headers: { cookie: editor.cookie, ...headers }, payload: fields });
}

/** A refusal as a user sees it: the workspace's own page saying so, and nothing of the server's insides. */
function expectRefusedPage(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(403);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.body).toMatch(/^<!DOCTYPE html>/i);
  expect(response.body).toContain('请求被拒绝');
  expectNoInsides(response);
}

function expectRefusedJson(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(403);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json()).toMatchObject({ error: { code: 'csrf' } });
  expectNoInsides(response);
}

function expectNoInsides(response: LightMyRequestResponse): void {
  expect(response.body).not.toMatch(/\bat .*\.(ts|tsx|js):\d+/);
  expect(response.body).not.toContain('DomainError');
  expect(response.body).not.toContain('node_modules');
  expect(response.body).not.toContain('"stack"');
}

async function expectBwfUnchanged(): Promise<void> {
  expect(await currentBwf()).toEqual(bwf);
}

beforeAll(async () => {
  testApp = await createTestApp();
  editor = await signIn(testApp.app, 'editor@bwf.example.org');
  otherSession = await signIn(testApp.app, 'editor@bwf.example.org');
  bwf = await testApp.database.db.selectFrom('organization').selectAll().where('slug', '=', 'bwf').executeTakeFirstOrThrow();
});
afterAll(async () => {
  await testApp.close();
});

describe('workspace forms', () => {
  it('refuse a form without the CSRF token, and change nothing', async () => {
    expectRefusedPage(await postForm(renameForm('No token'), { origin: ourOrigin }));
    await expectBwfUnchanged();
  });

  it('refuse the CSRF token of another session of the same account', async () => {
    expect(otherSession.csrfToken).not.toBe(editor.csrfToken);
    expectRefusedPage(await postForm({ ...renameForm('Other session token'), _csrf: otherSession.csrfToken }, { origin: ourOrigin }));
    await expectBwfUnchanged();
  });

  it('refuse a form from another site even with the right token', async () => {
    expectRefusedPage(await postForm({ ...renameForm('Foreign origin'), _csrf: editor.csrfToken }, { origin: 'https://evil.example' }));
    expectRefusedPage(await postForm({ ...renameForm('Null origin'), _csrf: editor.csrfToken }, { origin: 'null' }));
    await expectBwfUnchanged();
  });

  it('refuse a cross-site request without an Origin, by Sec-Fetch-Site', async () => {
    expectRefusedPage(await postForm({ ...renameForm('Cross site'), _csrf: editor.csrfToken }, { 'sec-fetch-site': 'cross-site' }));
    expectRefusedPage(await postForm({ ...renameForm('Same site'), _csrf: editor.csrfToken }, { 'sec-fetch-site': 'same-site' }));
    await expectBwfUnchanged();
  });

  it('accept the right token from our own origin (the control case)', async () => {
    const response = await postForm({ ...renameForm('Renamed properly'), _csrf: editor.csrfToken }, { origin: ourOrigin, 'sec-fetch-site': 'same-origin' });
    expect(response.statusCode).toBe(200);
    expect((await currentBwf()).name_en).toBe('Renamed properly');
    bwf = await currentBwf();
  });

  it('refuse signing out without the token, which keeps the session', async () => {
    const response = await testApp.app.inject({ method: 'POST', url: '/workspace/sign-out', headers: { cookie: editor.cookie, origin: ourOrigin }, payload: {} });
    expectRefusedPage(response);
    expect((await editor.get('/workspace')).statusCode).toBe(200);
  });
});

describe('the JSON API', () => {
  it('refuses a change with a session cookie but no x-csrf-token header, as JSON', async () => {
    const response = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${bwf.id}`,
      headers: { cookie: editor.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ nameEn: 'Patched without token' }),
    });
    expectRefusedJson(response);
    await expectBwfUnchanged();
  });

  it('refuses a change with a session cookie and another session token, or from another site', async () => {
    const otherToken = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${bwf.id}`,
      headers: { cookie: editor.cookie, 'x-csrf-token': otherSession.csrfToken, 'content-type': 'application/json' },
      payload: JSON.stringify({ nameEn: 'Patched with another token' }),
    });
    expectRefusedJson(otherToken);
    const foreign = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${bwf.id}`,
      headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: JSON.stringify({ nameEn: 'Patched from evil' }),
    });
    expectRefusedJson(foreign);
    await expectBwfUnchanged();
  });

  it('lets a session read without the header', async () => {
    const response = await testApp.app.inject({ url: `/api/v1/organizations/${bwf.id}`, headers: { cookie: editor.cookie } });
    expect(response.statusCode).toBe(200);
  });

  it('takes a Bearer token without any CSRF token', async () => {
    const created = await editor.post('/workspace/account/tokens', { name: 'csrf test', days: '30' });
    expect(created.statusCode).toBe(200);
    const token = /<code>(hsk_[\w-]+)<\/code>/.exec(created.body)?.[1];
    if (!token) throw new Error('no token shown');
    const response = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${bwf.id}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ nameEn: 'Patched with a token' }),
    });
    expect(response.statusCode).toBe(200);
    expect((await currentBwf()).name_en).toBe('Patched with a token');
    bwf = await currentBwf();
  });
});

describe('the sign-in form', () => {
  const email = 'editor@bwf.example.org';
  const password = demoPassword(email);

  async function signInForm(): Promise<{ cookie: string; field: string }> {
    const form = await testApp.app.inject({ url: '/workspace/sign-in' });
    const cookie = form.cookies.find((candidate) => candidate.name === 'halfsky_signin_csrf')?.value;
    const field = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    if (!cookie || !field) throw new Error('the sign-in form carries no CSRF token');
    return { cookie, field };
  }

  function post(fields: Record<string, string>, headers: Record<string, string>): Promise<LightMyRequestResponse> {
    return testApp.app.inject({ method: 'POST', url: '/workspace/sign-in', headers: { origin: ourOrigin, ...headers }, payload: { email, password, ...fields } });
  }

  function expectNotSignedIn(response: LightMyRequestResponse): void {
    expectRefusedPage(response);
    expect(response.cookies.some((cookie) => cookie.name === 'halfsky_session')).toBe(false);
  }

  it('refuses a sign-in without the field, without the cookie, or with either not matching', async () => {
    const { cookie, field } = await signInForm();
    expectNotSignedIn(await post({}, { cookie: `halfsky_signin_csrf=${cookie}` }));
    expectNotSignedIn(await post({ _csrf: field }, {}));
    expectNotSignedIn(await post({ _csrf: field }, { cookie: 'halfsky_signin_csrf=something-else' }));
    const other = await signInForm();
    expectNotSignedIn(await post({ _csrf: other.field }, { cookie: `halfsky_signin_csrf=${cookie}` }));
  });

  it('refuses an empty field with no cookie (empty does not match empty)', async () => {
    expectNotSignedIn(await post({ _csrf: '' }, {}));
    expectNotSignedIn(await post({ _csrf: '' }, { cookie: 'halfsky_signin_csrf=' }));
  });

  it('refuses a sign-in posted from another site, even with the right tokens', async () => {
    const { cookie, field } = await signInForm();
    expectNotSignedIn(await post({ _csrf: field }, { cookie: `halfsky_signin_csrf=${cookie}`, origin: 'https://evil.example' }));
  });

  it('signs in with both tokens from our own origin (the control case)', async () => {
    const { cookie, field } = await signInForm();
    const response = await post({ _csrf: field }, { cookie: `halfsky_signin_csrf=${cookie}` });
    expect(response.statusCode).toBe(303);
    expect(response.cookies.some((candidate) => candidate.name === 'halfsky_session')).toBe(true);
  });
});
