import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { createAccount } from '../accounts/account.service.ts';

let testApp: TestApp;
let bwfAdmin: SignedInClient;
let twfAdmin: SignedInClient;
let bwfEditor: SignedInClient;
let bwfSiteId: number;
let twfSiteId: number;
const password = 'site-admin-password-123';

async function sectionId(siteId: number, path: string): Promise<number> {
  let parentId: number | null = null;
  let id = 0;
  for (const slug of path.split('/')) {
    const row: { id: number } = await testApp.database.db
      .selectFrom('section')
      .select('id')
      .where('site_id', '=', siteId)
      .where('slug', '=', slug)
      .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
      .executeTakeFirstOrThrow();
    id = row.id;
    parentId = row.id;
  }
  return id;
}

async function organizationId(slug: string): Promise<number> {
  return (await testApp.database.db.selectFrom('organization').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

/** The labels of the portal's main navigation, in order. */
/** The home page and section links of the portal's main navigation (not its fixed directory and calendar links). */
function navigation(html: string): string[] {
  const nav = /<nav class="main"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)]
    .filter((match) => !/\/(facilities|activities)$/.test(match[1] ?? ''))
    .map((match) => match[2] ?? '');
}

function portal(url: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ url, headers });
}

beforeAll(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  bwfSiteId = (await db.selectFrom('site').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow()).id;
  twfSiteId = (await db.selectFrom('site').select('id').where('slug', '=', 'twf').executeTakeFirstOrThrow()).id;
  // Administrators of one federation each, who are not platform administrators.
  await createAccount(db, null, {
    email: 'site-admin@bwf.example.org',
    displayName: 'BWF Site Administrator',
    password,
    memberships: [{ organizationId: await organizationId('bwf'), role: 'administrator' }],
  });
  await createAccount(db, null, {
    email: 'site-admin@twf.example.org',
    displayName: 'TWF Site Administrator',
    password,
    memberships: [{ organizationId: await organizationId('twf'), role: 'administrator' }],
  });
  bwfAdmin = await signIn(testApp.app, 'site-admin@bwf.example.org', password);
  twfAdmin = await signIn(testApp.app, 'site-admin@twf.example.org', password);
  bwfEditor = await signIn(testApp.app, 'editor@bwf.example.org');
});
afterAll(async () => {
  await testApp.close();
});

