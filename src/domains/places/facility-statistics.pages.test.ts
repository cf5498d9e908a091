import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { createAccount } from '../accounts/account.service.ts';

let testApp: TestApp;
let editor: SignedInClient;
let editorZh: SignedInClient;
const places: Record<string, number> = {};
const organizations: Record<string, number> = {};

function place(nameZh: string): number {
  const id = places[nameZh];
  if (id === undefined) throw new Error(`no place ${nameZh}`);
  return id;
}

function organization(slug: string): number {
  const id = organizations[slug];
  if (id === undefined) throw new Error(`no organization ${slug}`);
  return id;
}

function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The statistics table as a reader sees it: the header, then one array of cell texts per row, the total last. */
function tableOf(html: string): string[][] {
  const table = /<table>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1] ?? '')));
}

/** A row of the table by the text of its first cell, as { column header: cell }. */
function rowOf(html: string, label: string): Record<string, string> {
  const [header = [], ...rows] = tableOf(html);
  const row = rows.find((cells) => cells[0] === label);
  if (!row) throw new Error(`no row ${label} in ${JSON.stringify(rows.map((cells) => cells[0]))}`);
  return Object.fromEntries(header.map((name, index) => [name, row[index] ?? '']));
}

function statistics(query: Record<string, string | number>): string {
  return `/workspace/facilities/statistics?${new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString()}`;
}

