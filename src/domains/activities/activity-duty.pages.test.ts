import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
const people: Record<string, number> = {};

const seedTitle = `Beijing, Tianjin Women's Federations Hold Exchange Activity`;
const bwfInternal = 'Meeting on the Work of Executive Committee Members';
const agreementMeeting = "Joint Meeting of the Beijing, Tianjin and Hebei Women's Federations";

function person(name: string): number {
  const value = people[name];
  if (value === undefined) throw new Error(`no person ${name}`);
  return value;
}

/** The part of a page from the element with this id to the end of its section. */
function section(html: string, sectionId: string): string {
  const start = html.indexOf(`id="${sectionId}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf] = await Promise.all([signIn(testApp.app, 'editor@bwf.example.org'), signIn(testApp.app, 'editor@twf.example.org')]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  for (const row of await testApp.database.db.selectFrom('person').select(['id', 'name_en']).execute()) people[row.name_en] = row.id;
});

afterAll(async () => {
  await testApp.close();
});

describe('the duty record of an executive committee member', () => {
  it('groups a year’s activities by kind of involvement, with dates, roles, titles and totals', async () => {
    const page = await bwfEditor.get(`/workspace/people/${person('Wei Jiang')}/duty-record?year=2024`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Duty record of Wei Jiang, 2024</h1>');
    const hosted = section(page.body, 'duty-hosted');
    expect(hosted).toContain('Hosted (1)');
    expect(hosted).toContain(seedTitle);
    expect(hosted).toContain('2024-03-25 08:30–12:30');
    expect(hosted).toContain("Deputy Secretary of the Leading Party Members' Group and Vice-President");
    const spoke = section(page.body, 'duty-spoke');
    expect(spoke).toContain(bwfInternal);
    expect(spoke).toContain('The work of executive members in the coming months');
    const led = section(page.body, 'duty-led');
    expect(led).toContain('Head of delegation');
    const totals = section(page.body, 'duty-totals');
    expect(totals).toMatch(/Led a delegation<\/th><td>1<\/td>/);
    expect(totals).toMatch(/Hosted<\/th><td>1<\/td>/);
    expect(totals).toMatch(/Spoke<\/th><td>1<\/td>/);
    expect(totals).toMatch(/Activities \(each counted once\)<\/th><td>3<\/td>/);
  });

  it('lists the visits to a facility she keeps, and her speeches', async () => {
    const page = await bwfEditor.get(`/workspace/people/${person('Liu Yumei')}/duty-record?year=2024`);
    const facility = section(page.body, 'duty-facility');
    expect(facility).toContain(seedTitle);
    expect(facility).toContain('Liu Yumei');
    expect(section(page.body, 'duty-spoke')).toContain('How an executive member’s office keeps in touch with women');
    const other = await bwfEditor.get(`/workspace/people/${person('Liu Yumei')}/duty-record?year=2023`);
    expect(other.body).toMatch(/Activities \(each counted once\)<\/th><td>0<\/td>/);
  });

  it('leaves out what the reader may not read: another federation’s internal meeting', async () => {
    const page = await twfEditor.get(`/workspace/people/${person('Wei Jiang')}/duty-record?year=2024`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(bwfInternal);
    expect(page.body).toContain(seedTitle);
    expect(section(page.body, 'duty-totals')).toMatch(/Spoke<\/th><td>0<\/td>/);
  });

  it('prints without the workspace around it, and is linked from the person and the executive members', async () => {
    const page = await bwfEditor.get(`/workspace/people/${person('Liu Yumei')}/duty-record?year=2024`);
    const printLink = /<link rel="stylesheet" media="print" href="data:text\/css,([^"]+)"/.exec(page.body);
    expect(printLink).not.toBeNull();
    const printCss = decodeURIComponent(printLink?.[1] ?? '');
    expect(printCss).toMatch(/header\.ws[^{]*nav\.crumbs[^{]*form[^{]*\{ display: none !important; \}/);
    const personPage = await bwfEditor.get(`/workspace/people/${person('Liu Yumei')}`);
    expect(personPage.body).toContain(`href="/workspace/people/${person('Liu Yumei')}/duty-record"`);
    const members = await bwfEditor.get(`/workspace/executive-members?on=2024-06-01`);
    expect(members.body).toContain(`href="/workspace/people/${person('Liu Yumei')}/duty-record?year=2024"`);
    const zh = await inLanguage(testApp.app, bwfEditor, 'zh').get(`/workspace/people/${person('Liu Yumei')}/duty-record?year=2024`);
    expect(zh.body).toContain('Liu Yumei 2024 年度履职记录');
    expect(zh.body).toContain('所负责阵地接待的活动');
  });

  it('says what is wrong with a year, and is not found for an unknown person', async () => {
    const bad = await bwfEditor.get(`/workspace/people/${person('Wei Jiang')}/duty-record?year=24x`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Give a year such as 2024');
    expect((await bwfEditor.get('/workspace/people/999999/duty-record?year=2024')).statusCode).toBe(404);
  });

  it('is in the API, with the same rules', async () => {
    const response = await bwfEditor.api('GET', `/api/v1/people/${person('Wei Jiang')}/duty-record?year=2024`);
    expect(response.statusCode).toBe(200);
    const record = response.json();
    expect(record.person.nameEn).toBe('Wei Jiang');
    expect(record.totals).toMatchObject({ led: 1, hosted: 1, spoke: 1 });
    const led = record.groups.find((group: { involvement: string }) => group.involvement === 'led');
    expect(led.entries[0].activity.titleEn).toBe(agreementMeeting);
    expect(led.entries[0].role).toBe('head_of_delegation');
    const twf = (await twfEditor.api('GET', `/api/v1/people/${person('Wei Jiang')}/duty-record?year=2024`)).json();
    expect(twf.totals.spoke).toBe(0);
    const bad = await bwfEditor.api('GET', `/api/v1/people/${person('Wei Jiang')}/duty-record?year=1800`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
    expect((await bwfEditor.api('GET', '/api/v1/people/999999/duty-record')).statusCode).toBe(404);
    expect((await testApp.app.inject({ url: `/api/v1/people/${person('Wei Jiang')}/duty-record` })).statusCode).toBe(401);
  });
});
