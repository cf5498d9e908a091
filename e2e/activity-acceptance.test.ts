/**
 * The activities' acceptance journey in Chromium: an editor records an exchange visit like the seed's
 * (BWF with TWF, three stops at the seed's facilities in order, a meeting with its agenda, Wei Jiang
 * and Wang Dongmei titled from their posts that day, what was agreed), drafts the update from it and
 * submits it; the reviewer approves it; the editor publishes it; the activity's page then links the
 * update on the portal, which carries the facts and links the activity's public page, which links it
 * back. On the way, the follow-up agreed becomes a commitment of the framework agreement.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../test/app.ts';
import { demoPassword } from '../test/workspace.ts';
import { expectAccessible, launchChromium, pathOf, startTestServer, type TestServer } from './browser.ts';

const editor = 'editor@bwf.example.org';
const reviewer = 'reviewer@bwf.example.org';

const visit = {
  titleEn: 'Beijing and Tianjin federations visit Daxing',
  /** No Chinese title on record: the update's is made from the organizers and the kind. */
  headlineZh: '京津两地妇联开展交流学习活动',
  summaryEn: 'A day of site visits and talks on grassroots Party-building.',
  stops: [
    {
      facility: '首座御园二里社区公共服务街区',
      topic: 'grassroots_governance',
      purpose: 'Women in community governance',
      arrives: '2024-06-12 08:30',
      findings: 'Women’s representatives sit on the community’s council',
    },
    {
      facility: '北京市妇联执委 Liu Yumei 工作室',
      topic: 'executive_members',
      purpose: 'What an executive member’s office does',
      arrives: '2024-06-12 09:40',
      findings: 'The office keeps a weekly reception day',
    },
    {
      facility: '同仁堂知嘛健康女性服务中心',
      topic: 'service_facilities',
      purpose: 'How a company-hosted centre is run',
      arrives: '2024-06-12 10:50',
      findings: 'The company lends rooms and staff',
    },
  ],
  minutes: 'Both sides agreed to exchange their grassroots experience every half year.',
  stopNames: ['Shouzuoyuyuan Erli Community Public Service Block', 'Office of Liu Yumei, BWF Executive Committee Member', 'Tongrentang Zhima Health Women’s Service Centre'],
  agenda: ['BWF presents its grassroots Party-building', 'Talks on issues of common concern'],
  followUp: 'Keep carrying out the Beijing-Tianjin-Hebei framework agreement',
  weiJiangTitle: "Deputy Secretary of the Leading Party Members' Group and Vice-President",
  wangDongmeiTitle: "Member of the Leading Party Members' Group and Vice-President",
};

let server: TestServer | undefined;
let browser: Browser | undefined;
let staff: BrowserContext | undefined;
let baseUrl: string;
const ids: Record<string, number> = {};

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  baseUrl = server.baseUrl;
  staff = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
  staff.setDefaultTimeout(10_000);
  const db = server.database.db;
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('person').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  for (const row of await db.selectFrom('facility').select(['id', 'name_zh']).execute()) ids[row.name_zh] = row.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Clicks and waits until the browser shows the page at `path` (a redirect's target, or the page a form's POST renders). */
async function clickAndLoad(page: Page, target: Locator, path: string | RegExp): Promise<void> {
  await Promise.all([page.waitForURL(typeof path === 'string' ? `${baseUrl}${path}` : path, { waitUntil: 'load' }), target.click()]);
}

function main(page: Page): Locator {
  return page.getByRole('main');
}

async function save(page: Page, path: string | RegExp): Promise<void> {
  await clickAndLoad(page, main(page).getByRole('button', { name: 'Save', exact: true }), path);
}

