import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { postMultipart } from '../../../test/multipart.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
let bwfEditorZh: SignedInClient;
const ids: Record<string, number> = {};

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

async function activityId(titleEn: string): Promise<number> {
  return (await testApp.database.db.selectFrom('activity').select('id').where('title_en', '=', titleEn).executeTakeFirstOrThrow()).id;
}

/** The part of a page between an element with this id and the end of its section. */
function section(html: string, sectionId: string): string {
  const start = html.indexOf(`id="${sectionId}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

const validActivity = {
  kind: 'meeting',
  titleZh: '测试座谈会',
  titleEn: 'Test meeting',
  summaryZh: '',
  summaryEn: '',
  startsAt: '2024-06-01 09:00',
  endsAt: '2024-06-01 11:00',
  status: 'held',
  visibility: 'network',
};

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf, bwfReviewer] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
  ]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  bwfEditorZh = inLanguage(testApp.app, bwf, 'zh');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  reviewer = inLanguage(testApp.app, bwfReviewer, 'en');
  const db = testApp.database.db;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('person').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  for (const row of await db.selectFrom('facility').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  ids.seed = await activityId(seedActivity.title.en);
});
afterAll(async () => {
  await testApp.close();
});

describe('the seed’s exchange visit in the workspace', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const response = await testApp.app.inject({ url: '/workspace/activities' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace%2Factivities');
  });

  it('lists it, with an Activities entry in the navigation', async () => {
    const response = await bwfEditor.get('/workspace/activities');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/workspace/activities" aria-current="page"');
    expect(response.body).toContain(`href="/workspace/activities/${id('seed')}">Beijing, Tianjin Women's Federations Hold Exchange Activity</a>`);
    expect(response.body).toContain('2024-03-25 08:30–12:30');
  });

  it('shows the three stops in the order they were visited, each with its topic', async () => {
    const response = await bwfEditor.get(`/workspace/activities/${id('seed')}`);
    expect(response.statusCode).toBe(200);
    const stops = section(response.body, 'stops');
    const names = [...stops.matchAll(/<h3 class="stop-name"><a [^>]*>([^<]*)<\/a><\/h3>/g)].map((match) => match[1]);
    expect(names).toEqual([
      'Shouzuoyuyuan Erli Community Public Service Block',
      'Office of Liu Yumei, BWF Executive Committee Member',
      'Tongrentang Zhima Health Women’s Service Centre',
    ]);
    const topics = [...stops.matchAll(/<dt>Topic<\/dt><dd>([^<]*)<\/dd>/g)].map((match) => match[1]);
    expect(topics).toEqual([
      "Women's organizations in grassroots governance",
      'Roles of grassroots executive members',
      "Operation of women's service facilities",
    ]);
  });

  it('lists the attendees by federation, then department, with the posts they held that day', async () => {
    const response = await bwfEditor.get(`/workspace/activities/${id('seed')}`);
    const attendees = section(response.body, 'attendees');
    const headings = [...attendees.matchAll(/<h([34])>([^<]*)<\/h\1>/g)].map((match) => `${match[1]}:${match[2]}`);
    expect(headings).toEqual([
      "3:Beijing Women's Federation",
      '4:Grassroots Organization Construction Department',
      '4:Party Committee (Party-building Work Department)',
      "3:Tianjin Women's Federation",
      '4:Party Committee',
      '4:Organization Department',
    ]);
    expect(attendees).toContain(
      `<a href="/workspace/people/${id('Wei Jiang')}">Wei Jiang</a></td><td class="attendee-title">Deputy Secretary of the Leading Party Members' Group and Vice-President</td>`,
    );
    expect(attendees).toContain(
      `<a href="/workspace/people/${id('Wang Dongmei')}">Wang Dongmei</a></td><td class="attendee-title">Member of the Leading Party Members' Group and Vice-President</td>`,
    );
    const zh = section((await bwfEditorZh.get(`/workspace/activities/${id('seed')}`)).body, 'attendees');
    expect(zh).toContain('<td class="attendee-title">党组副书记、副主席</td>');
    expect(zh).toContain('<td class="attendee-title">党组成员、副主席</td>');
    expect(zh).toContain('<h4>基层组织建设部</h4>');
  });

  it('shows the meeting with its talks and the follow-up agreed', async () => {
    const response = await bwfEditor.get(`/workspace/activities/${id('seed')}`);
    const sessions = section(response.body, 'sessions');
    expect(sessions).toContain('<h3>Meeting and talks</h3>');
    expect(sessions).toContain('BWF presented its efforts and progress on grassroots organization development and Party-building');
    expect(sessions).toContain("Beijing Women's Federation</span>");
    const followUps = section(response.body, 'follow-ups');
    expect(followUps).toContain('Continuously follow the implementation of the framework agreement');
    expect(followUps).toContain('<td>Open</td>');
  });

  it('keeps an attendee’s title as it was that day when her posts change later', async () => {
    const db = testApp.database.db;
    const post = await db.selectFrom('position').selectAll().where('person_id', '=', id('Wei Jiang')).where('title_en', '=', 'Vice-President').executeTakeFirstOrThrow();
    const response = await bwfEditor.post(`/workspace/people/${id('Wei Jiang')}/positions/${post.id}`, {
      organizationId: String(post.organization_id),
      titleZh: '主席',
      titleEn: 'President',
      kind: 'leader',
      startsOn: '',
      endsOn: '',
    });
    expect(response.statusCode).toBe(303);
    const page = await bwfEditor.get(`/workspace/activities/${id('seed')}`);
    expect(section(page.body, 'attendees')).toContain("Deputy Secretary of the Leading Party Members' Group and Vice-President");
    expect(page.body).not.toContain('Group and President');
  });

  it('offers a reviewer the page to read but no way to change it', async () => {
    const page = await reviewer.get(`/workspace/activities/${id('seed')}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`/workspace/activities/${id('seed')}/edit`);
    expect(page.body).not.toContain('/stops/new');
    expect((await reviewer.get(`/workspace/activities/${id('seed')}/edit`)).statusCode).toBe(404);
    expect((await reviewer.post(`/workspace/activities/${id('seed')}`, validActivity)).statusCode).toBe(404);
    expect((await reviewer.get(`/workspace/activities/${id('seed')}/stops/new`)).statusCode).toBe(404);
  });

  it('lets the TWF editor, a co-organizer, edit it', async () => {
    const page = await twfEditor.get(`/workspace/activities/${id('seed')}`);
    expect(page.body).toContain(`/workspace/activities/${id('seed')}/edit`);
    expect((await twfEditor.get(`/workspace/activities/${id('seed')}/stops/new`)).statusCode).toBe(200);
  });
});

describe('an organization’s page', () => {
  it('lists the activities it organized, those of its units too', async () => {
    const twf = await bwfEditor.get(`/workspace/organizations/${id('twf')}`);
    const organized = section(twf.body, 'organized-activities');
    expect(organized).toContain(`href="/workspace/activities/${id('seed')}"`);
    const publicity = section((await bwfEditor.get(`/workspace/organizations/${id('bwf-publicity-department')}`)).body, 'organized-activities');
    expect(publicity).not.toContain(`href="/workspace/activities/${id('seed')}"`);
  });
});

describe('filtering the list', () => {
  it('narrows by kind, topic, organizer, place, facility, dates, visibility and status', async () => {
    const seedLink = `href="/workspace/activities/${id('seed')}"`;
    const has = async (query: string) => (await bwfEditor.get(`/workspace/activities?${query}`)).body.includes(seedLink);
    expect(await has('kind=exchange_visit')).toBe(true);
    expect(await has('kind=training')).toBe(false);
    expect(await has('topic=executive_members')).toBe(true);
    expect(await has('topic=family_education')).toBe(false);
    expect(await has(`organizationId=${id('twf')}`)).toBe(true);
    expect(await has(`organizationId=${id('hebei-wf')}`)).toBe(false);
    expect(await has('place=110115')).toBe(true);
    expect(await has(`place=${encodeURIComponent('120000')}`)).toBe(false);
    expect(await has(`facilityId=${id('Tongrentang Zhima Health Women’s Service Centre')}`)).toBe(true);
    expect(await has('from=2024-03-25&to=2024-03-25')).toBe(true);
    expect(await has('from=2024-03-26')).toBe(false);
    expect(await has('visibility=public&status=held')).toBe(true);
    expect(await has('visibility=internal')).toBe(false);
    expect(await has(`q=${encodeURIComponent('京津妇联')}`)).toBe(true);
  });

  it('shows the chosen filters in the form', async () => {
    const response = await bwfEditor.get('/workspace/activities?visibility=public');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<option value="public" selected>Public</option>');
  });

  it('says which filter is wrong instead of guessing', async () => {
    const badDate = await bwfEditor.get('/workspace/activities?from=2024-02-30');
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('id="from-error"');
    const badPlace = await bwfEditor.get(`/workspace/activities?place=${encodeURIComponent('999999')}`);
    expect(badPlace.statusCode).toBe(400);
    expect(badPlace.body).toContain('id="place-error"');
    expect(badPlace.body).toContain('No place is known as');
  });
});

describe('internal activities', () => {
  it('are 404 in the workspace for staff of no organizer, and left out of their list', async () => {
    const internal = await activityId('Meeting on the Work of Executive Committee Members');
    expect((await bwfEditor.get(`/workspace/activities/${internal}`)).statusCode).toBe(200);
    const refused = await twfEditor.get(`/workspace/activities/${internal}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('Executive Committee Members');
    expect((await twfEditor.get(`/workspace/activities/${internal}/edit`)).statusCode).toBe(404);
    expect((await twfEditor.get('/workspace/activities?visibility=internal')).body).not.toContain(`/workspace/activities/${internal}"`);
    expect((await bwfEditor.get('/workspace/activities?visibility=internal')).body).toContain(`/workspace/activities/${internal}"`);
  });
});

