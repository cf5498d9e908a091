import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { createAccount } from '../accounts/account.service.ts';
import { today } from '../people/person.service.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let admin: SignedInClient;
const organizations: Record<string, number> = {};

const agreementTitle = '京津冀妇女协同发展合作框架协议';
const circularTitle = '关于以高质量党建服务保障京津冀协同发展的若干措施';

function organization(slug: string): number {
  const id = organizations[slug];
  if (id === undefined) throw new Error(`no organization ${slug}`);
  return id;
}

async function documentId(titleZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('document').select('id').where('title_zh', '=', titleZh).executeTakeFirstOrThrow()).id;
}

async function measureOf(titleZh: string, number: string) {
  return testApp.database.db
    .selectFrom('measure')
    .select(['id', 'document_id'])
    .where('document_id', '=', await documentId(titleZh))
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The markup from an element with this id up to the next <h2>: one section of a page. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('<h2', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

/** The cells of a table row whose header cell holds `name`, as text. */
function rowCells(html: string, name: string): string[] {
  const row = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((match) => match[1] ?? '').find((cells) => cells.includes(`${name}</`));
  expect(row, `a row for ${name}`).toBeDefined();
  return [...(row ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((match) => (match[1] ?? '').replace(/<[^>]+>/g, '').trim());
}

async function csvRows(url: string): Promise<Record<string, string>[]> {
  const response = await bwfEditor.get(url);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/csv');
  expect(response.body.startsWith('\uFEFF')).toBe(true);
  return parse(response.body.slice(1), { columns: true }) as Record<string, string>[];
}

async function workbook(url: string): Promise<ExcelJS.Workbook> {
  const response = await bwfEditor.get(url);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-disposition']).toMatch(/attachment; filename=".+\.xlsx"/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  return book;
}

/** A sheet's rows as objects keyed by its header row. */
function sheetRows(book: ExcelJS.Workbook, name: string): Record<string, unknown>[] {
  const sheet = book.getWorksheet(name);
  expect(sheet, `a sheet ${name}`).toBeDefined();
  const rows: Record<string, unknown>[] = [];
  const headers: string[] = [];
  sheet?.eachRow((row, index) => {
    const values = (row.values as unknown[]).slice(1);
    if (index === 1) headers.push(...values.map(String));
    else rows.push(Object.fromEntries(headers.map((header, column) => [header, values[column] ?? null])));
  });
  return rows;
}

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

describe("a document's dashboard", () => {
  it('is linked from the document page and shows the demo agreement by measure, by party and by dimension, with what is overdue', async () => {
    const id = await documentId(agreementTitle);
    const documentPage = await bwfEditor.get(`/workspace/agreements/${id}`);
    expect(documentPage.body).toContain(`href="/workspace/agreements/${id}/dashboard"`);
    const response = await bwfEditor.get(`/workspace/agreements/${id}/dashboard`);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain('value="58.3" aria-label="Overall progress"');
    const byMeasure = section(html, 'by-measure');
    // Progress, commitments counted, done, dropped (what is open turns overdue with the days, so it is left out here).
    const stable = (cells: string[]) => [cells[1], cells[2], cells[6], cells[7]];
    // Measure 1: 100, 100 and 50 by equal weights; measure 4 leaves its dropped secondment out.
    expect(rowCells(byMeasure, '1 A joint meeting of the three federations')[0]).toBe('1 A joint meeting of the three federations');
    expect(stable(rowCells(byMeasure, '1 A joint meeting of the three federations'))).toEqual(['83%', '3', '2', '0']);
    expect(stable(rowCells(byMeasure, '2 Learning from each other in building grassroots organizations'))).toEqual(['77%', '2', '1', '0']);
    expect(stable(rowCells(byMeasure, '4 Training and exchange of women cadres'))).toEqual(['40%', '2', '0', '1']);
    // Measure 2's visit by Hebei fell due on 2025-09-30 and is not done.
    expect(rowCells(byMeasure, '2 Learning from each other in building grassroots organizations')[5]).toBe('1');
    // BWF's own commitments and those of its grassroots department and of Daxing's federation count for BWF.
    const byParty = section(html, 'by-party');
    expect(stable(rowCells(byParty, "Beijing Women's Federation"))).toEqual(['77%', '4', '2', '0']);
    expect(stable(rowCells(byParty, "Tianjin Women's Federation"))).toEqual(['70%', '2', '1', '1']);
    expect(stable(rowCells(byParty, "Hebei Women's Federation"))).toEqual(['25%', '4', '0', '0']);
    const byDimension = section(html, 'by-dimension');
    expect(rowCells(byDimension, 'Institutional building').slice(1, 3)).toEqual(['83%', '3']);
    expect(rowCells(byDimension, 'Discipline building').slice(1, 3)).toEqual(['40%', '2']);
    const overdue = section(html, 'overdue');
    expect(overdue).toContain('Send grassroots federation officers to learn in Beijing and Tianjin');
    expect(overdue).toMatch(/\d+ days late/);
    expect(overdue).not.toContain('Host the joint meeting of 2023');
  });

  it('gives every measure of both demo documents the progress the document page shows', async () => {
    for (const title of [agreementTitle, circularTitle]) {
      const id = await documentId(title);
      const page = (await bwfEditor.get(`/workspace/agreements/${id}`)).body;
      const measures = await csvRows(`/workspace/agreements/${id}/dashboard.csv?sheet=measures`);
      const rows = await testApp.database.db.selectFrom('measure').select(['id', 'number']).where('document_id', '=', id).execute();
      expect(measures.map((row) => row.Number).sort()).toEqual(rows.map((row) => row.number).sort());
      for (const measure of rows) {
        const start = page.indexOf(`id="measure-${measure.id}"`);
        const shown = /<progress max="100" value="([0-9.]+)"/.exec(page.slice(start))?.[1];
        const exported = measures.find((row) => row.Number === measure.number)?.['Progress (%)'];
        expect(exported, `measure ${measure.number}`).toBe(shown ?? '');
      }
    }
    // The circular's measure 3 has no commitments of its own: it is what 3.1 and 3.2 hold together.
    const circular = await csvRows(`/workspace/agreements/${await documentId(circularTitle)}/dashboard.csv?sheet=measures`);
    expect(circular.find((row) => row.Number === '3')).toMatchObject({ 'Progress (%)': '72', 'Commitments counted': '4', Level: '1' });
    expect(circular.find((row) => row.Number === '3.1')).toMatchObject({ 'Progress (%)': '86.7', Level: '2' });
  });

  it('draws its figures as SVG charts with a label, each beside a table of the same figures', async () => {
    const id = await documentId(agreementTitle);
    const html = (await bwfEditor.get(`/workspace/agreements/${id}/dashboard`)).body;
    const charts = [...html.matchAll(/<svg role="img" aria-label="([^"]+)"[^>]*><title>([^<]+)<\/title>/g)];
    expect(charts.map((chart) => chart[1])).toEqual([
      'By measure: progress',
      'By measure: commitments by status',
      'By party: progress',
      'By party: commitments by status',
      'By work dimension: progress',
      'By work dimension: commitments by status',
    ]);
    for (const chart of charts) expect(chart[2]).toBe(chart[1]);
    const figures = html.split('<figure class="dashboard-chart">').slice(1);
    expect(figures).toHaveLength(3);
    for (const figure of figures) {
      expect(figure.indexOf('<svg')).toBeLessThan(figure.indexOf('<table'));
      expect(figure).toContain('<caption>');
    }
    // The picture says what the table says: the measures' names, and "83%" for measure 1.
    const measureChart = figures[0] ?? '';
    expect(measureChart).toMatch(/<text[^>]*>1 A joint meeting of the th…<\/text>/);
    expect(measureChart).toMatch(/<text[^>]*>83%<\/text>/);
  });

  it('keeps a measure title with markup in it as text in the chart and the table', async () => {
    const db = testApp.database.db;
    const document = await db
      .insertInto('document')
      .values({ kind: 'circular', title_zh: '图表转义测试', signed_on: '2025-01-01', issuer_organization_id: organization('bwf') })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [number, title] of [
      ['1', '<script>alert(1)</script>'],
      ['2', '<img src=x onerror=alert(1)>'],
    ] as const) {
      const measure = await db.insertInto('measure').values({ document_id: document.id, number, title_zh: title, title_en: title }).returning('id').executeTakeFirstOrThrow();
      await db
        .insertInto('commitment')
        .values({ document_id: document.id, measure_id: measure.id, what_zh: '测试', responsible_organization_id: organization('bwf'), due_on: null, weight: 1, status: 'in_progress', progress: 40 })
        .execute();
    }
    const html = (await bwfEditor.get(`/workspace/agreements/${document.id}/dashboard`)).body;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    const svg = /<svg role="img" aria-label="By measure: progress"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('2 &lt;img src=x onerror=alert(');
    expect(section(html, 'by-measure')).toContain('1 &lt;script>alert(1)&lt;/script></a>');
    expect(svg).toMatch(/<text[^>]*>40%<\/text>/);
    expect(svg).not.toMatch(/\son[a-z]+="/i);
  });

  it('exports the same figures to XLSX, one sheet per table, and to CSV', async () => {
    const id = await documentId(agreementTitle);
    const book = await workbook(`/workspace/agreements/${id}/dashboard.xlsx`);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Measures', 'Commitments', 'By party', 'By dimension', 'Overdue']);
    const measures = sheetRows(book, 'Measures');
    expect(measures.map((row) => [row.Number, row['Progress (%)'], row['Commitments counted'], row.Done, row.Dropped])).toEqual([
      ['1', 83.3, 3, 2, 0],
      ['2', 76.7, 2, 1, 0],
      ['3', 33.3, 3, 0, 0],
      ['4', 40, 2, 0, 1],
    ]);
    const parties = sheetRows(book, 'By party');
    expect(parties.map((row) => [row.Organization, row['Progress (%)'], row.Done])).toEqual([
      ["Beijing Women's Federation", 76.7, 2],
      ["Tianjin Women's Federation", 70, 1],
      ["Hebei Women's Federation", 25, 0],
    ]);
    const commitments = sheetRows(book, 'Commitments');
    expect(commitments).toHaveLength(11);
    expect(commitments.find((row) => row.Commitment === 'Second cadres to each other')).toMatchObject({ Status: 'Dropped', 'Progress (%)': null, Federation: "Tianjin Women's Federation" });
    expect(commitments.find((row) => row.Commitment === "Open model facilities in Daxing to the Tianjin and Hebei federations")).toMatchObject({
      Responsible: "Beijing Women's Federation › Daxing District Women's Federation",
      Federation: "Beijing Women's Federation",
      Due: '2027-06-30',
      'Progress (%)': 60,
    });
    expect(sheetRows(book, 'Overdue').map((row) => row.Commitment)).toContain('Send grassroots federation officers to learn in Beijing and Tianjin');
    // The CSV of each sheet carries the same numbers.
    const csvParties = await csvRows(`/workspace/agreements/${id}/dashboard.csv?sheet=parties`);
    expect(csvParties.map((row) => [row.Organization, Number(row['Progress (%)']), Number(row.Overdue), Number(row.Done)])).toEqual(
      parties.map((row) => [row.Organization, row['Progress (%)'], row.Overdue, row.Done]),
    );
    const csvDimensions = await csvRows(`/workspace/agreements/${id}/dashboard.csv?sheet=dimensions`);
    expect(csvDimensions.map((row) => Number(row['Progress (%)']))).toEqual(sheetRows(book, 'By dimension').map((row) => row['Progress (%)']));
    const wrong = await bwfEditor.get(`/workspace/agreements/${id}/dashboard.csv?sheet=everything`);
    expect(wrong.statusCode).toBe(400);
  });

  it('neutralizes a commitment text that a spreadsheet would run as a formula', async () => {
    const measure = await measureOf(circularTitle, '6');
    await testApp.database.db
      .insertInto('commitment')
      .values({ document_id: measure.document_id, measure_id: measure.id, what_zh: '=HYPERLINK("http://example.com")', what_en: '=HYPERLINK("http://example.com")', responsible_organization_id: organization('bwf'), due_on: null, weight: 1, status: 'not_started', progress: 0 })
      .execute();
    const csv = (await bwfEditor.get(`/workspace/agreements/${measure.document_id}/dashboard.csv?sheet=commitments`)).body;
    expect(csv).toContain(`'=HYPERLINK(""http://example.com"")`);
    const book = await workbook(`/workspace/agreements/${measure.document_id}/dashboard.xlsx`);
    const cell = book.getWorksheet('Commitments')?.getColumn(2).values.find((value) => String(value).includes('HYPERLINK'));
    expect(typeof cell).toBe('string');
  });
});

describe("an organization's and a place's dashboards", () => {
  it("gathers a federation's and its units' commitments across documents, and exports them", async () => {
    const bwf = organization('bwf');
    const response = await bwfEditor.get(`/workspace/agreements/dashboard/organizations/${bwf}`);
    expect(response.statusCode).toBe(200);
    const byDocument = section(response.body, 'by-document');
    expect(byDocument).toContain('Framework Agreement on the Coordinated Development');
    expect(byDocument).toContain('Several Measures on Promoting');
    expect(rowCells(byDocument, 'Framework Agreement on the Coordinated Development and Cooperation between Women across the Beijing-Tianjin-Hebei Region').slice(1, 3)).toEqual(['77%', '4']);
    const byUnit = section(response.body, 'by-unit');
    expect(byUnit).toContain("Daxing District Women's Federation");
    expect(byUnit).not.toContain('Tianjin');
    expect(section(response.body, 'overdue')).toContain("Investigate, jointly, how women's service facilities are run");
    expect(response.body).toMatch(/<svg role="img" aria-label="By document: progress"/);

    const book = await workbook(`/workspace/agreements/dashboard/organizations/${bwf}.xlsx`);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['By document', 'Commitments', 'By unit', 'Overdue', 'Due in 30 days']);
    const commitments = sheetRows(book, 'Commitments');
    expect(commitments.every((row) => row.Federation === "Beijing Women's Federation")).toBe(true);
    expect(commitments.map((row) => row.Commitment)).toContain('Host the joint meeting of 2023');
    const units = await csvRows(`/workspace/agreements/dashboard/organizations/${bwf}.csv?sheet=units`);
    expect(units.find((row) => row.Responsible === "Beijing Women's Federation › Daxing District Women's Federation")).toMatchObject({ 'Progress (%)': '80', 'Commitments counted': '2' });
  });

  it("links the organization page to its dashboard, and the dashboards' index to every federation and place", async () => {
    const organizationPage = await bwfEditor.get(`/workspace/organizations/${organization('twf')}`);
    expect(organizationPage.body).toContain(`href="/workspace/agreements/dashboard/organizations/${organization('twf')}"`);
    const list = await bwfEditor.get('/workspace/agreements');
    expect(list.body).toContain('href="/workspace/agreements/dashboard"');
    const index = await bwfEditor.get('/workspace/agreements/dashboard');
    expect(index.statusCode).toBe(200);
    for (const slug of ['bwf', 'twf', 'hebei-wf']) expect(index.body).toContain(`href="/workspace/agreements/dashboard/organizations/${organization(slug)}"`);
    const beijing = await testApp.database.db.selectFrom('place').select('id').where('code', '=', '110000').executeTakeFirstOrThrow();
    expect(index.body).toContain(`href="/workspace/agreements/dashboard/places/${beijing.id}"`);
  });

  it('gathers the commitments of the organizations located in a place or below it', async () => {
    const beijing = await testApp.database.db.selectFrom('place').select('id').where('code', '=', '110000').executeTakeFirstOrThrow();
    const html = (await bwfEditor.get(`/workspace/agreements/dashboard/places/${beijing.id}`)).body;
    // BWF, its departments (where BWF is) and Daxing's federation (in Daxing, below Beijing); no one from Tianjin.
    const byUnit = section(html, 'by-unit');
    for (const name of ["Beijing Women's Federation</a>", 'Grassroots Organization Construction Department', "Daxing District Women's Federation"]) expect(byUnit).toContain(name);
    expect(byUnit).not.toContain('Tianjin');
    const daxing = await testApp.database.db.selectFrom('place').select('id').where('code', '=', '110115').executeTakeFirstOrThrow();
    expect(html).toContain(`href="/workspace/agreements/dashboard/places/${daxing.id}"`);
    const daxingUnits = section((await bwfEditor.get(`/workspace/agreements/dashboard/places/${daxing.id}`)).body, 'by-unit');
    expect(daxingUnits).toContain("Daxing District Women's Federation");
    expect(daxingUnits).not.toContain('Grassroots Organization Construction Department');
  });
});

describe('access', () => {
  it('answers 404 to an account that holds no role anywhere, and shows it no reminders', async () => {
    await createAccount(testApp.database.db, null, { email: 'nobody@bwf.example.org', displayName: 'Nobody', password: 'dashboards-nobody-password', memberships: [] });
    const nobody = await signIn(testApp.app, 'nobody@bwf.example.org', 'dashboards-nobody-password');
    const id = await documentId(agreementTitle);
    const beijing = await testApp.database.db.selectFrom('place').select('id').where('code', '=', '110000').executeTakeFirstOrThrow();
    for (const url of [
      `/workspace/agreements/${id}/dashboard`,
      `/workspace/agreements/${id}/dashboard.xlsx`,
      `/workspace/agreements/${id}/dashboard.csv`,
      '/workspace/agreements/dashboard',
      `/workspace/agreements/dashboard/organizations/${organization('bwf')}`,
      `/workspace/agreements/dashboard/organizations/${organization('bwf')}.xlsx`,
      `/workspace/agreements/dashboard/places/${beijing.id}`,
    ]) {
      expect((await nobody.get(url)).statusCode, url).toBe(404);
    }
    const home = await nobody.get('/workspace');
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain('reminders-title');
    expect((await bwfEditor.get('/workspace/agreements/999999/dashboard')).statusCode).toBe(404);
  });

  it('sends the signed-out reader to sign in', async () => {
    const response = await testApp.app.inject({ url: `/workspace/agreements/${await documentId(agreementTitle)}/dashboard` });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/workspace/sign-in');
  });
});

describe('reminders on the signed-in dashboard', () => {
  it("shows each reader what her own organizations have overdue or due in 30 days, linked to each commitment", async () => {
    const day = today();
    const measure = await measureOf(agreementTitle, '1');
    const insert = (whatEn: string, responsible: string, dueOn: string) =>
      testApp.database.db
        .insertInto('commitment')
        .values({ document_id: measure.document_id, measure_id: measure.id, what_zh: whatEn, what_en: whatEn, responsible_organization_id: organization(responsible), due_on: dueOn, weight: 1, status: 'in_progress', progress: 10 })
        .returning('id')
        .executeTakeFirstOrThrow();
    const beijingSoon = await insert('Print the joint meeting report', 'bwf-publicity-department', addDays(day, 10));
    const tianjinSoon = await insert('Book the venue in Tianjin', 'twf-rights-department', addDays(day, 5));
    await insert('Plan the meeting of next year', 'bwf', addDays(day, 45));

    const beijing = (await bwfEditor.get('/workspace')).body;
    const reminders = beijing.slice(beijing.indexOf('id="reminders-title"'));
    expect(reminders).toContain('Commitments falling due');
    expect(reminders).toContain(`<a href="/workspace/agreements/commitments/${beijingSoon.id}">Print the joint meeting report</a>`);
    expect(reminders).toContain('due in 10 days');
    // BWF's joint investigation fell due on 2025-10-31 and is still in progress.
    expect(reminders).toContain("Investigate, jointly, how women's service facilities are run");
    expect(reminders).toMatch(/\d+ days late/);
    expect(reminders).toContain(`href="/workspace/agreements/dashboard/organizations/${organization('bwf-publicity-department')}"`);
    expect(reminders).not.toContain('Book the venue in Tianjin');
    expect(reminders).not.toContain('Plan the meeting of next year');
    // Hebei's overdue visit is not Beijing's to do.
    expect(reminders).not.toContain('Send grassroots federation officers');

    const tianjin = (await twfEditor.get('/workspace')).body;
    const theirs = tianjin.slice(tianjin.indexOf('id="reminders-title"'));
    expect(theirs).toContain(`<a href="/workspace/agreements/commitments/${tianjinSoon.id}">Book the venue in Tianjin</a>`);
    expect(theirs).toContain('due in 5 days');
    expect(theirs).not.toContain('Print the joint meeting report');
    expect(theirs).not.toContain('Investigate, jointly');

    // A platform administrator sees every organization's, grouped by organization, five of each at most.
    for (const days of [1, 2, 3, 4, 5, 6]) await insert(`Hebei rights report ${days}`, 'hebei-wf-rights-department', addDays(day, days));
    const everyone = (await admin.get('/workspace')).body;
    const hebeiRights = everyone.slice(everyone.indexOf(`/workspace/agreements/dashboard/organizations/${organization('hebei-wf-rights-department')}">`));
    const group = hebeiRights.slice(0, hebeiRights.indexOf('</div>'));
    expect(group.match(/Hebei rights report \d/g)).toEqual(['Hebei rights report 1', 'Hebei rights report 2', 'Hebei rights report 3', 'Hebei rights report 4', 'Hebei rights report 5']);
    expect(group).toContain('More on its dashboard');
    // Her own organization's list is not cut so soon.
    expect((await bwfEditor.get('/workspace')).body).not.toContain('More on its dashboard');
    for (const text of ['Print the joint meeting report', 'Book the venue in Tianjin', 'Send grassroots federation officers']) expect(everyone).toContain(text);
    expect(everyone).toContain("<h3><a href=\"/workspace/agreements/dashboard/organizations/" + organization('hebei-wf') + "\">Hebei Women's Federation</a></h3>");
  });
});
