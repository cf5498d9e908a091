import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createDb, type Database } from '../../db/database.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { eventually, readPortal, sectionIdOf, siteIdOf } from '../../../test/newsroom.ts';
import { insertArticle, insertArticleTranslation } from './article.repository.ts';
import * as newsroomService from './newsroom.service.ts';

let testApp: TestApp;
let bwfSite: number;
let updatesSection: number;
const others: { app: FastifyInstance; db: Kysely<Database> }[] = [];

/** Another Halfsky process on the same database: its own pool, change listener and scheduler. */
async function anotherProcess(): Promise<FastifyInstance> {
  const db = createDb(testApp.database.connectionString);
  const app = await buildApp({
    config: { viewFlushMs: 60_000, logLevel: 'silent' },
    db,
    connectionString: testApp.database.connectionString,
  });
  await app.ready();
  others.push({ app, db });
  return app;
}

/** Schedules updates directly in the database, as an approved update is scheduled: due at `publishAt`. */
async function schedule(count: number, label: string, publishAt: Date): Promise<number[]> {
  const { db } = testApp.database;
  const ids: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = await insertArticle(db, {
      site_id: bwfSite,
      section_id: updatesSection,
      slug: `${label}-${index}`,
      status: 'scheduled',
      publish_at: publishAt,
    });
    await insertArticleTranslation(db, { article_id: id, locale: 'en', title: `${label} number ${index}`, summary: '', body_html: '<p>x</p>', status: 'reviewed' });
    ids.push(id);
  }
  return ids;
}

async function publishedEvents(ids: number[]) {
  return testApp.database.db
    .selectFrom('article_event')
    .select(['article_id', 'actor_user_id'])
    .where('article_id', 'in', ids)
    .where('step', '=', 'published')
    .execute();
}

async function statuses(ids: number[]): Promise<string[]> {
  const rows = await testApp.database.db.selectFrom('article').select('status').where('id', 'in', ids).execute();
  return rows.map((row) => row.status);
}

beforeAll(async () => {
  testApp = await createTestApp();
  bwfSite = await siteIdOf(testApp.database.db, 'bwf');
  updatesSection = await sectionIdOf(testApp.database.db, 'bwf', 'updates');
});
afterAll(async () => {
  for (const other of others) {
    await other.app.close();
    await other.db.destroy();
  }
  await testApp.close();
});

describe('the scheduler', () => {
  it('publishes scheduled updates at their time, exactly once with two processes, and both drop their cached pages', async () => {
    const second = await anotherProcess();
    // Both processes have the home page cached without the updates.
    for (const app of [testApp.app, second]) expect((await readPortal(app, '/en/')).body).not.toContain('/en/articles/timed-update-');

    const ids = await schedule(8, 'timed-update', new Date(Date.now() + 1500));
    expect(await statuses(ids)).toEqual(ids.map(() => 'scheduled'));
    expect((await readPortal(testApp.app, '/en/articles/timed-update-0')).statusCode).toBe(404);

    const done = await eventually(() => statuses(ids), (now) => now.every((status) => status === 'published'), 8000);
    expect(done).toEqual(ids.map(() => 'published'));
    const events = await publishedEvents(ids);
    expect(events.map((event) => event.article_id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(events.every((event) => event.actor_user_id === null)).toBe(true);

    for (const app of [testApp.app, second]) {
      const home = await eventually(
        () => readPortal(app, '/en/'),
        (response) => response.body.includes('/en/articles/timed-update-'),
      );
      // The newest first: the last one written leads the page.
      expect(home.body).toContain('href="/en/articles/timed-update-7"');
    }
    const audit = await testApp.database.db.selectFrom('audit_event').select('entity_id').where('entity_type', '=', 'article').where('action', '=', 'publish').execute();
    expect(audit.filter((row) => ids.includes(Number(row.entity_id)))).toHaveLength(ids.length);
  });

  it('gives each due update to exactly one of several processes looking at the same moment', async () => {
    const second = await anotherProcess();
    const ids = await schedule(20, 'raced-update', new Date(Date.now() - 1000));
    // Six transactions at once, on two pools: as many schedulers in as many processes.
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => newsroomService.publishDueArticles((index % 2 === 0 ? testApp.app : second).db)),
    );
    // The interval schedulers may have taken some too; whatever each got, nothing was taken twice.
    const published = results.flat().filter((id) => ids.includes(id));
    expect(new Set(published).size).toBe(published.length);
    await eventually(() => statuses(ids), (now) => now.every((status) => status === 'published'), 5000);
    const events = await publishedEvents(ids);
    expect(events).toHaveLength(ids.length);
    expect(new Set(events.map((event) => event.article_id)).size).toBe(ids.length);
  });

  it('publishes what fell due while no process was running, once one starts again', async () => {
    for (const app of [testApp.app, ...others.map((other) => other.app)]) await app.articleScheduler.stop();
    const ids = await schedule(3, 'missed-update', new Date(Date.now() - 60_000));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await statuses(ids)).toEqual(ids.map(() => 'scheduled'));

    const restarted = await anotherProcess();
    await eventually(() => statuses(ids), (now) => now.every((status) => status === 'published'), 5000);
    expect(await publishedEvents(ids)).toHaveLength(ids.length);
    expect((await readPortal(restarted, '/en/articles/missed-update-1')).statusCode).toBe(200);
  });
});
