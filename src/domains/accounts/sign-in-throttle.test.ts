import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { demoPassword, signIn } from '../../../test/workspace.ts';
import { buildApp } from '../../app.ts';
import { createAccount } from './account.service.ts';

/**
 * The sign-in throttle as someone trying passwords meets it. Every test signs in from addresses of
 * its own (light-my-request's remoteAddress), so that the per-address limit of one does not reach
 * into another.
 */

const wrongPasswordMessage = 'The email or the password is not right.';

let testApp: TestApp;

function hiddenCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the page carries no CSRF field');
  return match[1];
}

/** Fills in and submits the sign-in form from an address, in English. */
async function attempt(app: FastifyInstance, email: string, password: string, address: string): Promise<LightMyRequestResponse> {
  const headers = { 'accept-language': 'en' };
  const form = await app.inject({ url: '/workspace/sign-in', headers, remoteAddress: address });
  const signInCsrf = form.cookies.find((cookie) => cookie.name === 'halfsky_signin_csrf')?.value ?? '';
  return app.inject({
    method: 'POST',
    url: '/workspace/sign-in',
    remoteAddress: address,
    headers: { ...headers, cookie: `halfsky_signin_csrf=${signInCsrf}`, origin: 'http://localhost:80' },
    payload: { email, password, _csrf: hiddenCsrf(form.body) },
  });
}

/** The message the form shows above its fields. */
function messageOf(response: LightMyRequestResponse): string | undefined {
  return /<div class="alert error" role="alert"><p>(.*?)<\/p>/s.exec(response.body)?.[1];
}

function signedIn(response: LightMyRequestResponse): boolean {
  return response.cookies.some((cookie) => cookie.name === 'halfsky_session' && cookie.value !== '');
}

function expectThrottled(response: LightMyRequestResponse): number {
  expect(response.statusCode).toBe(429);
  expect(messageOf(response)).toMatch(/^Too many failed sign-ins\. Try again in \d+ minute\(s\)\.$/);
  expect(signedIn(response)).toBe(false);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  return retryAfter;
}

function expectWrongPassword(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(401);
  expect(messageOf(response)).toBe(wrongPasswordMessage);
  expect(response.headers['retry-after']).toBeUndefined();
  expect(signedIn(response)).toBe(false);
}

async function failuresOf(email: string): Promise<number> {
  const rows = await testApp.database.db.selectFrom('sign_in_failure').select('id').where('email', '=', email).execute();
  return rows.length;
}

beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

