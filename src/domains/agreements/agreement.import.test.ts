import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { postMultipart } from '../../../test/multipart.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { agreementCsvColumns, type AgreementCsvColumn } from './agreement.import.ts';

type Row = Partial<Record<AgreementCsvColumn, string>>;

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
let agreementId: number;
let circularId: number;

const agreementTitle = '京津冀妇女协同发展合作框架协议';
const circularTitle = '关于以高质量党建服务保障京津冀协同发展的若干措施';
const header = agreementCsvColumns.join(',');

async function documentId(titleZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('document').select('id').where('title_zh', '=', titleZh).executeTakeFirstOrThrow()).id;
}

async function commitmentId(whatEn: string): Promise<number> {
  return (await testApp.database.db.selectFrom('commitment').select('id').where('what_en', '=', whatEn).executeTakeFirstOrThrow()).id;
}

/** A CSV file of these rows, with every column (or the ones given) in the export's order. */
function csv(rows: Row[], columns: readonly AgreementCsvColumn[] = agreementCsvColumns): string {
  return stringify([[...columns], ...rows.map((row) => columns.map((column) => row[column] ?? ''))], { record_delimiter: 'windows' });
}

/** The rows of an exported file. */
function rowsOf(file: Buffer): Row[] {
  return parse(file, { bom: true, columns: true }) as Row[];
}

async function exportOf(client: SignedInClient, id: number): Promise<Buffer> {
  const response = await client.get(`/workspace/agreements/${id}/export.csv`);
  expect(response.statusCode).toBe(200);
  return response.rawPayload;
}

function upload(client: SignedInClient, id: number, content: Buffer | string, options: { dryRun?: boolean } = {}) {
  return postMultipart(testApp.app, client, `/workspace/agreements/${id}/import`, options.dryRun ? { dryRun: 'on' } : {}, [
    { field: 'file', filename: 'agreement.csv', content },
  ]);
}

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The text of each refused row of a report: "row: reason". */
function refusals(html: string): string[] {
  return [...html.matchAll(/<tr class="refused"><td>(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((match) => `${match[1]}: ${decode(match[2] ?? '')}`);
}

/** What the database holds of the agreements, and how many of their changes were audited. */
async function snapshot() {
  const db = testApp.database.db;
  const [measures, commitments, partners, audits] = await Promise.all([
    db.selectFrom('measure').selectAll().orderBy('id').execute(),
    db.selectFrom('commitment').select(['id', 'measure_id', 'what_zh', 'weight', 'status', 'progress', 'due_on', 'responsible_organization_id']).orderBy('id').execute(),
    db.selectFrom('commitment_partner').selectAll().orderBy('commitment_id').orderBy('organization_id').execute(),
    db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('count')).where('entity_type', 'in', ['measure', 'commitment']).executeTakeFirstOrThrow(),
  ]);
  return { measures, commitments, partners, audits: Number(audits.count) };
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf, bwfReviewer] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
  ]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  reviewer = inLanguage(testApp.app, bwfReviewer, 'en');
  agreementId = await documentId(agreementTitle);
  circularId = await documentId(circularTitle);
});
afterAll(async () => {
  await testApp.close();
});

