import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let admin: SignedInClient;
const organizations: Record<string, number> = {};

function organization(slug: string): number {
  const id = organizations[slug];
  if (id === undefined) throw new Error(`no organization ${slug}`);
  return id;
}

async function documentId(titleZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('document').select('id').where('title_zh', '=', titleZh).executeTakeFirstOrThrow()).id;
}

async function measureId(documentTitleZh: string, number: string): Promise<number> {
  return (
    await testApp.database.db
      .selectFrom('measure')
      .select('id')
      .where('document_id', '=', await documentId(documentTitleZh))
      .where('number', '=', number)
      .executeTakeFirstOrThrow()
  ).id;
}

async function commitmentId(whatEn: string): Promise<number> {
  return (await testApp.database.db.selectFrom('commitment').select('id').where('what_en', '=', whatEn).executeTakeFirstOrThrow()).id;
}

async function count(table: 'document' | 'measure' | 'commitment' | 'progress_update'): Promise<number> {
  const row = await testApp.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The message shown beside a form field. */
function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];
}

/** The markup of a measure's entry on a document page, up to the next measure's. */
function measureEntry(html: string, id: number): string {
  const start = html.indexOf(`<li class="measure" id="measure-${id}">`);
  expect(start).toBeGreaterThan(-1);
  const next = html.indexOf('<li class="measure"', start + 1);
  return html.slice(start, next === -1 ? undefined : next);
}

const agreementTitle = '京津冀妇女协同发展合作框架协议';
const circularTitle = '关于以高质量党建服务保障京津冀协同发展的若干措施';
const seedArticle = '/sites/bwf/en/articles/2024-03-25-beijing-tianjin-exchange';

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf, administrator] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  admin = inLanguage(testApp.app, administrator, 'en');
  for (const row of await testApp.database.db.selectFrom('organization').select(['id', 'slug']).execute()) organizations[row.slug] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the documents list', () => {
  it('is in the navigation and lists the demo agreement and circular with their progress', async () => {
    const response = await bwfEditor.get('/workspace/agreements');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/workspace/agreements" aria-current="page">Agreements</a>');
    expect(response.body).toContain('Framework Agreement on the Coordinated Development and Cooperation between Women across the Beijing-Tianjin-Hebei Region');
    expect(response.body).toContain('Several Measures on Promoting the Coordinated Development');
    expect(response.body).toMatch(/<progress max="100" value="71\.4"/);
  });

  it('filters by kind, party and words; a wrong filter is a 400 with a message', async () => {
    const circulars = await bwfEditor.get('/workspace/agreements?kind=circular');
    expect(circulars.body).toContain('Several Measures');
    expect(circulars.body).not.toContain('Framework Agreement on the Coordinated');
    const tianjin = await bwfEditor.get(`/workspace/agreements?partyId=${organization('twf')}`);
    expect(tianjin.body).toContain('Framework Agreement on the Coordinated');
    expect(tianjin.body).not.toContain('Several Measures');
    const words = await bwfEditor.get(`/workspace/agreements?q=${encodeURIComponent('框架协议')}`);
    expect(words.body).toContain('Framework Agreement on the Coordinated');
    expect(words.body).not.toContain('Several Measures');
    const wrong = await bwfEditor.get('/workspace/agreements?kind=treaty');
    expect(wrong.statusCode).toBe(400);
    expect(fieldError(wrong.body, 'kind')).toBeTruthy();
  });
});

describe('the commitments list', () => {
  it('filters by status as shown, responsible organization with its units, dimension and due range', async () => {
    const overdue = await bwfEditor.get(`/workspace/agreements/commitments?status=overdue&organizationId=${organization('hebei-wf')}`);
    expect(overdue.statusCode).toBe(200);
    expect(overdue.body).toContain('Send grassroots federation officers to learn in Beijing and Tianjin');
    expect(overdue.body).toContain('2 Learning from each other in building grassroots organizations</a>');
    expect(overdue.body).not.toContain('Build model women');
    const political = await testApp.database.db.selectFrom('work_dimension').select('id').where('code', '=', 'political').executeTakeFirstOrThrow();
    const byDimension = await bwfEditor.get(`/workspace/agreements/commitments?dimensionId=${political.id}&dueTo=2024-12-31`);
    expect(byDimension.body).toContain('Organize the joint theory study sessions');
    expect(byDimension.body).not.toContain('2025-06-30');
    const wrong = await bwfEditor.get('/workspace/agreements/commitments?status=late');
    expect(wrong.statusCode).toBe(400);
    expect(fieldError(wrong.body, 'status')).toBeTruthy();
  });
});