describe('the per-account throttle', () => {
  it('after 5 wrong passwords answers the 6th try, even with the right password, with 429 and Retry-After', async () => {
    const email = 'editor@bwf.example.org';
    // Spelling the email otherwise does not make it another account.
    for (const spelled of [email, 'EDITOR@bwf.example.org', email, ' Editor@BWF.example.org ', email]) {
      expectWrongPassword(await attempt(testApp.app, spelled, 'not-the-password', '10.1.0.1'));
    }
    expect(await failuresOf(email)).toBe(5);

    const sixth = await attempt(testApp.app, email, demoPassword(email), '10.1.0.1');
    const retryAfter = expectThrottled(sixth);
    expect(retryAfter).toBeLessThanOrEqual(15);
    expect(messageOf(sixth)).toBe('Too many failed sign-ins. Try again in 1 minute(s).');
    // The form is shown again with the email kept, for when the wait is over.
    expect(sixth.body).toContain(`value="${email}"`);

    // Another address does not help: the limit is the account's.
    expectThrottled(await attempt(testApp.app, email, demoPassword(email), '10.1.0.2'));
    // Refused tries while throttled are not counted as more failures.
    expect(await failuresOf(email)).toBe(5);
  });

  it('answers an unknown email exactly as a known one at every step, so it tells nobody which accounts exist', async () => {
    const known = 'reviewer@bwf.example.org';
    const unknown = 'no-such-person@bwf.example.org';
    const normalized = (response: LightMyRequestResponse, email: string) =>
      response.body.replaceAll(email, 'EMAIL').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="CSRF"');

    const statuses: number[] = [];
    for (let step = 1; step <= 6; step++) {
      const knownResponse = await attempt(testApp.app, known, step === 6 ? demoPassword(known) : `wrong-${step}`, '10.2.0.1');
      const unknownResponse = await attempt(testApp.app, unknown, `wrong-${step}`, '10.2.0.2');
      expect(unknownResponse.statusCode, `step ${step}`).toBe(knownResponse.statusCode);
      expect(messageOf(unknownResponse), `step ${step}`).toBe(messageOf(knownResponse));
      expect(normalized(unknownResponse, unknown), `step ${step}`).toBe(normalized(knownResponse, known));
      expect(unknownResponse.headers['retry-after'] === undefined, `step ${step}`).toBe(knownResponse.headers['retry-after'] === undefined);
      statuses.push(knownResponse.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('lets the right password in once the wait has passed, and forgets the failures', async () => {
    const email = 'editor@twf.example.org';
    for (let step = 1; step <= 5; step++) expectWrongPassword(await attempt(testApp.app, email, 'not-the-password', '10.5.0.1'));
    expectThrottled(await attempt(testApp.app, email, demoPassword(email), '10.5.0.1'));

    // Two minutes go by.
    await testApp.database.db
      .updateTable('sign_in_failure')
      .set({ at: sql<Date>`at - interval '2 minutes'` })
      .where('email', '=', email)
      .execute();
    const response = await attempt(testApp.app, email, demoPassword(email), '10.5.0.1');
    expect(response.statusCode).toBe(303);
    expect(signedIn(response)).toBe(true);
    expect(await failuresOf(email)).toBe(0);
    // Counting starts again: the next wrong password is just wrong, not throttled.
    expectWrongPassword(await attempt(testApp.app, email, 'not-the-password', '10.5.0.1'));
  });

  it('closes an account to sign-in for the rest of the hour past 20 failures, then opens it again', async () => {
    const email = 'ceiling@bwf.example.org';
    await createAccount(testApp.database.db, null, { email, displayName: 'Ceiling', password: 'ceiling-password-1' });
    // Twenty failures twenty minutes ago, from twenty addresses: past the doubling waits, but not past the hour.
    await testApp.database.db
      .insertInto('sign_in_failure')
      .values(Array.from({ length: 20 }, (_, i) => ({ email, ip: `10.6.0.${i + 1}`, at: new Date(Date.now() - 20 * 60_000) })))
      .execute();
    const closed = await attempt(testApp.app, email, 'ceiling-password-1', '10.6.1.1');
    const retryAfter = expectThrottled(closed);
    expect(retryAfter).toBeGreaterThan(30 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);

    await testApp.database.db.updateTable('sign_in_failure').set({ at: new Date(Date.now() - 61 * 60_000) }).where('email', '=', email).execute();
    expect((await attempt(testApp.app, email, 'ceiling-password-1', '10.6.1.1')).statusCode).toBe(303);
  });
});

describe('the per-address throttle', () => {
  it('engages after 20 failures from one address across many emails, for that address only', async () => {
    const address = '10.4.0.1';
    for (let i = 1; i <= 20; i++) expectWrongPassword(await attempt(testApp.app, `visitor-${i}@example.org`, 'guess', address));
    // No single email is near its own limit.
    expect(await failuresOf('visitor-1@example.org')).toBe(1);

    const admin = 'admin@bwf.example.org';
    expectThrottled(await attempt(testApp.app, admin, demoPassword(admin), address));
    expectThrottled(await attempt(testApp.app, 'visitor-21@example.org', 'guess', address));
    // The account itself is fine, from elsewhere.
    const elsewhere = await attempt(testApp.app, admin, demoPassword(admin), '10.4.0.2');
    expect(elsewhere.statusCode).toBe(303);
  });
});

describe('the throttle across a restart', () => {
  it('still refuses after the app is closed and a new one is built on the same database', async () => {
    const database = await createTestDatabase();
    const build = () => buildApp({ config: { viewFlushMs: 60_000, logLevel: 'silent' }, db: database.db, connectionString: database.connectionString });
    try {
      const email = 'editor@twf.example.org';
      const first = await build();
      await first.ready();
      for (let step = 1; step <= 5; step++) expectWrongPassword(await attempt(first, email, 'not-the-password', '10.3.0.1'));
      await first.close();

      const second = await build();
      await second.ready();
      try {
        expectThrottled(await attempt(second, email, demoPassword(email), '10.3.0.1'));
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('an oversized body', () => {
  const big = 'x'.repeat(1024 * 1024 + 1024);

  it('is refused with 413 on the sign-in form, as the workspace page', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/sign-in',
      headers: { origin: 'http://localhost:80', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=a%40b.example&password=${big}`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(/^<!DOCTYPE html>/i);
    expect(response.body).not.toMatch(/\bat .*\.(ts|tsx|js):\d+/);
  });

  it('is refused with 413 on a signed-in form and on the API, as JSON there', async () => {
    await createAccount(testApp.database.db, null, { email: 'big-body@bwf.example.org', displayName: 'Big Body', password: 'big-body-password' });
    const editor = await signIn(testApp.app, 'big-body@bwf.example.org', 'big-body-password');
    const form = await editor.post('/workspace/organizations', { nameZh: big });
    expect(form.statusCode).toBe(413);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    const api = await editor.api('POST', '/api/v1/organizations', { nameZh: big });
    expect(api.statusCode).toBe(413);
    expect(api.json().error.code).toMatch(/too_large/);
  });
});