describe('the forms', () => {
  it('creates an activity with its organizer and co-organizer, and opens its page', async () => {
    const response = await bwfEditor.post('/workspace/activities', {
      ...validActivity,
      topics: 'party_building',
      organizationId: String(id('bwf')),
      coOrganizationId: String(id('hebei-wf')),
    });
    expect(response.statusCode).toBe(303);
    const page = await bwfEditor.get(response.headers.location ?? '');
    expect(page.body).toContain('<h1>Test meeting</h1>');
    const organizers = section(page.body, 'organizers');
    expect(organizers).toContain(`Beijing Women's Federation</a><span class="muted"> · Organizer</span>`);
    expect(organizers).toContain(`Hebei Women's Federation</a><span class="muted"> · Co-organizer</span>`);
  });

  it('takes several topics from the checkboxes', async () => {
    const form = await bwfEditor.get('/workspace/activities/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('type="checkbox" name="topics" value="family_education"');
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/activities',
      headers: { cookie: bwfEditor.cookie, origin: 'http://localhost:80', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ...Object.entries({ ...validActivity, titleEn: 'Two topics', organizationId: String(id('bwf')), coOrganizationId: '', _csrf: bwfEditor.csrfToken }),
        ['topics', 'family_education'],
        ['topics', 'employment'],
      ]).toString(),
    });
    expect(response.statusCode).toBe(303);
    const page = await bwfEditor.get(response.headers.location ?? '');
    expect(page.body).toContain('Family education, Employment and entrepreneurship');
  });

  it('re-renders the activity form with a message when the end comes before the start, in the reader’s language', async () => {
    const fields = { ...validActivity, endsAt: '2024-06-01 08:00', organizationId: String(id('bwf')), coOrganizationId: '' };
    const response = await bwfEditor.post('/workspace/activities', fields);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="error" id="endsAt-error">The end comes before the start.</p>');
    expect(response.body).toContain('value="Test meeting"');
    const zh = await bwfEditorZh.post('/workspace/activities', fields);
    expect(zh.body).toContain('<p class="error" id="endsAt-error">结束时间早于开始时间。</p>');
    const noTitle = await bwfEditor.post('/workspace/activities', { ...fields, endsAt: '2024-06-01 10:00', titleZh: '', titleEn: '' });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.body).toContain('id="titleZh-error"');
  });

  it('refuses to mark as held an activity that has not begun', async () => {
    const response = await bwfEditor.post('/workspace/activities', {
      ...validActivity,
      startsAt: '2099-01-01 09:00',
      endsAt: '2099-01-01 10:00',
      organizationId: String(id('bwf')),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="error" id="status-error">An activity that has not begun cannot be marked as held.</p>');
  });

  it('adds, reorders and removes a stop; a stop nowhere, or at an unknown place, is refused beside its field', async () => {
    const base = `/workspace/activities/${id('seed')}/stops`;
    const empty = { facilityId: '', place: '', topic: '', startsAt: '', endsAt: '', purposeZh: '', purposeEn: '' };
    const nowhere = await bwfEditor.post(base, empty);
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.body).toContain('<p class="error" id="facilityId-error">Choose a facility or give a place (one of the two).</p>');
    const unknown = await bwfEditor.post(base, { ...empty, place: '110115/不存在的街道' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('id="place-error"');
    expect(unknown.body).toContain('value="110115/不存在的街道"');
    const missingFacility = await bwfEditor.post(base, { ...empty, facilityId: '999999' });
    expect(missingFacility.statusCode).toBe(400);
    expect(missingFacility.body).toContain('<p class="error" id="facilityId-error">No such facility.</p>');

    const added = await bwfEditor.post(base, { ...empty, place: '110115', topic: 'party_building', purposeEn: 'A fourth stop' });
    expect(added.statusCode).toBe(303);
    const stopNames = async () =>
      [...section((await bwfEditor.get(`/workspace/activities/${id('seed')}`)).body, 'stops').matchAll(/<h3 class="stop-name">(?:<a [^>]*>)?([^<]*)/g)].map(
        (match) => match[1],
      );
    expect((await stopNames()).at(-1)).toBe('Daxing District');
    const stop = await testApp.database.db.selectFrom('activity_stop').selectAll().where('activity_id', '=', id('seed')).where('purpose_en', '=', 'A fourth stop').executeTakeFirstOrThrow();
    expect(stop.position).toBe(4);
    expect((await bwfEditor.post(`${base}/${stop.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect((await stopNames())[2]).toBe('Daxing District');
    const confirm = await bwfEditor.get(`${base}/${stop.id}/delete`);
    expect(confirm.body).toContain('Delete “Daxing District”? This cannot be undone.');
    expect((await bwfEditor.post(`${base}/${stop.id}/delete`)).statusCode).toBe(303);
    expect(await stopNames()).toEqual([
      'Shouzuoyuyuan Erli Community Public Service Block',
      'Office of Liu Yumei, BWF Executive Committee Member',
      'Tongrentang Zhima Health Women’s Service Centre',
    ]);
  });

  it('refuses an attendee listed twice beside the person field', async () => {
    const response = await bwfEditor.post(`/workspace/activities/${id('seed')}/attendees`, {
      personId: String(id('Wei Jiang')),
      organizationId: '',
      titleZh: '',
      titleEn: '',
      role: 'member',
      status: 'attended',
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('<p class="error" id="personId-error">Wei Jiang is on the list of attendees already.</p>');
  });

  it('fills a new attendee’s organization and title from the posts she held that day', async () => {
    const created = await bwfEditor.post('/workspace/activities', { ...validActivity, titleEn: 'Attendee test', organizationId: String(id('bwf')) });
    const page = created.headers.location ?? '';
    const form = await bwfEditor.get(`${page}/attendees/new?q=Liu`);
    expect(form.body).toContain(`<option value="${id('Liu Yumei')}">Liu Yumei</option>`);
    expect(form.body).not.toContain('>Wang Dongmei</option>');
    const response = await bwfEditor.post(`${page}/attendees`, {
      personId: String(id('Liu Yumei')),
      organizationId: '',
      titleZh: '',
      titleEn: '',
      role: 'speaker',
      status: 'attended',
    });
    expect(response.statusCode).toBe(303);
    const attendees = section((await bwfEditor.get(page)).body, 'attendees');
    expect(attendees).toContain("<h3>Beijing Women's Federation</h3>");
    expect(attendees).toContain('<td class="attendee-title">Executive Committee Member</td><td>Speaker</td><td>Attended</td>');
  });

  it('refuses to remove the last organizer, on the confirmation page, even for a co-organizer', async () => {
    const response = await twfEditor.post(`/workspace/activities/${id('seed')}/organizers/${id('bwf')}/delete`);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('An activity keeps at least one organizer');
    const demote = await twfEditor.post(`/workspace/activities/${id('seed')}/organizers/${id('bwf')}`, { organizationId: String(id('bwf')), role: 'co_organizer' });
    expect(demote.statusCode).toBe(409);
    expect(demote.body).toContain('id="role-error"');
    const organizers = await testApp.database.db.selectFrom('activity_organizer').selectAll().where('activity_id', '=', id('seed')).orderBy('position').execute();
    expect(organizers.map((row) => [row.organization_id, row.role])).toEqual([
      [id('bwf'), 'organizer'],
      [id('twf'), 'co_organizer'],
    ]);
  });

  it('adds a session with an agenda item and a follow-up', async () => {
    const created = await bwfEditor.post('/workspace/activities', { ...validActivity, titleEn: 'Session test', organizationId: String(id('bwf')) });
    const page = created.headers.location ?? '';
    expect((await bwfEditor.post(`${page}/sessions`, { titleZh: '座谈', titleEn: 'Talks', startsAt: '', endsAt: '', minutesZh: '', minutesEn: 'Notes.' })).statusCode).toBe(303);
    const session = await testApp.database.db.selectFrom('activity_session').select('id').where('title_en', '=', 'Talks').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const noSubject = await bwfEditor.post(`${page}/sessions/${session.id}/items`, { subjectZh: '', subjectEn: '', speakerPersonId: '', speakerOrganizationId: '' });
    expect(noSubject.statusCode).toBe(400);
    expect(noSubject.body).toContain('id="subjectZh-error"');
    const item = await bwfEditor.post(`${page}/sessions/${session.id}/items`, {
      subjectZh: '',
      subjectEn: 'TWF spoke of its grassroots work',
      speakerPersonId: '',
      speakerOrganizationId: String(id('twf')),
    });
    expect(item.statusCode).toBe(303);
    const followUp = await bwfEditor.post(`${page}/follow-ups`, {
      actionZh: '',
      actionEn: 'Send the notes',
      ownerOrganizationId: String(id('bwf-publicity-department')),
      ownerPersonId: '',
      dueOn: '2024-07-01',
      status: 'open',
    });
    expect(followUp.statusCode).toBe(303);
    const detail = await bwfEditor.get(page);
    expect(section(detail.body, 'sessions')).toContain(`TWF spoke of its grassroots work<span class="muted"> — Tianjin Women's Federation</span>`);
    expect(section(detail.body, 'follow-ups')).toContain('<td>2024-07-01</td>');
  });

  it('adds photos from the media library, moves and removes them; an image of another federation’s library is refused', async () => {
    const site = await testApp.database.db.selectFrom('site').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow();
    const upload = async (red: number, altEn: string) => {
      const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: red, g: 60, b: 90 } } }).png().toBuffer();
      const response = await postMultipart(testApp.app, bwfEditor, '/workspace/media', { siteId: String(site.id), altZh: '合影', altEn }, [
        { field: 'file', filename: 'visit.png', content: png, contentType: 'image/png' },
      ]);
      expect(response.statusCode).toBe(303);
      return Number(/\/workspace\/media\/(\d+)/.exec(response.headers.location ?? '')?.[1]);
    };
    const group = await upload(200, 'The two delegations');
    const centre = await upload(100, 'At the service centre');
    const base = `/workspace/activities/${id('seed')}`;
    const form = await bwfEditor.get(`${base}/photos/new`);
    expect(form.body).toContain(`<option value="${group}">The two delegations (#${group})</option>`);
    const foreign = await twfEditor.post(`${base}/photos`, { mediaId: String(group) });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('<p class="error" id="mediaId-error">No image with this number is in a media library you use.</p>');
    expect((await bwfEditor.post(`${base}/photos`, { mediaId: String(group) })).statusCode).toBe(303);
    expect((await bwfEditor.post(`${base}/photos`, { mediaId: String(centre) })).statusCode).toBe(303);
    const twice = await bwfEditor.post(`${base}/photos`, { mediaId: String(group) });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('id="mediaId-error"');
    const alts = async () => [...section((await reviewer.get(base)).body, 'photos').matchAll(/alt="([^"]*)"/g)].map((match) => match[1]);
    expect(await alts()).toEqual(['The two delegations', 'At the service centre']);
    expect((await bwfEditor.post(`${base}/photos/${centre}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect(await alts()).toEqual(['At the service centre', 'The two delegations']);
    expect((await bwfEditor.post(`${base}/photos/${centre}/delete`)).statusCode).toBe(303);
    expect(await alts()).toEqual(['The two delegations']);
  });

  it('deletes an activity after asking', async () => {
    const created = await bwfEditor.post('/workspace/activities', { ...validActivity, titleEn: 'To be deleted', organizationId: String(id('bwf')) });
    const page = created.headers.location ?? '';
    const confirm = await bwfEditor.get(`${page}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Delete “To be deleted”? This cannot be undone.');
    const response = await bwfEditor.post(`${page}/delete`);
    expect(response.statusCode).toBe(303);
    expect((await bwfEditor.get(page)).statusCode).toBe(404);
  });
});