async function signInAs(page: Page, email: string): Promise<void> {
  await staff!.clearCookies();
  await page.goto(`${baseUrl}/workspace/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoPassword(email));
  await clickAndLoad(page, main(page).getByRole('button', { name: 'Sign in' }), '/workspace');
}

/** Presses a workflow button on the update's page; its POST renders the page again with the step done. */
async function workflowStep(page: Page, articlePath: string, button: string): Promise<void> {
  await page.goto(`${baseUrl}${articlePath}`);
  await clickAndLoad(page, main(page).getByRole('button', { name: button, exact: true }), `${articlePath}/steps`);
}

describe('from an exchange visit to the portal', () => {
  it('records the visit, drafts the update, reviews and publishes it, and finds it from the activity on the portal', { timeout: 300_000 }, async () => {
    if (!staff || !server) throw new Error('the browser did not start');
    const page = await staff.newPage();
    await signInAs(page, editor);

    // The visit itself.
    await page.goto(`${baseUrl}/workspace/activities/new`);
    await page.getByLabel(/^Kind/).selectOption('exchange_visit');
    await page.getByLabel('Title in English').fill(visit.titleEn);
    await page.getByLabel('Summary in English').fill(visit.summaryEn);
    await page.getByLabel('Starts').fill('2024-06-12 08:30');
    await page.getByLabel('Ends').fill('2024-06-12 12:30');
    await page.getByLabel(/^Status/).selectOption('held');
    await page.getByLabel('Visibility').selectOption('public');
    await page.getByLabel('Party-building work').check();
    await page.getByLabel(/^Organizer/).selectOption(String(id('bwf')));
    await page.getByLabel(/^Co-organizer/).selectOption(String(id('twf')));
    await save(page, /\/workspace\/activities\/\d+$/);
    const activityPath = pathOf(page);

    // Three stops, in the seed's order.
    for (const stop of visit.stops) {
      await clickAndLoad(page, main(page).getByRole('link', { name: 'Add a stop' }), `${activityPath}/stops/new`);
      await page.getByLabel(/^Facility/).selectOption(String(id(stop.facility)));
      await page.getByLabel(/^Topic/).selectOption(stop.topic);
      await page.getByLabel('Arrives').fill(stop.arrives);
      await page.getByLabel('Purpose in English').fill(stop.purpose);
      await page.getByLabel('Findings in English').fill(stop.findings);
      await save(page, `${activityPath}#stops`);
    }
    expect(await page.locator('h3.stop-name').allInnerTexts()).toEqual(visit.stopNames);
    const stopsText = await main(page).locator('section[aria-labelledby="stops"]').innerText();
    for (const stop of visit.stops) expect(stopsText).toContain(stop.findings);

    // The two officials; their titles come from the posts they held that day.
    for (const [name, role] of [
      ['Wei Jiang', 'host'],
      ['Wang Dongmei', 'head_of_delegation'],
    ] as const) {
      await clickAndLoad(page, main(page).getByRole('link', { name: 'Add an attendee' }), `${activityPath}/attendees/new`);
      await page.getByLabel(/^Person/).selectOption(String(id(name)));
      await page.getByLabel(/^Role/).selectOption(role);
      await page.getByLabel(/^Attendance/).selectOption('attended');
      await save(page, `${activityPath}#attendees`);
    }
    expect(await page.getByRole('row').filter({ hasText: 'Wei Jiang' }).locator('td.attendee-title').innerText()).toBe(visit.weiJiangTitle);
    expect(await page.getByRole('row').filter({ hasText: 'Wang Dongmei' }).locator('td.attendee-title').innerText()).toBe(visit.wangDongmeiTitle);

    // The meeting and its agenda, with who spoke.
    await clickAndLoad(page, main(page).getByRole('link', { name: 'Add a session' }), `${activityPath}/sessions/new`);
    await page.getByLabel('Title in English').fill('Meeting and talks');
    await page.getByLabel('Minutes in English').fill(visit.minutes);
    await save(page, `${activityPath}#sessions`);
    expect(await main(page).locator('section[aria-labelledby="sessions"]').innerText()).toContain(visit.minutes);
    for (const [index, subject] of visit.agenda.entries()) {
      await clickAndLoad(page, main(page).getByRole('link', { name: 'Add an agenda item' }), /\/sessions\/\d+\/items\/new$/);
      await page.getByLabel('Subject in English').fill(subject);
      if (index === 0) {
        await page.getByLabel(/^Speaker/).selectOption(String(id('Wei Jiang')));
        await page.getByLabel('Speaking for').selectOption(String(id('bwf')));
      }
      await save(page, `${activityPath}#sessions`);
    }

    // What they agreed.
    await clickAndLoad(page, main(page).getByRole('link', { name: 'Add a follow-up' }), `${activityPath}/follow-ups/new`);
    await page.getByLabel('Action in English').fill(visit.followUp);
    await page.getByLabel(/^Owner/).selectOption(String(id('bwf')));
    await save(page, `${activityPath}#follow-ups`);

    // The follow-up becomes a commitment under the framework agreement's first measure, and links back.
    await clickAndLoad(page, main(page).getByRole('link', { name: 'Make it a commitment' }), /\/workspace\/agreements\/commitments\/new\?followUpId=\d+$/);
    await page.getByLabel(/^Measure/).selectOption({ label: '1 A joint meeting of the three federations' });
    await clickAndLoad(page, main(page).getByRole('button', { name: 'Next' }), /measureId=\d+$/);
    expect(await page.getByLabel('What (English)').inputValue()).toBe(visit.followUp);
    await page.getByLabel('What (Chinese)').fill('持续推动京津冀妇女协同发展合作框架协议落地见效');
    await page.getByLabel('Due date').fill('2024-12-31');
    await save(page, /\/workspace\/agreements\/commitments\/\d+$/);
    await clickAndLoad(page, main(page).getByRole('link', { name: visit.titleEn }), new RegExp(`${activityPath}#follow-up-\\d+$`));
    expect(await main(page).locator('section[aria-labelledby="follow-ups"]').getByRole('link', { name: 'See the commitment' }).count()).toBe(1);

    // The update, drafted from the record, in the newsroom's editor.
    const reportedIn = page.locator('section[aria-labelledby="reported-in"]');
    expect(await reportedIn.getByText('No update yet.').count()).toBe(1);
    await clickAndLoad(page, reportedIn.getByRole('button', { name: 'Draft an update' }), /\/workspace\/articles\/\d+\/edit$/);
    const articlePath = pathOf(page).replace(/\/edit$/, '');
    const english = page.getByRole('group', { name: 'English version' });
    const chinese = page.getByRole('group', { name: 'Chinese version' });
    expect(await english.getByLabel(/^Title/).inputValue()).toBe(visit.titleEn);
    expect(await chinese.getByLabel(/^Title/).inputValue()).toBe(visit.headlineZh);
    const bodyEn = await english.getByLabel('Body (Markdown)').inputValue();
    expect(bodyEn).toContain('**12 June 2024**');
    expect(bodyEn).toContain(`Wei Jiang, ${visit.weiJiangTitle} of Beijing Women's Federation`);
    expect(bodyEn).toContain(visit.followUp);
    expect(await main(page).locator('.reports-on').getByRole('link', { name: visit.titleEn }).count()).toBe(1);
    await expectAccessible(page, 'the drafted update in the editor');

    // The editor reads it through and marks both versions reviewed, then submits it.
    await english.getByLabel('This version is').selectOption('reviewed');
    await chinese.getByLabel('This version is').selectOption('reviewed');
    await save(page, articlePath);
    await workflowStep(page, articlePath, 'Submit for review');

    // The reviewer approves; the editor publishes the approved update.
    await signInAs(page, reviewer);
    await workflowStep(page, articlePath, 'Approve');
    await signInAs(page, editor);
    await workflowStep(page, articlePath, 'Publish now');
    expect(await main(page).locator('.badge').first().innerText()).toBe('Published');

    // From the update back to the activity, whose page now lists it with its portal addresses.
    await clickAndLoad(page, main(page).locator('.reports-on').getByRole('link', { name: visit.titleEn }), activityPath);
    const published = reportedIn.locator('li').filter({ hasText: visit.titleEn });
    expect(await published.locator('.badge').innerText()).toBe('Published');
    await expectAccessible(page, 'the activity page with its update');

    // The portal's update carries the facts, and links the activity's public page.
    await clickAndLoad(page, published.getByRole('link', { name: 'On the portal (English)' }), /\/sites\/bwf\/en\/articles\/[^/?#]+$/);
    const article = page.locator('article');
    expect(await article.locator('h1').innerText()).toBe(visit.titleEn);
    const text = await article.innerText();
    for (const fact of [
      '12 June 2024',
      "Beijing Women's Federation and Tianjin Women's Federation co-organized an exchange visit",
      `Wei Jiang, ${visit.weiJiangTitle}`,
      `Wang Dongmei, ${visit.wangDongmeiTitle}`,
      "Investigated: Women's organizations in grassroots governance",
      ...visit.agenda,
      visit.followUp,
    ]) {
      expect(text, `the published update lacks “${fact}”`).toContain(fact);
    }
    const stopsAt = visit.stopNames.map((name) => text.indexOf(name));
    expect(stopsAt.every((index) => index > -1)).toBe(true);
    expect([...stopsAt].sort((a, b) => a - b)).toEqual(stopsAt);
    await expectAccessible(page, 'the published update on the portal');

    const articleUrl = page.url();
    await clickAndLoad(page, article.locator('.reports-on').getByRole('link', { name: visit.titleEn }), /\/sites\/bwf\/en\/activities\/\d+$/);
    expect(await page.locator('h1').innerText()).toBe(visit.titleEn);
    // And the activity's public page leads to the update that reports on it.
    await clickAndLoad(page, page.locator('section[aria-labelledby="activity-reports-title"]').getByRole('link', { name: visit.titleEn }), new URL(articleUrl).pathname);

    await page.goto(articleUrl.replace('/en/articles/', '/zh/articles/'));
    expect(await page.locator('article h1').innerText()).toBe(visit.headlineZh);
    await page.close();
  });
});
