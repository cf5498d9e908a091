import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
const ids: Record<string, number> = {};

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

/** Replaces a part through the API, as the signed-in client's session would (its api() helper has no PUT). */
function put(client: SignedInClient, url: string, body: unknown) {
  return testApp.app.inject({
    method: 'PUT',
    url,
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

const newActivity = () => ({
  kind: 'field_investigation',
  titleZh: '接口测试调研',
  titleEn: 'API test investigation',
  startsAt: '2024-04-02 09:00',
  endsAt: '2024-04-02T12:00:00+08:00',
  status: 'held',
  visibility: 'internal',
  topics: ['service_facilities'],
  organizers: [
    { organizationId: id('bwf'), role: 'organizer' },
    { organizationId: id('twf'), role: 'co_organizer' },
  ],
});

beforeAll(async () => {
  testApp = await createTestApp();
  [bwfEditor, twfEditor, reviewer] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
  ]);
  const db = testApp.database.db;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('person').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  for (const row of await db.selectFrom('place').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  for (const row of await db.selectFrom('facility').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  ids.seed = (await db.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the activities API', () => {
  it('is described in the OpenAPI document, parts included', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/activities',
        '/api/v1/activities/{id}',
        '/api/v1/activities/{id}/stops',
        '/api/v1/activities/{id}/stops/{partId}',
        '/api/v1/activities/{id}/sessions/{partId}/items/{itemId}',
        '/api/v1/activities/{id}/attendees/{partId}',
        '/api/v1/activities/{id}/follow-ups',
        '/api/v1/activity-kinds',
        '/api/v1/activity-topics',
      ]),
    );
    expect(Object.keys(document.paths['/api/v1/activities/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(document.paths['/api/v1/activities/{id}/stops/{partId}'])).toEqual(expect.arrayContaining(['put', 'delete']));
  });

  it('answers 401 without credentials', async () => {
    const response = await testApp.app.inject({ url: '/api/v1/activities' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('reads the seed’s visit whole: stops in order, attendees with the titles of that day, the follow-up', async () => {
    const response = await reviewer.api('GET', `/api/v1/activities/${id('seed')}`);
    expect(response.statusCode).toBe(200);
    const visit = response.json();
    expect(visit).toMatchObject({
      kind: { code: 'exchange_visit' },
      startsAt: '2024-03-25T00:30:00.000Z',
      status: 'held',
      visibility: 'public',
      organizers: [
        { id: id('bwf'), role: 'organizer' },
        { id: id('twf'), role: 'co_organizer' },
      ],
      editable: false,
    });
    expect(visit.stops.map((stop: { facility: { nameEn: string }; topic: { code: string } }) => [stop.facility.nameEn, stop.topic.code])).toEqual([
      ['Shouzuoyuyuan Erli Community Public Service Block', 'grassroots_governance'],
      ['Office of Liu Yumei, BWF Executive Committee Member', 'executive_members'],
      ['Tongrentang Zhima Health Women’s Service Centre', 'service_facilities'],
    ]);
    expect(visit.attendees[0]).toMatchObject({
      person: { nameEn: 'Wei Jiang' },
      federation: { id: id('bwf') },
      titleZh: '党组副书记、副主席',
      titleEn: "Deputy Secretary of the Leading Party Members' Group and Vice-President",
      role: 'host',
      status: 'attended',
    });
    expect(visit.sessions[0].items[0].speakerOrganization).toMatchObject({ id: id('bwf') });
    expect(visit.followUps).toMatchObject([{ ownerOrganization: { id: id('bwf') }, status: 'open' }]);
  });

  it('lists with filters', async () => {
    const ofQuery = async (query: string) =>
      ((await reviewer.api('GET', `/api/v1/activities?${query}`)).json().items as { id: number }[]).map((item) => item.id);
    expect(await ofQuery(`placeId=${id('Daxing District')}`)).toContain(id('seed'));
    expect(await ofQuery(`placeId=${id('Tianjin')}`)).not.toContain(id('seed'));
    expect(await ofQuery(`facilityId=${id('Shouzuoyuyuan Erli Community Public Service Block')}`)).toEqual([id('seed')]);
    expect(await ofQuery(`personId=${id('Wang Dongmei')}&kind=exchange_visit`)).toEqual([id('seed')]);
    expect(await ofQuery('topic=coordinated_development&from=2024-01-01&to=2024-06-30')).toEqual([id('seed')]);
    const page = (await reviewer.api('GET', '/api/v1/activities?limit=2')).json();
    expect(page).toMatchObject({ limit: 2, offset: 0 });
    expect(page.total).toBeGreaterThanOrEqual(20);
    expect((await reviewer.api('GET', '/api/v1/activities?status=postponed')).statusCode).toBe(400);
  });

  it('creates an activity and answers with the whole of it', async () => {
    const response = await bwfEditor.api('POST', '/api/v1/activities', newActivity());
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      titleEn: 'API test investigation',
      startsAt: '2024-04-02T01:00:00.000Z',
      endsAt: '2024-04-02T04:00:00.000Z',
      topics: [{ code: 'service_facilities' }],
      stops: [],
      editable: true,
    });
  });

  it('refuses bad input with 4xx and an error code', async () => {
    const backwards = await bwfEditor.api('POST', '/api/v1/activities', { ...newActivity(), endsAt: '2024-04-01 09:00' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.message).toContain('The end comes before the start.');
    const noOrganizer = await bwfEditor.api('POST', '/api/v1/activities', { ...newActivity(), organizers: [] });
    expect(noOrganizer.statusCode).toBe(400);
    const onlyCoOrganizers = await bwfEditor.api('POST', '/api/v1/activities', { ...newActivity(), organizers: [{ organizationId: id('bwf'), role: 'co_organizer' }] });
    expect(onlyCoOrganizers.statusCode).toBe(409);
    expect(onlyCoOrganizers.json()).toEqual({ error: { code: 'last_organizer', message: expect.stringContaining('at least one organizer') } });
    const notADate = await bwfEditor.api('POST', '/api/v1/activities', { ...newActivity(), startsAt: '2024-02-30 09:00' });
    expect(notADate.statusCode).toBe(400);
    const stop = await bwfEditor.api('POST', `/api/v1/activities/${id('seed')}/stops`, { facilityId: 987_654 });
    expect(stop.statusCode).toBe(400);
    expect(stop.json()).toEqual({ error: { code: 'unknown_facility', message: 'No such facility.' } });
    const twice = await bwfEditor.api('POST', `/api/v1/activities/${id('seed')}/attendees`, { personId: id('Wei Jiang'), role: 'member' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('attendee_twice');
  });

  it('answers 404 for an internal activity to staff of no organizer, and to a reviewer’s change', async () => {
    const created = (await bwfEditor.api('POST', '/api/v1/activities', { ...newActivity(), organizers: [{ organizationId: id('bwf'), role: 'organizer' }] })).json();
    expect((await twfEditor.api('GET', `/api/v1/activities/${created.id}`)).statusCode).toBe(404);
    expect((await twfEditor.api('PATCH', `/api/v1/activities/${created.id}`, { titleEn: 'Mine now' })).statusCode).toBe(404);
    expect(((await twfEditor.api('GET', '/api/v1/activities?visibility=internal&limit=200')).json().items as { id: number }[]).map((item) => item.id)).not.toContain(created.id);
    expect((await reviewer.api('GET', `/api/v1/activities/${created.id}`)).statusCode).toBe(200);
    expect((await reviewer.api('PATCH', `/api/v1/activities/${created.id}`, { titleEn: 'Reviewed' })).statusCode).toBe(404);
    expect((await reviewer.api('DELETE', `/api/v1/activities/${created.id}`)).statusCode).toBe(404);
  });

  it('adds, replaces, reorders and removes parts on their own addresses', async () => {
    const created = (await twfEditor.api('POST', '/api/v1/activities', { ...newActivity(), organizers: [{ organizationId: id('twf'), role: 'organizer' }] })).json();
    const base = `/api/v1/activities/${created.id}`;
    const first = await twfEditor.api('POST', `${base}/stops`, { placeId: id('Heping District'), topic: 'rights_protection', hostIds: [id('twf-rights-department')] });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ position: 1, place: { nameEn: 'Heping District' }, facility: null, hosts: [{ id: id('twf-rights-department') }] });
    const second = (await twfEditor.api('POST', `${base}/stops`, { placeId: id('Hexi District'), position: 1, startsAt: '2024-04-02 09:30' })).json();
    expect(second).toMatchObject({ position: 1, startsAt: '2024-04-02T01:30:00.000Z' });
    const replaced = await put(twfEditor, `${base}/stops/${second.id}`, { placeId: id('Hexi District'), findingsEn: 'Busy at lunchtime.', position: 2 });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ position: 2, findingsEn: 'Busy at lunchtime.', startsAt: null });

    const session = (await twfEditor.api('POST', `${base}/sessions`, { titleEn: 'Talks', minutesEn: 'We talked.' })).json();
    const item = await twfEditor.api('POST', `${base}/sessions/${session.id}/items`, { subjectEn: 'Rights work', speakerPersonId: id('Wang Dongmei') });
    expect(item.statusCode).toBe(201);
    expect(item.json()).toMatchObject({ speaker: { nameEn: 'Wang Dongmei' } });
    const attendee = await twfEditor.api('POST', `${base}/attendees`, { personId: id('Wang Dongmei'), role: 'head_of_delegation', status: 'attended' });
    expect(attendee.json()).toMatchObject({ organization: { id: id('twf') }, titleEn: "Member of the Leading Party Members' Group and Vice-President" });
    const followUp = await twfEditor.api('POST', `${base}/follow-ups`, { actionEn: 'Report back', ownerOrganizationId: id('twf'), dueOn: '2024-05-01' });
    expect(followUp.json()).toMatchObject({ actionEn: 'Report back', status: 'open', dueOn: '2024-05-01' });

    const detail = (await twfEditor.api('GET', base)).json();
    expect(detail.stops.map((stop: { place: { nameEn: string } }) => stop.place.nameEn)).toEqual(['Heping District', 'Hexi District']);
    expect(detail.sessions[0].items).toHaveLength(1);

    expect((await twfEditor.api('DELETE', `${base}/sessions/${session.id}`)).statusCode).toBe(204);
    expect((await twfEditor.api('DELETE', `${base}/stops/${first.json().id}`)).statusCode).toBe(204);
    const after = (await twfEditor.api('GET', base)).json();
    expect(after.sessions).toEqual([]);
    expect(after.stops).toMatchObject([{ position: 1, place: { nameEn: 'Hexi District' } }]);
    // A part of another activity is not found here.
    expect((await twfEditor.api('DELETE', `/api/v1/activities/${id('seed')}/stops/${second.id}`)).statusCode).toBe(404);
  });

  it('changes organizers, topics and fields with PATCH, keeping an organizer', async () => {
    const created = (await bwfEditor.api('POST', '/api/v1/activities', newActivity())).json();
    const patched = await twfEditor.api('PATCH', `/api/v1/activities/${created.id}`, {
      topics: ['party_building', 'coordinated_development'],
      organizers: [
        { organizationId: id('twf'), role: 'organizer' },
        { organizationId: id('bwf'), role: 'host' },
      ],
      status: 'held',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      titleEn: 'API test investigation',
      topics: [{ code: 'party_building' }, { code: 'coordinated_development' }],
      organizers: [
        { id: id('twf'), role: 'organizer' },
        { id: id('bwf'), role: 'host' },
      ],
    });
    const dropped = await twfEditor.api('PATCH', `/api/v1/activities/${created.id}`, { organizers: [{ organizationId: id('bwf'), role: 'host' }] });
    expect(dropped.statusCode).toBe(409);
    expect((await bwfEditor.api('DELETE', `/api/v1/activities/${created.id}`)).statusCode).toBe(204);
    expect((await bwfEditor.api('GET', `/api/v1/activities/${created.id}`)).statusCode).toBe(404);
  });

  it('lists the kinds and the topics', async () => {
    const kinds = (await reviewer.api('GET', '/api/v1/activity-kinds')).json();
    expect(kinds.map((kind: { code: string }) => kind.code)).toEqual(
      expect.arrayContaining(['exchange_visit', 'field_investigation', 'meeting', 'training', 'service_event']),
    );
    const topics = (await reviewer.api('GET', '/api/v1/activity-topics')).json();
    expect(topics[0]).toEqual({ code: 'grassroots_governance', nameZh: '妇女组织参与基层社会治理', nameEn: "Women's organizations in grassroots governance" });
  });
});
