import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

describe('the OpenAPI document', () => {
  it('is served at /api/openapi.json and valid OpenAPI 3.1', async () => {
    const response = await testApp.app.inject({ url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('lists only the API, not the pages', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/api/v1/organizations');
    expect(paths.filter((path) => !path.startsWith('/api/v1/'))).toEqual([]);
  });
});
