import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';
import { demoDocuments } from '../../db/demo/demo-agreements.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let twfEditor: SignedInClient;
let seedId: number;
let followUpId: number;
/** Measure ids by "<document kind> <number>" of the demo's two documents. */
const measures: Record<string, number> = {};
const ids: Record<string, number> = {};

const [agreement, circular] = demoDocuments;

/** The part of a page from the element with this id to the end of its section. */
function section(html: string, sectionId: string): string {
  const start = html.indexOf(`id="${sectionId}"`);
  expect(start, `no #${sectionId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The id a redirect to a commitment's page names. */
function commitmentIdOf(location: unknown): number {
  const match = /^\/workspace\/agreements\/commitments\/(\d+)$/.exec(String(location));
  if (!match?.[1]) throw new Error(`not a commitment's page: ${String(location)}`);
  return Number(match[1]);
}

beforeAll(async () => {
  testApp = await createTestApp();
  [editor, reviewer, twfEditor] = (
    await Promise.all(['editor@bwf.example.org', 'reviewer@bwf.example.org', 'editor@twf.example.org'].map((email) => signIn(testApp.app, email)))
  ).map((client) => inLanguage(testApp.app, client, 'en')) as [SignedInClient, SignedInClient, SignedInClient];
  const db = testApp.database.db;
  seedId = (await db.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirstOrThrow()).id;
  followUpId = (await db.selectFrom('activity_follow_up').select('id').where('activity_id', '=', seedId).executeTakeFirstOrThrow()).id;
  const rows = await db
    .selectFrom('measure')
    .innerJoin('document', 'document.id', 'measure.document_id')
    .select(['measure.id', 'measure.number', 'document.kind'])
    .where('document.title_zh', 'in', [agreement?.titleZh ?? '', circular?.titleZh ?? ''])
    .execute();
  for (const row of rows) measures[`${row.kind} ${row.number}`] = row.id;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
});

afterAll(async () => {
  await testApp.close();
});

describe('the measures an activity carries out', () => {
  it('lists those of the seed visit on its page, and the visit on each measure’s page', async () => {
    const page = await editor.get(`/workspace/activities/${seedId}`);
    const carried = section(page.body, 'measures');
    expect(carried).toContain('Carries out');
    expect(carried).toContain(`href="/workspace/agreements/measures/${measures['agreement 2']}">2 Learning from each other in building grassroots organizations</a>`);
    expect(carried).toContain(`href="/workspace/agreements/measures/${measures['circular 3.1']}">3.1 Women's organizations in grassroots social governance</a>`);
    expect(carried).toContain(`href="/workspace/agreements/measures/${measures['circular 3.2']}">3.2 Let grassroots executive members play their part</a>`);
    expect(carried).not.toContain('1 A joint meeting of the three federations');

    const measurePage = await editor.get(`/workspace/agreements/measures/${measures['circular 3.1']}`);
    expect(measurePage.statusCode).toBe(200);
    const activities = measurePage.body.slice(measurePage.body.indexOf('Activities carrying it out'));
    expect(activities).toContain(`href="/workspace/activities/${seedId}">${seedActivity.title.en}</a>`);
    expect(activities).toContain('2024-03-25');
  });

  it('adds a measure from the form, refuses it twice or unknown with a message, and removes it after a confirmation, each audited', async () => {
    const form = await editor.get(`/workspace/activities/${seedId}/measures/new`);
    expect(form.statusCode).toBe(200);
    // Grouped by document, so that the same number in two documents is told apart.
    expect(form.body).toContain(`<optgroup label="${agreement?.titleEn}">`);
    expect(form.body).toContain(`<option value="${measures['agreement 1']}">1 A joint meeting of the three federations</option>`);

    const added = await editor.post(`/workspace/activities/${seedId}/measures`, { measureId: String(measures['agreement 1']) });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/workspace/activities/${seedId}#measure-${measures['agreement 1']}`);
    expect(section((await editor.get(`/workspace/activities/${seedId}`)).body, 'measures')).toContain('1 A joint meeting of the three federations');

    const twice = await editor.post(`/workspace/activities/${seedId}/measures`, { measureId: String(measures['agreement 1']) });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('The activity already carries out this measure.');
    const unknown = await editor.post(`/workspace/activities/${seedId}/measures`, { measureId: '987654' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('There is no measure number 987654.');
    const empty = await editor.post(`/workspace/activities/${seedId}/measures`, { measureId: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('aria-invalid="true"');

    const confirm = await editor.get(`/workspace/activities/${seedId}/measures/${measures['agreement 1']}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('The measure itself stays as it is.');
    const removed = await editor.post(`/workspace/activities/${seedId}/measures/${measures['agreement 1']}/delete`);
    expect(removed.statusCode).toBe(303);
    expect(section((await editor.get(`/workspace/activities/${seedId}`)).body, 'measures')).not.toContain('1 A joint meeting of the three federations');

    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select(['action', 'after', 'before'])
      .where('entity_type', '=', 'activity')
      .where('entity_id', '=', String(seedId))
      .where('action', 'in', ['add_measure', 'remove_measure'])
      .orderBy('id')
      .execute();
    expect(audit.map((event) => event.action)).toEqual(['add_measure', 'remove_measure']);
    expect(audit[0]?.after).toMatchObject({ measureId: measures['agreement 1'], number: '1' });
  });

  it('answers a reader who may not change the activity with not found, and changes nothing', async () => {
    expect((await reviewer.get(`/workspace/activities/${seedId}/measures/new`)).statusCode).toBe(404);
    expect((await reviewer.post(`/workspace/activities/${seedId}/measures`, { measureId: String(measures['agreement 3']) })).statusCode).toBe(404);
    const created = await editor.api('POST', '/api/v1/activities', {
      kind: 'meeting',
      titleZh: '内部会议',
      titleEn: 'Internal meeting',
      startsAt: '2024-05-06 09:00',
      endsAt: '2024-05-06 11:00',
      status: 'held',
      visibility: 'internal',
      organizers: [{ organizationId: ids.bwf, role: 'organizer' }],
    });
    expect(created.statusCode).toBe(201);
    const internal = created.json().id as number;
    expect((await editor.post(`/workspace/activities/${internal}/measures`, { measureId: String(measures['circular 4']) })).statusCode).toBe(303);
    expect((await twfEditor.post(`/workspace/activities/${internal}/measures`, { measureId: String(measures['circular 5']) })).statusCode).toBe(404);
    expect((await twfEditor.api('GET', `/api/v1/activities/${internal}/measures`)).statusCode).toBe(404);
    // The measure's page leaves out what the reader may not see.
    expect((await twfEditor.get(`/workspace/agreements/measures/${measures['circular 4']}`)).body).not.toContain('Internal meeting');
    expect((await editor.get(`/workspace/agreements/measures/${measures['circular 4']}`)).body).toContain(`href="/workspace/activities/${internal}">Internal meeting</a>`);
    const links = await testApp.database.db.selectFrom('activity_measure').select('measure_id').where('activity_id', '=', internal).execute();
    expect(links.map((link) => link.measure_id)).toEqual([measures['circular 4']]);
  });

  it('are in the API: listed, added (409 twice, 400 unknown) and removed', async () => {
    const listed = await editor.api('GET', `/api/v1/activities/${seedId}/measures`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((item: { number: string; document: { kind: string } }) => `${item.document.kind} ${item.number}`)).toEqual([
      'agreement 2',
      'circular 3.1',
      'circular 3.2',
    ]);
    const added = await editor.api('POST', `/api/v1/activities/${seedId}/measures`, { measureId: measures['circular 6'] });
    expect(added.statusCode).toBe(201);
    expect(added.json().items.at(-1)).toMatchObject({ id: measures['circular 6'], number: '6', document: { kind: 'circular', titleEn: circular?.titleEn } });
    const twice = await editor.api('POST', `/api/v1/activities/${seedId}/measures`, { measureId: measures['circular 6'] });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('already_linked');
    const unknown = await editor.api('POST', `/api/v1/activities/${seedId}/measures`, { measureId: 987_654 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toEqual({ code: 'unknown_measure', message: 'There is no measure number 987654.' });
    expect((await editor.api('DELETE', `/api/v1/activities/${seedId}/measures/${measures['circular 6']}`)).statusCode).toBe(204);
    expect((await editor.api('DELETE', `/api/v1/activities/${seedId}/measures/${measures['circular 6']}`)).statusCode).toBe(404);
    const paths = (await editor.get('/api/openapi.json')).json().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/activities/{id}/measures', '/api/v1/activities/{id}/measures/{measureId}']));
  });
});

describe('a follow-up made a commitment', () => {
  const action = seedActivity.followUps?.[0]?.action;

  it('goes from the follow-up to a measure, to the commitment’s form filled in from it, and links both ways', async () => {
    const activityPage = await editor.get(`/workspace/activities/${seedId}`);
    const link = `/workspace/agreements/commitments/new?followUpId=${followUpId}`;
    expect(section(activityPage.body, 'follow-ups')).toContain(`href="${link}">Make it a commitment</a>`);

    // Step one: the measure, among the documents the follow-up's owner (BWF) may be responsible under.
    const choice = await editor.get(link);
    expect(choice.statusCode).toBe(200);
    expect(choice.body).toContain(`href="/workspace/activities/${seedId}#follow-up-${followUpId}"`);
    expect(choice.body).toContain(`<option value="${measures['agreement 1']}">1 A joint meeting of the three federations</option>`);
    expect(choice.body).toContain(`<optgroup label="${circular?.titleEn}">`);

    // A reader who may record no commitment there is not shown the form.
    expect((await reviewer.get(`${link}&measureId=${measures['agreement 1']}`)).statusCode).toBe(404);

    // Step two: the commitment's form, filled in from the follow-up.
    const form = await editor.get(`${link}&measureId=${measures['agreement 1']}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`<input type="hidden" name="followUpId" value="${followUpId}"/>`);
    expect(form.body).toContain(`${action?.zh}</textarea>`);
    expect(form.body).toContain(`<option value="${ids.bwf}" selected>`);

    const created = await editor.post(`/workspace/agreements/measures/${measures['agreement 1']}/commitments`, {
      followUpId: String(followUpId),
      whatZh: action?.zh ?? '',
      whatEn: action?.en ?? '',
      responsibleOrganizationId: String(ids.bwf),
      dueOn: '2025-12-31',
      weight: '1',
      status: 'in_progress',
      progress: '40',
    });
    expect(created.statusCode, created.body).toBe(303);
    const commitmentId = commitmentIdOf(created.headers.location);

    const commitmentPage = await editor.get(`/workspace/agreements/commitments/${commitmentId}`);
    expect(commitmentPage.body).toContain('Agreed at');
    expect(commitmentPage.body).toContain(`href="/workspace/activities/${seedId}#follow-up-${followUpId}"`);
    const followUps = section((await editor.get(`/workspace/activities/${seedId}`)).body, 'follow-ups');
    expect(followUps).toContain(`href="/workspace/agreements/commitments/${commitmentId}">See the commitment</a>`);
    expect(followUps).not.toContain('Make it a commitment');

    // Once made, the way in leads to the commitment; a second one from the same follow-up is refused, writing nothing.
    const again = await editor.get(link);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/workspace/agreements/commitments/${commitmentId}`);
    const count = async () => Number((await testApp.database.db.selectFrom('commitment').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const second = await editor.post(`/workspace/agreements/measures/${measures['agreement 1']}/commitments`, {
      followUpId: String(followUpId),
      whatZh: '再来一次',
      responsibleOrganizationId: String(ids.bwf),
    });
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain('This follow-up has already been made a commitment.');
    expect(await count()).toBe(before);

    // The API says where it came from, on both sides.
    expect((await editor.api('GET', `/api/v1/commitments/${commitmentId}`)).json()).toMatchObject({ followUpId, whatZh: action?.zh, progress: 40 });
    const detail = (await editor.api('GET', `/api/v1/activities/${seedId}`)).json();
    expect(detail.followUps[0]).toMatchObject({ id: followUpId, commitmentId });
    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select('after')
      .where('entity_type', '=', 'commitment')
      .where('entity_id', '=', String(commitmentId))
      .where('action', '=', 'create')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ followUpId });
  });

  it('is refused under an agreement its owner is not a party to, and for a follow-up the actor cannot see, writing nothing', async () => {
    const created = await editor.api('POST', '/api/v1/activities', {
      kind: 'meeting',
      titleZh: '内部碰头会',
      titleEn: 'Internal huddle',
      startsAt: '2024-06-03 09:00',
      endsAt: '2024-06-03 10:00',
      status: 'held',
      visibility: 'internal',
      organizers: [{ organizationId: ids.bwf, role: 'organizer' }],
    });
    const internal = created.json().id as number;
    const followUp = await editor.api('POST', `/api/v1/activities/${internal}/follow-ups`, {
      actionZh: '与合作伙伴商定场地',
      actionEn: 'Agree on a venue with the partner',
      ownerOrganizationId: ids['tongrentang-zhima-health'],
    });
    expect(followUp.statusCode, followUp.body).toBe(201);
    const id = followUp.json().id as number;

    // The TWF editor cannot see the internal activity: its follow-up is "not found", on the page and in the API.
    expect((await twfEditor.get(`/workspace/agreements/commitments/new?followUpId=${id}`)).statusCode).toBe(404);
    const hidden = await twfEditor.api('POST', '/api/v1/commitments', { measureId: measures['agreement 1'], whatZh: '借用', responsibleOrganizationId: ids.twf, followUpId: id });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error.message).toBe(`There is no follow-up number ${id}.`);

    const notAParty = await editor.api('POST', '/api/v1/commitments', {
      measureId: measures['agreement 1'],
      whatZh: '与合作伙伴商定场地',
      responsibleOrganizationId: ids['tongrentang-zhima-health'],
      followUpId: id,
    });
    expect(notAParty.statusCode).toBe(400);
    expect(notAParty.json().error.code).toBe('not_a_party');
    // Its first step offers only the circular, which any organization may carry out.
    const choice = await editor.get(`/workspace/agreements/commitments/new?followUpId=${id}`);
    expect(choice.body).not.toContain(`<optgroup label="${agreement?.titleEn}">`);
    expect(choice.body).toContain(`<optgroup label="${circular?.titleEn}">`);
    const made = await testApp.database.db.selectFrom('commitment').select('id').where('follow_up_id', '=', id).execute();
    expect(made).toEqual([]);
  });
});
