import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { assetHref } from './assets.ts';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

describe('stylesheets', () => {
  it('are linked from every portal page under an address that changes with their content', async () => {
    const page = await testApp.app.inject({ url: '/en/' });
    expect(page.body).toContain(`<link rel="stylesheet" href="${assetHref('portal.css')}"/>`);
    expect(assetHref('portal.css')).toMatch(/^\/assets\/portal\.[0-9a-f]{12}\.css$/);
  });

  it('are served as CSS and cached for a year', async () => {
    const response = await testApp.app.inject({ url: assetHref('portal.css') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body).toContain('--brand');
  });

  it('answer 404 for an outdated or unknown address', async () => {
    expect((await testApp.app.inject({ url: '/assets/portal.000000000000.css' })).statusCode).toBe(404);
    expect((await testApp.app.inject({ url: '/assets/../package.json' })).statusCode).toBe(404);
  });
});
