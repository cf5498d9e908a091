import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { assetHref } from '../../platform/assets.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { findExecutableHtml } from '../../../test/html-safety.ts';
import * as directoryRepository from './facility-directory.repository.ts';
import * as directoryService from './facility-directory.service.ts';
import { localClock } from './opening-hours.ts';

let testApp: TestApp;
const ids = { tongrentang: 0, familyStation: 0, heping: 0, daxing: 0, guanyinsi: 0, beijing: 0, bwfSite: 0 };

// 10:00 on a Tuesday in Beijing, and 10:00 on the Saturday of the Spring Festival closing.
const tuesdayMorning = new Date('2026-12-01T02:00:00Z');
const springFestival = new Date('2027-02-06T02:00:00Z');

beforeAll(async () => {
  testApp = await createTestApp();
  const db = testApp.database.db;
  const facility = async (nameEn: string) =>
    (await db.selectFrom('facility').select('id').where('name_en', '=', nameEn).executeTakeFirstOrThrow()).id;
  ids.tongrentang = await facility('Tongrentang Zhima Health Women’s Service Centre');
  ids.familyStation = await facility('BWF Family Education Guidance Station');
  ids.heping = await facility('Heping District Women’s Home');
  const place = async (nameEn: string) => (await db.selectFrom('place').select('id').where('name_en', '=', nameEn).executeTakeFirstOrThrow()).id;
  ids.beijing = await place('Beijing');
  ids.daxing = await place('Daxing District');
  ids.guanyinsi = await place('Guanyinsi Sub-district');
  ids.bwfSite = (await db.selectFrom('site').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await testApp.close();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Fixes the clock the pages read (only Date: the database and the server keep their own timers). */
function atMoment(instant: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(instant);
}

async function get(url: string) {
  return testApp.app.inject({ url });
}

/** The text of the directory's result list, tags removed. */
function listedText(body: string): string {
  const list = /<ol class="facilities">([\s\S]*?)<\/ol>/.exec(body)?.[1] ?? '';
  return list.replace(/<[^>]+>/g, ' ');
}

const tongrentangEn = 'Tongrentang Zhima Health Women’s Service Centre';
const tongrentangZh = '同仁堂知嘛健康女性服务中心';

describe('the directory of a federation’s portal', () => {
  it('is linked from the portal navigation in both languages', async () => {
    const en = await get('/en/');
    expect(en.body).toMatch(/<a href="\/en\/facilities">Service directory<\/a>/);
    const zh = await get('/sites/bwf/zh/');
    expect(zh.body).toMatch(/<a href="\/sites\/bwf\/zh\/facilities">服务阵地<\/a>/);
    const directory = await get('/en/facilities');
    expect(directory.body).toMatch(/<a href="\/en\/facilities" aria-current="page">Service directory<\/a>/);
  });

  it('leads from the federation’s place down Daxing > Guanyinsi to the Tongrentang centre', async () => {
    const top = await get('/en/facilities');
    expect(top.statusCode).toBe(200);
    expect(top.headers['cache-control']).toBe('no-cache');
    expect(top.body).toContain(`<a href="/en/facilities?place=${ids.daxing}">Daxing District</a>`);
    // Tianjin's facilities are on Tianjin's portal, not Beijing's.
    expect(listedText(top.body)).not.toContain('Heping District Women’s Home');

    const daxing = await get(`/en/facilities?place=${ids.daxing}`);
    expect(daxing.body).toContain(`<a href="/en/facilities?place=${ids.guanyinsi}">Guanyinsi Sub-district</a>`);
    expect(daxing.body).toContain('<span aria-current="page">Daxing District</span>');

    const guanyinsi = await get(`/en/facilities?place=${ids.guanyinsi}`);
    expect(guanyinsi.body).toContain('<h1>Guanyinsi Sub-district - Service directory</h1>');
    const listed = listedText(guanyinsi.body);
    expect(listed).toContain(tongrentangEn);
    expect(listed).toContain('Place: Beijing > Daxing District > Guanyinsi Sub-district ');
    expect(listed).toContain('Coordinates: 39.729800, 116.338600');
    // The district's own centre is above Guanyinsi, not in it.
    expect(listed).not.toContain('Daxing District Women and Children’s Service Centre');

    const zh = await get(`/zh/facilities?place=${ids.guanyinsi}`);
    expect(listedText(zh.body)).toContain(tongrentangZh);
    expect(listedText(zh.body)).toContain('所在地区：北京市 > 大兴区 > 观音寺街道 ');
  });

  it('filters by service and by kind', async () => {
    const health = listedText((await get('/en/facilities?service=health_services')).body);
    expect(health).toContain(tongrentangEn);
    expect(health).not.toContain('Shouzuoyuyuan Erli Community Women’s Home');
    const counselling = listedText((await get(`/zh/facilities?service=psychological_counselling&place=${ids.daxing}`)).body);
    expect(counselling).toContain(tongrentangZh);

    const centres = listedText((await get('/en/facilities?kind=womens_service_centre&place=&q=&open=')).body);
    expect(centres).toContain(tongrentangEn);
    expect(centres).toContain('Daxing District Women and Children’s Service Centre');
    expect(centres).not.toContain('Office of Liu Yumei');
    const offices = await get('/en/facilities?kind=executive_member_office');
    expect(listedText(offices.body)).toContain('Office of Liu Yumei');
    expect(listedText(offices.body)).not.toContain(tongrentangEn);
    expect(offices.body).toContain('<option value="executive_member_office" selected>');
  });

  it('finds the centre by name or address in either language, on either language’s page', async () => {
    for (const lang of ['zh', 'en']) {
      for (const q of ['知嘛', '嘛', 'Zhima', 'zhima health', '门店', 'Zhima Health shop']) {
        const response = await get(`/${lang}/facilities?q=${encodeURIComponent(q)}`);
        expect(response.statusCode).toBe(200);
        expect(listedText(response.body), `${lang}: ${q}`).toContain(lang === 'zh' ? tongrentangZh : tongrentangEn);
        expect(response.headers['x-robots-tag']).toBe('noindex');
      }
    }
    // LIKE's wildcards are words like any other.
    const percent = await get('/en/facilities?q=%25');
    expect(percent.body).toContain('No facility matches.');
  });

  it('lists only what is open at the moment asked about: a dated exception replaces the week', async () => {
    atMoment(tuesdayMorning);
    const tuesday = listedText((await get('/en/facilities?open=1')).body);
    expect(tuesday).toContain(tongrentangEn);
    // Tuesdays and Thursdays 14:00–17:00 only.
    expect(tuesday).not.toContain('Office of Liu Yumei');
    // Temporarily closed is not open, whatever its hours say.
    expect(tuesday).not.toContain('BWF Family Education Guidance Station');

    atMoment(springFestival);
    const festival = listedText((await get('/en/facilities?open=1')).body);
    expect(festival).not.toContain(tongrentangEn);
    expect(festival).toContain('Shouzuoyuyuan Erli Community Public Service Block');
    const page = await get(`/en/facilities/${ids.tongrentang}`);
    expect(page.body).toContain('Closed now');
  });

  it('answers "open now" through the service for an instant passed in', async () => {
    const query = { q: '知嘛', open: '1' as const, page: 1 };
    const open = await directoryService.readDirectory(testApp.database.db, ids.bwfSite, 'zh', query, tuesdayMorning);
    expect(open.entries.map((entry) => entry.id)).toEqual([ids.tongrentang]);
    expect(open.entries[0]?.openNow).toBe(true);
    const closed = await directoryService.readDirectory(testApp.database.db, ids.bwfSite, 'zh', query, springFestival);
    expect(closed.entries).toEqual([]);
  });

  it('gives the same answer whether it looks up the few open facilities by id or tests each row', async () => {
    const db = testApp.database.db;
    const organizationId = (await db.selectFrom('organization').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id;
    const listedAt = async (instant: Date, byId: boolean) => {
      const clock = localClock(instant);
      const weeklyOpenIds = byId ? await directoryRepository.listFacilitiesOpenWeekly(db, clock, 5000) : undefined;
      const rows = await directoryRepository.listDirectoryFacilities(db, { organizationId, openAt: { ...clock, weeklyOpenIds } }, 'en', { limit: 50, offset: 0 });
      return rows.map((row) => row.name_en).sort();
    };
    for (const instant of [tuesdayMorning, springFestival, new Date('2026-12-01T07:00:00Z'), new Date('2026-12-01T15:00:00Z')]) {
      expect(await listedAt(instant, false), instant.toISOString()).toEqual(await listedAt(instant, true));
    }
    expect(await listedAt(tuesdayMorning, false)).toContain(tongrentangEn);
    expect(await listedAt(springFestival, false)).not.toContain(tongrentangEn);
    // 15:00 on a Tuesday: the executive member's office keeps its afternoon hours.
    expect(await listedAt(new Date('2026-12-01T07:00:00Z'), false)).toContain('Office of Liu Yumei, BWF Executive Committee Member');
    // 23:00: nothing is open.
    expect(await listedAt(new Date('2026-12-01T15:00:00Z'), false)).toEqual([]);
  });

  it('leaves facilities of other federations out, on the list and as pages', async () => {
    const twf = await get('/sites/twf/en/facilities');
    expect(listedText(twf.body)).toContain('Heping District Women’s Home');
    expect(listedText(twf.body)).not.toContain(tongrentangEn);
    expect((await get(`/sites/twf/en/facilities/${ids.tongrentang}`)).statusCode).toBe(404);
    expect((await get(`/sites/twf/zh/facilities?q=${encodeURIComponent('知嘛')}`)).body).toContain('没有符合条件的服务阵地。');
    expect((await get(`/en/facilities/${ids.heping}`)).statusCode).toBe(404);
    expect((await get(`/sites/bwf/en/facilities/${ids.tongrentang}`)).statusCode).toBe(200);
    // A place of another federation's tree is no place of this directory.
    const tianjin = (await testApp.database.db.selectFrom('place').select('id').where('name_en', '=', 'Tianjin').executeTakeFirstOrThrow()).id;
    expect((await get(`/en/facilities?place=${tianjin}`)).statusCode).toBe(404);
  });
});

describe('a facility’s page', () => {
  it('tells a visitor everything about the Tongrentang centre in their language', async () => {
    atMoment(tuesdayMorning);
    const en = await get(`/en/facilities/${ids.tongrentang}`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain(`<h1>${tongrentangEn}</h1>`);
    expect(en.body).toContain(`<p class="other-name" lang="zh-CN">${tongrentangZh}</p>`);
    expect(en.body).toContain('Open now');
    expect(en.body).toContain('<dd>Mon–Sun 09:00–18:00</dd>');
    expect(en.body).toContain('<time datetime="2027-02-06">2027-02-06</time> Closed: <span>Closed for the Spring Festival</span>');
    expect(en.body).toContain('<dd>Tongrentang Zhima Health</dd>');
    expect(en.body).toContain('Operated by');
    expect(en.body).toContain('On the ground floor, step-free.');
    expect(en.body).toContain('Psychological counselling');
    expect(en.body).toContain(`<a href="/en/facilities?place=${ids.guanyinsi}">Guanyinsi Sub-district</a>`);
    expect(en.body).toContain('<a href="/zh/facilities/' + ids.tongrentang + '" hreflang="zh-CN" lang="zh-CN">中文</a>');

    const zh = await get(`/zh/facilities/${ids.tongrentang}`);
    expect(zh.body).toContain(`<h1>${tongrentangZh}</h1>`);
    expect(zh.body).toContain('<dd>周一至周日 09:00-18:00</dd>');
    expect(zh.body).toContain('春节闭馆');
    expect(zh.body).toContain('正在开放');
    expect(zh.body).toContain('<dd>同仁堂知嘛健康</dd>');
  });

  it('names the keeper of an executive member’s office', async () => {
    const office = (await testApp.database.db.selectFrom('facility').select('id').where('kind_id', '=', (eb) => eb.selectFrom('facility_kind').select('id').where('code', '=', 'executive_member_office')).executeTakeFirstOrThrow()).id;
    const page = await get(`/en/facilities/${office}`);
    expect(page.body).toMatch(/<dt>Kept by<\/dt><dd>(<span lang="zh-CN">)?Liu Yumei/);
  });

  it('describes the facility in schema.org JSON-LD', async () => {
    atMoment(tuesdayMorning);
    const page = await get(`/en/facilities/${ids.tongrentang}`);
    const json = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)?.[1];
    expect(json).toBeDefined();
    const data = JSON.parse(json ?? '') as Record<string, unknown>;
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'CivicStructure',
      name: tongrentangEn,
      alternateName: tongrentangZh,
      url: `http://localhost:80/en/facilities/${ids.tongrentang}`,
      address: {
        '@type': 'PostalAddress',
        streetAddress: 'In the Tongrentang Zhima Health shop, Guanyinsi Sub-district, Daxing District, Beijing',
        addressLocality: 'Daxing District',
        addressRegion: 'Beijing',
      },
      geo: { '@type': 'GeoCoordinates', latitude: 39.7298, longitude: 116.3386 },
      openingHoursSpecification: [
        {
          '@type': 'OpeningHoursSpecification',
          dayOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((day) => `https://schema.org/${day}`),
          opens: '09:00',
          closes: '18:00',
        },
      ],
      specialOpeningHoursSpecification: [
        { validFrom: '2027-02-06', validThrough: '2027-02-06', opens: '00:00', closes: '00:00', description: 'Closed for the Spring Festival' },
      ],
    });
  });

  it('says prominently that a temporarily closed facility is closed, and lists it as such', async () => {
    atMoment(tuesdayMorning);
    const page = await get(`/en/facilities/${ids.familyStation}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<p class="notice" role="status"><strong>This facility is temporarily closed/);
    expect(page.body).not.toContain('Open now');
    const zh = await get(`/zh/facilities/${ids.familyStation}`);
    expect(zh.body).toContain('本服务阵地暂停开放');
    const listed = listedText((await get('/en/facilities?kind=family_education_station')).body);
    expect(listed).toContain('BWF Family Education Guidance Station');
    expect(listed).toContain('Temporarily closed');
  });

  it('is not found, nor listed, once the facility is closed; nor for an address that names no facility', async () => {
    const db = testApp.database.db;
    const { id } = await db
      .insertInto('facility')
      .values({
        kind_id: (await db.selectFrom('facility_kind').select('id').where('code', '=', 'womens_home').executeTakeFirstOrThrow()).id,
        name_zh: '已撤销的妇女之家',
        name_en: 'A Women’s Home That Closed',
        place_id: ids.guanyinsi,
        operator_organization_id: (await db.selectFrom('organization').select('id').where('slug', '=', 'daxing-wf').executeTakeFirstOrThrow()).id,
        status: 'closed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const page = await get(`/en/facilities/${id}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    expect(listedText((await get(`/en/facilities?place=${ids.guanyinsi}`)).body)).not.toContain('That Closed');
    for (const bad of ['abc', '0', '1e3', '99999999', '-1']) {
      expect((await get(`/en/facilities/${bad}`)).statusCode, bad).toBe(404);
    }
    expect((await get(`/fr/facilities/${ids.tongrentang}`)).statusCode).toBe(404);
  });

  it('keeps markup in a facility’s name as text, on the list, the page and in its JSON-LD', async () => {
    const db = testApp.database.db;
    const name = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { id } = await db
      .insertInto('facility')
      .values({
        kind_id: (await db.selectFrom('facility_kind').select('id').where('code', '=', 'womens_home').executeTakeFirstOrThrow()).id,
        name_zh: name,
        name_en: name,
        address_en: '</script><script>alert(3)</script>',
        description_en: '"><svg onload=alert(4)>',
        website: 'javascript:alert(5)',
        place_id: ids.guanyinsi,
        lat: 39.73,
        lon: 116.33,
        operator_organization_id: (await db.selectFrom('organization').select('id').where('slug', '=', 'guanyinsi-wf').executeTakeFirstOrThrow()).id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const list = await get(`/en/facilities?q=${encodeURIComponent('<script>')}`);
    expect(list.body).toContain('&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>');
    expect(findExecutableHtml(list.body)).toEqual([]);
    const page = await get(`/en/facilities/${id}`);
    expect(page.statusCode).toBe(200);
    expect(findExecutableHtml(page.body)).toEqual([]);
    expect(page.body).not.toContain('javascript:');
    // No hours on record: the page does not guess whether it is open.
    expect(page.body).toContain('No regular opening hours');
    expect(page.body).not.toMatch(/Open now|Closed now/);
    const json = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)?.[1] ?? '';
    expect(json).not.toContain('<');
    expect((JSON.parse(json) as { name: string; address: { streetAddress: string } }).address.streetAddress).toBe('</script><script>alert(3)</script>');
  });
});

describe('the directory’s map', () => {
  it('is left out, with nothing from another host, when no tile source is configured', async () => {
    const page = await get(`/en/facilities?place=${ids.guanyinsi}`);
    expect(page.body).not.toContain('facility-map');
    expect(page.body).not.toContain('leaflet');
    // Links name other addresses; nothing the browser loads by itself does.
    expect(page.body).not.toMatch(/src="(?:https?:)?\/\//);
    expect(page.body).not.toMatch(/<link rel="stylesheet" href="(?:https?:)?\/\//);
  });

  it('shows the located facilities on the configured tiles, with Leaflet from our own assets', async () => {
    const config = loadConfig({ MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png', MAP_ATTRIBUTION: '© OpenStreetMap contributors' });
    const database = await createTestDatabase();
    const app = await buildApp({
      config: { viewFlushMs: 60_000, logLevel: 'silent', map: config.map },
      db: database.db,
      connectionString: database.connectionString,
    });
    try {
      const page = await app.inject({ url: `/en/facilities?place=${ids.guanyinsi}` });
      expect(page.body).toContain('<div id="facility-map" class="facility-map" role="region" aria-label="Map" hidden></div>');
      expect(page.body).toContain(`<script src="${assetHref('leaflet.js')}" defer></script>`);
      expect(page.body).toContain(`<script src="${assetHref('directory-map.js')}" defer></script>`);
      const json = /<script type="application\/json" id="facility-map-data">([\s\S]*?)<\/script>/.exec(page.body)?.[1] ?? '';
      const data = JSON.parse(json) as { tileUrl: string; attribution: string; markers: { name: string; lat: number; lon: number; href: string }[] };
      expect(data.tileUrl).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
      expect(data.attribution).toBe('© OpenStreetMap contributors');
      expect(data.markers).toContainEqual({ name: tongrentangEn, lat: 39.7298, lon: 116.3386, href: `/en/facilities/${ids.tongrentang}` });
      const facility = await app.inject({ url: `/zh/facilities/${ids.tongrentang}` });
      expect(facility.body).toContain('id="facility-map"');

      const script = await app.inject({ url: assetHref('leaflet.js') });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await app.inject({ url: assetHref('directory-map.js') })).body).toContain('facility-map-data');
      expect((await app.inject({ url: assetHref('leaflet.css') })).headers['content-type']).toBe('text/css; charset=utf-8');
    } finally {
      await app.close();
      await database.drop();
    }
  });

  it('is configured with a tile address and the credit its source asks for', () => {
    expect(loadConfig({}).map).toBeUndefined();
    expect(() => loadConfig({ MAP_TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' })).toThrow('missing MAP_ATTRIBUTION');
    expect(() => loadConfig({ MAP_TILE_URL: 'https://tile.openstreetmap.org/tiles.png', MAP_ATTRIBUTION: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAP_TILE_URL: 'javascript:alert(1)//{z}{x}{y}', MAP_ATTRIBUTION: 'x' })).toThrow('invalid MAP_TILE_URL');
  });
});

describe('the directory’s parameters', () => {
  it('answer 400 when malformed and 404 for a place outside the directory', async () => {
    for (const query of [
      'page=0',
      'page=abc',
      'page=1.5',
      'place=abc',
      'place=0',
      'kind=Womens-Home',
      'kind=no_such_kind',
      'service=no_such_service',
      'open=yes',
      `q=${'x'.repeat(201)}`,
      'kind=womens_home&kind=childrens_home',
    ]) {
      const response = await get(`/en/facilities?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.body, query).toContain('Bad request');
    }
    expect((await get('/en/facilities?place=99999999')).statusCode).toBe(404);
    expect((await get('/en/facilities?page=2')).body).toContain('There are not that many pages.');
  });
});

describe('a directory larger than it counts', () => {
  it('says "more than", and pages on as long as there are facilities', async () => {
    const db = testApp.database.db;
    const daxingWf = (await db.selectFrom('organization').select('id').where('slug', '=', 'daxing-wf').executeTakeFirstOrThrow()).id;
    const { id: placeId } = await db
      .insertInto('place')
      .values({ name_zh: '测试街道', name_en: 'Test Sub-district', level: 'subdistrict', parent_id: ids.daxing })
      .returning('id')
      .executeTakeFirstOrThrow();
    const kindId = (await db.selectFrom('facility_kind').select('id').where('code', '=', 'womens_home').executeTakeFirstOrThrow()).id;
    const count = directoryService.directoryCountLimit + 5;
    await db
      .insertInto('facility')
      .values(
        Array.from({ length: count }, (_, index) => ({
          kind_id: kindId,
          name_zh: `测试妇女之家 ${String(index + 1).padStart(4, '0')}`,
          name_en: `Test Women’s Home ${String(index + 1).padStart(4, '0')}`,
          place_id: placeId,
          operator_organization_id: daxingWf,
        })),
      )
      .execute();
    const first = await get(`/en/facilities?place=${placeId}`);
    expect(first.body).toContain(`More than ${directoryService.directoryCountLimit} facilities: narrow them by place or service`);
    expect(first.body).toContain(`<a href="/en/facilities?place=${placeId}&amp;page=2">Next page</a>`);
    const lastPage = Math.ceil(count / directoryService.directoryPageSize);
    const last = await get(`/en/facilities?place=${placeId}&page=${lastPage}`);
    expect(listedText(last.body)).toContain(`Test Women’s Home ${String(count).padStart(4, '0')}`);
    expect(last.body).toContain(`<span>Page ${lastPage}</span>`);
    expect(last.body).not.toContain('Next page');
  });
});
