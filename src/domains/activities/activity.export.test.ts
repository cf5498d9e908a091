import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;

const seedTitle = `Beijing, Tianjin Women's Federations Hold Exchange Activity`;
const bwfInternal = 'Meeting on the Work of Executive Committee Members';
const twfInternal = 'Party-building Meeting of the Federation’s Offices';

/** The rows of a downloaded workbook's first sheet, each as its cells' values (ExcelJS reads it back). */
async function sheetRows(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The records of a CSV download (none of the demo's cells holds a line break or a quote inside a cell). */
function csvRecords(body: string): string[][] {
  return body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((match) => (match[1] ?? '').replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, -1));
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf] = await Promise.all([signIn(testApp.app, 'editor@bwf.example.org'), signIn(testApp.app, 'editor@twf.example.org')]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
});

afterAll(async () => {
  await testApp.close();
});

describe('the activity exports', () => {
  it('give an XLSX workbook with a row per activity, the seed’s visit among them', async () => {
    const response = await bwfEditor.get('/workspace/activities/export.xlsx');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="activities-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const rows = await sheetRows(response.rawPayload);
    expect(rows[0]).toEqual([
      'ID',
      'Starts (Beijing time)',
      'Ends (Beijing time)',
      'Kind',
      'Title in Chinese',
      'Title in English',
      'Status',
      'Visibility',
      'Organizers',
      'Stops',
      'Topics',
      'Attendees',
      'Sessions',
      'Follow-ups',
    ]);
    const visit = rows.find((row) => row[5] === seedTitle);
    expect(visit).toBeDefined();
    // Dates are real date cells showing Beijing time.
    expect(visit?.[1]).toEqual(new Date('2024-03-25T08:30:00Z'));
    expect(visit?.[2]).toEqual(new Date('2024-03-25T12:30:00Z'));
    expect(visit?.slice(3, 9)).toEqual([
      'Exchange visit',
      '京津妇联开展交流学习活动',
      seedTitle,
      'Held',
      'Public',
      "Beijing Women's Federation (Organizer); Tianjin Women's Federation (Co-organizer)",
    ]);
    expect(visit?.[9]).toMatch(/^1\. Shouzuoyuyuan Erli Community Public Service Block \(Shouzuoyuyuan Erli Residential Community\); 2\. /);
    expect(visit?.[10]).toContain('Roles of grassroots executive members');
    expect(visit?.slice(11)).toEqual([6, 1, 1]);
    const titles = rows.map((row) => row[5]);
    expect(titles).toContain(bwfInternal);
    expect(titles).not.toContain(twfInternal);
  });

  it('give the attendees with the title each held that day', async () => {
    const response = await bwfEditor.get('/workspace/activities/attendees.xlsx');
    expect(response.statusCode).toBe(200);
    const rows = await sheetRows(response.rawPayload);
    expect(rows[0]).toEqual(['Activity ID', 'Activity starts (Beijing time)', 'Activity', 'Person', 'Organization', 'Title on the day', 'Role', 'Attendance']);
    const visit = rows.filter((row) => row[2] === seedTitle);
    expect(visit.map((row) => row.slice(3))).toEqual([
      ['Wei Jiang', "Beijing Women's Federation", "Deputy Secretary of the Leading Party Members' Group and Vice-President", 'Host', 'Attended'],
      ['Wang Dongmei', "Tianjin Women's Federation", "Member of the Leading Party Members' Group and Vice-President", 'Head of delegation', 'Attended'],
      [undefined, "Beijing Women's Federation › Grassroots Organization Construction Department", 'Head', 'Member', 'Attended'],
      [undefined, "Beijing Women's Federation › Party Committee (Party-building Work Department)", 'Head', 'Member', 'Attended'],
      [undefined, "Tianjin Women's Federation › Party Committee", 'Head', 'Member', 'Attended'],
      [undefined, "Tianjin Women's Federation › Organization Department", 'Head', 'Member', 'Attended'],
    ]);
    // TWF's staff get no row of BWF's internal meeting.
    const twf = await sheetRows((await twfEditor.get('/workspace/activities/attendees.xlsx')).rawPayload);
    expect(twf.some((row) => row[2] === seedTitle)).toBe(true);
    expect(twf.some((row) => row[2] === bwfInternal)).toBe(false);
  });

  it('give CSV with a byte-order mark, under the list’s filters, with formulas kept from running', async () => {
    const created = await bwfEditor.api('POST', '/api/v1/activities', {
      kind: 'meeting',
      titleZh: '=HYPERLINK("http://example.com","点击")',
      titleEn: '+1 meeting',
      startsAt: '2024-05-06 09:00',
      endsAt: '2024-05-06 10:00',
      status: 'held',
      visibility: 'network',
      topics: [],
      organizers: [{ organizationId: (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id, role: 'organizer' }],
    });
    expect(created.statusCode).toBe(201);
    const response = await bwfEditor.get('/workspace/activities/export.csv?kind=meeting&from=2024-05-01&to=2024-05-31');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.body.startsWith('\uFEFFID,')).toBe(true);
    expect(response.body).toContain('\r\n');
    const records = csvRecords(response.body);
    expect(records).toHaveLength(2);
    expect(records[1]?.[1]).toBe('2024-05-06 09:00');
    expect(records[1]?.[4]).toBe(`'=HYPERLINK("http://example.com","点击")`);
    expect(records[1]?.[5]).toBe(`'+1 meeting`);
    expect(response.body).not.toContain(seedTitle);

    const attendees = await bwfEditor.get('/workspace/activities/attendees.csv?place=110115');
    expect(csvRecords(attendees.body).some((record) => record[3] === 'Wei Jiang' && record[2] === seedTitle)).toBe(true);
    expect((await bwfEditor.get('/workspace/activities/export.csv?place=999999')).statusCode).toBe(400);
  });

  it('are in the API too, in the language asked for, and in OpenAPI', async () => {
    const response = await testApp.app.inject({
      url: '/api/v1/activities/attendees.csv?kind=exchange_visit',
      headers: { cookie: bwfEditor.cookie, 'accept-language': 'zh-CN' },
    });
    expect(response.statusCode).toBe(200);
    const records = csvRecords(response.body);
    expect(records[0]?.slice(3, 6)).toEqual(['姓名', '所在组织', '当日职务']);
    expect(records.some((record) => record[5] === '党组副书记、副主席' && record[6] === '接待方')).toBe(true);
    const workbook = await bwfEditor.get('/api/v1/activities/export.xlsx?visibility=public');
    const rows = await sheetRows(workbook.rawPayload);
    expect(rows.some((row) => row[5] === seedTitle)).toBe(true);
    expect(rows.every((row, index) => index === 0 || row[7] === 'Public')).toBe(true);
    expect((await bwfEditor.get('/api/v1/activities/export.xlsx?kind=No')).statusCode).toBe(400);
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/activities/export.csv',
        '/api/v1/activities/export.xlsx',
        '/api/v1/activities/attendees.csv',
        '/api/v1/activities/attendees.xlsx',
        '/api/v1/activities.ics',
        '/api/v1/people/{id}/duty-record',
      ]),
    );
  });
});
