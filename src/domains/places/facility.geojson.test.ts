import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let editor: SignedInClient;

interface Collection {
  type: string;
  features: { type: string; id: number; geometry: { type: string; coordinates: [number, number] }; properties: Record<string, unknown> }[];
  withoutCoordinates: number;
}

beforeAll(async () => {
  testApp = await createTestApp();
  editor = inLanguage(testApp.app, await signIn(testApp.app, 'editor@bwf.example.org'), 'en');
});
afterAll(async () => {
  await testApp.close();
});

describe('the GeoJSON export', () => {
  it('is a FeatureCollection of the located facilities as [longitude, latitude] points, counting those left out', async () => {
    const response = await editor.get('/workspace/facilities/export.geojson');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const collection = JSON.parse(response.body) as Collection;
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((feature) => feature.properties.nameZh).sort()).toEqual(
      ['北京市妇联执委 Liu Yumei 工作室', '同仁堂知嘛健康女性服务中心', '首座御园二里社区公共服务街区', '首座御园二里社区妇女之家'].sort(),
    );
    expect(collection.withoutCoordinates).toBe(5);
    const tongrentang = collection.features.find((feature) => feature.properties.nameZh === '同仁堂知嘛健康女性服务中心');
    expect(tongrentang).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [116.3386, 39.7298] },
      properties: {
        nameEn: 'Tongrentang Zhima Health Women’s Service Centre',
        kind: 'womens_service_centre',
        kindNameZh: '妇女服务中心',
        kindNameEn: "Women's service centre",
        status: 'active',
        addressZh: '北京市大兴区观音寺街道同仁堂知嘛健康门店内',
        place: '110115/观音寺街道',
        placePath: '北京市/大兴区/观音寺街道',
        operator: 'daxing-wf',
      },
    });
    for (const feature of collection.features) {
      const [lon, lat] = feature.geometry.coordinates;
      expect(lon).toBeGreaterThan(115);
      expect(lat).toBeLessThan(41);
    }
  });

  it('keeps to one operator and its units, and answers the API the same', async () => {
    const daxing = JSON.parse((await editor.get('/workspace/facilities/export.geojson?operator=guanyinsi-wf')).body) as Collection;
    expect(daxing.features).toHaveLength(2);
    expect(daxing.withoutCoordinates).toBe(0);
    const api = await editor.api('GET', '/api/v1/facilities/export/geojson?operator=twf');
    expect(api.statusCode).toBe(200);
    expect(JSON.parse(api.body)).toEqual({ type: 'FeatureCollection', features: [], withoutCoordinates: 2 });
    expect((await testApp.app.inject({ url: '/api/v1/facilities/export/geojson' })).statusCode).toBe(401);
  });
});
