/**
 * The agreements' acceptance journey in Chromium: the BWF editor opens the Beijing-Tianjin-Hebei framework
 * agreement, reads its measures with their progress rolled up by weight, opens the commitment the seed's
 * exchange visit carried out, follows its timeline to the visit's workspace page and to the published
 * update on the portal and back, and downloads the document's spreadsheet exports: the dashboard's XLSX
 * workbook and the CSV of its measures and commitments.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../test/app.ts';
import { demoPassword } from '../test/workspace.ts';
import { clickAndLoad as clickAndWait, expectAccessible, launchChromium, pathOf, startTestServer, type TestServer } from './browser.ts';

const editor = 'editor@bwf.example.org';
const agreementTitleEn = 'Framework Agreement on the Coordinated Development and Cooperation between Women across the Beijing-Tianjin-Hebei Region';
const seedCommitmentEn = "Receive a TWF delegation in Beijing and present BWF's work on grassroots organizations";
const seedVisitEn = "Beijing, Tianjin Women's Federations Hold Exchange Activity";
const seedArticlePath = '/sites/bwf/en/articles/2024-03-25-beijing-tianjin-exchange';

let server: TestServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let baseUrl: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  baseUrl = server.baseUrl;
  context = await browser.newContext({ locale: 'en-US', userAgent: browserUserAgent, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Clicks and waits for the page it loads, on this test's server. */
function clickAndLoad(page: Page, target: ReturnType<Page['getByRole']>, path: string | RegExp): Promise<void> {
  return clickAndWait(page, target, baseUrl, path);
}

/** The weighted mean of the commitments' progress, dropped ones left out, as the page rounds it ("77%"). */
function rolledUp(rows: readonly { weight: string; progress: number; status: string }[]): string {
  const counted = rows.filter((row) => row.status !== 'dropped');
  const weight = counted.reduce((sum, row) => sum + Number(row.weight), 0);
  const weighted = counted.reduce((sum, row) => sum + Number(row.weight) * row.progress, 0);
  return `${Math.round(Math.round((weighted / weight) * 10) / 10)}%`;
}

