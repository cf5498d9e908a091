import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { postMultipart } from '../../../test/multipart.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let editor: SignedInClient;
let tianjinEditor: SignedInClient;

type Json = Record<string, unknown>;

/** The published HSDS 3.0 schemas, every file loaded so that each $ref resolves, compiled apart from the application's own validator. */
function publishedValidators() {
  const folder = new URL('./hsds-schema/', import.meta.url);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as unknown as (ajv: Ajv2020) => void;
  addFormats(ajv);
  // Two formats of the published files are table-package notes, not JSON Schema formats.
  ajv.addFormat('csv', true);
  ajv.addFormat('%Y', true);
  const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as object, file);
  return { files, service: ajv.getSchema('service.json'), organization: ajv.getSchema('organization.json') };
}

function importJson(client: SignedInClient, document: unknown, dryRun: boolean) {
  return testApp.app.inject({
    method: 'POST',
    url: `/api/v1/facilities/import${dryRun ? '?dryRun=true' : ''}`,
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'content-type': 'application/json' },
    payload: typeof document === 'string' ? document : JSON.stringify(document),
  });
}

async function counts() {
  const db = testApp.database.db;
  const facilities = await db.selectFrom('facility').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const audits = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('entity_type', '=', 'facility')
    .executeTakeFirstOrThrow();
  return { facilities: Number(facilities.count), audits: Number(audits.count) };
}

async function exported(client: SignedInClient = editor, query = ''): Promise<{ organizations: Json[]; services: Json[] }> {
  const response = await client.get(`/workspace/facilities/export.hsds.json${query}`);
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body) as { organizations: Json[]; services: Json[] };
}

function locationsOf(document: { services: Json[] }): Json[] {
  const byId = new Map<string, Json>();
  for (const service of document.services) {
    for (const link of service.service_at_locations as Json[]) byId.set(String((link.location as Json).id), link.location as Json);
  }
  return [...byId.values()];
}

beforeAll(async () => {
  testApp = await createTestApp();
  editor = inLanguage(testApp.app, await signIn(testApp.app, 'editor@bwf.example.org'), 'en');
  tianjinEditor = inLanguage(testApp.app, await signIn(testApp.app, 'editor@twf.example.org'), 'en');
});
afterAll(async () => {
  await testApp.close();
});

describe('the HSDS 3.0 export', () => {
  it('validates against the published schemas, every referenced schema loaded', async () => {
    const document = await exported();
    const { files, service, organization } = publishedValidators();
    expect(files).toHaveLength(20);
    expect(service).toBeDefined();
    expect(document.services.length).toBeGreaterThan(9);
    for (const item of document.services) {
      const valid = service?.(item);
      expect(service?.errors ?? [], String(item.name)).toEqual([]);
      expect(valid).toBe(true);
    }
    for (const item of document.organizations) expect(organization?.(item), String(item.name)).toBe(true);
    // Every facility is a location, each once.
    expect(locationsOf(document)).toHaveLength(9);
  });

  it('has the Tongrentang centre as a location with its weekly schedule, its closed day and its services', async () => {
    const document = await exported();
    const location = locationsOf(document).find((candidate) => candidate.name === '同仁堂知嘛健康女性服务中心');
    expect(location).toBeDefined();
    expect(location).toMatchObject({
      location_type: 'physical',
      alternate_name: 'Tongrentang Zhima Health Women’s Service Centre',
      latitude: 39.7298,
      longitude: 116.3386,
      external_identifier: '110115/观音寺街道',
      external_identifier_type: 'halfsky_place',
    });
    expect(location?.schedules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '09:00+08:00', closes_at: '18:00+08:00' }),
        expect.objectContaining({ valid_from: '2027-02-06', valid_to: '2027-02-06', description: 'closed', notes: '春节闭馆 / Closed for the Spring Festival' }),
      ]),
    );
    const attributes = location?.attributes as Json[];
    expect(attributes.find((attribute) => attribute.link_type === 'facility_kind')?.taxonomy_term).toMatchObject({ code: 'womens_service_centre', name: '妇女服务中心' });
    expect(attributes.find((attribute) => attribute.link_type === 'host_organization')?.value).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    const services = document.services.filter((service) => (service.service_at_locations as Json[]).some((link) => (link.location as Json).id === location?.id));
    expect(services.map((service) => service.name).sort()).toEqual(['健康服务', '心理咨询']);
    expect(services[0]).toMatchObject({ status: 'active', assured_date: '2026-03-25', organization: { name: '大兴区妇女联合会' } });
    // The host is among the organizations, by the id the location's attribute gives.
    const hostId = attributes.find((attribute) => attribute.link_type === 'host_organization')?.value;
    expect(document.organizations.some((organization) => organization.id === hostId)).toBe(true);
  });

  it('gives the same ids at every export, and keeps to one operator and its units when asked', async () => {
    expect(JSON.stringify(await exported())).toBe(JSON.stringify(await exported()));
    const daxing = await exported(editor, '?operator=daxing-wf');
    expect(
      locationsOf(daxing)
        .map((location) => location.name)
        .sort(),
    ).toEqual(['北京市妇联执委 Liu Yumei 工作室', '同仁堂知嘛健康女性服务中心', '大兴区妇女儿童服务中心', '首座御园二里社区公共服务街区', '首座御园二里社区妇女之家'].sort());
    expect((await editor.get('/workspace/facilities/export.hsds.json?operator=nobody')).statusCode).toBe(404);
    const api = await editor.api('GET', '/api/v1/facilities/export/hsds?operator=twf');
    expect(api.statusCode).toBe(200);
    expect(locationsOf(JSON.parse(api.body) as { services: Json[] })).toHaveLength(2);
  });
});

