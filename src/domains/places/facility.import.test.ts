import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { postMultipart } from '../../../test/multipart.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { facilityCsvColumns } from './facility.import.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let tongrentangId: number;

const header = facilityCsvColumns.join(',');

/** A file of new-facility rows: each row a few columns over a valid default. */
function csv(...rows: Partial<Record<(typeof facilityCsvColumns)[number], string>>[]): string {
  const base = { kind: 'womens_home', name_zh: '测试妇女之家', place: '110115/观音寺街道', operator: 'daxing-wf', services: 'legal_aid', hours: 'Mo-Fr 09:00-17:00' };
  return stringify([[...facilityCsvColumns], ...rows.map((row) => facilityCsvColumns.map((column) => ({ ...base, ...row })[column as keyof typeof base] ?? ''))], {
    record_delimiter: 'windows',
  });
}

function upload(client: SignedInClient | undefined, content: Buffer | string, options: { dryRun?: boolean; fields?: Record<string, string> } = {}) {
  const fields = { ...(options.dryRun ? { dryRun: 'on' } : {}), ...options.fields };
  return postMultipart(testApp.app, client, '/workspace/facilities/import', fields, [{ field: 'file', filename: 'facilities.csv', content }]);
}

async function counts() {
  const db = testApp.database.db;
  const facilities = await db.selectFrom('facility').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const audits = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('entity_type', '=', 'facility')
    .executeTakeFirstOrThrow();
  return { facilities: Number(facilities.count), audits: Number(audits.count) };
}

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The text of each refused row of a report: "row: reason". */
function refusals(html: string): string[] {
  return [...html.matchAll(/<tr class="refused"><td>(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((match) => `${match[1]}: ${decode(match[2] ?? '')}`);
}

async function exportCsv(client: SignedInClient = editor, query = ''): Promise<Buffer> {
  const response = await client.get(`/workspace/facilities/export.csv${query}`);
  expect(response.statusCode).toBe(200);
  return response.rawPayload;
}

beforeAll(async () => {
  testApp = await createTestApp();
  editor = inLanguage(testApp.app, await signIn(testApp.app, 'editor@bwf.example.org'), 'en');
  reviewer = inLanguage(testApp.app, await signIn(testApp.app, 'reviewer@bwf.example.org'), 'en');
  const tongrentang = await testApp.database.db.selectFrom('facility').select('id').where('name_zh', '=', '同仁堂知嘛健康女性服务中心').executeTakeFirstOrThrow();
  tongrentangId = tongrentang.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('exporting facilities as CSV', () => {
  it('writes UTF-8 with a byte-order mark, codes, slugs, place references and the hours in their text form', async () => {
    const response = await editor.get('/workspace/facilities/export.csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="facilities-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = response.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(header);
    expect(lines).toHaveLength(10);
    expect(lines).toContain(
      `${tongrentangId},womens_service_centre,同仁堂知嘛健康女性服务中心,Tongrentang Zhima Health Women’s Service Centre,110115/观音寺街道,` +
        '北京市大兴区观音寺街道同仁堂知嘛健康门店内,"In the Tongrentang Zhima Health shop, Guanyinsi Sub-district, Daxing District, Beijing",' +
        '39.7298,116.3386,daxing-wf,tongrentang-zhima-health,,psychological_counselling;health_services,Mo-Su 09:00-18:00,' +
        '2027-02-06 closed 春节闭馆 / Closed for the Spring Festival,,,,门店位于一层，可无障碍进入。,"On the ground floor, step-free.",' +
        '企业承办的女性服务中心：健康讲座、健康咨询与心理疏导。,"A women’s service centre hosted by a company: health talks, health advice and counselling.",active,2026-03-25',
    );
    const twf = (await exportCsv(editor, '?operator=twf')).toString('utf8').trimEnd().split('\r\n');
    expect(twf).toHaveLength(3);
  });

  it('imports its own export as "no change", and a changed hours cell as that one change, writing nothing in a dry run', async () => {
    const exported = await exportCsv();
    const before = await counts();
    const again = await upload(editor, exported, { dryRun: true });
    expect(again.statusCode).toBe(200);
    // The editor of the Beijing federation may change its six facilities; the other three are refused.
    const own = await upload(editor, await exportCsv(editor, '?operator=bwf'), { dryRun: true });
    expect(own.body).toContain('6 rows: 0 to add, 0 to change, 6 unchanged, 0 refused.');
    expect(refusals(again.body)).toHaveLength(3);

    const edited = (await exportCsv(editor, '?operator=bwf')).toString('utf8').replace('Mo-Su 09:00-18:00', 'Mo-Fr 09:00-17:00');
    const dry = await upload(editor, edited, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.body).toContain('Dry run: nothing was written.');
    expect(dry.body).toContain('6 rows: 0 to add, 1 to change, 5 unchanged, 0 refused.');
    expect(decode(dry.body)).toContain('<code>hours</code>: Mo-Su 09:00-18:00 → Mo-Fr 09:00-17:00');
    expect(await counts()).toEqual(before);
    const hours = await testApp.database.db.selectFrom('facility_hours').select('weekday').where('facility_id', '=', tongrentangId).execute();
    expect(hours).toHaveLength(7);
  });

  it('writes a clean import in one go and audits each facility', async () => {
    const before = await counts();
    const changedRow = (await exportCsv(editor, '?operator=daxing-wf')).toString('utf8').replace('Mo-Su 09:00-18:00', 'Mo-Fr 09:00-17:00');
    const added = csv({ name_zh: '观音寺街道测试之家', name_en: 'Test Home', services: 'legal_aid|family_mediation', exceptions: '2027-02-06 closed 春节; 2027-02-07 10:00-12:00', lat: '39.73', lon: '116.33', verified_on: '2026-10-01' });
    const file = `${changedRow.trimEnd()}\r\n${added.split('\r\n').slice(1).join('\r\n')}`;
    const response = await upload(editor, file);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Imported.');
    expect(response.body).toContain('6 rows: 1 to add, 1 to change, 4 unchanged, 0 refused.');
    expect(await counts()).toEqual({ facilities: before.facilities + 1, audits: before.audits + 2 });
    const db = testApp.database.db;
    const home = await db.selectFrom('facility').selectAll().where('name_zh', '=', '观音寺街道测试之家').executeTakeFirstOrThrow();
    expect(home).toMatchObject({ name_en: 'Test Home', status: 'active', verified_on: '2026-10-01' });
    expect(Number(home.lat)).toBe(39.73);
    const exceptions = await db.selectFrom('facility_hours_exception').selectAll().where('facility_id', '=', home.id).orderBy('on_date').execute();
    expect(exceptions.map((row) => [row.on_date, row.opens, row.note_zh])).toEqual([
      ['2027-02-06', null, '春节'],
      ['2027-02-07', '10:00:00', ''],
    ]);
    const created = await db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'facility').where('entity_id', '=', String(home.id)).executeTakeFirstOrThrow();
    expect(created.action).toBe('create');
    expect(created.after).toMatchObject({ nameZh: '观音寺街道测试之家', kind: 'womens_home', services: 'legal_aid, family_mediation', hours: 'Mo-Fr 09:00-17:00' });
    const changed = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', 'facility')
      .where('entity_id', '=', String(tongrentangId))
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(changed.before).toMatchObject({ hours: 'Mo-Su 09:00-18:00' });
    expect(changed.after).toMatchObject({ hours: 'Mo-Fr 09:00-17:00', services: 'psychological_counselling, health_services' });
  });

  it('writes cells a spreadsheet would run as formulas with an apostrophe, and reads them back unchanged', async () => {
    const file = csv({ name_zh: '公式测试之家', description_zh: '=HYPERLINK("http://example.com","点击")', phone: '+86 10 6012 3456' });
    expect((await upload(editor, file)).statusCode).toBe(200);
    const exported = (await exportCsv(editor, '?operator=daxing-wf')).toString('utf8');
    const line = exported.split('\r\n').find((candidate) => candidate.includes('公式测试之家')) ?? '';
    expect(line).toContain(`'+86 10 6012 3456`);
    expect(line).toContain(`"'=HYPERLINK(""http://example.com"",""点击"")"`);
    expect(line).not.toMatch(/,=|,\+/);
    const again = await upload(editor, exported, { dryRun: true });
    expect(again.body).toMatch(/(\d+) rows: 0 to add, 0 to change, \1 unchanged, 0 refused\./);
  });
});

describe('importing facilities from CSV', () => {
  it('says why each bad row is refused, and writes nothing when any row is', async () => {
    const before = await counts();
    const file = csv(
      /* 2 */ { place: '110115/不存在街道' },
      /* 3 */ { kind: 'spa' },
      /* 4 */ { services: 'legal_aid;massage' },
      /* 5 */ { hours: 'Mo 09:00-12:00,11:00-13:00' },
      /* 6 */ { lat: '95', lon: '116.3' },
      /* 7 */ { lat: '39.7' },
      /* 8 */ { operator: 'twf' },
      /* 9 */ { id: String(tongrentangId), name_zh: '同仁堂知嘛健康女性服务中心', kind: 'womens_service_centre' },
      /* 10 */ { id: String(tongrentangId), name_zh: '同仁堂知嘛健康女性服务中心', kind: 'womens_service_centre' },
      /* 11 */ { id: '99999' },
      /* 12 */ { exceptions: '2027-02-30 closed' },
      /* 13 */ { name_zh: '一个好的新阵地' },
    );
    const response = await upload(editor, file);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Some rows are refused, so nothing was written.');
    expect(response.body).toContain('12 rows: 1 to add, 1 to change, 0 unchanged, 10 refused.');
    expect(refusals(response.body)).toEqual([
      '2: place: No place is known as "110115/不存在街道".',
      '3: kind: No kind of facility has the code "spa".',
      '4: services: No service has the code "massage".',
      '5: hours: On Mon, 09:00-12:00 and 11:00-13:00 overlap.',
      '6: lat: A latitude is a number from -90 to 90.',
      '7: lon: Give both latitude and longitude, or neither.',
      '8: operator: You may not edit the records of the organization "twf", so you cannot import facilities it operates.',
      '10: Row 9 stands for the same facility already.',
      '11: No facility you may change has the id 99999; leave id empty to add a facility.',
      '12: exceptions: "2027-02-30" is not a date (YYYY-MM-DD, e.g. 2027-02-06).',
    ]);
    expect(await counts()).toEqual(before);
    expect(await testApp.database.db.selectFrom('facility').select('id').where('name_zh', '=', '一个好的新阵地').executeTakeFirst()).toBeUndefined();
  });

  it('refuses a GBK (GB18030) file and says how to save it, in both languages', async () => {
    // "北京" in GBK: not valid UTF-8.
    const gbk = Buffer.concat([Buffer.from(`${header}\r\n,womens_home,`), Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]), Buffer.from(',,110115,,,,,daxing-wf\r\n')]);
    const response = await upload(editor, gbk, { dryRun: true });
    expect(response.statusCode).toBe(400);
    expect(decode(response.body)).toContain('The file is not UTF-8 (perhaps GBK/GB18030); save it as "CSV UTF-8 (Comma delimited)" and import it again.');
    const chinese = await upload(inLanguage(testApp.app, editor, 'zh'), gbk, { dryRun: true });
    expect(chinese.body).toContain('文件不是 UTF-8 编码');
  });

  it('refuses a file over 10 MiB with 413 and a message', async () => {
    const big = `${header}\r\n${'#'.repeat(10 * 1024 * 1024)}`;
    const response = await upload(editor, big, { dryRun: true });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('The file is larger than 10 MiB; split it and import the parts one after another.');
  });

  it('refuses files with wrong columns, and uploads without a file', async () => {
    const wrong = await upload(editor, 'id,name\r\n,x', { dryRun: true });
    expect(wrong.statusCode).toBe(400);
    expect(decode(wrong.body)).toContain('Unknown column(s): name. Required column(s) missing: kind, name_zh, place, operator.');
    const empty = await upload(editor, '', { dryRun: true });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose the CSV or HSDS JSON file to import.');
  });

  it('lets in only those who may edit records, signed in, with the CSRF token', async () => {
    const file = csv({});
    const anonymous = await upload(undefined, file);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace%2Ffacilities%2Fimport');
    expect((await reviewer.get('/workspace/facilities/import')).statusCode).toBe(404);
    expect((await upload(reviewer, file)).statusCode).toBe(404);
    expect((await upload(editor, file, { fields: { _csrf: 'forged' } })).statusCode).toBe(403);
    const page = await editor.get('/workspace/facilities/import');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('href="/workspace/facilities/export.hsds.json"');
    // Reading the network's records is enough to export.
    expect((await reviewer.get('/workspace/facilities/export.csv')).statusCode).toBe(200);
  });

  it('takes the file as the body of the API, dry run or not', async () => {
    const before = await counts();
    const post = (body: string, query: string) =>
      testApp.app.inject({
        method: 'POST',
        url: `/api/v1/facilities/import${query}`,
        headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'text/csv' },
        payload: body,
      });
    const dry = await post(csv({ name_zh: 'API 测试之家' }), '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(JSON.parse(dry.body)).toMatchObject({ format: 'csv', dryRun: true, written: false, rows: 1, added: [{ row: 2, nameZh: 'API 测试之家' }] });
    const refused = await post(csv({ kind: 'spa' }), '');
    expect(refused.statusCode).toBe(422);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'rows_refused' }, report: { refused: [{ row: 2 }] } });
    expect(await counts()).toEqual(before);
    const exported = await editor.api('GET', '/api/v1/facilities/export/csv?operator=twf');
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('和平区妇女之家');
    const openapi = JSON.parse((await testApp.app.inject({ url: '/api/openapi.json' })).body) as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/facilities/import', '/api/v1/facilities/export/csv', '/api/v1/facilities/export/hsds', '/api/v1/facilities/export/geojson']) {
      expect(openapi.paths[path], path).toBeDefined();
    }
  });
});
