import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';
import { groupByDay } from './activity-calendar.service.ts';
import type { ActivityListItem } from './activity.service.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
const ids: Record<string, number> = {};

const seedTitle = `Beijing, Tianjin Women's Federations Hold Exchange Activity`;
/** Internal to TWF (its Party committee): BWF's staff never see it. */
const twfInternal = 'Party-building Meeting of the Federation’s Offices';
/** Internal to BWF. */
const bwfInternal = 'Meeting on the Work of Executive Committee Members';

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

/** The part of a page from the element with this id to the end of its section. */
function section(html: string, sectionId: string): string {
  const start = html.indexOf(`id="${sectionId}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf] = await Promise.all([signIn(testApp.app, 'editor@bwf.example.org'), signIn(testApp.app, 'editor@twf.example.org')]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  const db = testApp.database.db;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('activity').select(['id', 'title_en']).execute()) ids[row.title_en] = row.id;
});

afterAll(async () => {
  await testApp.close();
});

describe('the workspace calendar', () => {
  it('shows a month day by day, with links to the months around it', async () => {
    const page = await bwfEditor.get('/workspace/activities/calendar?month=2024-03');
    expect(page.statusCode).toBe(200);
    const month = section(page.body, 'calendar-month');
    expect(month).toContain('id="calendar-month">March 2024</h2>');
    const visitDay = month.slice(month.indexOf('id="day-2024-03-25"'));
    expect(visitDay).toMatch(/<th scope="rowgroup"[^>]*><time datetime="2024-03-25">Monday 25 March<\/time><\/th><td>08:30–12:30<\/td>/);
    expect(visitDay).toContain(seedTitle);
    expect(month.indexOf('day-2024-03-08')).toBeLessThan(month.indexOf('day-2024-03-25'));
    expect(month).toContain('href="/workspace/activities/calendar?month=2024-02"');
    expect(month).toContain('href="/workspace/activities/calendar?month=2024-04"');
    const zh = await inLanguage(testApp.app, bwfEditor, 'zh').get('/workspace/activities/calendar?month=2024-03');
    expect(zh.body).toContain('2024年3月');
    expect(zh.body).toContain('3月25日星期一');
  });

  it('puts an activity of several days on each of its days', async () => {
    const october = section((await bwfEditor.get('/workspace/activities/calendar?month=2024-10')).body, 'calendar-month');
    const training = "Training Course for Community Women's Federation Chairs";
    const first = october.slice(october.indexOf('id="day-2024-10-15"'), october.indexOf('id="day-2024-10-16"'));
    const second = october.slice(october.indexOf('id="day-2024-10-16"'));
    expect(first).toContain(training);
    expect(first).toContain('from 09:00');
    expect(second).toContain(training);
    expect(second).toContain('until 16:30');
  });

  it('shows each reader what she may read: an internal activity only to its organizers’ staff', async () => {
    expect((await twfEditor.get('/workspace/activities/calendar?month=2024-12')).body).toContain(twfInternal);
    expect((await bwfEditor.get('/workspace/activities/calendar?month=2024-12')).body).not.toContain(twfInternal);
    expect((await bwfEditor.get('/workspace/activities/calendar?month=2024-06')).body).toContain(bwfInternal);
    expect((await twfEditor.get('/workspace/activities/calendar?month=2024-06')).body).not.toContain(bwfInternal);
  });

  it('lists what is coming and what is past, under the same filters', async () => {
    const page = (await bwfEditor.get('/workspace/activities/calendar')).body;
    const upcoming = section(page, 'calendar-upcoming');
    expect(upcoming).toContain("Investigation of Executive Members' Offices");
    expect(upcoming).toContain('Beijing–Hebei Exchange Visit');
    expect(upcoming).not.toContain(seedTitle);
    const past = section(page, 'calendar-past');
    expect(past).toContain('Campaign Spreads Awareness of the Anti-Domestic Violence Law');
    expect(past).not.toContain('Beijing–Hebei Exchange Visit');
    // TWF's staff do not read BWF's internal investigation, coming or not.
    expect(section((await twfEditor.get('/workspace/activities/calendar')).body, 'calendar-upcoming')).not.toContain('Investigation of Executive Members');

    const filtered = (await bwfEditor.get('/workspace/activities/calendar?month=2024-03&kind=meeting')).body;
    expect(section(filtered, 'calendar-month')).not.toContain(seedTitle);
    expect(section(filtered, 'calendar-month')).toContain('Seminar with Women in New Forms of Employment');
    expect(section(filtered, 'calendar-upcoming')).not.toContain('Beijing–Hebei Exchange Visit');
    const byTopic = section((await bwfEditor.get('/workspace/activities/calendar?month=2024-03&topic=executive_members')).body, 'calendar-month');
    expect(byTopic).toContain(seedTitle);
    expect(byTopic).not.toContain('Seminar with Women');
    const byPlace = section((await bwfEditor.get('/workspace/activities/calendar?month=2024-03&place=110115')).body, 'calendar-month');
    expect(byPlace).toContain(seedTitle);
    expect(byPlace).not.toContain('Seminar with Women');
    const byOrganizer = section((await bwfEditor.get(`/workspace/activities/calendar?month=2024-03&organizationId=${id('twf')}`)).body, 'calendar-month');
    expect(byOrganizer).toContain(seedTitle);
    expect(byOrganizer).not.toContain('BWF Marks International');
  });

  it('says what is wrong with a month or a place, and is linked from the list', async () => {
    const month = await bwfEditor.get('/workspace/activities/calendar?month=2024-13');
    expect(month.statusCode).toBe(400);
    expect(month.body).toContain('Give a month as YYYY-MM');
    const place = await bwfEditor.get('/workspace/activities/calendar?place=999999');
    expect(place.statusCode).toBe(400);
    expect(place.body).toMatch(/id="place-error"/);
    const list = await bwfEditor.get('/workspace/activities?kind=meeting');
    expect(list.body).toContain('href="/workspace/activities/calendar?kind=meeting"');
    expect(list.body).toContain('href="/workspace/activities/export.xlsx?kind=meeting"');
  });

  it('groups by day on the Beijing clock', () => {
    // 23:30 UTC on 31 March is 07:30 on 1 April in Beijing: the activity belongs to April.
    const activity = { id: 1, startsAt: new Date('2024-03-31T23:30:00Z'), endsAt: new Date('2024-04-01T01:00:00Z') } as ActivityListItem;
    expect(groupByDay('2024-03', [activity])).toEqual([]);
    expect(groupByDay('2024-04', [activity]).map((day) => day.day)).toEqual(['2024-04-01']);
  });
});

describe('the staff iCalendar feed', () => {
  function eventsOf(text: string): ICAL.Event[] {
    return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
  }

  it('carries what the reader may read, internal activities of her own federation included', async () => {
    const response = await bwfEditor.get('/api/v1/activities.ics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    const events = eventsOf(response.body);
    const summaries = events.map((event) => event.summary);
    expect(summaries).toContain(bwfInternal);
    expect(summaries).toContain('Beijing–Hebei Exchange Visit');
    expect(summaries).not.toContain(twfInternal);
    const visit = events.find((event) => event.uid === `activity-${id(seedTitle)}@localhost`);
    expect(visit?.startDate.toJSDate().toISOString()).toBe('2024-03-25T00:30:00.000Z');
    expect(visit?.component.getFirstPropertyValue('url')).toBe(`http://localhost:80/workspace/activities/${id(seedTitle)}`);
    const cancelled = events.find((event) => event.summary === 'Exchange Visit to Shijiazhuang');
    expect(cancelled?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    const planned = events.find((event) => event.summary === 'Beijing–Hebei Exchange Visit');
    expect(planned?.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
  });

  it('takes a personal API token, and the filters', async () => {
    const created = await twfEditor.post('/workspace/account/tokens', { name: 'calendar', days: '30' });
    const token = /<code>(hsk_[\w-]+)<\/code>/.exec(created.body)?.[1];
    if (!token) throw new Error('no token shown');
    const response = await testApp.app.inject({ url: `/api/v1/activities.ics?organization=${id('twf')}`, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    const summaries = eventsOf(response.body).map((event) => event.summary);
    expect(summaries).toContain(twfInternal);
    expect(summaries).toContain(seedTitle);
    expect(summaries).not.toContain("BWF Marks International Women's Day with a Citywide Gathering");
    expect(summaries).not.toContain(bwfInternal);
    const bad = await testApp.app.inject({ url: '/api/v1/activities.ics?place=abc', headers: { authorization: `Bearer ${token}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBeTruthy();
  });
});