describe('the demo documents', () => {
  it('shows the agreement with its parties, term, overall progress and each measure rolled up from its commitments', async () => {
    const id = await documentId(agreementTitle);
    const response = await bwfEditor.get(`/workspace/agreements/${id}`);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    for (const party of ["Beijing Women's Federation", "Tianjin Women's Federation", "Hebei Women's Federation"]) expect(html).toContain(`${party}</a>`);
    expect(html).toContain('2023-06-16 – 2027-12-31');
    expect(html).toContain('value="58.3" aria-label="Overall progress"');
    // Measure 1: three commitments of weight 1 at 100, 100 and 50.
    expect(measureEntry(html, await measureId(agreementTitle, '1'))).toContain('value="83.3"');
    // Measure 4: 2 × 50 and 1 × 20; the dropped secondment is not counted.
    const four = measureEntry(html, await measureId(agreementTitle, '4'));
    expect(four).toContain('value="40"');
    expect(four).toContain('Dropped');
    expect(four).toContain('Not counted');
    // Hebei's visit to Beijing and Tianjin fell due in 2025 and is not done.
    const two = measureEntry(html, await measureId(agreementTitle, '2'));
    expect(two).toContain('<strong>Overdue</strong>');
    expect(two).toContain("Beijing Women's Federation › Grassroots Organization Construction Department");
    expect(two).toContain('2024-06-30');
  });

  it('nests the circular’s measures 3.1 and 3.2 under 3, which rolls up from both', async () => {
    const html = (await bwfEditor.get(`/workspace/agreements/${await documentId(circularTitle)}`)).body;
    const three = await measureId(circularTitle, '3');
    const nested = html.slice(html.indexOf(`id="measure-${three}"`), html.indexOf(`id="measure-${await measureId(circularTitle, '4')}"`));
    expect(nested).toContain('value="72"');
    expect(nested).toContain("3.1 Women's organizations in grassroots social governance");
    expect(nested).toContain('value="86.7"');
    expect(nested).toContain('3.2 Let grassroots executive members play their part');
  });

  it("links a commitment's timeline to the seed's published update and exchange visit, in the reader's language", async () => {
    const id = await commitmentId('Hold a BWF–TWF exchange with field visits to grassroots governance sites');
    const response = await bwfEditor.get(`/workspace/agreements/commitments/${id}`);
    expect(response.statusCode).toBe(200);
    const timeline = response.body.slice(response.body.indexOf('<ol class="timeline">'));
    expect(timeline.indexOf('2024-02-26')).toBeLessThan(timeline.indexOf('2024-03-25'));
    expect(timeline).toContain(`href="${seedArticle}"`);
    const activity = await testApp.database.db.selectFrom('activity').select('id').where('title_zh', '=', '京津妇联开展交流学习活动').executeTakeFirstOrThrow();
    expect(timeline).toContain(`href="/workspace/activities/${activity.id}"`);
    const chinese = await inLanguage(testApp.app, bwfEditor, 'zh').get(`/workspace/agreements/commitments/${id}`);
    expect(chinese.body).toContain('href="/sites/bwf/zh/articles/2024-03-25-beijing-tianjin-exchange"');
    expect(chinese.body).toContain('京津妇联开展交流学习活动');
  });

  it("shows a measure's page with its commitments and the timeline of the measures below it", async () => {
    const response = await bwfEditor.get(`/workspace/agreements/measures/${await measureId(circularTitle, '3')}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Measures below');
    expect(response.body).toContain(`href="${seedArticle}"`);
    expect(response.body).toContain('Hold a return visit in Tianjin');
  });
});

describe('changing documents, measures and commitments through the forms', () => {
  let created: number;

  it('creates an agreement with two parties chosen in the form, and audits it', async () => {
    const fields = new URLSearchParams({
      _csrf: bwfEditor.csrfToken,
      kind: 'agreement',
      titleZh: '京津家庭教育合作协议',
      titleEn: 'Agreement on family education',
      docNumber: '',
      signedOn: '2025-03-01',
      startsOn: '2025-03-01',
      endsOn: '',
      issuerId: '',
      bodyZh: '# 合作内容\n\n共同开展家庭教育指导。',
      bodyEn: '',
      attachmentsZh: '',
      attachmentsEn: '',
    });
    fields.append('partyIds', String(organization('bwf')));
    fields.append('partyIds', String(organization('twf')));
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/workspace/agreements',
      headers: { cookie: bwfEditor.cookie, origin: 'http://localhost:80', 'content-type': 'application/x-www-form-urlencoded' },
      payload: fields.toString(),
    });
    expect(response.statusCode).toBe(303);
    created = Number(/\/workspace\/agreements\/(\d+)$/.exec(String(response.headers.location))?.[1]);
    const page = await bwfEditor.get(`/workspace/agreements/${created}`);
    expect(page.body).toContain('<h2>合作内容</h2>');
    expect(page.body).toContain("Tianjin Women's Federation</a>");
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'document').where('entity_id', '=', String(created)).executeTakeFirstOrThrow();
    expect(audit.action).toBe('create');
  });

  it('refuses an agreement with one party beside the field, keeping what was typed', async () => {
    const before = await count('document');
    const response = await bwfEditor.post('/workspace/agreements', {
      kind: 'agreement',
      titleZh: '单方协议',
      signedOn: '2025-03-01',
      partyIds: String(organization('bwf')),
    });
    expect(response.statusCode).toBe(400);
    expect(fieldError(response.body, 'partyIds')).toBe('An agreement needs at least two parties.');
    expect(response.body).toContain('value="单方协议"');
    expect(await count('document')).toBe(before);
  });

  it('adds measures with dimensions, and refuses a parent that would make a cycle', async () => {
    const dimension = await testApp.database.db.selectFrom('work_dimension').select('id').where('code', '=', 'organizational').executeTakeFirstOrThrow();
    const first = await bwfEditor.post(`/workspace/agreements/${created}/measures`, { number: '1', titleZh: '建立工作机制', dimensionIds: String(dimension.id) });
    expect(first.statusCode).toBe(303);
    const one = await measureId('京津家庭教育合作协议', '1');
    const second = await bwfEditor.post(`/workspace/agreements/${created}/measures`, { number: '1.1', titleZh: '联席会议', parentId: String(one) });
    expect(second.statusCode).toBe(303);
    const child = await measureId('京津家庭教育合作协议', '1.1');
    // The form offers neither the measure itself nor one below it as a parent; a hand-made request is refused.
    const form = await bwfEditor.get(`/workspace/agreements/measures/${one}/edit`);
    expect(form.body).not.toContain(`<option value="${child}"`);
    expect(form.body).not.toContain(`<option value="${one}"`);
    expect((await bwfEditor.get(`/workspace/agreements/measures/${child}/edit`)).body).toContain(`<option value="${one}" selected`);
    const cycle = await bwfEditor.post(`/workspace/agreements/measures/${one}`, { number: '1', titleZh: '建立工作机制', parentId: String(child) });
    expect(cycle.statusCode).toBe(400);
    expect(fieldError(cycle.body, 'parentId')).toBe('A measure cannot be put under itself or a measure below it.');
    const chinese = await inLanguage(testApp.app, bwfEditor, 'zh').post(`/workspace/agreements/measures/${one}`, { number: '1', titleZh: '建立工作机制', parentId: String(child) });
    expect(fieldError(chinese.body, 'parentId')).toBe('措施不能放在它自己或它的下级措施之下。');
    const stored = await testApp.database.db.selectFrom('measure').select('parent_id').where('id', '=', one).executeTakeFirstOrThrow();
    expect(stored.parent_id).toBeNull();
    expect((await bwfEditor.get(`/workspace/agreements/measures/${one}`)).body).toContain('Organizational building');
  });

  it('refuses a commitment with a weight that is not positive, progress outside 0–100, a due date before the document, or a non-party', async () => {
    const measure = await measureId('京津家庭教育合作协议', '1');
    const before = await count('commitment');
    const valid = { whatZh: '开展家庭教育讲座', responsibleOrganizationId: String(organization('bwf')), dueOn: '2025-12-31', weight: '1', status: 'in_progress', progress: '10' };
    const post = (fields: Record<string, string>) => bwfEditor.post(`/workspace/agreements/measures/${measure}/commitments`, { ...valid, ...fields });
    for (const weight of ['0', '-2', 'heavy']) {
      const response = await post({ weight });
      expect(response.statusCode).toBe(400);
      expect(fieldError(response.body, 'weight')).toBe('A weight is a positive number, such as 1 or 2.5.');
    }
    for (const progress of ['101', '-1', '12.5']) {
      const response = await post({ progress });
      expect(response.statusCode).toBe(400);
      expect(fieldError(response.body, 'progress')).toBe('Progress is a whole number from 0 to 100.');
    }
    const early = await post({ dueOn: '2025-02-28' });
    expect(early.statusCode).toBe(400);
    expect(fieldError(early.body, 'dueOn')).toBe("The due date cannot come before the document's date (2025-03-01).");
    const hebei = await admin.post(`/workspace/agreements/measures/${measure}/commitments`, { ...valid, responsibleOrganizationId: String(organization('hebei-wf')) });
    expect(hebei.statusCode).toBe(400);
    expect(fieldError(hebei.body, 'responsibleOrganizationId')).toBe("The responsible organization must be one of the agreement's parties or a unit below one.");
    const chinese = await inLanguage(testApp.app, bwfEditor, 'zh').post(`/workspace/agreements/measures/${measure}/commitments`, { ...valid, weight: '0' });
    expect(fieldError(chinese.body, 'weight')).toBe('权重须为正数，如 1 或 2.5。');
    expect(await count('commitment')).toBe(before);
    const saved = await post({});
    expect(saved.statusCode).toBe(303);
  });

  it('records progress from the form and shows it on the commitment and in the document’s progress', async () => {
    const commitment = await testApp.database.db.selectFrom('commitment').select('id').where('what_zh', '=', '开展家庭教育讲座').executeTakeFirstOrThrow();
    const article = await testApp.database.db.selectFrom('article').select('id').where('slug', '=', '2024-03-25-beijing-tianjin-exchange').executeTakeFirstOrThrow();
    const wrong = await bwfEditor.post(`/workspace/agreements/commitments/${commitment.id}/updates`, { reportedOn: '2025-05-01', noteZh: '', noteEn: '', progress: '150' });
    expect(wrong.statusCode).toBe(400);
    expect(fieldError(wrong.body, 'progress')).toBe('Progress is a whole number from 0 to 100.');
    expect(fieldError(wrong.body, 'noteZh')).toBe('Write the note in Chinese or in English.');
    const response = await bwfEditor.post(`/workspace/agreements/commitments/${commitment.id}/updates`, {
      reportedOn: '2025-05-01',
      noteZh: '举办三场讲座',
      noteEn: 'Three talks held',
      progress: '100',
      status: 'done',
      articleId: String(article.id),
    });
    expect(response.statusCode).toBe(303);
    const page = await bwfEditor.get(`/workspace/agreements/commitments/${commitment.id}`);
    expect(page.body).toContain('Three talks held');
    expect(page.body).toContain('Set to: progress 100%, Done');
    expect(page.body).toContain(`href="${seedArticle}"`);
    expect((await bwfEditor.get(`/workspace/agreements/${created}`)).body).toContain('value="100" aria-label="Overall progress"');
  });

  it("changes a progress update's note and evidence, and deletes it, leaving the commitment as it is", async () => {
    const update = await testApp.database.db.selectFrom('progress_update').select(['id', 'commitment_id']).where('note_zh', '=', '举办三场讲座').executeTakeFirstOrThrow();
    const form = await bwfEditor.get(`/workspace/agreements/updates/${update.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="2025-05-01"');
    expect((await twfEditor.get(`/workspace/agreements/updates/${update.id}/edit`)).statusCode).toBe(404);
    const changed = await bwfEditor.post(`/workspace/agreements/updates/${update.id}`, { reportedOn: '2025-05-02', noteZh: '举办三场家庭教育讲座', noteEn: '', articleId: '' });
    expect(changed.statusCode).toBe(303);
    const page = await bwfEditor.get(`/workspace/agreements/commitments/${update.commitment_id}`);
    expect(page.body).toContain('举办三场家庭教育讲座');
    expect(page.body).not.toContain(`href="${seedArticle}"`);
    const ask = await bwfEditor.get(`/workspace/agreements/updates/${update.id}/delete`);
    expect(ask.body).toContain("The commitment's progress and status stay as they are.");
    expect((await bwfEditor.post(`/workspace/agreements/updates/${update.id}/delete`)).statusCode).toBe(303);
    const commitment = await testApp.database.db.selectFrom('commitment').select(['progress', 'status']).where('id', '=', update.commitment_id).executeTakeFirstOrThrow();
    expect(commitment).toEqual({ progress: 100, status: 'done' });
    expect(await testApp.database.db.selectFrom('progress_update').select('id').where('id', '=', update.id).executeTakeFirst()).toBeUndefined();
  });

  it('asks before deleting a measure, saying what goes with it, and deletes it with its commitments', async () => {
    const measure = await measureId('京津家庭教育合作协议', '1');
    const ask = await bwfEditor.get(`/workspace/agreements/measures/${measure}/delete`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Its 1 measure(s) below and 1 commitment(s)');
    expect(ask.body).toContain(`action="/workspace/agreements/measures/${measure}/delete"`);
    const done = await bwfEditor.post(`/workspace/agreements/measures/${measure}/delete`);
    expect(done.statusCode).toBe(303);
    expect(await testApp.database.db.selectFrom('commitment').select('id').where('what_zh', '=', '开展家庭教育讲座').executeTakeFirst()).toBeUndefined();
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'measure').where('action', '=', 'delete').executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(measure));
  });
});

describe('each party changes its own commitments', () => {
  it("gives a TWF editor 404 on BWF's commitment forms, and no buttons on its page", async () => {
    const bwf = await commitmentId('Host the joint meeting of 2023');
    const page = await twfEditor.get(`/workspace/agreements/commitments/${bwf}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Report progress');
    expect((await twfEditor.get(`/workspace/agreements/commitments/${bwf}/edit`)).statusCode).toBe(404);
    expect((await twfEditor.get(`/workspace/agreements/commitments/${bwf}/updates/new`)).statusCode).toBe(404);
    const post = await twfEditor.post(`/workspace/agreements/commitments/${bwf}/updates`, { reportedOn: '2025-01-01', noteEn: 'Not ours' });
    expect(post.statusCode).toBe(404);
    expect((await twfEditor.post(`/workspace/agreements/commitments/${bwf}/delete`)).statusCode).toBe(404);
  });

  it("lets a TWF editor report progress on TWF's commitment", async () => {
    const twf = await commitmentId("Write a guide to running Tianjin's women's service facilities and share it with Beijing and Hebei");
    expect((await twfEditor.get(`/workspace/agreements/commitments/${twf}`)).body).toContain('Report progress');
    const response = await twfEditor.post(`/workspace/agreements/commitments/${twf}/updates`, { reportedOn: '2026-11-01', noteZh: '指引初稿完成', progress: '70' });
    expect(response.statusCode).toBe(303);
    const stored = await testApp.database.db.selectFrom('commitment').select(['progress', 'status']).where('id', '=', twf).executeTakeFirstOrThrow();
    expect(stored).toEqual({ progress: 70, status: 'in_progress' });
    // A BWF editor may not, under the agreement.
    expect((await bwfEditor.get(`/workspace/agreements/commitments/${twf}/edit`)).statusCode).toBe(404);
  });
});

describe('work dimensions', () => {
  it('are kept by platform administrators: added, and not deleted while a measure uses one', async () => {
    expect((await bwfEditor.get('/workspace/agreements/dimensions')).statusCode).toBe(404);
    const list = await admin.get('/workspace/agreements/dimensions');
    for (const name of ['Political building', 'Ideological building', 'Organizational building', 'Discipline building', 'Working style building', 'Institutional building']) {
      expect(list.body).toContain(name);
    }
    const added = await admin.post('/workspace/agreements/dimensions', { code: 'mass_work', nameZh: '群众工作', nameEn: 'Work with the masses', position: '70' });
    expect(added.statusCode).toBe(303);
    const bad = await admin.post('/workspace/agreements/dimensions', { code: 'Mass Work', nameZh: '群众工作', nameEn: 'Work with the masses' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'code')).toBeTruthy();
    const political = await testApp.database.db.selectFrom('work_dimension').select('id').where('code', '=', 'political').executeTakeFirstOrThrow();
    const refused = await admin.post(`/workspace/agreements/dimensions/${political.id}/delete`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('are tagged with this dimension');
  });
});