describe('the framework agreement in a browser', () => {
  it('shows progress rolled up by weight, leads from a commitment to its evidence and back, exports, and passes axe', { timeout: 120_000 }, async () => {
    if (!context || !server) throw new Error('the browser did not start');
    const db = server.database.db;
    const page = await context.newPage();
    await page.goto(`${baseUrl}/workspace/sign-in`);
    await page.getByLabel('Email').fill(editor);
    await page.getByLabel('Password').fill(demoPassword(editor));
    await clickAndLoad(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }), '/workspace');

    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    await clickAndLoad(page, navigation.getByRole('link', { name: 'Agreements', exact: true }), '/workspace/agreements');
    await clickAndLoad(page, page.getByRole('link', { name: agreementTitleEn }), /\/workspace\/agreements\/\d+$/);
    const documentPath = pathOf(page);
    const documentId = Number(documentPath.split('/').at(-1));
    expect(await page.locator('h1').innerText()).toBe(agreementTitleEn);
    await expectAccessible(page, 'the framework agreement’s page');

    // Measure 2: the grassroots exchanges, whose BWF commitment (weight 2) the seed's visit completed.
    const measures = await db.selectFrom('measure').select(['id', 'number']).where('document_id', '=', documentId).execute();
    const measure2 = measures.find((measure) => measure.number === '2');
    if (!measure2) throw new Error('the agreement has no measure 2');
    const commitments = await db.selectFrom('commitment').select(['measure_id', 'weight', 'progress', 'status']).where('document_id', '=', documentId).execute();
    const measureEntry = page.locator(`#measure-${measure2.id}`);
    expect(await measureEntry.getByRole('heading').innerText()).toContain('2 Learning from each other in building grassroots organizations');
    const shown = (await measureEntry.locator('.progress > span').first().innerText()).trim();
    expect(shown).toBe(rolledUp(commitments.filter((row) => row.measure_id === measure2.id)));
    expect(shown).toBe('77%');
    // The document's figure is the weighted mean of every commitment, dropped ones left out.
    const overall = page.getByRole('definition').filter({ has: page.getByRole('progressbar', { name: 'Overall progress' }) });
    expect((await overall.locator('.progress > span').innerText()).trim()).toBe(rolledUp(commitments));

    // A commitment, and its timeline to the seed's exchange visit and back.
    await clickAndLoad(page, measureEntry.getByRole('link', { name: seedCommitmentEn }), /\/workspace\/agreements\/commitments\/\d+$/);
    const commitmentPath = pathOf(page);
    expect(await page.locator('h1').innerText()).toBe(seedCommitmentEn);
    await expectAccessible(page, 'the commitment’s page');
    const report = page.locator('ol.timeline li').filter({ hasText: '2024-03-25' });
    await expect(report.count()).resolves.toBe(1);

    await clickAndLoad(page, report.getByRole('link', { name: `Activity “${seedVisitEn}”` }), /\/workspace\/activities\/\d+$/);
    expect(await page.locator('h1').innerText()).toBe(seedVisitEn);
    expect(await page.getByRole('main').innerText()).toMatch(/2024-0?3-25/);
    await Promise.all([page.waitForURL(`${baseUrl}${commitmentPath}`), page.goBack()]);
    expect(await page.locator('h1').innerText()).toBe(seedCommitmentEn);

    // …and to the update the portal published about it.
    await clickAndLoad(page, report.getByRole('link', { name: `Update “${seedVisitEn}”` }), seedArticlePath);
    expect(await page.locator('h1').innerText()).toBe(seedVisitEn);
    await Promise.all([page.waitForURL(`${baseUrl}${commitmentPath}`), page.goBack()]);

    // The dashboard's workbook, from the document's page: an XLSX file (a zip) whose measures sheet has the roll-up.
    await clickAndLoad(page, page.getByRole('link', { name: agreementTitleEn }), documentPath);
    await Promise.all([page.waitForURL(`${baseUrl}${documentPath}/dashboard`), page.locator(`main a[href="${documentPath}/dashboard"]`).first().click()]);
    const [workbookDownload] = await Promise.all([page.waitForEvent('download'), page.locator(`main a[href="${documentPath}/dashboard.xlsx"]`).first().click()]);
    expect(workbookDownload.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbookFile = await readFile(await workbookDownload.path());
    expect([...workbookFile.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(workbookFile.buffer.slice(workbookFile.byteOffset, workbookFile.byteOffset + workbookFile.byteLength));
    const measureSheet = workbook.getWorksheet('Measures');
    if (!measureSheet) throw new Error(`the workbook has no Measures sheet, only ${workbook.worksheets.map((sheet) => sheet.name).join(', ')}`);
    const measureRows = measureSheet.getSheetValues().flatMap((row) => (Array.isArray(row) ? [row.map((cell) => String(cell ?? ''))] : []));
    expect(measureRows.some((row) => row.includes('2') && row.includes('Learning from each other in building grassroots organizations'))).toBe(true);

    // The CSV of its measures and commitments, from the document's page.
    await clickAndLoad(page, page.getByRole('link', { name: agreementTitleEn }), documentPath);
    await clickAndLoad(page, page.getByRole('link', { name: 'Import / Export CSV' }), `${documentPath}/import`);
    await expectAccessible(page, 'the import and export page');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export the measures and commitments (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^agreement-${documentId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const file = await readFile(await download.path());
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(file, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.filter((row) => row.record === 'measure').map((row) => row.measure_number)).toEqual(['1', '2', '3', '4']);
    expect(rows.find((row) => row.what_en === seedCommitmentEn)).toMatchObject({ record: 'commitment', measure_number: '2', responsible: 'bwf-grassroots-department', status: 'done', progress: '100', weight: '2' });
  });
});
