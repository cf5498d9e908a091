import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { demoPassword, signIn, submitSignIn, type SignedInClient } from '../../../test/workspace.ts';
import { createAccount } from './account.service.ts';

let testApp: TestApp;
let bwfId: number;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  return response.cookies.find((cookie) => cookie.name === 'halfsky_session')?.value;
}

function tokenOf(client: SignedInClient): string {
  return client.cookie.slice('halfsky_session='.length);
}

function hiddenCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the page carries no CSRF field');
  return match[1];
}

/** A signed-in client is let in: the dashboard opens and the API answers. */
async function expectLive(client: SignedInClient): Promise<void> {
  expect((await client.get('/workspace')).statusCode).toBe(200);
  expect((await client.api('GET', '/api/v1/organizations?limit=1')).statusCode).toBe(200);
}

/** A client whose session has ended is sent to sign in, and the API refuses it. */
async function expectRefused(client: SignedInClient): Promise<void> {
  const page = await client.get('/workspace');
  expect(page.statusCode).toBe(303);
  expect(page.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace');
  const api = await client.api('GET', '/api/v1/organizations?limit=1');
  expect(api.statusCode).toBe(401);
  expect(api.json().error.code).toBe('unauthenticated');
}

async function setSession(client: SignedInClient, changes: { last_seen_at?: Date; expires_at?: Date }): Promise<void> {
  await testApp.database.db.updateTable('session').set(changes).where('id_hash', '=', sha256(tokenOf(client))).execute();
}

async function makeAccount(email: string, password: string): Promise<void> {
  await createAccount(testApp.database.db, null, {
    email,
    displayName: email,
    password,
    memberships: [{ organizationId: bwfId, role: 'editor' }],
  });
}

beforeAll(async () => {
  testApp = await createTestApp();
  bwfId = (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await testApp.close();
});

describe('signing in', () => {
  it('gives a new session id every time', async () => {
    const first = await signIn(testApp.app, 'editor@bwf.example.org');
    const second = await signIn(testApp.app, 'editor@bwf.example.org');
    expect(tokenOf(first)).not.toBe(tokenOf(second));
    expect(tokenOf(first)).toMatch(/^[\w-]{43}$/);
    await expectLive(first);
    await expectLive(second);
  });

  it('does not keep a session id planted before sign-in', async () => {
    const planted = 'halfsky_session=planted-by-someone-else';
    const form = await testApp.app.inject({ url: '/workspace/sign-in', headers: { cookie: planted } });
    expect(form.statusCode).toBe(200);
    const signInCsrf = form.cookies.find((cookie) => cookie.name === 'halfsky_signin_csrf')?.value ?? '';
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/sign-in',
      headers: { cookie: `${planted}; halfsky_signin_csrf=${signInCsrf}`, origin: 'http://localhost:80' },
      payload: { email: 'editor@bwf.example.org', password: demoPassword('editor@bwf.example.org'), _csrf: hiddenCsrf(form.body) },
    });
    expect(response.statusCode).toBe(303);
    const issued = sessionCookieOf(response);
    expect(issued).toBeDefined();
    expect(issued).not.toBe('planted-by-someone-else');
    // The planted id opens nothing; the issued one does.
    const withPlanted = await testApp.app.inject({ url: '/workspace', headers: { cookie: planted } });
    expect(withPlanted.statusCode).toBe(303);
    const withIssued = await testApp.app.inject({ url: '/workspace', headers: { cookie: `halfsky_session=${issued}` } });
    expect(withIssued.statusCode).toBe(200);
    const plantedRow = await testApp.database.db.selectFrom('session').select('id_hash').where('id_hash', '=', sha256('planted-by-someone-else')).executeTakeFirst();
    expect(plantedRow).toBeUndefined();
  });

  it('replaces the session a browser already had when it signs in again', async () => {
    const before = await signIn(testApp.app, 'reviewer@bwf.example.org');
    const form = await testApp.app.inject({ url: '/workspace/sign-in' });
    const signInCsrf = form.cookies.find((cookie) => cookie.name === 'halfsky_signin_csrf')?.value ?? '';
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/sign-in',
      headers: { cookie: `${before.cookie}; halfsky_signin_csrf=${signInCsrf}`, origin: 'http://localhost:80' },
      payload: { email: 'editor@bwf.example.org', password: demoPassword('editor@bwf.example.org'), _csrf: hiddenCsrf(form.body) },
    });
    expect(response.statusCode).toBe(303);
    const issued = sessionCookieOf(response);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(tokenOf(before));
    // The replaced session is closed on the server too, not merely forgotten by the browser.
    await expectRefused(before);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, for the whole site, without a domain, and not Secure over plain HTTP', async () => {
    const response = await submitSignIn(testApp.app, 'editor@bwf.example.org', demoPassword('editor@bwf.example.org'));
    expect(response.statusCode).toBe(303);
    const cookie = response.cookies.find((candidate) => candidate.name === 'halfsky_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 12 * 3600 });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.domain).toBeUndefined();
    expect(response.cookies.some((candidate) => candidate.name.startsWith('__Host-'))).toBe(false);
  });

  describe('over HTTPS', () => {
    // A throwaway self-signed certificate for localhost, valid until 2126, made for this test only
    // (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
    // -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1). Not a secret.
    const testKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgO21TLjM8qAFgT1hp
vmfBp1GdRi+zKXtl0W9RrO2plYqhRANCAASePAkAI0MM/RssbbQVXOpES6twQwHA
epprCrTGW9tY1JGZzqYMMVK89YhyqwYfLjocj9BntnXkZB3vRjv3H0HK
-----END PRIVATE KEY-----
`;
    const testCertificate = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUP6/Mu4Y75Xn9sEbKo4NRJtkPdBMwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNDA0MjEyNVoYDzIxMjYxMDMx
MDQyMTI1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASePAkAI0MM/RssbbQVXOpES6twQwHAepprCrTGW9tY1JGZzqYMMVK8
9YhyqwYfLjocj9BntnXkZB3vRjv3H0HKo28wbTAdBgNVHQ4EFgQUTC2hMxDqYCve
4dwE8pIVLiM8vxUwHwYDVR0jBBgwFoAUTC2hMxDqYCve4dwE8pIVLiM8vxUwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDRwAwRAIgO43bQuxSMPH2PQa8eZtS7YiV9TzqrgLPcGl7lalsUFICIHtM
dyV7pmzAFfgHB9Q5Lq8PexWrcp4VGdSZAX9EI0im
-----END CERTIFICATE-----
`;
    let server: https.Server;
    let port: number;

    interface TlsResponse {
      status: number;
      headers: IncomingHttpHeaders;
      body: string;
    }

    /** A request to the app over real TLS (the socket is encrypted, so the app sees https). */
    function tlsRequest(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, form?: Record<string, string>): Promise<TlsResponse> {
      const body = form ? new URLSearchParams(form).toString() : undefined;
      return new Promise((resolve, reject) => {
        const request = https.request(
          {
            host: '127.0.0.1',
            servername: 'localhost',
            port,
            method,
            path,
            ca: testCertificate,
            agent: false,
            headers: {
              host: `localhost:${port}`,
              ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) }),
              ...headers,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    }

    function setCookie(response: TlsResponse, name: string): string | undefined {
      return response.headers['set-cookie']?.find((line) => line.startsWith(`${name}=`));
    }

    beforeAll(async () => {
      server = https.createServer({ key: testKey, cert: testCertificate }, testApp.app.routing);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('is named __Host-halfsky_session and is Secure, HttpOnly, SameSite=Lax, Path=/ and without a domain', async () => {
      const form = await tlsRequest('GET', '/workspace/sign-in');
      expect(form.status).toBe(200);
      const signInCsrfLine = setCookie(form, 'halfsky_signin_csrf');
      expect(signInCsrfLine).toMatch(/; Secure/);
      const signInCsrf = /^halfsky_signin_csrf=([^;]+)/.exec(signInCsrfLine ?? '')?.[1] ?? '';

      const response = await tlsRequest(
        'POST',
        '/workspace/sign-in',
        { cookie: `halfsky_signin_csrf=${signInCsrf}`, origin: `https://localhost:${port}` },
        { email: 'editor@bwf.example.org', password: demoPassword('editor@bwf.example.org'), _csrf: hiddenCsrf(form.body) },
      );
      expect(response.status).toBe(303);
      expect(setCookie(response, 'halfsky_session')).toBeUndefined();
      const line = setCookie(response, '__Host-halfsky_session');
      expect(line).toBeDefined();
      const attributes = (line ?? '').split(/;\s*/).slice(1).map((attribute) => attribute.toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
      expect(attributes.some((attribute) => attribute.startsWith('domain='))).toBe(false);

      const token = /^__Host-halfsky_session=([^;]+)/.exec(line ?? '')?.[1] ?? '';
      const dashboard = await tlsRequest('GET', '/workspace', { cookie: `__Host-halfsky_session=${token}` });
      expect(dashboard.status).toBe(200);
      // Over HTTPS only the prefixed cookie counts: a plain one (which a sibling subdomain could plant) does not.
      const plain = await tlsRequest('GET', '/workspace', { cookie: `halfsky_session=${token}` });
      expect(plain.status).toBe(303);
    });
  });
});

describe('a session that has ended', () => {
  it('is refused at once after signing out, and the cookie is cleared', async () => {
    const client = await signIn(testApp.app, 'editor@bwf.example.org');
    await expectLive(client);
    const response = await client.post('/workspace/sign-out');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/workspace/sign-in');
    const cleared = response.cookies.find((cookie) => cookie.name === 'halfsky_session');
    expect(cleared?.value).toBe('');
    await expectRefused(client);
  });

  it('is refused at once when its row is deleted', async () => {
    const client = await signIn(testApp.app, 'editor@bwf.example.org');
    await expectLive(client);
    await testApp.database.db.deleteFrom('session').where('id_hash', '=', sha256(tokenOf(client))).execute();
    await expectRefused(client);
  });

  it('is refused at once after "sign out everywhere else" from another session, which stays', async () => {
    await makeAccount('elsewhere@bwf.example.org', 'elsewhere-password-1');
    const laptop = await signIn(testApp.app, 'elsewhere@bwf.example.org', 'elsewhere-password-1');
    const phone = await signIn(testApp.app, 'elsewhere@bwf.example.org', 'elsewhere-password-1');
    const tablet = await signIn(testApp.app, 'elsewhere@bwf.example.org', 'elsewhere-password-1');
    const response = await laptop.post('/workspace/account/sign-out-others');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('已退出其他 2 个会话。');
    await expectRefused(phone);
    await expectRefused(tablet);
    await expectLive(laptop);
  });

  it('is refused after 30 minutes idle, and not before', async () => {
    const client = await signIn(testApp.app, 'editor@bwf.example.org');
    await setSession(client, { last_seen_at: new Date(Date.now() - 29 * 60_000) });
    await expectLive(client);
    await setSession(client, { last_seen_at: new Date(Date.now() - 31 * 60_000) });
    await expectRefused(client);
  });

  it('is refused after its absolute end, however active it is', async () => {
    const client = await signIn(testApp.app, 'editor@bwf.example.org');
    const row = await testApp.database.db.selectFrom('session').selectAll().where('id_hash', '=', sha256(tokenOf(client))).executeTakeFirstOrThrow();
    // Twelve hours after signing in.
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeLessThan(12 * 3600_000 + 60_000);
    await setSession(client, { expires_at: new Date(Date.now() - 1000), last_seen_at: new Date() });
    await expectRefused(client);
  });
});

describe('changing the password', () => {
  it('ends the other sessions but keeps this one, and only the new password signs in', async () => {
    await makeAccount('changer@bwf.example.org', 'old-password-123');
    const here = await signIn(testApp.app, 'changer@bwf.example.org', 'old-password-123');
    const there = await signIn(testApp.app, 'changer@bwf.example.org', 'old-password-123');

    const wrong = await here.post('/workspace/account/password', {
      currentPassword: 'not-the-password',
      newPassword: 'new-password-456',
      repeatPassword: 'new-password-456',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('当前密码不正确。');
    await expectLive(there);

    const response = await here.post('/workspace/account/password', {
      currentPassword: 'old-password-123',
      newPassword: 'new-password-456',
      repeatPassword: 'new-password-456',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('密码已修改，其他会话已退出。');
    await expectLive(here);
    await expectRefused(there);

    expect((await submitSignIn(testApp.app, 'changer@bwf.example.org', 'old-password-123')).statusCode).toBe(401);
    expect((await submitSignIn(testApp.app, 'changer@bwf.example.org', 'new-password-456')).statusCode).toBe(303);
  });
});

describe('the sessions page', () => {
  it('lists the account sessions and marks the current one', async () => {
    await makeAccount('two-browsers@bwf.example.org', 'two-browsers-password');
    const signInWith = async (userAgent: string): Promise<SignedInClient & { userAgent: string }> => {
      const response = await submitSignIn(testApp.app, 'two-browsers@bwf.example.org', 'two-browsers-password', { 'user-agent': userAgent });
      expect(response.statusCode).toBe(303);
      const cookie = `halfsky_session=${sessionCookieOf(response)}`;
      const get = (url: string) => testApp.app.inject({ url, headers: { cookie, 'user-agent': userAgent } });
      return { userAgent, cookie, csrfToken: '', get, post: () => Promise.reject(new Error('unused')), api: () => Promise.reject(new Error('unused')) };
    };
    const one = await signInWith('Session Test Browser One');
    const two = await signInWith('Session Test Browser Two');

    const rowsOf = (html: string) => [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((match) => match[1] ?? '');
    for (const [viewer, other] of [
      [two, one],
      [one, two],
    ] as const) {
      const page = await viewer.get('/workspace/account');
      expect(page.statusCode).toBe(200);
      const rows = rowsOf(page.body);
      const mine = rows.filter((row) => row.includes(viewer.userAgent));
      const theirs = rows.filter((row) => row.includes(other.userAgent));
      expect(mine).toHaveLength(1);
      expect(theirs).toHaveLength(1);
      expect(mine[0]).toContain('(当前)');
      expect(theirs[0]).not.toContain('(当前)');
      expect(page.body.split('(当前)')).toHaveLength(2);
    }
  });
});

describe('stored sessions', () => {
  it('keep only the SHA-256 of the session id, never the id itself', async () => {
    const client = await signIn(testApp.app, 'editor@bwf.example.org');
    const token = tokenOf(client);
    const row = await testApp.database.db.selectFrom('session').selectAll().where('id_hash', '=', sha256(token)).executeTakeFirst();
    expect(row).toBeDefined();
    const everything = await sql<{ dump: string }>`select coalesce(string_agg(session::text, '\n'), '') as dump from session`.execute(testApp.database.db);
    expect(everything.rows[0]?.dump).not.toContain(token);
  });
});
