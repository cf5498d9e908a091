import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let bwfId: number;
let twfId: number;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Creates a token on the account page as a user does; returns the secret shown once. */
async function createToken(client: SignedInClient, name: string): Promise<string> {
  const response = await client.post('/workspace/account/tokens', { name, days: '30' });
  expect(response.statusCode).toBe(200);
  const token = /<code>(hsk_[\w-]+)<\/code>/.exec(response.body)?.[1];
  if (!token) throw new Error('the page shows no new token');
  return token;
}

async function tokenRow(token: string) {
  return testApp.database.db.selectFrom('api_token').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirstOrThrow();
}

function withToken(token: string, method: 'GET' | 'PATCH' = 'GET', url = '/api/v1/organizations', body?: unknown): Promise<LightMyRequestResponse> {
  return testApp.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

function expectUnauthenticated(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(401);
  expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: 'The API token is not valid, has expired or was revoked.' } });
}

beforeAll(async () => {
  testApp = await createTestApp();
  bwfEditor = await signIn(testApp.app, 'editor@bwf.example.org');
  twfEditor = await signIn(testApp.app, 'editor@twf.example.org');
  const idOf = async (slug: string) =>
    (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  bwfId = await idOf('bwf');
  twfId = await idOf('twf');
});
afterAll(async () => {
  await testApp.close();
});

describe('personal API tokens', () => {
  it('are made on the account page, shown once, and open the API as a Bearer token', async () => {
    const token = await createToken(bwfEditor, 'Newsletter sync');
    expect(token).toMatch(/^hsk_[\w-]{43}$/);

    const later = await bwfEditor.get('/workspace/account');
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('Newsletter sync');
    expect(later.body).not.toContain(token);

    const response = await withToken(token);
    expect(response.statusCode).toBe(200);
    expect(response.json().items.length).toBeGreaterThan(0);
    // Using it shows on the page.
    expect((await tokenRow(token)).last_used_at).not.toBeNull();
  });

  it('are stored as their SHA-256 only', async () => {
    const token = await createToken(bwfEditor, 'Digest check');
    const row = await tokenRow(token);
    expect(row.token_hash).toBe(sha256(token));
    const everything = await sql<{ dump: string }>`select string_agg(api_token::text, '\n') as dump from api_token`.execute(testApp.database.db);
    expect(everything.rows[0]?.dump).not.toContain(token);
    expect(everything.rows[0]?.dump).not.toContain(token.slice(4));
  });

  it('are refused at once once revoked', async () => {
    const token = await createToken(bwfEditor, 'To revoke');
    expect((await withToken(token)).statusCode).toBe(200);
    const { id } = await tokenRow(token);
    const revoke = await bwfEditor.post(`/workspace/account/tokens/${id}/revoke`);
    expect(revoke.statusCode).toBe(303);
    expectUnauthenticated(await withToken(token));
    const page = await bwfEditor.get('/workspace/account');
    expect(page.body).toContain('已撤销');
  });

  it('cannot be revoked by someone else, who is told "not found"', async () => {
    const token = await createToken(bwfEditor, 'Not yours');
    const { id } = await tokenRow(token);
    const response = await twfEditor.post(`/workspace/account/tokens/${id}/revoke`);
    expect(response.statusCode).toBe(404);
    expect((await withToken(token)).statusCode).toBe(200);
  });

  it('are refused once expired', async () => {
    const token = await createToken(bwfEditor, 'To expire');
    expect((await withToken(token)).statusCode).toBe(200);
    await testApp.database.db.updateTable('api_token').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(token)).execute();
    expectUnauthenticated(await withToken(token));
  });

  it('are refused when made up or malformed', async () => {
    expectUnauthenticated(await withToken('hsk_madeUpTokenThatNobodyWasEverGiven0000000000'));
    const basic = await testApp.app.inject({ url: '/api/v1/organizations', headers: { authorization: 'Basic ZWRpdG9yOnBhc3N3b3Jk' } });
    expect(basic.statusCode).toBe(401);
  });

  it('act with their owner roles: a TWF editor token cannot change BWF (404) but can change TWF', async () => {
    const token = await createToken(twfEditor, 'Tianjin integration');
    const before = await testApp.database.db.selectFrom('organization').selectAll().where('id', '=', bwfId).executeTakeFirstOrThrow();

    const read = await withToken(token, 'GET', `/api/v1/organizations/${bwfId}`);
    expect(read.statusCode).toBe(200);
    const refused = await withToken(token, 'PATCH', `/api/v1/organizations/${bwfId}`, { nameEn: 'Taken over by token' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    const after = await testApp.database.db.selectFrom('organization').selectAll().where('id', '=', bwfId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);

    const own = await withToken(token, 'PATCH', `/api/v1/organizations/${twfId}`, { nameEn: "Tianjin Municipal Women's Federation" });
    expect(own.statusCode).toBe(200);
    expect(own.json().nameEn).toBe("Tianjin Municipal Women's Federation");
  });
});

describe('calendar tokens', () => {
  /** Makes a calendar token on the account page; returns the feed address the page shows once, as a path. */
  async function createCalendarToken(client: SignedInClient): Promise<{ token: string; path: string }> {
    const response = await client.post('/workspace/account/tokens', { name: 'Phone calendar', days: '90', scope: 'calendar' });
    expect(response.statusCode).toBe(200);
    const address = /<code>(http:\/\/[^<]+\/api\/v1\/activities\.ics\?token=(hsk_[\w-]+))<\/code>/.exec(response.body);
    if (!address?.[1] || !address[2]) throw new Error('the page shows no calendar address');
    return { token: address[2], path: new URL(address[1]).pathname + new URL(address[1]).search };
  }

  it('put in the feed’s address, let a calendar app read the activities the account may see, internal ones included', async () => {
    const internal = await bwfEditor.api('POST', '/api/v1/activities', {
      kind: 'meeting',
      titleZh: '日历内部会议',
      titleEn: 'Internal meeting for the calendar',
      startsAt: '2024-07-01 09:00',
      endsAt: '2024-07-01 10:00',
      status: 'planned',
      visibility: 'internal',
      organizers: [{ organizationId: bwfId, role: 'organizer' }],
    });
    expect(internal.statusCode).toBe(201);
    const { token, path } = await createCalendarToken(bwfEditor);
    expect((await tokenRow(token)).scope).toBe('calendar');

    // No cookie, no header: the address alone, as a calendar app subscribes.
    const feed = await testApp.app.inject({ url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body).toContain('SUMMARY:Internal meeting for the calendar');
    const filtered = await testApp.app.inject({ url: `${path}&kind=exchange_visit` });
    expect(filtered.body).not.toContain('Internal meeting for the calendar');

    // The TWF editor's calendar does not carry BWF's internal meeting.
    const twf = await createCalendarToken(twfEditor);
    const twfFeed = await testApp.app.inject({ url: twf.path });
    expect(twfFeed.statusCode).toBe(200);
    expect(twfFeed.body).not.toContain('Internal meeting for the calendar');
  });

  it('read the feed and nothing else; an API token never goes in an address; a revoked one stops working', async () => {
    const { token, path } = await createCalendarToken(bwfEditor);
    // Not the API, as a Bearer token or in the address.
    expectUnauthenticated(await withToken(token));
    expectUnauthenticated(await withToken(token, 'GET', '/api/v1/activities.ics'));
    expect((await testApp.app.inject({ url: `/api/v1/activities/export.csv?token=${token}` })).statusCode).toBe(401);
    // An API token is refused in the address.
    const apiToken = await createToken(bwfEditor, 'Integration');
    const inAddress = await testApp.app.inject({ url: `/api/v1/activities.ics?token=${apiToken}` });
    expect(inAddress.statusCode).toBe(401);
    expect(inAddress.json()).toEqual({ error: { code: 'unauthenticated', message: 'The calendar token is not valid, has expired or was revoked.' } });
    expect((await withToken(apiToken, 'GET', '/api/v1/activities.ics')).statusCode).toBe(200);

    const { id } = await tokenRow(token);
    expect((await bwfEditor.post(`/workspace/account/tokens/${id}/revoke`)).statusCode).toBe(303);
    expect((await testApp.app.inject({ url: path })).statusCode).toBe(401);
  });
});
