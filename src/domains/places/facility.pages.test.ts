import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { createAccount } from '../accounts/account.service.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let bwfEditorZh: SignedInClient;
let twfEditor: SignedInClient;
let admin: SignedInClient;

async function organizationId(slug: string): Promise<number> {
  return (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

async function facilityId(nameZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('facility').select('id').where('name_zh', '=', nameZh).executeTakeFirstOrThrow()).id;
}

/** The text of the message shown beside a form field. */
function fieldError(html: string, field: string): string | undefined {
  const text = new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];
  return text?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The options of a form's select. */
function optionsOf(html: string, name: string): string[] {
  const select = new RegExp(`<select id="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1] ?? '');
}

/** A filled facility form, as a browser sends it (the services as repeated fields are joined by the server). */
async function form(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    kind: 'womens_home',
    nameZh: '清源街道妇女之家',
    nameEn: 'Qingyuan Sub-district Women’s Home',
    status: 'active',
    place: '110115',
    addressZh: '北京市大兴区清源街道',
    addressEn: '',
    lat: '39.74',
    lon: '116.33',
    operatorOrganizationId: String(await organizationId('daxing-wf')),
    hostOrganizationId: '',
    keeperPersonId: '',
    services: 'rights_protection,family_education',
    hours: '周一至周五 09:00-12:00,13:30-17:30; 周六 09:00-12:00',
    exceptions: '2027-02-06 closed 春节闭馆 / Closed for the Spring Festival',
    phone: '010-6924 0000',
    email: 'qingyuan@example.org',
    website: 'https://qingyuan.example.org/',
    accessibilityZh: '',
    accessibilityEn: '',
    descriptionZh: '',
    descriptionEn: '',
    photos: '',
    verifiedOn: '2026-11-01',
    ...overrides,
  };
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwf, twf, administrator] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  bwfEditor = inLanguage(testApp.app, bwf, 'en');
  bwfEditorZh = inLanguage(testApp.app, bwf, 'zh');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  admin = inLanguage(testApp.app, administrator, 'en');
});
afterAll(async () => {
  await testApp.close();
});

describe('the facility list', () => {
  it('is in the navigation, filters by kind, service, place, operator, status and text, and links to the other facility pages', async () => {
    const all = await bwfEditor.get('/workspace/facilities');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('href="/workspace/facilities" aria-current="page"');
    expect(all.body).toContain('9 in all');
    for (const link of ['/workspace/facilities/statistics', '/workspace/facilities/import', '/workspace/facilities/export.csv', '/workspace/facilities/needs-verification']) {
      expect(all.body).toContain(`href="${link}"`);
    }
    expect(all.body).toContain('Export HSDS JSON');
    expect(all.body).toContain('Export GeoJSON');
    // Only platform administrators manage the two lists.
    expect(all.body).not.toContain('href="/workspace/facilities/kinds"');
    expect((await admin.get('/workspace/facilities')).body).toContain('href="/workspace/facilities/kinds"');

    const inGuanyinsi = await bwfEditor.get(`/workspace/facilities?place=${encodeURIComponent('110115/观音寺街道')}&service=family_mediation`);
    expect(inGuanyinsi.body).toContain('2 in all');
    expect(inGuanyinsi.body).toContain('Office of Liu Yumei, BWF Executive Committee Member');
    expect(inGuanyinsi.body).not.toContain('Tongrentang Zhima Health Women’s Service Centre');
    const twfOperated = await bwfEditor.get(`/workspace/facilities?operatorId=${await organizationId('twf')}&kind=womens_micro_home`);
    expect(twfOperated.body).toContain('Hexi District Office-Building Women’s Micro-home');
    expect(twfOperated.body).toContain('1 in all');
    const closed = await bwfEditor.get('/workspace/facilities?status=temporarily_closed&q=family');
    expect(closed.body).toContain('BWF Family Education Guidance Station');
    expect(closed.body).toContain('1 in all');
    const wrong = await bwfEditor.get('/workspace/facilities?place=999999');
    expect(wrong.statusCode).toBe(400);
    expect(fieldError(wrong.body, 'place')).toBe('No place is known as "999999".');
  });

  it('keeps the other facility pages at their own addresses: only digits name a facility', async () => {
    expect((await bwfEditor.get('/workspace/facilities/not-a-number')).statusCode).toBe(404);
    expect((await bwfEditor.get('/workspace/facilities/999999')).statusCode).toBe(404);
  });
});

describe('the facility page', () => {
  it('shows the Tongrentang centre with its host organization, services, weekly hours and exceptions in the reader’s language', async () => {
    const id = await facilityId('同仁堂知嘛健康女性服务中心');
    const english = await bwfEditor.get(`/workspace/facilities/${id}`);
    expect(english.statusCode).toBe(200);
    expect(english.body).toContain(`>Tongrentang Zhima Health</a>`);
    expect(english.body).toContain('<li>Health services</li>');
    expect(english.body).toContain('<li>Psychological counselling</li>');
    expect(english.body).toContain('Mon–Sun 09:00–18:00');
    expect(english.body).toContain('2027-02-06</time> Closed · Closed for the Spring Festival');
    expect(english.body).toContain(`>Daxing District Women's Federation</a>`);
    const chinese = await bwfEditorZh.get(`/workspace/facilities/${id}`);
    expect(chinese.body).toContain('>同仁堂知嘛健康</a>');
    expect(chinese.body).toContain('周一至周日 09:00-18:00');
    expect(chinese.body).toContain('2027-02-06</time> 闭馆 · 春节闭馆');
  });

  it('shows Liu Yumei as the keeper of her office', async () => {
    const response = await bwfEditor.get(`/workspace/facilities/${await facilityId('北京市妇联执委 Liu Yumei 工作室')}`);
    const liu = (await testApp.database.db.selectFrom('person').select('id').where('name_en', '=', 'Liu Yumei').executeTakeFirstOrThrow()).id;
    expect(response.body).toMatch(new RegExp(`<dt>Keeper</dt><dd><a href="/workspace/people/${liu}">Liu Yumei</a>`));
    expect(response.body).toContain('Tue 14:00–17:00; Thu 14:00–17:00');
  });

  it('links only web addresses: a website stored by other means that is not one stays text', async () => {
    const id = await facilityId('河西区楼宇妇女微家');
    await testApp.database.db.updateTable('facility').set({ website: 'javascript:alert(1)' }).where('id', '=', id).execute();
    const response = await bwfEditor.get(`/workspace/facilities/${id}`);
    expect(response.body).toContain('<dd>javascript:alert(1)</dd>');
    expect(response.body).not.toContain('href="javascript:');
  });

  it('shows the facilities an organization and its units operate on the organization page', async () => {
    const response = await bwfEditor.get(`/workspace/organizations/${await organizationId('daxing-wf')}`);
    expect(response.body).toContain('Facilities operated');
    expect(response.body).toContain('Tongrentang Zhima Health Women’s Service Centre');
    // Guanyinsi's federation, below Daxing's, runs the community block.
    expect(response.body).toContain('Shouzuoyuyuan Erli Community Public Service Block');
    expect(response.body).not.toContain('Heping District Women’s Home');
  });
});