describe('site management access', () => {
  it('is refused as not found to an editor, who is not shown the Sites entry', async () => {
    const dashboard = await bwfEditor.get('/workspace');
    expect(dashboard.body).not.toContain('href="/workspace/sites"');
    expect((await bwfEditor.get('/workspace/sites')).statusCode).toBe(404);
    expect((await bwfEditor.get(`/workspace/sites/${bwfSiteId}`)).statusCode).toBe(404);
    const eventsId = await sectionId(bwfSiteId, 'events');
    expect((await bwfEditor.get(`/workspace/sites/${bwfSiteId}/sections/${eventsId}/edit`)).statusCode).toBe(404);
    const rename = await bwfEditor.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}`, { nameZh: '改', nameEn: 'Changed', parentId: '' });
    expect(rename.statusCode).toBe(404);
    const host = await bwfEditor.post(`/workspace/sites/${bwfSiteId}`, { host: 'editor.example.org', defaultLocale: 'zh' });
    expect(host.statusCode).toBe(404);
    const row = await testApp.database.db.selectFrom('section').select('name_en').where('id', '=', eventsId).executeTakeFirstOrThrow();
    expect(row.name_en).toBe('Events');
  });

  it('shows an administrator the Sites entry and only the sites of her federation', async () => {
    const dashboard = await twfAdmin.get('/workspace');
    expect(dashboard.body).toContain('href="/workspace/sites"');
    const list = await twfAdmin.get('/workspace/sites');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/workspace/sites/${twfSiteId}"`);
    expect(list.body).not.toContain(`href="/workspace/sites/${bwfSiteId}"`);
    expect((await twfAdmin.get(`/workspace/sites/${twfSiteId}`)).statusCode).toBe(200);
  });

  it("refuses a TWF administrator BWF's site, whatever the form holds", async () => {
    expect((await twfAdmin.get(`/workspace/sites/${bwfSiteId}`)).statusCode).toBe(404);
    const eventsId = await sectionId(bwfSiteId, 'events');
    const rename = await twfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}`, { nameZh: '改', nameEn: 'Changed', parentId: '' });
    expect(rename.statusCode).toBe(404);
    const invalid = await twfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}`, { nameZh: '' });
    expect(invalid.statusCode).toBe(404);
    expect((await twfAdmin.post(`/workspace/sites/${bwfSiteId}/sections`, { slug: 'x', nameZh: 'x', nameEn: 'x', parentId: '' })).statusCode).toBe(404);
    expect((await twfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}/move`, { direction: 'down' })).statusCode).toBe(404);
    expect((await twfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}/delete`)).statusCode).toBe(404);
    // A BWF section through TWF's site is not found either.
    expect((await twfAdmin.get(`/workspace/sites/${twfSiteId}/sections/${eventsId}/edit`)).statusCode).toBe(404);
    const row = await testApp.database.db.selectFrom('section').select(['name_en', 'position']).where('id', '=', eventsId).executeTakeFirstOrThrow();
    expect(row).toEqual({ name_en: 'Events', position: 0 });
  });

  it('refuses a form without the CSRF token', async () => {
    const eventsId = await sectionId(bwfSiteId, 'events');
    const response = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}`, { _csrf: 'forged', nameZh: '改', nameEn: 'Forged', parentId: '' });
    expect(response.statusCode).toBe(403);
  });
});

describe('the section tree', () => {
  it('shows the site with its sections', async () => {
    const response = await bwfAdmin.get(`/workspace/sites/${bwfSiteId}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Grassroots Organizations');
    expect(response.body).toContain('<code>/zh/work/grassroots</code>');
  });

  it('renames a section in both languages; the portal navigation shows it at once', async () => {
    const before = await portal('/en/');
    expect(navigation(before.body)).toEqual(['Home', 'Events', 'Photo News', 'Our Work']);
    await portal('/zh/');
    const eventsId = await sectionId(bwfSiteId, 'events');
    const response = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}`, { nameZh: '活动资讯', nameEn: 'News & Events', parentId: '' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('已保存。');
    expect(navigation((await portal('/en/')).body)).toEqual(['Home', 'News &amp; Events', 'Photo News', 'Our Work']);
    expect(navigation((await portal('/zh/')).body)).toContain('活动资讯');
    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', 'section')
      .where('entity_id', '=', String(eventsId))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'update', before: { nameEn: 'Events' }, after: { nameEn: 'News & Events', nameZh: '活动资讯' } });
  });

  it('announces the change, so that another process drops its cached pages too', async () => {
    // A second app on the same database stands for a second server process.
    const other: FastifyInstance = await buildApp({
      config: { viewFlushMs: 60_000, logLevel: 'silent' },
      db: testApp.database.db,
      connectionString: testApp.database.connectionString,
    });
    await other.ready();
    try {
      expect(navigation((await other.inject({ url: '/en/' })).body)).toContain('Photo News');
      const photoId = await sectionId(bwfSiteId, 'photo-news');
      const response = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${photoId}`, { nameZh: '图片', nameEn: 'Pictures', parentId: '' });
      expect(response.statusCode).toBe(200);
      await expect
        .poll(async () => navigation((await other.inject({ url: '/en/' })).body), { timeout: 5000, interval: 50 })
        .toContain('Pictures');
    } finally {
      await other.close();
    }
  });

  it('adds a section at the end, reachable on the portal at once', async () => {
    const form = await bwfAdmin.get(`/workspace/sites/${bwfSiteId}/sections/new`);
    expect(form.statusCode).toBe(200);
    const response = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections`, { slug: 'volunteers', nameZh: '志愿服务', nameEn: 'Volunteers', parentId: '' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/workspace/sites/${bwfSiteId}`);
    expect(navigation((await portal('/en/')).body).at(-1)).toBe('Volunteers');
    expect((await portal('/en/volunteers')).statusCode).toBe(200);
    const audit = await testApp.database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'section').where('action', '=', 'create').execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a short name a sibling has, one the portal uses, or one that is no slug, beside the field', async () => {
    const taken = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections`, { slug: 'events', nameZh: '重复', nameEn: 'Duplicate', parentId: '' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toMatch(/id="slug-error"[^>]*>同级栏目中已有此简称。/);
    const reserved = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections`, { slug: 'articles', nameZh: '文章', nameEn: 'Articles', parentId: '' });
    expect(reserved.statusCode).toBe(409);
    expect(reserved.body).toMatch(/id="slug-error"/);
    const bad = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections`, { slug: 'feed.xml', nameZh: '', nameEn: 'Feed', parentId: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="slug-error"/);
    expect(bad.body).toMatch(/id="nameZh-error"/);
    expect(bad.body).toContain('value="Feed"');
    // The same name under another parent is fine.
    const nested = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections`, {
      slug: 'updates',
      nameZh: '工作动态',
      nameEn: 'Work updates',
      parentId: String(await sectionId(bwfSiteId, 'work')),
    });
    expect(nested.statusCode).toBe(303);
  });

  it('moves a section up and down among its siblings', async () => {
    const volunteersId = await sectionId(bwfSiteId, 'volunteers');
    expect((await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect(navigation((await portal('/en/')).body)).toEqual(['Home', 'News &amp; Events', 'Pictures', 'Volunteers', 'Our Work']);
    await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/move`, { direction: 'up' });
    await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/move`, { direction: 'up' });
    // Already first: nothing changes.
    await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/move`, { direction: 'up' });
    expect(navigation((await portal('/en/')).body)).toEqual(['Home', 'Volunteers', 'News &amp; Events', 'Pictures', 'Our Work']);
    await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/move`, { direction: 'down' });
    expect(navigation((await portal('/en/')).body)).toEqual(['Home', 'News &amp; Events', 'Volunteers', 'Pictures', 'Our Work']);
    expect((await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/move`, { direction: 'sideways' })).statusCode).toBe(400);
  });

  it('moves a section under another parent, never under itself or below it', async () => {
    const volunteersId = await sectionId(bwfSiteId, 'volunteers');
    const workId = await sectionId(bwfSiteId, 'work');
    const moved = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}`, { nameZh: '志愿服务', nameEn: 'Volunteers', parentId: String(workId) });
    expect(moved.statusCode).toBe(200);
    expect((await portal('/en/work/volunteers')).statusCode).toBe(200);
    expect((await portal('/en/volunteers')).statusCode).toBe(404);
    expect(navigation((await portal('/en/')).body)).not.toContain('Volunteers');
    const cycle = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${workId}`, { nameZh: '工作', nameEn: 'Our Work', parentId: String(volunteersId) });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.body).toMatch(/id="parentId-error"/);
    const itself = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${workId}`, { nameZh: '工作', nameEn: 'Our Work', parentId: String(workId) });
    expect(itself.statusCode).toBe(400);
    const otherSite = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}`, {
      nameZh: '志愿服务',
      nameEn: 'Volunteers',
      parentId: String(await sectionId(twfSiteId, 'events')),
    });
    expect(otherSite.statusCode).toBe(400);
    const row = await testApp.database.db.selectFrom('section').select('parent_id').where('id', '=', workId).executeTakeFirstOrThrow();
    expect(row.parent_id).toBeNull();
  });

  it('refuses to delete a section that has articles, below it too', async () => {
    const eventsId = await sectionId(bwfSiteId, 'events');
    const confirm = await bwfAdmin.get(`/workspace/sites/${bwfSiteId}/sections/${eventsId}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('此操作无法撤销');
    expect(confirm.body).toContain('其下的 2 个下级栏目');
    const response = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${eventsId}/delete`);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('仍有文章');
    expect((await portal('/en/events/updates')).statusCode).toBe(200);
  });

  it('deletes an empty section after the confirmation, audited, and the portal forgets it', async () => {
    const volunteersId = await sectionId(bwfSiteId, 'work/volunteers');
    expect((await portal('/en/work/volunteers')).statusCode).toBe(200);
    const response = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}/sections/${volunteersId}/delete`);
    expect(response.statusCode).toBe(303);
    expect((await portal('/en/work/volunteers')).statusCode).toBe(404);
    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'section')
      .where('entity_id', '=', String(volunteersId))
      .orderBy('id')
      .execute();
    expect(audit.map((event) => event.action).at(-1)).toBe('delete');
  });
});

