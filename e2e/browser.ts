/**
 * What the browser tests share: Debian's Chromium and its flags, Halfsky listening on a test
 * file's own copy of the demo database, and axe-core run inside a page.
 */
import { access, constants, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Result as AxeResult } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { expect } from 'vitest';

// The project's TypeScript has no DOM library; this names the little of axe that runs inside the page.
declare const axe: { run(): Promise<{ violations: AxeResult[] }> };

/** Debian's Chromium: the machine has no network, so no browser download can happen here. */
export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  // Without these Chromium stalls trying to reach Google's services.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Halfsky listening on 127.0.0.1 over a fresh copy of the demo database. */
export interface TestServer {
  app: FastifyInstance;
  database: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

/** Builds the app on its own copy of the demo database and listens on a free port. */
export async function startTestServer(options: { viewFlushMs?: number } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({
      config: { viewFlushMs: options.viewFlushMs ?? 200, logLevel: 'silent' },
      db: database.db,
      connectionString: database.connectionString,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
  const listening = app;
  return {
    app: listening,
    database,
    baseUrl: `http://127.0.0.1:${(listening.server.address() as AddressInfo).port}`,
    close: async () => {
      await listening.close();
      await database.drop();
    },
  };
}

/** Launches headless Chromium, or says how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(chromiumPath, constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath}, which is missing. Install it with ` +
        '`apt-get install -y chromium` (Debian); playwright-core cannot download a browser here.',
    );
  }
  return chromium.launch({ headless: true, executablePath: chromiumPath, args: chromiumArgs });
}

let axeSource: Promise<string> | undefined;

/** The serious and critical axe-core violations of the page as it stands, and a readable report of them. */
export async function graveAxeViolations(page: Page): Promise<{ ids: string[]; report: string }> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await axeSource });
  const { violations } = await page.evaluate(() => axe.run());
  const grave = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  const report = grave
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .map((node) => `  at ${node.target.join(' ')}: ${node.html}\n${(node.failureSummary ?? '').replace(/^/gm, '    ')}`)
          .join('\n'),
    )
    .join('\n');
  return { ids: grave.map((violation) => violation.id), report };
}

/** The path and query of the page the browser shows, without the fragment. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

/** Runs axe-core on the page as it stands: no serious or critical violation may remain. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { ids, report } = await graveAxeViolations(page);
  expect(ids, `axe found on ${what} (${pathOf(page)}):\n${report}`).toEqual([]);
}

/** Clicks and waits for the page the click loads (a link, or a form's POST and its redirect). */
export async function clickAndLoad(
  page: Page,
  target: ReturnType<Page['getByRole']>,
  baseUrl: string,
  path: string | RegExp,
): Promise<void> {
  const url = typeof path === 'string' ? `${baseUrl}${path}` : path;
  await Promise.all([page.waitForURL(url), target.click()]);
}