describe('exporting a document as CSV', () => {
  it('writes each measure followed by its commitments, in UTF-8 with a byte-order mark, and links it from the document page', async () => {
    const page = await bwfEditor.get(`/workspace/agreements/${agreementId}`);
    expect(page.body).toContain(`<a href="/workspace/agreements/${agreementId}/import">Import / Export CSV</a>`);

    const response = await bwfEditor.get(`/workspace/agreements/${agreementId}/export.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="agreement-${agreementId}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]).toBe(header);
    const rows = rowsOf(response.rawPayload);
    expect(rows.map((row) => `${row.record} ${row.measure_number}`)).toEqual([
      'measure 1',
      'commitment 1',
      'commitment 1',
      'commitment 1',
      'measure 2',
      'commitment 2',
      'commitment 2',
      'measure 3',
      'commitment 3',
      'commitment 3',
      'commitment 3',
      'measure 4',
      'commitment 4',
      'commitment 4',
      'commitment 4',
    ]);
    expect(rows[0]).toMatchObject({ title_zh: '建立三地妇联联席会议机制', parent_number: '', dimensions: 'institutional', topics: 'coordinated_development', commitment_id: '' });
    expect(rows[1]).toMatchObject({
      commitment_id: String(await commitmentId('Host the joint meeting of 2023')),
      what_en: 'Host the joint meeting of 2023',
      responsible: 'bwf',
      partners: 'twf;hebei-wf',
      due_on: '2023-12-31',
      weight: '1',
      status: 'done',
      progress: '100',
      title_zh: '',
    });
  });

  it('imports back unchanged, for the editor of any party, though it holds other parties’ commitments', async () => {
    for (const client of [bwfEditor, twfEditor]) {
      const file = await exportOf(client, agreementId);
      const before = await snapshot();
      const dry = await upload(client, agreementId, file, { dryRun: true });
      expect(dry.statusCode).toBe(200);
      expect(dry.body).toContain('Dry run: nothing was written.');
      expect(dry.body).toContain('15 rows: 0 to add, 0 to change, 15 unchanged, 0 refused.');
      const real = await upload(client, agreementId, file);
      expect(real.statusCode).toBe(200);
      expect(real.body).toContain('Imported.');
      expect(await snapshot()).toEqual(before);
    }
  });

  it('writes cells a spreadsheet would run as formulas behind an apostrophe, and reads them back as they were', async () => {
    const id = await commitmentId('Second cadres to each other');
    const formula = '=HYPERLINK("http://example.org","click")';
    await testApp.database.db.updateTable('commitment').set({ what_en: formula }).where('id', '=', id).execute();
    try {
      const file = await exportOf(bwfEditor, agreementId);
      expect(file.toString('utf8')).toContain(`"'=HYPERLINK(""http://example.org"",""click"")"`);
      const dry = await upload(bwfEditor, agreementId, file, { dryRun: true });
      expect(dry.body).toContain('15 unchanged, 0 refused.');
    } finally {
      await testApp.database.db.updateTable('commitment').set({ what_en: 'Second cadres to each other' }).where('id', '=', id).execute();
    }
  });

  it('is open to every member of staff, and a missing document is not found', async () => {
    expect((await reviewer.get(`/workspace/agreements/${agreementId}/export.csv`)).statusCode).toBe(200);
    expect((await bwfEditor.get('/workspace/agreements/999999/export.csv')).statusCode).toBe(404);
  });
});

describe('importing changes', () => {
  it('reports in a dry run what would be added and changed, field before → after, with the weights per measure, and writes nothing', async () => {
    const rows = rowsOf(await exportOf(bwfEditor, agreementId));
    const training = rows.find((row) => row.what_en === 'Hold a joint training course for women cadres every year');
    if (!training) throw new Error('the export lacks the training commitment');
    training.progress = '80';
    training.weight = '3';
    rows.push(
      { record: 'measure', measure_number: '5', title_zh: '妇女创业就业协作', title_en: 'Women’s entrepreneurship and jobs', dimensions: 'working_style;organizational', topics: '' },
      { record: 'commitment', measure_number: '5', what_zh: '举办京津冀女性创业大赛', what_en: 'Hold a women’s entrepreneurship contest', responsible: 'bwf-grassroots-department', partners: 'twf', due_on: '2026-10-31', weight: '1', status: 'in_progress', progress: '10' },
    );
    const before = await snapshot();
    const response = await upload(bwfEditor, agreementId, csv(rows), { dryRun: true });
    expect(response.statusCode).toBe(200);
    const body = decode(response.body);
    expect(body).toContain('17 rows: 2 to add, 1 to change, 14 unchanged, 0 refused.');
    expect(body).toContain('<code>weight</code>: 2 → 3');
    expect(body).toContain('<code>progress</code>: 50 → 80');
    expect(body).toContain('5 Women’s entrepreneurship and jobs');
    // Measure 4 counted 2 + 1 (the dropped secondment left out) of 12; now 3 + 1 of 14.
    expect(body).toMatch(/<td>4 Training and exchange of women cadres<\/td><td>3 → 4<\/td><td>25% → 28\.6%<\/td>/);
    expect(body).toMatch(/<td>5 Women’s entrepreneurship and jobs<\/td><td>0 → 1<\/td><td>0% → 7\.1%<\/td>/);
    expect(body).toMatch(/<td>1 A joint meeting of the three federations<\/td><td>3<\/td><td>25% → 21\.4%<\/td>/);
    expect(await snapshot()).toEqual(before);
  });

  it('writes a real import in one go, audited per record, and the document page shows it', async () => {
    const rows = rowsOf(await exportOf(bwfEditor, agreementId));
    const training = rows.find((row) => row.what_en === 'Hold a joint training course for women cadres every year');
    if (!training) throw new Error('the export lacks the training commitment');
    training.progress = '80';
    rows.push(
      { record: 'measure', measure_number: '5', parent_number: '2', title_zh: '妇女创业就业协作', title_en: 'Women’s entrepreneurship and jobs', dimensions: 'working_style' },
      { record: 'commitment', measure_number: '5', what_zh: '举办京津冀女性创业大赛', what_en: 'Hold a women’s entrepreneurship contest', responsible: 'bwf-grassroots-department', partners: 'twf;hebei-wf', due_on: '2026-10-31', weight: '2', status: 'in_progress', progress: '10' },
    );
    const before = await snapshot();
    const response = await upload(bwfEditor, agreementId, csv(rows));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Imported.');
    const db = testApp.database.db;
    const measure = await db.selectFrom('measure').selectAll().where('document_id', '=', agreementId).where('number', '=', '5').executeTakeFirstOrThrow();
    const parent = await db.selectFrom('measure').select('id').where('document_id', '=', agreementId).where('number', '=', '2').executeTakeFirstOrThrow();
    expect(measure).toMatchObject({ parent_id: parent.id, title_en: 'Women’s entrepreneurship and jobs', position: 10 });
    const contest = await db.selectFrom('commitment').selectAll().where('what_en', '=', 'Hold a women’s entrepreneurship contest').executeTakeFirstOrThrow();
    expect(contest).toMatchObject({ measure_id: measure.id, document_id: agreementId, weight: '2.00', status: 'in_progress', progress: 10, due_on: '2026-10-31' });
    expect((await db.selectFrom('commitment_partner').select('commitment_id').where('commitment_id', '=', contest.id).execute()).length).toBe(2);
    const trainingRow = await db.selectFrom('commitment').select('progress').where('id', '=', Number(training.commitment_id)).executeTakeFirstOrThrow();
    expect(trainingRow.progress).toBe(80);
    const audits = await db.selectFrom('audit_event').select(['action', 'entity_type', 'entity_id', 'before', 'after']).where('entity_type', 'in', ['measure', 'commitment']).orderBy('id', 'desc').limit(3).execute();
    expect(audits.map((audit) => `${audit.action} ${audit.entity_type} ${audit.entity_id}`).sort()).toEqual(
      [`create measure ${measure.id}`, `create commitment ${contest.id}`, `update commitment ${training.commitment_id}`].sort(),
    );
    expect((await snapshot()).audits).toBe(before.audits + 3);

    const page = await bwfEditor.get(`/workspace/agreements/${agreementId}`);
    expect(page.body).toContain('5 Women’s entrepreneurship and jobs');
    expect(page.body).toContain('Hold a women’s entrepreneurship contest');
    // The file now exported imports back unchanged.
    const again = await upload(bwfEditor, agreementId, await exportOf(bwfEditor, agreementId), { dryRun: true });
    expect(again.body).toContain('17 rows: 0 to add, 0 to change, 17 unchanged, 0 refused.');
  });

  it('changes only the columns a file gives', async () => {
    const id = await commitmentId('Open model facilities in Daxing to the Tianjin and Hebei federations');
    const file = csv([{ record: 'commitment', measure_number: '', commitment_id: String(id), progress: '75' }], ['record', 'measure_number', 'commitment_id', 'progress']);
    const response = await upload(bwfEditor, agreementId, file);
    expect(response.statusCode).toBe(200);
    const row = await testApp.database.db.selectFrom('commitment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ progress: 75, status: 'in_progress', weight: '1.00', due_on: '2027-06-30', what_en: 'Open model facilities in Daxing to the Tianjin and Hebei federations' });
  });
});

describe('rows that break the rules', () => {
  it('are refused with their row number and reason, and a real import then writes nothing at all', async () => {
    const meeting2026 = await commitmentId('Host the joint meeting of 2026');
    const guide = await commitmentId("Write a guide to running Tianjin's women's service facilities and share it with Beijing and Hebei");
    const daxing = await commitmentId('Open model facilities in Daxing to the Tianjin and Hebei federations');
    const courses = await commitmentId('Hold a joint training course for women cadres every year');
    const meeting2024 = await commitmentId('Host the joint meeting of 2024');
    const base = { record: 'commitment', what_zh: '新承诺', status: 'in_progress', progress: '10', weight: '1' };
    const file = csv([
      /* 2 */ { ...base, measure_number: '1', responsible: 'bwf', weight: '0' },
      /* 3 */ { ...base, measure_number: '1', responsible: 'bwf', weight: '-2' },
      /* 4 */ { ...base, measure_number: '1', responsible: 'bwf', progress: '150' },
      /* 5 */ { ...base, measure_number: '1', responsible: 'bwf', due_on: '2020-01-01' },
      /* 6 */ { ...base, measure_number: '1', responsible: 'tongrentang-zhima-health' },
      /* 7 */ { ...base, measure_number: '1', responsible: 'twf' },
      /* 8 */ { record: 'commitment', commitment_id: String(meeting2026), progress: '90' },
      /* 9 */ { record: 'commitment', commitment_id: String(guide), progress: '45' },
      /* 10 */ { record: 'measure', measure_number: '2', parent_number: '3', title_zh: '基层组织建设交流互鉴' },
      /* 11 */ { record: 'measure', measure_number: '3', parent_number: '2', title_zh: '妇女儿童服务阵地共建共享' },
      /* 12 */ { record: 'measure', measure_number: '6', title_zh: '新措施' },
      /* 13 */ { ...base, measure_number: '6', responsible: 'bwf', weight: '0' },
      /* 14 */ { ...base, measure_number: '6', responsible: 'bwf-grassroots-department', weight: '0' },
      /* 15 */ { record: 'commitment', commitment_id: String(daxing), status: 'done', progress: '60' },
      /* 16 */ { record: 'commitment', commitment_id: String(courses), measure_number: '9' },
      /* 17 */ { record: 'commitment', commitment_id: '999999', progress: '10' },
      /* 18 */ { record: 'commitment', commitment_id: String(meeting2024), status: 'overdue' },
      /* 19 */ { record: 'milestone', measure_number: '1' },
      /* 20 */ { record: 'measure', measure_number: '7', title_zh: '新措施', what_zh: '放错了列' },
      /* 21 */ { ...base, measure_number: '1', responsible: 'bwf', partners: 'bwf;nobody' },
    ]);
    const before = await snapshot();
    const response = await upload(bwfEditor, agreementId, file);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Some rows are refused, so nothing was written.');
    expect(refusals(response.body)).toEqual([
      '2: weight: A weight is a positive number, such as 1 or 2.5.',
      '3: weight: A weight is a positive number, such as 1 or 2.5.',
      '4: progress: Progress is a whole number from 0 to 100.',
      "5: due_on: The due date cannot come before the document's date (2023-06-16).",
      "6: responsible: The responsible organization must be one of the agreement's parties or a unit below one.",
      '7: responsible: You may record commitments only for organizations whose records you may edit.',
      '8: You may not change commitments that "hebei-wf" is responsible for.',
      '9: You may not change commitments that "twf" is responsible for.',
      '11: parent_number: A measure cannot be put under itself or a measure below it.',
      '13: weight: Every commitment under measure 6 would weigh 0, so nothing under it would count. Weights are relative: give each 1 to weigh them equally.',
      '14: weight: Every commitment under measure 6 would weigh 0, so nothing under it would count. Weights are relative: give each 1 to weigh them equally.',
      '15: progress: A done commitment is 100% done.',
      '16: measure_number: This document has no measure numbered "9" (stored, or added by an earlier row).',
      '17: commitment_id: This document has no commitment with the id 999999; leave commitment_id empty to add one.',
      '18: status: Write one of: not_started, in_progress, done, dropped ("overdue" is worked out from the due date, never written).',
      '19: record: Write "measure" or "commitment".',
      '20: what_zh: This column is for commitment rows; leave it empty on a measure row.',
      '21: partners: No organization has the slug "nobody". partners: The responsible organization is not also a partner.',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses measures to whoever may not edit the document, and lets her change her own commitments in it', async () => {
    const twfParty = await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'twf-party-group').executeTakeFirstOrThrow();
    const own = await testApp.database.db
      .selectFrom('commitment')
      .select('id')
      .where('document_id', '=', circularId)
      .where('responsible_organization_id', '=', twfParty.id)
      .executeTakeFirstOrThrow();
    const refused = await upload(twfEditor, circularId, csv([{ record: 'measure', measure_number: '1', title_zh: '强化政治引领（修订）' }]), { dryRun: true });
    expect(refusals(refused.body)).toEqual(["2: You may not change this document's measures (that takes editing the records of its issuer or a party)."]);
    const allowed = await upload(
      twfEditor,
      circularId,
      csv([{ record: 'commitment', commitment_id: String(own.id), status: 'in_progress', progress: '90' }], ['record', 'measure_number', 'commitment_id', 'status', 'progress']),
    );
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toContain('Imported.');
    expect((await testApp.database.db.selectFrom('commitment').select('progress').where('id', '=', own.id).executeTakeFirstOrThrow()).progress).toBe(90);
  });

  it('speaks the reader’s language', async () => {
    const chinese = inLanguage(testApp.app, bwfEditor, 'zh');
    const response = await upload(chinese, agreementId, csv([{ record: 'commitment', measure_number: '1', what_zh: '新承诺', responsible: 'bwf', weight: '0' }]), { dryRun: true });
    expect(refusals(response.body)).toEqual(['2: weight：权重须为正数，如 1 或 2.5。']);
    expect(response.body).toContain('试运行：未写入任何内容。');
  });
});

describe('files that cannot be read', () => {
  it('refuses a GBK file and says how to save it as UTF-8', async () => {
    // "北京" in GBK: not valid UTF-8.
    const gbk = Buffer.concat([Buffer.from(`${header}\r\nmeasure,1,,,`), Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]), Buffer.from(',,,,,,,,,,,,,,\r\n')]);
    const response = await upload(bwfEditor, agreementId, gbk, { dryRun: true });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('The file is not UTF-8 (perhaps GBK/GB18030); save it as &quot;CSV UTF-8 (Comma delimited)&quot; and import it again.');
  });

  it('refuses unknown or missing columns, a file without rows, too many rows and too many bytes', async () => {
    const unknown = await upload(bwfEditor, agreementId, 'record,measure_number,commitment_id,colour\r\nmeasure,1,,red\r\n', { dryRun: true });
    expect(unknown.statusCode).toBe(400);
    expect(decode(unknown.body)).toContain('Unknown column(s): colour.');
    const missing = await upload(bwfEditor, agreementId, 'record,measure_number,progress\r\ncommitment,1,10\r\n', { dryRun: true });
    expect(decode(missing.body)).toContain('Required column(s) missing: commitment_id.');
    const empty = await upload(bwfEditor, agreementId, `${header}\r\n`, { dryRun: true });
    expect(empty.body).toContain('The file has no rows besides its header.');
    const many = await upload(bwfEditor, agreementId, `record,measure_number,commitment_id\r\n${'measure,1,\r\n'.repeat(20_001)}`, { dryRun: true });
    expect(many.statusCode).toBe(400);
    expect(many.body).toContain('The file has more than 20,000 rows; split it and import the parts one after another.');
    const large = await upload(bwfEditor, agreementId, `${header}\r\n${'#'.repeat(5 * 1024 * 1024)}`, { dryRun: true });
    expect(large.statusCode).toBe(413);
    expect(large.body).toContain('The file is larger than 5 MiB');
  });
});

describe('who may import', () => {
  it('shows a reader the export but no form, and refuses her upload as not found', async () => {
    const page = await reviewer.get(`/workspace/agreements/${agreementId}/import`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/workspace/agreements/${agreementId}/export.csv"`);
    expect(page.body).not.toContain('type="file"');
    const before = await snapshot();
    const response = await upload(reviewer, agreementId, csv([{ record: 'measure', measure_number: '1', title_zh: '改' }]));
    expect(response.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('sends someone not signed in to sign in', async () => {
    const response = await testApp.app.inject({ url: `/workspace/agreements/${agreementId}/export.csv` });
    expect(response.statusCode).toBe(303);
  });
});

describe('the import and export API', () => {
  function postCsv(client: SignedInClient | undefined, url: string, body: string | Buffer) {
    return testApp.app.inject({
      method: 'POST',
      url,
      headers: { ...(client ? { cookie: client.cookie, 'x-csrf-token': client.csrfToken } : {}), 'content-type': 'text/csv' },
      payload: body,
    });
  }

  it('is described in the OpenAPI document', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/documents/{id}/import', '/api/v1/documents/{id}/export.csv']));
  });

  it('exports the same file as the workspace', async () => {
    const response = await bwfEditor.api('GET', `/api/v1/documents/${agreementId}/export.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.rawPayload.equals(await exportOf(bwfEditor, agreementId))).toBe(true);
  });

  it('reports a dry run as JSON, and answers a refused real import with 422 and the report', async () => {
    const id = await commitmentId('Host the joint meeting of 2023');
    const dry = await postCsv(bwfEditor, `/api/v1/documents/${agreementId}/import?dryRun=true`, csv([{ record: 'commitment', commitment_id: String(id), what_en: 'Host the first joint meeting' }], ['record', 'measure_number', 'commitment_id', 'what_en']));
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      documentId: agreementId,
      dryRun: true,
      written: false,
      added: [],
      updated: [{ row: 2, record: 'commitment', id, measureNumber: '1', changes: [{ field: 'what_en', before: 'Host the joint meeting of 2023', after: 'Host the first joint meeting' }] }],
      refused: [],
    });
    const before = await snapshot();
    const refused = await postCsv(bwfEditor, `/api/v1/documents/${agreementId}/import`, csv([{ record: 'commitment', commitment_id: String(id), progress: '101' }]));
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: { code: 'rows_refused' }, report: { written: false, refused: [{ row: 2, problems: [{ en: 'progress: Progress is a whole number from 0 to 100.' }] }] } });
    expect(await snapshot()).toEqual(before);
  });

  it('answers 401 without credentials, 400 for a file it cannot read, 404 to a reader', async () => {
    expect((await postCsv(undefined, `/api/v1/documents/${agreementId}/import?dryRun=true`, `${header}\r\n`)).statusCode).toBe(401);
    const gbk = await postCsv(bwfEditor, `/api/v1/documents/${agreementId}/import?dryRun=true`, Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]));
    expect(gbk.statusCode).toBe(400);
    expect(gbk.json().error.code).toBe('invalid_file');
    expect((await postCsv(reviewer, `/api/v1/documents/${agreementId}/import?dryRun=true`, `${header}\r\nmeasure,1\r\n`)).statusCode).toBe(404);
  });
});
