import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

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

/** Reads a page in English, whatever the browser would have chosen. */
function getEn(client: SignedInClient, url: string): Promise<LightMyRequestResponse> {
  return testApp.app.inject({ url, headers: { cookie: `${client.cookie}; halfsky_lang=en` } });
}

/** The part of the organization page that lists the posts held there. */
function postsSection(html: string): string {
  const start = html.indexOf('id="posts-held"');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

async function auditOf(entityType: string, entityId: number) {
  return testApp.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}

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
});
afterAll(async () => {
  await testApp.close();
});

describe('the questions the seed asks', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const response = await testApp.app.inject({ url: `/workspace/people/${id('Wei Jiang')}` });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/workspace/sign-in?next=');
  });

  it('answers who holds which posts in BWF today, from the units below too', async () => {
    const response = await getEn(bwfEditor, `/workspace/organizations/${id('bwf')}`);
    expect(response.statusCode).toBe(200);
    const section = postsSection(response.body);
    expect(section).toContain('Posts held today');
    expect(section).toMatch(/Wei Jiang<\/a><\/td><td>Vice-President<\/td>/);
    expect(section).toMatch(/Liu Yumei<\/a><\/td><td>Executive Committee Member<\/td><td>Executive committee member<\/td>/);
    // The party group's post is listed under its unit.
    expect(section).toContain(`href="/workspace/organizations/${id('bwf-party-group')}">Leading Party Members'`);
    expect(section).not.toContain('Wang Dongmei');
  });

  it('answers who was Vice-President of TWF on 2024-03-25', async () => {
    const response = await getEn(twfEditor, `/workspace/organizations/${id('twf')}?on=2024-03-25`);
    expect(response.statusCode).toBe(200);
    const section = postsSection(response.body);
    expect(section).toContain('Posts held on 2024-03-25');
    expect(section).toContain('value="2024-03-25"');
    expect(section).toMatch(/Wang Dongmei<\/a><\/td><td>Vice-President<\/td>/);
    expect(section).not.toContain('Wei Jiang');
  });

  it('shows the posts section in Chinese too, and a wrong date beside the picker', async () => {
    const zh = await bwfEditor.get(`/workspace/organizations/${id('twf')}`);
    expect(postsSection(zh.body)).toContain('今日在任职务');
    expect(postsSection(zh.body)).toContain('副主席');
    const wrong = await getEn(bwfEditor, `/workspace/organizations/${id('twf')}?on=2024-02-30`);
    expect(wrong.statusCode).toBe(200);
    expect(postsSection(wrong.body)).toMatch(/id="on-error"/);
    expect(postsSection(wrong.body)).toContain('Posts held today');
  });

  it("lists everything Wang Dongmei has held, each linking its organization", async () => {
    const response = await getEn(reviewer, `/workspace/people/${id('Wang Dongmei')}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Everything Wang Dongmei has held');
    expect(response.body).toContain("Member of the Leading Party Members' Group");
    expect(response.body).toContain('Vice-President');
    expect(response.body).toContain(`href="/workspace/organizations/${id('twf-party-group')}">Tianjin Women's Federation › Leading Party Members' Group`);
    expect(response.body).toContain(`href="/workspace/organizations/${id('twf')}">Tianjin Women's Federation</a>`);
    // A reviewer may read, not change.
    expect(response.body).not.toContain(`/workspace/people/${id('Wang Dongmei')}/edit`);
    expect(response.body).not.toContain('/positions/new');
  });

  it('lists the executive committee of the reader’s own federation, each member with all her posts', async () => {
    const response = await getEn(bwfEditor, '/workspace/executive-members');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<option value="${id('bwf')}" selected`);
    expect(response.body).toContain('Liu Yumei');
    expect(response.body).toContain('Executive Committee Member');
    expect(response.body).not.toContain('Wei Jiang');
    const tianjin = await getEn(twfEditor, '/workspace/executive-members');
    expect(tianjin.body).toContain(`<option value="${id('twf')}" selected`);
    expect(tianjin.body).not.toContain('Liu Yumei');
    const chosen = await getEn(twfEditor, `/workspace/executive-members?organization=${id('bwf')}`);
    expect(chosen.body).toContain('Liu Yumei');
  });
});

describe('the people list', () => {
  it('searches names in either language and filters by organization, kind and day', async () => {
    const search = await getEn(reviewer, '/workspace/people?q=dongmei');
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain('Wang Dongmei');
    expect(search.body).not.toContain('Wei Jiang');

    const tianjin = await getEn(reviewer, `/workspace/people?organizationId=${id('twf')}`);
    expect(tianjin.body).toContain('Wang Dongmei');
    expect(tianjin.body).not.toContain('Liu Yumei');

    // The party group is a unit below BWF: Wei Jiang holds a post there.
    const partyGroup = await getEn(reviewer, `/workspace/people?organizationId=${id('bwf-party-group')}`);
    expect(partyGroup.body).toContain('Wei Jiang');
    expect(partyGroup.body).not.toContain('Liu Yumei');

    const executive = await getEn(reviewer, '/workspace/people?kind=executive_member&on=2024-03-25&q=');
    expect(executive.body).toContain('Liu Yumei');
    expect(executive.body).not.toContain('Wei Jiang');
    expect(executive.body).toContain('Posts held on 2024-03-25');
  });

  it('says which filter value is wrong', async () => {
    const response = await getEn(reviewer, '/workspace/people?on=2024-02-30');
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="on-error"/);
  });

  it('pages through a long list', async () => {
    const db = testApp.database.db;
    await db
      .insertInto('person')
      .values(Array.from({ length: 55 }, (_, index) => ({ name_zh: `测试人员${index}`, name_en: `Pager Person ${String(index).padStart(2, '0')}`, organization_id: id('hebei-wf') })))
      .execute();
    const first = await getEn(reviewer, `/workspace/people?q=Pager&organizationId=${id('hebei-wf')}`);
    expect(first.body).toContain('55 in all');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain(`href="/workspace/people?q=Pager&amp;organizationId=${id('hebei-wf')}&amp;offset=50"`);
    const second = await getEn(reviewer, `/workspace/people?q=Pager&organizationId=${id('hebei-wf')}&offset=50`);
    expect(second.body).toContain('Pager Person 54');
    expect(second.body).not.toContain('Pager Person 00');
  });
});

describe('changing people and posts', () => {
  it('re-renders a wrong person form with messages beside the fields and the values kept', async () => {
    const response = await bwfEditor.post('/workspace/people', { nameZh: '', nameEn: 'Zhang Min', organizationId: String(id('bwf')), notes: 'kept note' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/id="nameZh-error"/);
    expect(response.body).toContain('value="Zhang Min"');
    expect(response.body).toContain('kept note');
    // Only organizations the editor may put records in are offered.
    expect(response.body).toContain(`<option value="${id('bwf')}" selected`);
    expect(response.body).not.toContain(`<option value="${id('twf')}"`);
  });

  it('creates a person, gives her a post, changes and ends it, with every change audited', async () => {
    const created = await bwfEditor.post('/workspace/people', { nameZh: 'Zhang Min', nameEn: 'Zhang Min', organizationId: String(id('bwf-publicity-department')), notes: '' });
    expect(created.statusCode).toBe(303);
    const personId = Number(/\/workspace\/people\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    expect(personId).toBeGreaterThan(0);
    const [personAudit] = await auditOf('person', personId);
    expect(personAudit?.action).toBe('create');
    expect(personAudit?.after).toMatchObject({ nameEn: 'Zhang Min', organizationId: id('bwf-publicity-department') });

    const form = await bwfEditor.get(`/workspace/people/${personId}/positions/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('type="date"');
    // Same-named units are told apart by their parent.
    expect(form.body).toContain('北京市妇女联合会 › 党组');

    const wrongOrder = await bwfEditor.post(`/workspace/people/${personId}/positions`, {
      organizationId: String(id('bwf-publicity-department')),
      titleZh: '部长',
      titleEn: 'Director',
      kind: 'leader',
      startsOn: '2020-05-01',
      endsOn: '2019-01-01',
    });
    expect(wrongOrder.statusCode).toBe(400);
    expect(wrongOrder.body).toMatch(/id="endsOn-error"[^>]*>终止日期早于起始日期/);
    expect(wrongOrder.body).toContain('value="Director"');
    expect(wrongOrder.body).toContain('value="2019-01-01"');

    const notADay = await bwfEditor.post(`/workspace/people/${personId}/positions`, {
      organizationId: String(id('bwf-publicity-department')),
      titleZh: '部长',
      titleEn: 'Director',
      kind: 'leader',
      startsOn: '2024-02-30',
      endsOn: '',
    });
    expect(notADay.statusCode).toBe(400);
    expect(notADay.body).toMatch(/id="startsOn-error"/);

    const added = await bwfEditor.post(`/workspace/people/${personId}/positions`, {
      organizationId: String(id('bwf-publicity-department')),
      titleZh: '部长',
      titleEn: 'Director',
      kind: 'leader',
      startsOn: '2020-05-01',
      endsOn: '',
    });
    expect(added.statusCode).toBe(303);
    const position = await testApp.database.db.selectFrom('position').selectAll().where('person_id', '=', personId).executeTakeFirstOrThrow();
    expect(position.starts_on).toBe('2020-05-01');
    expect(position.ends_on).toBeNull();

    const today = await getEn(bwfEditor, `/workspace/organizations/${id('bwf')}`);
    expect(postsSection(today.body)).toContain('Zhang Min');

    const changed = await bwfEditor.post(`/workspace/people/${personId}/positions/${position.id}`, {
      organizationId: String(id('bwf-publicity-department')),
      titleZh: '副部长',
      titleEn: 'Deputy Director',
      kind: 'leader',
      startsOn: '2020-05-01',
      endsOn: '',
    });
    expect(changed.statusCode).toBe(303);

    const endForm = await bwfEditor.get(`/workspace/people/${personId}/positions/${position.id}/end`);
    expect(endForm.statusCode).toBe(200);
    const ended = await bwfEditor.post(`/workspace/people/${personId}/positions/${position.id}/end`, { endsOn: '2023-12-31' });
    expect(ended.statusCode).toBe(303);

    const audit = await auditOf('position', position.id);
    expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'update']);
    expect(audit[1]?.before).toMatchObject({ titleEn: 'Director' });
    expect(audit[1]?.after).toMatchObject({ titleEn: 'Deputy Director' });
    expect(audit[2]?.before).toMatchObject({ endsOn: null });
    expect(audit[2]?.after).toMatchObject({ endsOn: '2023-12-31', startsOn: '2020-05-01' });

    // Ended: gone from today, still on her record, and still there on a day she held it.
    const afterEnd = await getEn(bwfEditor, `/workspace/organizations/${id('bwf')}`);
    expect(postsSection(afterEnd.body)).not.toContain('Zhang Min');
    const onDay = await getEn(bwfEditor, `/workspace/organizations/${id('bwf')}?on=2023-12-31`);
    expect(postsSection(onDay.body)).toContain('Zhang Min');
    const record = await getEn(bwfEditor, `/workspace/people/${personId}`);
    expect(record.body).toContain('Deputy Director');
    expect(record.body).toContain('2023-12-31');
    expect(record.body).toContain('Ended');

    const confirm = await bwfEditor.get(`/workspace/people/${personId}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`action="/workspace/people/${personId}/delete"`);
    const deleted = await bwfEditor.post(`/workspace/people/${personId}/delete`);
    expect(deleted.statusCode).toBe(303);
    expect(await testApp.database.db.selectFrom('position').select('id').where('id', '=', position.id).executeTakeFirst()).toBeUndefined();
    expect((await auditOf('position', position.id)).at(-1)).toMatchObject({ action: 'delete', after: null });
    expect((await auditOf('position', position.id)).at(-1)?.before).toMatchObject({ titleEn: 'Deputy Director' });
    expect((await auditOf('person', personId)).at(-1)).toMatchObject({ action: 'delete' });
    expect((await bwfEditor.get(`/workspace/people/${personId}`)).statusCode).toBe(404);
  });

  it('deletes a post after a confirmation page', async () => {
    const db = testApp.database.db;
    const post = await db
      .insertInto('position')
      .values({ person_id: id('Liu Yumei'), organization_id: id('bwf-rights-department'), title_zh: '顾问', title_en: 'Adviser', kind: 'staff' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const confirm = await bwfEditor.get(`/workspace/people/${id('Liu Yumei')}/positions/${post.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('button class="danger"');
    const response = await bwfEditor.post(`/workspace/people/${id('Liu Yumei')}/positions/${post.id}/delete`);
    expect(response.statusCode).toBe(303);
    expect(await db.selectFrom('position').select('id').where('id', '=', post.id).executeTakeFirst()).toBeUndefined();
    expect((await auditOf('position', post.id)).map((event) => event.action)).toEqual(['delete']);
  });

  it('lets a TWF editor read Wei Jiang but not change her, her posts or BWF: each refusal is not found', async () => {
    const weiJiang = id('Wei Jiang');
    expect((await twfEditor.get(`/workspace/people/${weiJiang}`)).statusCode).toBe(200);
    const bwfPost = await testApp.database.db
      .selectFrom('position')
      .select('id')
      .where('person_id', '=', weiJiang)
      .where('organization_id', '=', id('bwf'))
      .executeTakeFirstOrThrow();
    const refused: LightMyRequestResponse[] = await Promise.all([
      twfEditor.get(`/workspace/people/${weiJiang}/edit`),
      twfEditor.post(`/workspace/people/${weiJiang}`, { nameZh: 'X', nameEn: 'X', organizationId: String(id('twf')), notes: '' }),
      twfEditor.get(`/workspace/people/${weiJiang}/delete`),
      twfEditor.post(`/workspace/people/${weiJiang}/delete`),
      twfEditor.post(`/workspace/people/${weiJiang}/positions`, {
        organizationId: String(id('bwf')),
        titleZh: '主席',
        titleEn: 'President',
        kind: 'leader',
        startsOn: '',
        endsOn: '',
      }),
      twfEditor.get(`/workspace/people/${weiJiang}/positions/${bwfPost.id}/edit`),
      twfEditor.post(`/workspace/people/${weiJiang}/positions/${bwfPost.id}/end`, { endsOn: '2024-01-01' }),
      twfEditor.post(`/workspace/people/${weiJiang}/positions/${bwfPost.id}/delete`),
      // Guessed ids, and a post named under the wrong person.
      twfEditor.get('/workspace/people/999999'),
      twfEditor.get(`/workspace/people/${weiJiang}/positions/999999/edit`),
      bwfEditor.get(`/workspace/people/${id('Wang Dongmei')}/positions/${bwfPost.id}/edit`),
      // A reviewer reads only.
      reviewer.get('/workspace/people/new'),
    ]);
    expect(refused.map((response) => response.statusCode)).toEqual(refused.map(() => 404));
    const stored = await testApp.database.db.selectFrom('person').select('name_en').where('id', '=', weiJiang).executeTakeFirstOrThrow();
    expect(stored.name_en).toBe('Wei Jiang');
    const posts = await testApp.database.db.selectFrom('position').select('id').where('person_id', '=', weiJiang).execute();
    expect(posts).toHaveLength(2);
  });

  it('refuses a form without the CSRF token', async () => {
    const response = await bwfEditor.post('/workspace/people', { _csrf: 'forged', nameZh: 'Forged', nameEn: 'Forged', organizationId: String(id('bwf')) });
    expect(response.statusCode).toBe(403);
    expect(await testApp.database.db.selectFrom('person').select('id').where('name_en', '=', 'Forged').executeTakeFirst()).toBeUndefined();
  });
});
