import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createDb } from './db/database.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { signIn } from '../test/workspace.ts';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

describe('GET /healthz', () => {
  it('answers 200 while the database answers', async () => {
    const response = await testApp.app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 with an error body when the database does not', async () => {
    // Port 9 on loopback: nothing listens there, so every connection is refused.
    const unreachable = 'postgres://nobody@127.0.0.1:9/none';
    const db = createDb(unreachable);
    const app = await buildApp({ config: { viewFlushMs: 60_000, logLevel: 'silent' }, db, connectionString: unreachable });
    try {
      const response = await app.inject({ url: '/healthz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ error: { code: 'unavailable', message: 'The database does not answer.' } });
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});

describe('errors', () => {
  it('never shows a stack trace: a failing database is a plain 500 page', async () => {
    const unreachable = 'postgres://nobody@127.0.0.1:9/none';
    const db = createDb(unreachable);
    const app = await buildApp({ config: { viewFlushMs: 60_000, logLevel: 'silent' }, db, connectionString: unreachable });
    try {
      const response = await app.inject({ url: '/en/' });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('Something went wrong');
    } finally {
      await app.close();
      await db.destroy();
    }
  });

  it('answers 400, not 500, for an id beyond what the database can hold', async () => {
    const editor = await signIn(testApp.app, 'editor@bwf.example.org');
    const response = await editor.api('GET', '/api/v1/documents/99999999999');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
  });
});

describe('the request log', () => {
  it('keeps a token in an address out of the log, at every level', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const app = await buildApp({
      config: { viewFlushMs: 60_000, logLevel: 'trace' },
      db: testApp.database.db,
      connectionString: testApp.database.connectionString,
      logger,
    });
    try {
      const response = await app.inject({ url: '/api/v1/activities.ics?kind=meeting&token=hsk_secret-calendar-token' });
      expect(response.statusCode).toBe(401);
      const log = lines.join('');
      expect(log).toContain('/api/v1/activities.ics?kind=meeting&token=[hidden]');
      expect(log).not.toContain('hsk_secret-calendar-token');
    } finally {
      await app.close();
    }
  });
});
