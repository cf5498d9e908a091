import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn } from '../../../test/workspace.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';

let testApp: TestApp;
const ids: Record<string, number> = {};
/** The demo's activities that are not public, with their titles: none may reach the portal or a public feed. */
let hidden: { id: number; title_zh: string; title_en: string; visibility: string }[] = [];

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

async function get(url: string) {
  return testApp.app.inject({ url });
}

/** The events of an iCalendar text, read by ical.js (an independent parser). */
function eventsOf(text: string): ICAL.Event[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
}

function expectNoHiddenActivity(body: string): void {
  for (const activity of hidden) {
    expect(body).not.toContain(activity.title_zh);
    expect(body).not.toContain(activity.title_en);
  }
}

const seedTitleEn = `Beijing, Tianjin Women's Federations Hold Exchange Activity`;

beforeAll(async () => {
  testApp = await createTestApp();
  const db = testApp.database.db;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('place').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  ids.seed = (await db.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirstOrThrow()).id;
  hidden = await db.selectFrom('activity').select(['id', 'title_zh', 'title_en', 'visibility']).where('visibility', '<>', 'public').execute();
});

afterAll(async () => {
  await testApp.close();
});

describe('the public calendar of a portal', () => {
  it('is linked from the portal navigation in both languages, and its slug is kept from sections', async () => {
    const en = await get('/en/');
    expect(en.body).toMatch(/<a href="\/en\/activities">Activities<\/a>/);
    const zh = await get('/sites/twf/zh/');
    expect(zh.body).toMatch(/<a href="\/sites\/twf\/zh\/activities">活动<\/a>/);
    const calendar = await get('/en/activities');
    expect(calendar.statusCode).toBe(200);
    expect(calendar.body).toMatch(/<a href="\/en\/activities" aria-current="page">Activities<\/a>/);

    const admin = await signIn(testApp.app, 'admin@bwf.example.org');
    const site = await testApp.database.db.selectFrom('site').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow();
    const reserved = await admin.post(`/workspace/sites/${site.id}/sections`, { slug: 'activities', nameZh: '活动', nameEn: 'Activities', parentId: '' });
    expect(reserved.statusCode).toBe(409);
  });

  it('lists the site’s public activities, past and coming, and never an internal or network one', async () => {
    expect(hidden.some((activity) => activity.visibility === 'internal')).toBe(true);
    expect(hidden.some((activity) => activity.visibility === 'network')).toBe(true);
    const bwf = await get('/en/activities');
    expect(bwf.body).toContain(seedTitleEn);
    expect(bwf.body).toContain("BWF Marks International Women's Day with a Citywide Gathering");
    expectNoHiddenActivity(bwf.body);
    // Tianjin's portal lists the visit it co-organized, its own coming training, and nothing of Beijing's alone.
    const twf = await get('/sites/twf/en/activities');
    expect(twf.body).toContain(seedTitleEn);
    expect(twf.body).toMatch(/Coming up[\s\S]*Training for Family Education Instructors[\s\S]*Past activities/);
    expect(twf.body).not.toContain('BWF Marks International Women');
    expectNoHiddenActivity(twf.body);
    for (const lang of ['zh', 'en']) {
      for (const base of ['', '/sites/twf', '/sites/hebei']) {
        const page = await get(`${base}/${lang}/activities`);
        if (page.statusCode === 404) continue;
        expectNoHiddenActivity(page.body);
      }
    }
  });

  it('answers 404 for the page of an activity that is not public, or not the site’s', async () => {
    for (const activity of hidden) {
      expect((await get(`/en/activities/${activity.id}`)).statusCode).toBe(404);
      expect((await get(`/sites/twf/zh/activities/${activity.id}`)).statusCode).toBe(404);
    }
    const womensDay = await testApp.database.db.selectFrom('activity').select('id').where('title_en', 'like', 'BWF Marks International%').executeTakeFirstOrThrow();
    expect((await get(`/en/activities/${womensDay.id}`)).statusCode).toBe(200);
    expect((await get(`/sites/twf/en/activities/${womensDay.id}`)).statusCode).toBe(404);
    expect((await get('/en/activities/99999999999')).statusCode).toBe(404);
    expect((await get('/en/activities/abc')).statusCode).toBe(404);
  });

  it('shows a public activity: dates, organizers, stops with their places, topics; no attendees, minutes or findings', async () => {
    const page = await get(`/en/activities/${id('seed')}`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain(`<h1>${seedTitleEn}</h1>`);
    expect(body).toContain('2024-03-25 08:30–12:30');
    expect(body).toMatch(/Beijing Women's Federation \(Organizer\)/);
    expect(body).toMatch(/Tianjin Women's Federation \(Co-organizer\)/);
    expect(body).toContain('Roles of grassroots executive members');
    expect(body).toContain('Tongrentang Zhima Health Women’s Service Centre');
    expect(body).toContain('Shouzuoyuyuan Erli Residential Community');
    expect(body).toContain('"@type":"Event"');
    // What the public page never shows: who attended, the minutes, what was observed and found.
    expect(body).not.toContain('Wei Jiang');
    expect(body).not.toContain('Wang Dongmei');
    expect(body).not.toContain('discussed questions of common concern');
    expect(body).not.toContain('gives an executive committee member a fixed place');
    const zh = await get(`/sites/twf/zh/activities/${id('seed')}`);
    expect(zh.body).toContain(`<h1>${seedActivity.title.zh}</h1>`);
    expect(zh.body).toContain('主办');
  });

  it('links the updates of its own site that report on it, once published, in the reader’s language', async () => {
    const seedUpdate = '/en/articles/2024-03-25-beijing-tianjin-exchange';
    const en = await get(`/en/activities/${id('seed')}`);
    expect(en.body).toContain('Reported in');
    expect(en.body).toContain(`<a href="${seedUpdate}">${seedTitleEn}</a>`);
    const zh = await get(`/zh/activities/${id('seed')}`);
    expect(zh.body).toContain('相关报道');
    expect(zh.body).toContain('<a href="/zh/articles/2024-03-25-beijing-tianjin-exchange">');
    // The update is on the BWF's portal, not on the TWF's.
    expect((await get(`/sites/twf/en/activities/${id('seed')}`)).body).not.toContain('Reported in');

    // A draft written from the visit stays off the page until it is published.
    const editor = await signIn(testApp.app, 'editor@bwf.example.org');
    const drafted = await editor.api('POST', `/api/v1/activities/${id('seed')}/draft-article`, {});
    expect(drafted.statusCode).toBe(201);
    const after = await get(`/en/activities/${id('seed')}`);
    expect(after.body.match(/<section aria-labelledby="activity-reports-title">[\s\S]*?<\/section>/)?.[0].match(/<li>/g)).toHaveLength(1);
  });

  it('filters by kind, topic, place and organizer; an organizer of another federation is not found', async () => {
    const services = await get('/en/activities?kind=service_event');
    expect(services.body).not.toContain(seedTitleEn);
    expect(services.body).toContain('selected');
    const topic = await get('/en/activities?topic=executive_members');
    expect(topic.body).toContain(seedTitleEn);
    expect(topic.body).not.toContain('BWF Marks International Women');
    const daxing = await get(`/en/activities?place=${id('Daxing District')}`);
    expect(daxing.body).toContain(seedTitleEn);
    expect(daxing.body).not.toContain('BWF Marks International Women');
    const rights = await get(`/en/activities?organization=${id('bwf-rights-department')}`);
    expect(rights.body).not.toContain(seedTitleEn);
    expect(rights.body).toContain('Campaign Spreads Awareness of the Anti-Domestic Violence Law');
    expect((await get(`/en/activities?organization=${id('twf')}`)).statusCode).toBe(404);
    expect((await get('/en/activities?page=0')).statusCode).toBe(400);
  });
});

describe('the public iCalendar feed', () => {
  it('is an RFC 5545 calendar carrying the seed’s exchange visit at its start instant', async () => {
    const response = await get('/en/activities.ics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    const events = eventsOf(response.body);
    const visit = events.find((event) => event.uid === `activity-${id('seed')}@localhost`);
    expect(visit).toBeDefined();
    expect(visit?.summary).toBe(`Beijing, Tianjin Women's Federations Hold Exchange Activity`);
    expect(visit?.startDate.toJSDate().toISOString()).toBe('2024-03-25T00:30:00.000Z');
    expect(visit?.endDate.toJSDate().toISOString()).toBe('2024-03-25T04:30:00.000Z');
    expect(visit?.location).toContain('Shouzuoyuyuan Erli Community Public Service Block');
    expect(visit?.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(visit?.component.getFirstPropertyValue('url')).toBe(`http://localhost:80/en/activities/${id('seed')}`);
    expect(visit?.component.getFirstPropertyValue('last-modified')).toBeTruthy();
    const uids = new Set(events.map((event) => event.uid));
    for (const activity of hidden) expect(uids.has(`activity-${activity.id}@localhost`)).toBe(false);
    expectNoHiddenActivity(response.body);
  });

  it('keeps the filters, and the same UID for an activity in every feed', async () => {
    const tianjin = eventsOf((await get('/sites/twf/zh/activities.ics?topic=coordinated_development')).body);
    expect(tianjin.map((event) => event.uid)).toContain(`activity-${id('seed')}@localhost`);
    expect(tianjin.find((event) => event.uid === `activity-${id('seed')}@localhost`)?.summary).toBe(seedActivity.title.zh);
    const meetings = eventsOf((await get('/en/activities.ics?kind=meeting')).body);
    expect(meetings.length).toBeGreaterThan(0);
    expect(meetings.map((event) => event.uid)).not.toContain(`activity-${id('seed')}@localhost`);
    expect((await get('/en/activities.ics?kind=Not-a-code')).statusCode).toBe(400);
  });

  it('leaves the API to signed-in staff: unauthenticated calls are refused', async () => {
    for (const url of ['/api/v1/activities', '/api/v1/activities.ics', `/api/v1/activities/${hidden[0]?.id ?? 1}`, '/api/v1/activities/export.csv']) {
      const response = await get(url);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });
});