describe('site settings', () => {
  it('gives a site its own host name, served at / of that host at once', async () => {
    // Until now the host name shows the default site; warm the cache with that.
    expect((await portal('/en/', { host: 'tianjin.example.org' })).body).toContain("Beijing Women's Federation");
    const response = await twfAdmin.post(`/workspace/sites/${twfSiteId}`, { host: ' Tianjin.Example.ORG ', defaultLocale: 'en' });
    expect(response.statusCode).toBe(200);
    const row = await testApp.database.db.selectFrom('site').select(['host', 'default_locale']).where('id', '=', twfSiteId).executeTakeFirstOrThrow();
    expect(row).toEqual({ host: 'tianjin.example.org', default_locale: 'en' });
    const home = await portal('/en/', { host: 'tianjin.example.org' });
    expect(home.body).toContain("<title>Tianjin Women's Federation</title>");
    expect(home.body).toContain('<link rel="canonical" href="https://tianjin.example.org/en/"/>');
    expect((await portal('/', { host: 'tianjin.example.org' })).headers.location).toBe('/en/');
    const robots = await portal('/robots.txt', { host: 'tianjin.example.org' });
    expect(robots.body).toContain('Sitemap: https://tianjin.example.org/sitemap.xml');
    // The default host no longer names TWF's sitemap: it lives at the site's own host.
    expect((await portal('/robots.txt')).body).not.toContain('twf');
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'site').where('entity_id', '=', String(twfSiteId)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'update', before: { host: null }, after: { host: 'tianjin.example.org', defaultLocale: 'en' } });
  });

  it('refuses a host name another site has, or one that is no host name, beside the field', async () => {
    const taken = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}`, { host: 'tianjin.example.org', defaultLocale: 'zh' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toMatch(/id="host-error"[^>]*>已有其他网站使用此域名。/);
    for (const host of ['https://portal.example.org', 'portal.example.org/en', 'portal.example.org:8080', 'bad_host.example.org', '-x.example.org']) {
      const bad = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}`, { host, defaultLocale: 'zh' });
      expect(bad.statusCode, host).toBe(400);
      expect(bad.body).toMatch(/id="host-error"/);
    }
    const language = await bwfAdmin.post(`/workspace/sites/${bwfSiteId}`, { host: '', defaultLocale: 'fr' });
    expect(language.statusCode).toBe(400);
    expect(language.body).toMatch(/id="defaultLocale-error"/);
  });

  it('shows the messages in English on an English page', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/workspace/sites/${bwfSiteId}`,
      headers: { cookie: `${bwfAdmin.cookie}; halfsky_lang=en`, origin: 'http://localhost:80' },
      payload: { _csrf: bwfAdmin.csrfToken, host: 'tianjin.example.org', defaultLocale: 'zh' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toMatch(/id="host-error"[^>]*>Another site is served at this host name already\./);
  });

  it('takes a host name away again', async () => {
    const response = await twfAdmin.post(`/workspace/sites/${twfSiteId}`, { host: '', defaultLocale: 'zh' });
    expect(response.statusCode).toBe(200);
    const row = await testApp.database.db.selectFrom('site').select('host').where('id', '=', twfSiteId).executeTakeFirstOrThrow();
    expect(row.host).toBeNull();
    expect((await portal('/en/', { host: 'tianjin.example.org' })).body).toContain("Beijing Women's Federation");
  });
});
