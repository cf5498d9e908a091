import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../test/app.ts';
import { demoPassword } from '../test/workspace.ts';
import { clickAndLoad, expectAccessible, launchChromium, pathOf, startTestServer, type TestServer } from './browser.ts';

let server: TestServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  context = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('activities in a browser', () => {
  it('reads the seed’s visit, records a new activity with a stop, and every page passes axe', { timeout: 120_000 }, async () => {
    if (!context || !server) throw new Error('the browser did not start');
    const baseUrl = server.baseUrl;
    const page = await context.newPage();
    await page.goto(`${baseUrl}/workspace/sign-in`);
    await page.getByLabel('Email').fill('editor@bwf.example.org');
    await page.getByLabel('Password').fill(demoPassword('editor@bwf.example.org'));
    await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }), baseUrl, '/workspace');

    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    await clickAndLoad(page, navigation.getByRole('link', { name: 'Activities', exact: true }), baseUrl, '/workspace/activities');
    await expectAccessible(page, 'the activity list');

    await clickAndLoad(page, page.getByRole('link', { name: "Beijing, Tianjin Women's Federations Hold Exchange Activity" }), baseUrl, /\/workspace\/activities\/\d+$/);
    await expectAccessible(page, 'the seed visit’s page');
    expect(await page.locator('h3.stop-name').allInnerTexts()).toEqual([
      'Shouzuoyuyuan Erli Community Public Service Block',
      'Office of Liu Yumei, BWF Executive Committee Member',
      'Tongrentang Zhima Health Women’s Service Centre',
    ]);
    const weiJiang = page.getByRole('row').filter({ hasText: 'Wei Jiang' });
    expect(await weiJiang.locator('td.attendee-title').innerText()).toBe("Deputy Secretary of the Leading Party Members' Group and Vice-President");

    await page.goto(`${baseUrl}/workspace/activities/new`);
    await expectAccessible(page, 'the new-activity form');
    await page.getByLabel('Title in English').fill('Browser visit');
    await page.getByLabel('Starts').fill('2024-06-01 09:00');
    await page.getByLabel('Ends').fill('2024-06-01 08:00');
    await page.getByLabel('Status').selectOption('held');
    await page.getByLabel('Family education').check();
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#endsAt-error').innerText()).toBe('The end comes before the start.');
    expect(await page.getByLabel('Title in English').inputValue()).toBe('Browser visit');
    await expectAccessible(page, 'the new-activity form with a message');
    await page.getByLabel('Ends').fill('2024-06-01 11:00');
    await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Save' }), baseUrl, /\/workspace\/activities\/\d+$/);
    expect(await page.locator('h1').innerText()).toBe('Browser visit');
    const activityPath = pathOf(page);

    await clickAndLoad(page, page.getByRole('link', { name: 'Add a stop' }), baseUrl, `${activityPath}/stops/new`);
    await expectAccessible(page, 'the stop form');
    await page.getByLabel('Place', { exact: true }).fill('110115/观音寺街道');
    await page.getByLabel('Purpose in English').fill('See the sub-district');
    await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Save' }), baseUrl, `${activityPath}#stops`);
    expect(await page.locator('h3.stop-name').allInnerTexts()).toEqual(['Guanyinsi Sub-district']);

    await clickAndLoad(page, page.getByRole('link', { name: 'Add an attendee' }), baseUrl, `${activityPath}/attendees/new`);
    await expectAccessible(page, 'the attendee form');
  });
});
