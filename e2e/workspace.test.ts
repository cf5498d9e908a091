import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../test/app.ts';
import { demoPassword } from '../test/workspace.ts';
import { clickAndLoad as clickAndWait, expectAccessible, launchChromium, pathOf, startTestServer, type TestServer } from './browser.ts';

const editor = { email: 'editor@bwf.example.org', displayName: 'BWF Editor' };
const admin = { email: 'admin@bwf.example.org', displayName: 'BWF Administrator' };
const person = { nameZh: '林晓梅', nameEn: 'Lin Xiaomei' };
const post = {
  unit: "Beijing Women's Federation › Publicity Department",
  titleZh: '宣传干事',
  titleEn: 'Publicity Officer',
  kind: 'Staff',
  startsOn: '2025-01-01',
};

let server: TestServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let baseUrl: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  baseUrl = server.baseUrl;
  // The workspace speaks the browser's language (Accept-Language) until one is chosen: English here.
  context = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
  // A missing field or button should fail with Playwright's own message, well before the test's time is up.
  context.setDefaultTimeout(10_000);
});

/** Clicks and waits for the page it loads, on this test's server. */
function clickAndLoad(page: Page, target: ReturnType<Page['getByRole']>, path: string | RegExp): Promise<void> {
  return clickAndWait(page, target, baseUrl, path);
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs in through the form, as a person would. */
async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoPassword(email));
  await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }), '/workspace');
  expect(await page.locator('h1').innerText()).toBe('Dashboard');
}

describe('an editor in the workspace', () => {
  // One journey of some twenty pages, two argon2id sign-ins and four axe runs: more than the default 30 s on a busy 2-core machine.
  it('adds a person and a post, finds them, signs out; an administrator sees both in the audit log', { timeout: 120_000 }, async () => {
    if (!context) throw new Error('the browser did not start');
    const page = await context.newPage();

    // Sign in as the BWF editor.
    const signInPage = await page.goto(`${baseUrl}/workspace/sign-in`);
    expect(signInPage?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Sign in');
    await expectAccessible(page, 'the sign-in page');
    await signIn(page, editor.email);

    // People, then a new person kept by BWF.
    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    await clickAndLoad(page, navigation.getByRole('link', { name: 'People', exact: true }), '/workspace/people');
    expect(await page.locator('h1').innerText()).toBe('People');
    await expectAccessible(page, 'the people list');

    await clickAndLoad(page, page.getByRole('main').getByRole('link', { name: 'Create', exact: true }), '/workspace/people/new');
    expect(await page.locator('h1').innerText()).toBe('New person');
    await expectAccessible(page, 'the new-person form');
    const keptBy = page.getByLabel('Record kept by');
    expect(await keptBy.locator('option:checked').innerText()).toBe("Beijing Women's Federation");
    await page.getByLabel('Name in Chinese').fill(person.nameZh);
    await page.getByLabel('Name in English').fill(person.nameEn);
    await clickAndLoad(page, page.getByRole('button', { name: 'Save' }), /\/workspace\/people\/\d+$/);
    const personPath = new URL(page.url()).pathname;
    const personId = personPath.split('/').pop()!;
    expect(await page.locator('h1').innerText()).toBe(person.nameEn);
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain(person.nameZh);
    expect(facts).toContain("Beijing Women's Federation");

    // A post at BWF's Publicity Department, from the person's page.
    await clickAndLoad(page, page.getByRole('link', { name: 'Add a post' }), `${personPath}/positions/new`);
    await page.getByLabel('Organization').selectOption({ label: post.unit });
    await page.getByLabel('Title in Chinese').fill(post.titleZh);
    await page.getByLabel('Title in English').fill(post.titleEn);
    await page.getByLabel('Kind').selectOption({ label: post.kind });
    await page.getByLabel('From').fill(post.startsOn);
    await clickAndLoad(page, page.getByRole('button', { name: 'Save' }), new RegExp(`${personPath}#position-\\d+$`));
    const positionId = new URL(page.url()).hash.replace('#position-', '');
    const row = page.locator(`tr#position-${positionId}`);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 6).map((cell) => cell.trim())).toEqual([post.unit, post.titleEn, post.kind, post.startsOn, 'present', 'Held']);
    await expectAccessible(page, 'the person page');

    // The list finds her by name, with the post she holds today.
    await clickAndLoad(page, page.getByRole('navigation', { name: 'You are here' }).getByRole('link', { name: 'People' }), '/workspace/people');
    await page.getByLabel('Search').fill(person.nameEn);
    await clickAndLoad(page, page.getByRole('button', { name: 'Filter' }), /\/workspace\/people\?.*q=Lin\+Xiaomei/);
    const results = page.getByRole('main').locator('tbody tr');
    expect(await results.count()).toBe(1);
    expect(await results.first().innerText()).toContain(post.titleEn);
    await clickAndLoad(page, results.first().getByRole('link', { name: person.nameEn, exact: true }), personPath);

    // Signing out leads back to the sign-in page; the workspace is closed again.
    await clickAndLoad(page, page.getByRole('banner').getByRole('button', { name: 'Sign out' }), '/workspace/sign-in');
    expect(await page.locator('h1').innerText()).toBe('Sign in');
    await page.goto(`${baseUrl}${personPath}`);
    expect(pathOf(page)).toBe(`/workspace/sign-in?next=${encodeURIComponent(personPath)}`);

    // The administrator sees both changes in the audit log, newest first.
    await page.goto(`${baseUrl}/workspace/sign-in`);
    await signIn(page, admin.email);
    await clickAndLoad(page, page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' }), '/workspace/audit');
    expect(await page.locator('h1').innerText()).toBe('Audit log');
    const events = await page.getByRole('main').locator('tbody tr').allInnerTexts();
    const byEditor = events.filter((text) => text.includes(editor.displayName) && text.includes('Created'));
    const postEvent = byEditor.findIndex((text) => text.includes(`Post #${positionId} · ${post.titleEn}`));
    const personEvent = byEditor.findIndex((text) => text.includes(`Person #${personId} · ${person.nameEn}`));
    expect(postEvent, `no creation of post #${positionId} by the editor in:\n${events.join('\n---\n')}`).toBeGreaterThanOrEqual(0);
    expect(personEvent, `no creation of person #${personId} by the editor in:\n${events.join('\n---\n')}`).toBeGreaterThanOrEqual(0);
    expect(postEvent).toBeLessThan(personEvent);
    expect(byEditor[personEvent]).toContain(person.nameZh);
    expect(byEditor[postEvent]).toContain(post.startsOn);
    await page.close();
  });
});
