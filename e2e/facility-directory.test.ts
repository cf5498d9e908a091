import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { browserUserAgent } from '../test/app.ts';
import { clickAndLoad, expectAccessible, launchChromium, pathOf, startTestServer, type TestServer } from './browser.ts';

const centre = {
  en: { name: 'Tongrentang Zhima Health Women’s Service Centre', directory: 'Service directory', daxing: 'Daxing District', guanyinsi: 'Guanyinsi Sub-district', health: 'Health services', filter: 'Filter', host: 'Tongrentang Zhima Health', hostLabel: 'Hosted by' },
  zh: { name: '同仁堂知嘛健康女性服务中心', directory: '服务阵地', daxing: '大兴区', guanyinsi: '观音寺街道', health: '健康服务', filter: '筛选', host: '同仁堂知嘛健康', hostLabel: '承办单位' },
} as const;

let server: TestServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let baseUrl: string;
/** Every address the pages asked for: none may be on another host. */
const requested: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  baseUrl = server.baseUrl;
  context = await browser.newContext({ userAgent: browserUserAgent, viewport: { width: 1280, height: 900 } });
  context.on('request', (request) => requested.push(request.url()));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  if (!context) throw new Error('the browser did not start');
  return context.newPage();
}

/** The names of the facilities the directory lists, as a reader sees them. */
async function listedNames(page: Page): Promise<string[]> {
  return page.locator('ol.facilities h3').allInnerTexts();
}

/** Opens the facility's page from the list and checks what a visitor comes for. */
async function openCentre(page: Page, lang: 'en' | 'zh'): Promise<void> {
  const text = centre[lang];
  await clickAndLoad(page, page.locator('ol.facilities').getByRole('link', { name: text.name, exact: true }), baseUrl, new RegExp(`/${lang}/facilities/\\d+$`));
  expect(await page.locator('h1').innerText()).toBe(text.name);
  const facts = page.locator('dl.facts');
  expect(await facts.innerText()).toContain(text.host);
  expect(await facts.locator('dt', { hasText: text.hostLabel }).count()).toBe(1);
  await expectAccessible(page, `the ${lang} page of the Tongrentang centre`);
}

describe('a visitor looking for a women’s service centre', () => {
  it.each(['en', 'zh'] as const)('finds the Tongrentang-hosted centre by place, clicking down Daxing > Guanyinsi (%s)', async (lang) => {
    const text = centre[lang];
    const page = await newPage();
    await page.goto(`${baseUrl}/${lang}/`);
    const navigation = page.getByRole('navigation', { name: lang === 'en' ? 'Main navigation' : '主导航' });
    await clickAndLoad(page, navigation.getByRole('link', { name: text.directory, exact: true }), baseUrl, `/${lang}/facilities`);
    expect(await page.locator('h1').innerText()).toBe(text.directory);
    await expectAccessible(page, `the ${lang} service directory`);

    const places = page.locator('nav.directory-places');
    await clickAndLoad(page, places.getByRole('link', { name: text.daxing, exact: true }), baseUrl, new RegExp(`/${lang}/facilities\\?place=\\d+$`));
    await clickAndLoad(page, places.getByRole('link', { name: text.guanyinsi, exact: true }), baseUrl, new RegExp(`/${lang}/facilities\\?place=\\d+$`));
    expect(await page.locator('h1').innerText()).toContain(text.guanyinsi);
    expect(await listedNames(page)).toContain(text.name);
    await expectAccessible(page, `the ${lang} directory of Guanyinsi`);
    await openCentre(page, lang);
    await page.close();
  });

  it.each(['en', 'zh'] as const)('finds it by the service it offers (%s)', async (lang) => {
    const text = centre[lang];
    const page = await newPage();
    await page.goto(`${baseUrl}/${lang}/facilities`);
    await page.locator('#directory-service').selectOption({ label: text.health });
    await clickAndLoad(page, page.getByRole('button', { name: text.filter, exact: true }), baseUrl, /service=health_services/);
    expect(pathOf(page)).toContain(`/${lang}/facilities?`);
    const names = await listedNames(page);
    expect(names).toContain(text.name);
    // Only facilities offering the service: Guanyinsi's women's home offers rights protection, not health.
    expect(names.some((name) => name.includes(lang === 'en' ? 'Women’s Home' : '妇女之家'))).toBe(false);
    await expectAccessible(page, `the ${lang} directory filtered by a service`);
    await openCentre(page, lang);
    await page.close();
  });

  it('found everything on this machine: no page asked another host for anything', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${baseUrl}/`))).toEqual([]);
  });
});

describe('the directory with a map', () => {
  let app: FastifyInstance | undefined;
  let database: TestDatabase | undefined;
  let mapUrl = '';
  // A 1×1 PNG, served for every tile by the browser's own interception: nothing leaves the machine.
  const tile = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({
      config: {
        viewFlushMs: 60_000,
        logLevel: 'silent',
        map: { tileUrl: 'https://tiles.invalid/{z}/{x}/{y}.png', attribution: '© Map contributors <b>' },
      },
      db: database.db,
      connectionString: database.connectionString,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    mapUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('shows the located facilities of Guanyinsi as markers that lead to their pages', async () => {
    const page = await newPage();
    await page.route('https://tiles.invalid/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: tile }));
    await page.goto(`${mapUrl}/en/facilities`);
    await clickAndLoad(page, page.locator('nav.directory-places').getByRole('link', { name: 'Daxing District', exact: true }), mapUrl, /place=\d+$/);
    await clickAndLoad(page, page.locator('nav.directory-places').getByRole('link', { name: 'Guanyinsi Sub-district', exact: true }), mapUrl, /place=\d+$/);
    const map = page.getByRole('region', { name: 'Map' });
    await map.waitFor();
    const located = await page.locator('ol.facilities li').filter({ hasText: 'Coordinates:' }).count();
    expect(located).toBeGreaterThan(0);
    await expect.poll(() => map.locator('path.leaflet-interactive').count()).toBe(located);
    // The attribution is the configured text, never markup.
    expect(await map.locator('.leaflet-control-attribution').innerText()).toContain('© Map contributors <b>');
    await map.locator('path.leaflet-interactive').first().click();
    const popupLink = map.locator('.leaflet-popup-content a');
    await popupLink.waitFor();
    // Followed from the keyboard: the marker's tooltip and the popup's pan can sit under a pointer for a moment.
    await popupLink.focus();
    await Promise.all([page.waitForURL(/\/en\/facilities\/\d+$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').count()).toBe(1);
    await page.close();
  });
});