describe('changing facilities through the forms', () => {
  it('lets a BWF editor add a facility operated by daxing-wf, a unit below BWF, and records it in the audit log', async () => {
    const page = await bwfEditor.get('/workspace/facilities/new');
    expect(page.statusCode).toBe(200);
    expect(optionsOf(page.body, 'operatorOrganizationId')).toContain(String(await organizationId('daxing-wf')));
    const response = await bwfEditor.post('/workspace/facilities', await form());
    expect(response.statusCode).toBe(303);
    const created = await testApp.database.db.selectFrom('facility').selectAll().where('name_zh', '=', '清源街道妇女之家').executeTakeFirstOrThrow();
    expect(response.headers.location).toBe(`/workspace/facilities/${created.id}`);
    expect(created).toMatchObject({ operator_organization_id: await organizationId('daxing-wf'), verified_on: '2026-11-01', lat: '39.740000' });
    const detail = await bwfEditor.get(`/workspace/facilities/${created.id}`);
    expect(detail.body).toContain('Mon–Fri 09:00–12:00, 13:30–17:30; Sat 09:00–12:00');
    expect(detail.body).toContain('<li>Rights protection</li>');
    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('entity_type', '=', 'facility')
      .where('entity_id', '=', String(created.id))
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('create');
    expect(audit.after).toMatchObject({ hours: 'Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00', services: 'rights_protection, family_education' });

    // The edit form shows the hours and exceptions as they were written, and saves a change.
    const edit = await bwfEditor.get(`/workspace/facilities/${created.id}/edit`);
    expect(edit.body).toContain('Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00</textarea>');
    expect(edit.body).toContain('2027-02-06 closed 春节闭馆 / Closed for the Spring Festival</textarea>');
    expect(edit.body).toMatch(/value="family_education" checked/);
    const saved = await bwfEditor.post(`/workspace/facilities/${created.id}`, await form({ hours: 'Mo-Fr 08:30-17:00' }));
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Saved.');
    expect(saved.body).toContain('Mon–Fri 08:30–17:00');
  });

  it('refuses the TWF editor, as not found, editing a BWF facility or creating one operated by a BWF unit', async () => {
    const office = await facilityId('北京市妇联执委 Liu Yumei 工作室');
    expect((await twfEditor.get(`/workspace/facilities/${office}`)).statusCode).toBe(200);
    expect((await twfEditor.get(`/workspace/facilities/${office}/edit`)).statusCode).toBe(404);
    expect((await twfEditor.post(`/workspace/facilities/${office}`, await form())).statusCode).toBe(404);
    expect((await twfEditor.post(`/workspace/facilities/${office}/verified`)).statusCode).toBe(404);
    expect((await twfEditor.get(`/workspace/facilities/${office}/delete`)).statusCode).toBe(404);
    const newForm = await twfEditor.get('/workspace/facilities/new');
    expect(optionsOf(newForm.body, 'operatorOrganizationId')).toEqual(expect.arrayContaining([String(await organizationId('twf'))]));
    expect(optionsOf(newForm.body, 'operatorOrganizationId')).not.toContain(String(await organizationId('daxing-wf')));
    expect((await twfEditor.post('/workspace/facilities', await form({ nameZh: '天津编辑建的' }))).statusCode).toBe(404);
    expect(await testApp.database.db.selectFrom('facility').select('id').where('name_zh', '=', '天津编辑建的').execute()).toEqual([]);
  });

  it('re-renders the form with the reason when hours overlap or end before they start, in either language', async () => {
    const overlap = await bwfEditor.post('/workspace/facilities', await form({ nameZh: '时间重叠', hours: 'Mo-Fr 09:00-12:00,11:00-13:00' }));
    expect(overlap.statusCode).toBe(400);
    expect(fieldError(overlap.body, 'hours')).toBe('On Mon, 09:00-12:00 and 11:00-13:00 overlap.');
    // What was typed stays in the form.
    expect(overlap.body).toContain('Mo-Fr 09:00-12:00,11:00-13:00</textarea>');
    expect(overlap.body).toMatch(/value="rights_protection" checked/);
    const overlapZh = await bwfEditorZh.post('/workspace/facilities', await form({ nameZh: '时间重叠', hours: '周一至周五 09:00-12:00,11:00-13:00' }));
    expect(fieldError(overlapZh.body, 'hours')).toBe('周一 的 09:00-12:00 与 11:00-13:00 时间重叠。');
    const backwards = await bwfEditor.post('/workspace/facilities', await form({ nameZh: '时间颠倒', hours: 'Sa 17:00-09:00' }));
    expect(backwards.statusCode).toBe(400);
    expect(fieldError(backwards.body, 'hours')).toBe('Sat 17:00-09:00: the end must be after the start.');
    const backwardsZh = await bwfEditorZh.post('/workspace/facilities', await form({ nameZh: '时间颠倒', hours: '周六 17:00-09:00' }));
    expect(fieldError(backwardsZh.body, 'hours')).toBe('周六 17:00-09:00：结束时间须晚于开始时间。');
    const exceptions = await bwfEditor.post('/workspace/facilities', await form({ nameZh: '例外有误', exceptions: '2027-02-06 09:00-12:00,10:00-11:00' }));
    expect(fieldError(exceptions.body, 'exceptions')).toBe('On 2027-02-06, 09:00-12:00 and 10:00-11:00 overlap.');
    const email = await bwfEditorZh.post('/workspace/facilities', await form({ nameZh: '字段有误', email: 'not-an-email' }));
    expect(email.statusCode).toBe(400);
    expect(fieldError(email.body, 'email')).toBe('请输入电子邮箱，如 centre@example.org；没有时留空。');
    const coordinates = await bwfEditorZh.post('/workspace/facilities', await form({ nameZh: '字段有误', lat: '' }));
    expect(fieldError(coordinates.body, 'lat')).toBe('请同时填写纬度和经度，或都不填。');
    const place = await bwfEditorZh.post('/workspace/facilities', await form({ nameZh: '字段有误', place: '110115/不存在街道' }));
    expect(fieldError(place.body, 'place')).toBe('找不到上级地点“110115/不存在街道”。');
    const names = await testApp.database.db.selectFrom('facility').select('name_zh').where('name_zh', 'in', ['时间重叠', '时间颠倒', '例外有误', '字段有误']).execute();
    expect(names).toEqual([]);
  });

  it('asks before deleting, then deletes with an audit event', async () => {
    const created = await bwfEditor.post('/workspace/facilities', await form({ nameZh: '将被删除的妇女之家' }));
    const id = Number(/\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    const confirm = await bwfEditor.get(`/workspace/facilities/${id}/delete`);
    expect(confirm.body).toContain(`action="/workspace/facilities/${id}/delete"`);
    const deleted = await bwfEditor.post(`/workspace/facilities/${id}/delete`);
    expect(deleted.statusCode).toBe(303);
    expect((await bwfEditor.get(`/workspace/facilities/${id}`)).statusCode).toBe(404);
    const events = await testApp.database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'facility').where('entity_id', '=', String(id)).execute();
    expect(events.map((event) => event.action)).toEqual(['create', 'delete']);
  });
});