describe('importing HSDS', () => {
  it('finds nothing to change when its own export comes back (dry run)', async () => {
    const before = await counts();
    const response = await importJson(editor, await exported(), true);
    // The BWF editor may change the Beijing facilities only: import what they operate.
    const beijing = await exported(editor, '?operator=bwf');
    const own = await importJson(editor, beijing, true);
    expect(own.statusCode).toBe(200);
    const report = JSON.parse(own.body) as { rows: number; added: unknown[]; updated: unknown[]; unchanged: number; refused: unknown[] };
    expect(report).toMatchObject({ format: 'hsds', dryRun: true, written: false, rows: 6, added: [], updated: [], unchanged: 6, refused: [] });
    // The whole network's export: the other federations' facilities are refused for this editor, by location.
    const whole = JSON.parse(response.body) as { refused: { row: number; problems: { en: string }[] }[]; unchanged: number };
    expect(whole.unchanged).toBe(6);
    expect(whole.refused).toHaveLength(3);
    expect(whole.refused[0]?.problems[0]?.en).toMatch(/^No facility you may change has the id \d+/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a document with a field the schema does not allow, naming its path, and writes nothing', async () => {
    const before = await counts();
    const document = await exported(editor, '?operator=bwf');
    const location = (document.services[0]?.service_at_locations as Json[])[0]?.location as Json;
    location.latitude = 'north';
    location.name = 'Renamed';
    const response = await importJson(editor, document, false);
    expect(response.statusCode).toBe(400);
    const body = JSON.parse(response.body) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_file');
    expect(body.error.message).toContain('The file does not follow HSDS 3.0: /services/0/service_at_locations/0/location/latitude: must be number');
    expect(await counts()).toEqual(before);
    const page = await postMultipart(testApp.app, editor, '/workspace/facilities/import', {}, [
      { field: 'file', filename: 'facilities.json', content: JSON.stringify(document), contentType: 'application/json' },
    ]);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('/services/0/service_at_locations/0/location/latitude: must be number');
    expect(await counts()).toEqual(before);
  });

  it('changes a facility from a changed document, audited, and adds a location from elsewhere once however often it comes', async () => {
    const document = await exported(editor, '?operator=daxing-wf');
    const [tongrentang] = locationsOf(document).filter((location) => location.name === '同仁堂知嘛健康女性服务中心');
    if (!tongrentang) throw new Error('no Tongrentang location');
    for (const service of document.services) {
      for (const link of service.service_at_locations as Json[]) {
        const location = link.location as Json;
        if (location.id !== tongrentang.id) continue;
        location.phones = [{ id: '0b5f9a34-2a8e-4d1e-9a51-6f6f4a1c2b11', number: '010-6000 1234' }];
        location.schedules = [{ id: '4d7c9e21-8b1a-4e3f-a2d4-0c9b8e7f6a51', freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }];
      }
    }
    const elsewhere = {
      id: 'f2c1d7e4-5a6b-4c3d-8e9f-0a1b2c3d4e5f',
      name: '观音寺街道妇女微家',
      status: 'active',
      organization_id: (document.services[0] as Json).organization_id,
      attributes: [{ id: '1a2b3c4d-0000-4000-8000-000000000001', link_type: 'service_type', taxonomy_term: { id: 't1', name: '志愿服务', description: 'Volunteer services', code: 'volunteer_services' } }],
      service_at_locations: [
        {
          id: 'c0ffee00-0000-4000-8000-000000000002',
          location: {
            id: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
            location_type: 'physical',
            organization_id: (document.services[0] as Json).organization_id,
            name: '观音寺街道妇女微家',
            external_identifier: '110115/观音寺街道',
            external_identifier_type: 'halfsky_place',
            attributes: [{ id: '1a2b3c4d-0000-4000-8000-000000000003', link_type: 'facility_kind', taxonomy_term: { id: 't2', name: '妇女微家', description: 'micro-home', code: 'womens_micro_home' } }],
            schedules: [{ id: '1a2b3c4d-0000-4000-8000-000000000004', freq: 'WEEKLY', byday: 'WE', opens_at: '12:00+08:00', closes_at: '13:30+08:00' }],
          },
        },
      ],
    };
    const changed = { ...document, services: [...document.services, elsewhere] };
    const before = await counts();
    const dry = await importJson(editor, changed, true);
    const dryReport = JSON.parse(dry.body) as { added: { nameZh: string }[]; updated: { nameZh: string; changes: { field: string; before: string; after: string }[] }[]; unchanged: number };
    expect(dryReport.added.map((row) => row.nameZh)).toEqual(['观音寺街道妇女微家']);
    expect(dryReport.updated).toHaveLength(1);
    expect(dryReport.updated[0]?.changes).toEqual([
      { field: 'hours', before: 'Mo-Su 09:00-18:00', after: 'Mo-Fr 09:00-17:00' },
      { field: 'exceptions', before: '2027-02-06 closed 春节闭馆 / Closed for the Spring Festival', after: '' },
      { field: 'phone', before: '', after: '010-6000 1234' },
    ]);
    expect(await counts()).toEqual(before);

    const written = await importJson(editor, changed, false);
    expect(written.statusCode).toBe(200);
    expect(JSON.parse(written.body)).toMatchObject({ written: true });
    expect(await counts()).toEqual({ facilities: before.facilities + 1, audits: before.audits + 2 });
    const db = testApp.database.db;
    const stored = await db.selectFrom('facility').selectAll().where('name_zh', '=', '同仁堂知嘛健康女性服务中心').executeTakeFirstOrThrow();
    expect(stored.phone).toBe('010-6000 1234');
    const audit = await db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'facility').where('entity_id', '=', String(stored.id)).executeTakeFirstOrThrow();
    expect(audit.action).toBe('update');
    expect(audit.before).toMatchObject({ hours: 'Mo-Su 09:00-18:00', phone: '' });
    expect(audit.after).toMatchObject({ hours: 'Mo-Fr 09:00-17:00', phone: '010-6000 1234', services: 'psychological_counselling, health_services' });
    const added = await db.selectFrom('facility').selectAll().where('name_zh', '=', '观音寺街道妇女微家').executeTakeFirstOrThrow();
    expect(added.status).toBe('active');

    // The same document again: the location from elsewhere is remembered, nothing is added twice.
    const again = JSON.parse((await importJson(editor, changed, true)).body) as { added: unknown[]; updated: unknown[]; unchanged: number };
    expect(again).toMatchObject({ added: [], updated: [], unchanged: 6 });
  });

  it('refuses a location whose operator the importer may not edit', async () => {
    const before = await counts();
    const document = await exported(editor, '?operator=guanyinsi-wf');
    const response = await importJson(tianjinEditor, document, false);
    expect(response.statusCode).toBe(422);
    const body = JSON.parse(response.body) as { error: { code: string }; report: { refused: { problems: { en: string }[] }[] } };
    expect(body.error.code).toBe('rows_refused');
    // Guanyinsi's two demo facilities and the micro-home imported above.
    const reasons = body.report.refused.map((row) => row.problems.map((problem) => problem.en).join(' '));
    expect(reasons).toHaveLength(3);
    for (const reason of reasons) {
      expect(reason).toMatch(/^No facility you may change has the id \d+; leave id empty to add a facility\. /);
      expect(reason).toContain('operator: You may not edit the records of the organization "guanyinsi-wf", so you cannot import facilities it operates.');
    }
    expect(await counts()).toEqual(before);
  });
});