async function addPlace(nameZh: string, nameEn: string, level: 'community' | 'village', parentId: number): Promise<number> {
  const row = await testApp.database.db
    .insertInto('place')
    .values({ name_zh: nameZh, name_en: nameEn, level, parent_id: parentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  places[nameZh] = row.id;
  return row.id;
}

async function addFacility(kindCode: string, nameZh: string, placeId: number, operatorSlug: string, status: 'active' | 'temporarily_closed' | 'closed') {
  const kind = await testApp.database.db.selectFrom('facility_kind').select('id').where('code', '=', kindCode).executeTakeFirstOrThrow();
  return testApp.database.db
    .insertInto('facility')
    .values({ kind_id: kind.id, name_zh: nameZh, place_id: placeId, operator_organization_id: organization(operatorSlug), status })
    .returning('id')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  testApp = await createTestApp();
  const signedIn = await signIn(testApp.app, 'editor@bwf.example.org');
  editor = inLanguage(testApp.app, signedIn, 'en');
  editorZh = inLanguage(testApp.app, signedIn, 'zh');
  for (const row of await testApp.database.db.selectFrom('place').select(['id', 'name_zh']).execute()) places[row.name_zh] = row.id;
  for (const row of await testApp.database.db.selectFrom('organization').select(['id', 'slug']).execute()) organizations[row.slug] = row.id;
});
afterAll(async () => {
  await testApp.close();
});

describe('the facility statistics page', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const response = await testApp.app.inject({ url: '/workspace/facilities/statistics' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace%2Ffacilities%2Fstatistics');
  });

  it("opens on the reader's own federation's place, a row per place under it with a link down", async () => {
    const response = await editor.get('/workspace/facilities/statistics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Facility statistics: Beijing</h1>');
    expect(response.body).toContain(`<a href="/workspace/facilities/statistics?place=${place('大兴区')}">Daxing District</a>`);
    expect(response.body).toContain('href="/workspace/facilities" aria-current="page"');
    const [header = []] = tableOf(response.body);
    expect(header[0]).toBe('Place');
    expect(header.slice(-3)).toEqual(['Communities and villages', "With an active women's home", 'Coverage']);
    // Beijing's own facility (the family education station) is counted where it is, beside Daxing, and in the total.
    expect(rowOf(response.body, 'Located in Beijing itself')).toMatchObject({ 'All facilities': '1', 'Temporarily closed': '1' });
    expect(rowOf(response.body, 'Total')).toMatchObject({ 'All facilities': '6', Active: '5', 'Temporarily closed': '1', Closed: '0' });
  });

  it("counts Guanyinsi Sub-district's facilities by kind, in the kinds' order, with a breadcrumb back up", async () => {
    const response = await editor.get(statistics({ place: place('大兴区') }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Facility statistics: Daxing District</h1>');
    const [header = []] = tableOf(response.body);
    expect(header.slice(1, 5)).toEqual([
      "Women's home",
      "Women's service centre",
      "Executive committee member's office",
      'Community public service block',
    ]);
    expect(rowOf(response.body, 'Guanyinsi Sub-district')).toMatchObject({
      "Women's home": '1',
      "Women's service centre": '1',
      "Executive committee member's office": '1',
      'Community public service block': '1',
      'All facilities': '4',
      Active: '4',
    });
    expect(rowOf(response.body, 'Located in Daxing District itself')).toMatchObject({ "Women's service centre": '1', 'All facilities': '1' });
    expect(rowOf(response.body, 'Total')).toMatchObject({ "Women's service centre": '2', 'All facilities': '5' });
    const crumbs = /<nav class="crumbs"[^>]*>([\s\S]*?)<\/nav>/.exec(response.body)?.[1] ?? '';
    expect(crumbs).toContain('<a href="/workspace/facilities/statistics?place=top">All places</a>');
    expect(crumbs).toContain(`<a href="/workspace/facilities/statistics?place=${place('北京市')}">Beijing</a>`);
  });

  it('reads the coverage of Daxing: 1 of 1 community has an active women’s home, 100 %', async () => {
    const response = await editor.get(statistics({ place: place('北京市') }));
    expect(rowOf(response.body, 'Daxing District')).toMatchObject({
      'Communities and villages': '1',
      "With an active women's home": '1',
      Coverage: '100%',
    });
  });

  it('reads 50 % once a second community without a women’s home is added', async () => {
    await addPlace('测试统计社区', 'Statistics Test Community', 'community', place('观音寺街道'));
    const response = await editor.get(statistics({ place: place('北京市') }));
    expect(rowOf(response.body, 'Daxing District')).toMatchObject({
      'Communities and villages': '2',
      "With an active women's home": '1',
      Coverage: '50%',
    });
  });

  it('does not count a closed or temporarily closed women’s home toward coverage, and counts it by status', async () => {
    const community = place('测试统计社区');
    const closed = await addFacility('womens_home', '测试关闭的妇女之家', community, 'guanyinsi-wf', 'closed');
    const paused = await addFacility('womens_home', '测试暂停的妇女之家', community, 'guanyinsi-wf', 'temporarily_closed');
    const before = await editor.get(statistics({ place: place('观音寺街道') }));
    expect(rowOf(before.body, 'Statistics Test Community')).toMatchObject({
      "Women's home": '2',
      Closed: '1',
      'Temporarily closed': '1',
      'Communities and villages': '1',
      "With an active women's home": '0',
      Coverage: '0%',
    });
    expect(rowOf(before.body, 'Total')).toMatchObject({ 'Communities and villages': '2', "With an active women's home": '1', Coverage: '50%' });

    await testApp.database.db.updateTable('facility').set({ status: 'active' }).where('id', '=', closed.id).execute();
    const after = await editor.get(statistics({ place: place('观音寺街道') }));
    expect(rowOf(after.body, 'Total')).toMatchObject({ "With an active women's home": '2', Coverage: '100%' });
    // A community with two active women's homes is one community covered.
    await testApp.database.db.updateTable('facility').set({ status: 'active' }).where('id', '=', paused.id).execute();
    const twice = await editor.get(statistics({ place: place('观音寺街道') }));
    expect(rowOf(twice.body, 'Total')).toMatchObject({ "Women's home": '3', "With an active women's home": '2', Coverage: '100%' });
    await testApp.database.db.updateTable('facility').set({ status: 'closed' }).where('id', '=', closed.id).execute();
    await testApp.database.db.updateTable('facility').set({ status: 'temporarily_closed' }).where('id', '=', paused.id).execute();
  });

  it("narrows the counts to an operator's network: the organization and its units below", async () => {
    const own = await editor.get(statistics({ place: place('大兴区'), operator: organization('guanyinsi-wf') }));
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(`<option value="${organization('guanyinsi-wf')}" selected>`);
    expect(text(own.body)).toContain("Only facilities operated by Guanyinsi Sub-district Women's Federation and its units are counted.");
    // The district federation's office and centres drop out; the sub-district federation's block and homes stay.
    expect(rowOf(own.body, 'Guanyinsi Sub-district')).toMatchObject({ 'All facilities': '4', 'Community public service block': '1' });
    expect(tableOf(own.body)[0]).not.toContain("Executive committee member's office");
    expect(tableOf(own.body).map((cells) => cells[0])).not.toContain('Located in Daxing District itself');
    // Links down keep the filter.
    expect(own.body).toContain(`href="/workspace/facilities/statistics?place=${place('观音寺街道')}&amp;operator=${organization('guanyinsi-wf')}"`);

    const district = await editor.get(statistics({ place: place('大兴区'), operator: organization('daxing-wf') }));
    expect(rowOf(district.body, 'Total')).toMatchObject({ 'All facilities': '7' });
    const other = await editor.get(statistics({ place: place('大兴区'), operator: organization('twf') }));
    expect(rowOf(other.body, 'Total')).toMatchObject({ 'All facilities': '0', "With an active women's home": '0', Coverage: '0%' });
  });

  it('exports the same table as CSV: UTF-8 with a byte-order mark, in the reader’s language', async () => {
    const page = await editor.get(statistics({ place: place('大兴区') }));
    expect(page.body).toContain(`href="/workspace/facilities/statistics.csv?place=${place('大兴区')}"`);
    const csv = await editor.get(`/workspace/facilities/statistics.csv?place=${place('大兴区')}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="facility-statistics-110115-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const records = parse(csv.body.replace(/^\uFEFF/, '')) as string[][];
    expect(records).toEqual(tableOf(page.body));

    const zh = await editorZh.get(`/workspace/facilities/statistics.csv?place=${place('大兴区')}`);
    const [header = [], ...rows] = parse(zh.body.replace(/^\uFEFF/, '')) as string[][];
    expect(header[0]).toBe('地点');
    expect(header).toContain('覆盖率');
    expect(rows.at(-1)?.[0]).toBe('合计');
  });

  it('neutralizes a cell that a spreadsheet would run as a formula', async () => {
    await testApp.database.db.insertInto('facility_kind').values({ code: 'formula_test', name_zh: '=1+1', name_en: '=HYPERLINK("http://example.org")', position: 99 }).execute();
    await addFacility('formula_test', '测试公式', place('大兴区'), 'daxing-wf', 'active');
    const csv = await editor.get(`/workspace/facilities/statistics.csv?place=${place('大兴区')}`);
    const [header = []] = parse(csv.body.replace(/^\uFEFF/, '')) as string[][];
    expect(header).toContain(`'=HYPERLINK("http://example.org")`);
    expect(header).not.toContain(`=HYPERLINK("http://example.org")`);
  });

  it('shows the top level, and speaks Chinese', async () => {
    const response = await editorZh.get(statistics({ place: 'top' }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>服务阵地统计：全部地点</h1>');
    const rows = tableOf(response.body).map((cells) => cells[0]);
    expect(rows).toEqual(['地点', '北京市', '天津市', '河北省', '合计']);
    expect(rowOf(response.body, '天津市')).toMatchObject({ 妇女之家: '1', 妇女微家: '1', 开放: '2' });
  });

  it('answers 404 for an unknown place or operator, and re-renders with a message for a malformed one', async () => {
    expect((await editor.get(statistics({ place: 999999 }))).statusCode).toBe(404);
    expect((await editor.get(statistics({ operator: 999999 }))).statusCode).toBe(404);
    expect((await editor.get('/workspace/facilities/statistics.csv?place=999999')).statusCode).toBe(404);
    const malformed = await editor.get(statistics({ place: 'Daxing' }));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('Give the id of a place, or &quot;top&quot; for the top-level places.');
    const malformedZh = await editorZh.get(statistics({ operator: 'bwf' }));
    expect(malformedZh.statusCode).toBe(400);
    expect(malformedZh.body).toContain('请填写组织的编号。');
    expect((await editor.get('/workspace/facilities/statistics.csv?place=Daxing')).statusCode).toBe(400);
  });

  it('answers 404 to an account that holds no role anywhere', async () => {
    await createAccount(testApp.database.db, null, { email: 'nobody@bwf.example.org', displayName: 'Nobody', password: 'statistics-nobody-password', memberships: [] });
    const nobody = await signIn(testApp.app, 'nobody@bwf.example.org', 'statistics-nobody-password');
    for (const url of ['/workspace/facilities/statistics', statistics({ place: place('大兴区') }), '/workspace/facilities/statistics.csv']) {
      expect((await nobody.get(url)).statusCode).toBe(404);
    }
  });
});