describe('verification', () => {
  it('lists the Daxing centre verified 2025-06-10, not those verified in 2026, and "verified today" takes it off', async () => {
    const daxing = await facilityId('大兴区妇女儿童服务中心');
    const before = await bwfEditor.get('/workspace/facilities/needs-verification');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Daxing District Women and Children’s Service Centre');
    expect(before.body).toContain('2025-06-10');
    for (const recent of ['Tongrentang Zhima Health Women’s Service Centre', 'Office of Liu Yumei', 'BWF Family Education Guidance Station']) {
      expect(before.body).not.toContain(recent);
    }
    // Another federation's overdue facility is not on a BWF editor's list.
    expect(before.body).not.toContain('Shijiazhuang');
    expect(before.body).toContain(`action="/workspace/facilities/${daxing}/verified"`);

    const response = await bwfEditor.post(`/workspace/facilities/${daxing}/verified`, { back: 'list' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('as verified today');
    expect(response.body).not.toContain(`action="/workspace/facilities/${daxing}/verified"`);
    const stored = await testApp.database.db.selectFrom('facility').select('verified_on').where('id', '=', daxing).executeTakeFirstOrThrow();
    expect(stored.verified_on).not.toBe('2025-06-10');
    const audit = await testApp.database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'facility').where('entity_id', '=', String(daxing)).execute();
    expect(audit.map((event) => event.action)).toEqual(['verify']);
  });

  it('refuses "verified today" without the form’s CSRF token', async () => {
    const daxing = await facilityId('大兴区妇女儿童服务中心');
    const response = await bwfEditor.post(`/workspace/facilities/${daxing}/verified`, { _csrf: 'forged' });
    expect(response.statusCode).toBe(403);
  });
});

describe('places with facilities', () => {
  it('cannot be deleted while a facility is located there', async () => {
    const heping = (await testApp.database.db.selectFrom('place').select('id').where('name_zh', '=', '和平区').executeTakeFirstOrThrow()).id;
    // Heping is Tianjin's: its federation's editor may delete it, but for the facility.
    const response = await twfEditor.post(`/workspace/places/${heping}/delete`);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('1 facility(ies) are still located in this place; move or delete them first.');
    expect(await testApp.database.db.selectFrom('place').select('id').where('id', '=', heping).executeTakeFirst()).toBeDefined();
  });
});

describe('the lists of kinds and services', () => {
  it('lets a platform administrator extend, rename and reorder the kinds, and refuses an editor', async () => {
    expect((await bwfEditor.get('/workspace/facilities/kinds')).statusCode).toBe(404);
    expect((await bwfEditor.post('/workspace/facilities/kinds', { code: 'legal_clinic', nameZh: '法律诊所', nameEn: 'Legal clinic' })).statusCode).toBe(404);

    const page = await admin.get('/workspace/facilities/kinds');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>womens_home</code>');
    const added = await admin.post('/workspace/facilities/kinds', { code: 'legal_clinic', nameZh: '法律诊所', nameEn: 'Legal clinic' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('<code>legal_clinic</code>');
    const taken = await admin.post('/workspace/facilities/kinds', { code: 'legal_clinic', nameZh: '又一个', nameEn: 'Again' });
    expect(taken.statusCode).toBe(409);
    expect(fieldError(taken.body, 'code')).toBe('The code legal_clinic is taken already.');
    const badCode = await admin.post('/workspace/facilities/kinds', { code: 'Legal Clinic', nameZh: '法律诊所', nameEn: 'Legal clinic' });
    expect(badCode.statusCode).toBe(400);
    expect(fieldError(badCode.body, 'code')).toBe('A code is 2 to 63 lower-case letters, digits and underscores, beginning with a letter.');

    const kind = await testApp.database.db.selectFrom('facility_kind').select('id').where('code', '=', 'legal_clinic').executeTakeFirstOrThrow();
    expect((await admin.post(`/workspace/facilities/kinds/${kind.id}`, { nameZh: '妇女法律诊所', nameEn: 'Women’s legal clinic' })).body).toContain('Women’s legal clinic');
    expect((await admin.post(`/workspace/facilities/kinds/${kind.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    const order = await testApp.database.db.selectFrom('facility_kind').select('code').orderBy('position').orderBy('id').execute();
    expect(order.map((row) => row.code).slice(-2)).toEqual(['legal_clinic', 'childrens_home']);
    // The new kind is offered in the facility form at once.
    expect((await bwfEditor.get('/workspace/facilities/new')).body).toContain('<option value="legal_clinic">Women’s legal clinic</option>');

    const womensHome = await testApp.database.db.selectFrom('facility_kind').select('id').where('code', '=', 'womens_home').executeTakeFirstOrThrow();
    const inUse = await admin.post(`/workspace/facilities/kinds/${womensHome.id}/delete`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.body).toContain('still use it, so it cannot be deleted');
    expect((await admin.post(`/workspace/facilities/kinds/${kind.id}/delete`)).statusCode).toBe(303);
    expect(await testApp.database.db.selectFrom('facility_kind').select('id').where('code', '=', 'legal_clinic').executeTakeFirst()).toBeUndefined();
  });

  it('lets a federation’s administrator add a kind and a service, but leaves renaming, reordering and deleting to platform administrators', async () => {
    const twf = await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', 'twf').executeTakeFirstOrThrow();
    await createAccount(testApp.database.db, null, {
      email: 'admin@twf.example.org',
      displayName: 'TWF administrator',
      password: 'twf-administrator-password',
      memberships: [{ organizationId: twf.id, role: 'administrator' }],
    });
    const twfAdmin = inLanguage(testApp.app, await signIn(testApp.app, 'admin@twf.example.org', 'twf-administrator-password'), 'en');
    expect((await twfAdmin.get('/workspace/facilities')).body).toContain('href="/workspace/facilities/kinds"');
    expect((await twfEditor.get('/workspace/facilities')).body).not.toContain('href="/workspace/facilities/kinds"');

    const page = await twfAdmin.get('/workspace/facilities/services');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>legal_aid</code>');
    expect(page.body).not.toContain('/move"');
    const added = await twfAdmin.post('/workspace/facilities/services', { code: 'elder_care', nameZh: '养老照护', nameEn: 'Elder care' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('<code>elder_care</code>');
    expect((await twfEditor.get('/workspace/facilities/new')).body).toContain('value="elder_care"');
    const audit = await testApp.database.db.selectFrom('audit_event').select('after').where('entity_type', '=', 'service_type').where('action', '=', 'create').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ code: 'elder_care' });

    const entry = await testApp.database.db.selectFrom('service_type').select('id').where('code', '=', 'elder_care').executeTakeFirstOrThrow();
    expect((await twfAdmin.get(`/workspace/facilities/services/${entry.id}/edit`)).statusCode).toBe(404);
    expect((await twfAdmin.post(`/workspace/facilities/services/${entry.id}/delete`)).statusCode).toBe(404);
    expect((await twfEditor.post('/workspace/facilities/services', { code: 'not_mine', nameZh: '不行', nameEn: 'Not mine' })).statusCode).toBe(404);
  });

  it('lets a platform administrator add a service, offered in the form’s checkboxes', async () => {
    const added = await admin.post('/workspace/facilities/services', { code: 'digital_skills', nameZh: '数字技能培训', nameEn: 'Digital skills training' });
    expect(added.statusCode).toBe(200);
    expect((await bwfEditor.get('/workspace/facilities/new')).body).toContain('value="digital_skills"');
  });
});

describe('deleting a facility an activity visited', () => {
  it('is refused with the reason on the confirmation page, and the facility stays', async () => {
    const centre = await testApp.database.db
      .selectFrom('facility')
      .select('id')
      .where('name_en', '=', 'Tongrentang Zhima Health Women’s Service Centre')
      .executeTakeFirstOrThrow();
    const refused = await bwfEditor.post(`/workspace/facilities/${centre.id}/delete`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Activities record visits to this facility, so it cannot be deleted');
    const still = await testApp.database.db.selectFrom('facility').select('id').where('id', '=', centre.id).executeTakeFirst();
    expect(still).toBeDefined();
  });
});
