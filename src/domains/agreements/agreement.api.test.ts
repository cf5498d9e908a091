import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
const organizations: Record<string, number> = {};

function organization(slug: string): number {
  const id = organizations[slug];
  if (id === undefined) throw new Error(`no organization ${slug}`);
  return id;
}

async function count(table: 'document' | 'measure' | 'commitment' | 'progress_update'): Promise<number> {
  const row = await testApp.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

async function commitmentId(whatEn: string): Promise<number> {
  return (await testApp.database.db.selectFrom('commitment').select('id').where('what_en', '=', whatEn).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  testApp = await createTestApp();
  [bwfEditor, twfEditor, reviewer] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
  ]);
  for (const row of await testApp.database.db.selectFrom('organization').select(['id', 'slug']).execute()) organizations[row.slug] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the agreements API', () => {
  it('is described in the OpenAPI document', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/documents',
        '/api/v1/documents/{id}',
        '/api/v1/documents/{id}/measures',
        '/api/v1/measures/{id}',
        '/api/v1/commitments',
        '/api/v1/commitments/{id}',
        '/api/v1/commitments/{id}/progress-updates',
        '/api/v1/progress-updates',
        '/api/v1/progress-updates/{id}',
        '/api/v1/work-dimensions',
      ]),
    );
    const status = document.paths['/api/v1/commitments'].get.parameters.find((parameter: { name: string }) => parameter.name === 'status');
    expect(status.schema.enum).toEqual(['not_started', 'in_progress', 'overdue', 'done', 'dropped']);
  });

  it('answers 401 without credentials', async () => {
    const response = await testApp.app.inject({ url: '/api/v1/documents' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('lists documents and reads one with its measures and rolled-up progress', async () => {
    const list = (await reviewer.api('GET', '/api/v1/documents?kind=agreement')).json();
    expect(list.total).toBe(1);
    const [agreement] = list.items;
    expect(agreement).toMatchObject({ kind: 'agreement', docNumber: '', signedOn: '2023-06-16', endsOn: '2027-12-31', progress: 58.3, issuer: null });
    expect(agreement.parties.map((party: { slug: string }) => party.slug)).toEqual(['bwf', 'twf', 'hebei-wf']);
    const detail = (await reviewer.api('GET', `/api/v1/documents/${agreement.id}`)).json();
    expect(detail.measures.map((measure: { number: string; progress: number }) => [measure.number, measure.progress])).toEqual([
      ['1', 83.3],
      ['2', 76.7],
      ['3', 33.3],
      ['4', 40],
    ]);
    expect(detail.measures[3].dimensions.map((dimension: { code: string }) => dimension.code)).toEqual(['ideological', 'discipline']);
    expect((await reviewer.api('GET', '/api/v1/documents/999999')).statusCode).toBe(404);
  });

  it('lists commitments by status as shown today, by organization with its units, and by due range', async () => {
    const overdue = (await reviewer.api('GET', `/api/v1/commitments?status=overdue&organizationId=${organization('hebei-wf')}`)).json();
    expect(overdue.items.every((item: { status: string; storedStatus: string }) => item.status === 'overdue' && item.storedStatus !== 'done')).toBe(true);
    expect(overdue.items.map((item: { whatEn: string }) => item.whatEn)).toContain('Send grassroots federation officers to learn in Beijing and Tianjin');
    const bwf = (await reviewer.api('GET', `/api/v1/commitments?organizationId=${organization('bwf')}&dueFrom=2024-01-01&dueTo=2024-12-31`)).json();
    expect(bwf.items.map((item: { responsibleOrganization: { slug: string } }) => item.responsibleOrganization.slug)).toEqual(
      expect.arrayContaining(['bwf-grassroots-department', 'bwf-party-group']),
    );
    expect(bwf.items.every((item: { dueOn: string }) => item.dueOn >= '2024-01-01' && item.dueOn <= '2024-12-31')).toBe(true);
    const bad = await reviewer.api('GET', '/api/v1/commitments?status=late');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await reviewer.api('GET', '/api/v1/progress-updates')).statusCode).toBe(400);
  });

  it('creates a circular with measures, commitments and progress, each audited, and deletes it', async () => {
    const created = await bwfEditor.api('POST', '/api/v1/documents', {
      kind: 'circular',
      titleZh: '关于开展巾帼志愿服务的通知',
      signedOn: '2025-02-01',
      issuerId: organization('bwf'),
      bodyEn: 'Volunteering *together*.',
    });
    expect(created.statusCode).toBe(201);
    const document = created.json();
    expect(document).toMatchObject({ kind: 'circular', issuer: { slug: 'bwf' }, parties: [], progress: null, bodyHtmlEn: '<p>Volunteering <em>together</em>.</p>\n' });
    const measure = await bwfEditor.api('POST', `/api/v1/documents/${document.id}/measures`, { number: '1', titleZh: '组建志愿服务队' });
    expect(measure.statusCode).toBe(201);
    // Any organization may carry out a circular; its issuer's editors record commitments for them.
    const commitment = await bwfEditor.api('POST', '/api/v1/commitments', {
      measureId: measure.json().id,
      whatZh: '组建天津巾帼志愿服务队',
      responsibleOrganizationId: organization('twf'),
      dueOn: '2025-12-31',
      weight: 2.5,
      status: 'in_progress',
      progress: 20,
    });
    expect(commitment.statusCode).toBe(201);
    expect(commitment.json()).toMatchObject({ weight: 2.5, progress: 20, responsibleOrganization: { slug: 'twf' } });
    const reported = await twfEditor.api('POST', `/api/v1/commitments/${commitment.json().id}/progress-updates`, {
      reportedOn: '2025-06-01',
      noteEn: 'Team formed',
      progress: 100,
      status: 'done',
    });
    expect(reported.statusCode).toBe(201);
    expect(reported.json()).toMatchObject({ progress: 100, status: 'done', applied: true });
    expect((await reviewer.api('GET', `/api/v1/documents/${document.id}`)).json().progress).toBe(100);
    const timeline = (await reviewer.api('GET', `/api/v1/progress-updates?measureId=${measure.json().id}`)).json();
    expect(timeline.items.map((item: { noteEn: string }) => item.noteEn)).toEqual(['Team formed']);
    const audited = await testApp.database.db
      .selectFrom('audit_event')
      .select(['entity_type', 'action'])
      .where('entity_type', 'in', ['document', 'measure', 'commitment', 'progress_update'])
      .orderBy('id')
      .execute();
    expect(audited.map((event) => `${event.entity_type} ${event.action}`)).toEqual([
      'document create',
      'measure create',
      'commitment create',
      'progress_update create',
      'commitment update',
    ]);
    const patched = await bwfEditor.api('PATCH', `/api/v1/documents/${document.id}`, { isPublic: true, docNumber: '京妇发〔2025〕1号' });
    expect(patched.json()).toMatchObject({ isPublic: true, docNumber: '京妇发〔2025〕1号', progress: 100 });
    expect((await twfEditor.api('PATCH', `/api/v1/documents/${document.id}`, { isPublic: false })).statusCode).toBe(404);
    expect((await twfEditor.api('DELETE', `/api/v1/documents/${document.id}`)).statusCode).toBe(404);
    expect((await bwfEditor.api('DELETE', `/api/v1/documents/${document.id}`)).statusCode).toBe(204);
    expect((await reviewer.api('GET', `/api/v1/commitments/${commitment.json().id}`)).statusCode).toBe(404);
  });

  it('refuses bad input with 4xx and a message, writing nothing', async () => {
    const agreement = (await reviewer.api('GET', '/api/v1/documents?kind=agreement')).json().items[0];
    const measures = (await reviewer.api('GET', `/api/v1/documents/${agreement.id}/measures`)).json().items;
    const before = { commitments: await count('commitment'), measures: await count('measure') };
    const valid = { measureId: measures[0].id, whatZh: '新承诺', responsibleOrganizationId: organization('bwf'), dueOn: '2026-12-31' };
    for (const [body, field] of [
      [{ ...valid, weight: 0 }, 'weight'],
      [{ ...valid, weight: -1 }, 'weight'],
      [{ ...valid, progress: 101 }, 'progress'],
      [{ ...valid, progress: -5 }, 'progress'],
    ] as const) {
      const response = await bwfEditor.api('POST', '/api/v1/commitments', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain(field);
    }
    const early = await bwfEditor.api('POST', '/api/v1/commitments', { ...valid, dueOn: '2023-06-15' });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toEqual({ error: { code: 'invalid', message: "The due date cannot come before the document's date (2023-06-16)." } });
    const partner = await bwfEditor.api('POST', '/api/v1/commitments', { ...valid, responsibleOrganizationId: organization('tongrentang-zhima-health') });
    expect(partner.statusCode).toBe(400);
    expect(partner.json().error.code).toBe('not_a_party');
    const [first, second] = measures;
    const child = await bwfEditor.api('POST', `/api/v1/documents/${agreement.id}/measures`, { number: '1.1', titleZh: '子措施', parentId: first.id });
    expect(child.statusCode).toBe(201);
    const cycle = await bwfEditor.api('PATCH', `/api/v1/measures/${first.id}`, { parentId: child.json().id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json()).toEqual({ error: { code: 'cycle', message: 'A measure cannot be put under itself or a measure below it.' } });
    expect((await bwfEditor.api('PATCH', `/api/v1/measures/${second.id}`, { number: '1' })).statusCode).toBe(409);
    expect(await count('commitment')).toBe(before.commitments);
    expect(await count('measure')).toBe(before.measures + 1);
    expect((await reviewer.api('GET', `/api/v1/measures/${first.id}`)).json().parentId).toBeNull();
  });

  it("answers a TWF editor changing BWF's commitment with 404, and lets her change TWF's", async () => {
    const bwf = await commitmentId('Hold a joint training course for women cadres every year');
    const refused = await twfEditor.api('PATCH', `/api/v1/commitments/${bwf}`, { progress: 90 });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    expect((await bwfEditor.api('PATCH', `/api/v1/commitments/${bwf}`, { progress: 60 })).json()).toMatchObject({ progress: 60, status: 'in_progress' });
    const twf = await commitmentId('Host the joint meeting of 2024');
    const dated = await twfEditor.api('PATCH', `/api/v1/commitments/${twf}`, { dueOn: '2024-11-30' });
    expect(dated.statusCode).toBe(200);
    expect(dated.json()).toMatchObject({ dueOn: '2024-11-30', status: 'done' });
    expect((await reviewer.api('PATCH', `/api/v1/commitments/${twf}`, { progress: 10 })).statusCode).toBe(404);
  });
});
