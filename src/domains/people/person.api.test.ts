import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
const ids: Record<string, number> = {};

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

beforeAll(async () => {
  testApp = await createTestApp();
  [bwfEditor, twfEditor] = await Promise.all([signIn(testApp.app, 'editor@bwf.example.org'), signIn(testApp.app, 'editor@twf.example.org')]);
  const db = testApp.database.db;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('person').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the people API', () => {
  it('is described in the OpenAPI document, dates as YYYY-MM-DD', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    const paths = Object.keys(document.paths);
    for (const path of ['/api/v1/people', '/api/v1/people/{id}', '/api/v1/positions', '/api/v1/positions/{id}']) expect(paths).toContain(path);
    const on = document.paths['/api/v1/people'].get.parameters.find((parameter: { name: string }) => parameter.name === 'on');
    expect(on.schema.format).toBe('date');
  });

  it('answers 401 without credentials', async () => {
    for (const url of ['/api/v1/people', `/api/v1/people/${id('Wei Jiang')}`, '/api/v1/positions']) {
      const response = await testApp.app.inject({ url });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('answers 400 for days that do not exist, malformed days and ends before starts', async () => {
    const bad = await Promise.all([
      bwfEditor.api('GET', '/api/v1/people?on=2024-02-30'),
      bwfEditor.api('GET', '/api/v1/positions?on=2024-3-25'),
      bwfEditor.api('POST', '/api/v1/positions', {
        personId: id('Liu Yumei'),
        organizationId: id('bwf'),
        titleZh: '顾问',
        titleEn: 'Adviser',
        kind: 'staff',
        startsOn: '2024-02-30',
      }),
      bwfEditor.api('POST', '/api/v1/positions', {
        personId: id('Liu Yumei'),
        organizationId: id('bwf'),
        titleZh: '顾问',
        titleEn: 'Adviser',
        kind: 'staff',
        startsOn: '2024-03-25',
        endsOn: '2024-03-24',
      }),
      bwfEditor.api('POST', '/api/v1/people', { nameZh: '', nameEn: 'Nobody', organizationId: id('bwf') }),
      bwfEditor.api('GET', '/api/v1/people?kind=president'),
    ]);
    expect(bad.map((response) => response.statusCode)).toEqual(bad.map(() => 400));
    expect(bad[0]?.json().error.code).toBe('invalid_request');
  });

  it('refuses a change to a post that would put its end before its start, as stored', async () => {
    const post = await bwfEditor.api('POST', '/api/v1/positions', {
      personId: id('Liu Yumei'),
      organizationId: id('bwf-rights-department'),
      titleZh: '顾问',
      titleEn: 'Adviser',
      kind: 'staff',
      startsOn: '2024-03-01',
    });
    expect(post.statusCode).toBe(201);
    const response = await bwfEditor.api('PATCH', `/api/v1/positions/${post.json().id}`, { endsOn: '2024-02-29' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('dates');
    const deleted = await bwfEditor.api('DELETE', `/api/v1/positions/${post.json().id}`);
    expect(deleted.statusCode).toBe(204);
  });

  it('lets a TWF editor read Wei Jiang but refuses every change to her or at BWF as not found, guessed ids too', async () => {
    const weiJiang = id('Wei Jiang');
    const read = await twfEditor.api('GET', `/api/v1/people/${weiJiang}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().positions).toHaveLength(2);
    const bwfPostId: number = read.json().positions.find((position: { organizationId: number }) => position.organizationId === id('bwf')).id;
    const wangDongmeiTwfPostId = (
      await testApp.database.db
        .selectFrom('position')
        .select('id')
        .where('person_id', '=', id('Wang Dongmei'))
        .where('organization_id', '=', id('twf'))
        .executeTakeFirstOrThrow()
    ).id;
    const refused = await Promise.all([
      twfEditor.api('PATCH', `/api/v1/people/${weiJiang}`, { nameEn: 'Renamed' }),
      twfEditor.api('DELETE', `/api/v1/people/${weiJiang}`),
      twfEditor.api('POST', '/api/v1/people', { nameZh: 'X', nameEn: 'X', organizationId: id('bwf') }),
      twfEditor.api('POST', '/api/v1/positions', { personId: weiJiang, organizationId: id('bwf'), titleZh: '主席', titleEn: 'President', kind: 'leader' }),
      twfEditor.api('PATCH', `/api/v1/positions/${bwfPostId}`, { endsOn: '2024-01-01' }),
      // Taking a BWF post over to TWF needs the right at BWF; handing a TWF post to BWF needs it too.
      twfEditor.api('PATCH', `/api/v1/positions/${bwfPostId}`, { organizationId: id('twf') }),
      twfEditor.api('PATCH', `/api/v1/positions/${wangDongmeiTwfPostId}`, { organizationId: id('bwf') }),
      twfEditor.api('PATCH', `/api/v1/people/${id('Wang Dongmei')}`, { organizationId: id('bwf') }),
      twfEditor.api('DELETE', `/api/v1/positions/${bwfPostId}`),
      twfEditor.api('GET', '/api/v1/people/999999'),
      twfEditor.api('PATCH', '/api/v1/people/999999', { nameEn: 'Ghost' }),
      twfEditor.api('DELETE', '/api/v1/positions/999999'),
      twfEditor.api('POST', '/api/v1/positions', { personId: 999999, organizationId: id('twf'), titleZh: '主席', titleEn: 'President', kind: 'leader' }),
    ]);
    expect(refused.map((response) => response.statusCode)).toEqual(refused.map(() => 404));
    expect(refused[0]?.json()).toMatchObject({ error: { code: 'not_found' } });
    const after = await twfEditor.api('GET', `/api/v1/people/${weiJiang}`);
    expect(after.json()).toMatchObject({ nameEn: 'Wei Jiang' });
    expect(after.json().positions.every((position: { endsOn: string | null }) => position.endsOn === null)).toBe(true);
  });

  it('creates, reads, changes and deletes a person and her posts, dates round-tripping as written, every change audited', async () => {
    const created = await twfEditor.api('POST', '/api/v1/people', { nameZh: 'Zhao Li', nameEn: 'Zhao Li', organizationId: id('twf-rights-department') });
    expect(created.statusCode).toBe(201);
    const person = created.json();
    expect(person).toMatchObject({ nameEn: 'Zhao Li', notes: '', organizationId: id('twf-rights-department') });

    const post = await twfEditor.api('POST', '/api/v1/positions', {
      personId: person.id,
      organizationId: id('twf-rights-department'),
      titleZh: '部长',
      titleEn: 'Director',
      kind: 'leader',
      startsOn: '2024-01-01',
      endsOn: null,
    });
    expect(post.statusCode).toBe(201);
    expect(post.json()).toMatchObject({ startsOn: '2024-01-01', endsOn: null });
    const earlier = await twfEditor.api('POST', '/api/v1/positions', {
      personId: person.id,
      organizationId: id('twf-rights-department'),
      titleZh: '副部长',
      titleEn: 'Deputy Director',
      kind: 'leader',
      startsOn: '2020-03-01',
      endsOn: '2023-12-31',
    });
    expect(earlier.json()).toMatchObject({ startsOn: '2020-03-01', endsOn: '2023-12-31' });

    // The day is stored as the day, whatever the zones of the process and the server.
    const stored = await testApp.database.db.selectFrom('position').select(['starts_on', 'ends_on']).where('id', '=', earlier.json().id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ starts_on: '2020-03-01', ends_on: '2023-12-31' });

    const read = await twfEditor.api('GET', `/api/v1/people/${person.id}`);
    expect(read.json().positions.map((position: { titleEn: string }) => position.titleEn)).toEqual(['Director', 'Deputy Director']);

    const onDay = await twfEditor.api('GET', `/api/v1/positions?personId=${person.id}&on=2022-06-01`);
    expect(onDay.json()).toMatchObject({ total: 1, items: [{ titleEn: 'Deputy Director' }] });
    const lastDay = await twfEditor.api('GET', `/api/v1/positions?personId=${person.id}&on=2023-12-31`);
    expect(lastDay.json().items.map((position: { titleEn: string }) => position.titleEn)).toEqual(['Deputy Director']);
    const inTwf = await twfEditor.api('GET', `/api/v1/positions?organizationId=${id('twf')}&kind=leader&on=2024-03-25&limit=10`);
    expect(inTwf.json().items.map((position: { titleEn: string }) => position.titleEn).sort()).toEqual(['Director', 'Vice-President']);
    expect(inTwf.json().limit).toBe(10);

    const renamed = await twfEditor.api('PATCH', `/api/v1/people/${person.id}`, { notes: 'Joined from Hexi District.' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ nameEn: 'Zhao Li', notes: 'Joined from Hexi District.' });
    const ended = await twfEditor.api('PATCH', `/api/v1/positions/${post.json().id}`, { endsOn: '2024-06-30' });
    expect(ended.json()).toMatchObject({ startsOn: '2024-01-01', endsOn: '2024-06-30' });

    const deleted = await twfEditor.api('DELETE', `/api/v1/people/${person.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await twfEditor.api('GET', `/api/v1/people/${person.id}`)).statusCode).toBe(404);
    expect((await twfEditor.api('GET', `/api/v1/positions/${post.json().id}`)).statusCode).toBe(404);

    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select(['action', 'entity_type', 'entity_id', 'before', 'after'])
      .where((eb) =>
        eb.or([
          eb.and([eb('entity_type', '=', 'person'), eb('entity_id', '=', String(person.id))]),
          eb.and([eb('entity_type', '=', 'position'), eb('entity_id', 'in', [String(post.json().id), String(earlier.json().id)])]),
        ]),
      )
      .orderBy('id')
      .execute();
    expect(audit.map((event) => `${event.entity_type}:${event.action}`)).toEqual([
      'person:create',
      'position:create',
      'position:create',
      'person:update',
      'position:update',
      'position:delete',
      'position:delete',
      'person:delete',
    ]);
    expect(audit[3]?.before).toMatchObject({ notes: '' });
    expect(audit[3]?.after).toMatchObject({ notes: 'Joined from Hexi District.' });
    expect(audit[4]?.before).toMatchObject({ endsOn: null });
    expect(audit[4]?.after).toMatchObject({ endsOn: '2024-06-30' });
    expect(audit[7]?.before).toMatchObject({ nameEn: 'Zhao Li' });
  });

  it('keeps what a patch leaves out, notes included', async () => {
    const created = await twfEditor.api('POST', '/api/v1/people', {
      nameZh: 'Sun Mei',
      nameEn: 'Sun Mei',
      organizationId: id('twf'),
      notes: 'Met at the 2024 exchange.',
    });
    expect(created.statusCode).toBe(201);
    const renamed = await twfEditor.api('PATCH', `/api/v1/people/${created.json().id}`, { nameEn: 'Sun Mei (TWF)' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ nameEn: 'Sun Mei (TWF)', notes: 'Met at the 2024 exchange.' });
  });

  it('lists people by name in either language, organization with its units, kind and day', async () => {
    const vicePresidents = await bwfEditor.api('GET', `/api/v1/people?organizationId=${id('twf')}&kind=leader&on=2024-03-25`);
    expect(vicePresidents.statusCode).toBe(200);
    expect(vicePresidents.json().items.map((person: { nameEn: string }) => person.nameEn)).toEqual(['Wang Dongmei']);
    const units = await bwfEditor.api('GET', `/api/v1/people?organizationId=${id('bwf')}`);
    expect(units.json().items.map((person: { nameEn: string }) => person.nameEn)).toEqual(['Liu Yumei', 'Wei Jiang']);
    const search = await bwfEditor.api('GET', '/api/v1/people?q=yumei&limit=1');
    expect(search.json()).toMatchObject({ total: 1, limit: 1, offset: 0, items: [{ nameEn: 'Liu Yumei' }] });
  });
});
