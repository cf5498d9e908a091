import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { signIn, type SignedInClient } from '../../test/workspace.ts';
import { createAccount } from '../domains/accounts/account.service.ts';
import type { OrganizationRow } from '../domains/organizations/organization.table.ts';
import type { Role } from './access.ts';

/**
 * The access matrix of the organization records: who may read and who may change what, through the
 * workspace pages and the JSON API. A refusal always reads 404, never 403 or 500, and leaves the
 * record as it was.
 */

const password = 'access-matrix-password';

type Subject = 'administrator' | 'editor' | 'reviewer' | 'organizer' | 'viewer' | 'platform admin';
type Target = 'BWF' | 'unit below BWF' | 'TWF' | 'unit below TWF';
type Action = 'read page' | 'read API' | 'PATCH API' | 'edit form POST' | 'create unit below via API' | 'delete empty unit below via API';

/** Who signs in for each subject: demo accounts where the demo has the role, accounts made here otherwise. */
const subjectEmails: Record<Subject, string> = {
  administrator: 'administrator@bwf.example.org',
  editor: 'editor@bwf.example.org',
  reviewer: 'reviewer@bwf.example.org',
  organizer: 'organizer@bwf.example.org',
  viewer: 'viewer@bwf.example.org',
  'platform admin': 'admin@bwf.example.org',
};

const targetSlugs: Record<Target, string> = {
  BWF: 'bwf',
  'unit below BWF': 'bwf-grassroots-department',
  TWF: 'twf',
  'unit below TWF': 'twf-organization-department',
};

const successStatus: Record<Action, number> = {
  'read page': 200,
  'read API': 200,
  'PATCH API': 200,
  'edit form POST': 200,
  'create unit below via API': 201,
  'delete empty unit below via API': 204,
};

function mayWrite(subject: Subject, target: Target): boolean {
  if (subject === 'platform admin') return true;
  const inBwf = target === 'BWF' || target === 'unit below BWF';
  return inBwf && (subject === 'administrator' || subject === 'editor');
}

function expectedStatus(subject: Subject, target: Target, action: Action): number {
  if (action === 'read page' || action === 'read API') return 200;
  return mayWrite(subject, target) ? successStatus[action] : 404;
}

const subjects = Object.keys(subjectEmails) as Subject[];
const targets = Object.keys(targetSlugs) as Target[];
const actions = Object.keys(successStatus) as Action[];

const matrix = subjects.flatMap((subject) =>
  targets.flatMap((target) =>
    actions.map((action) => ({ subject, target, action, expected: expectedStatus(subject, target, action) })),
  ),
);

let testApp: TestApp;
const clients = {} as Record<Subject, SignedInClient>;
let caseNumber = 0;

async function organizationBySlug(slug: string): Promise<OrganizationRow> {
  return testApp.database.db.selectFrom('organization').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

async function organizationById(id: number): Promise<OrganizationRow | undefined> {
  return testApp.database.db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The edit form of an organization as a browser submits it, with a new English name. */
function editFields(organization: OrganizationRow, nameEn: string): Record<string, string> {
  return {
    slug: organization.slug,
    nameZh: organization.name_zh,
    nameEn,
    kind: organization.kind,
    parentId: organization.parent_id === null ? '' : String(organization.parent_id),
  };
}

async function createMember(email: string, memberships: { slug: string; role: Role }[]): Promise<void> {
  const resolved = await Promise.all(
    memberships.map(async ({ slug, role }) => ({ organizationId: (await organizationBySlug(slug)).id, role })),
  );
  await createAccount(testApp.database.db, null, { email, displayName: email, password, memberships: resolved });
}

function expectRefusal(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(404);
}

beforeAll(async () => {
  testApp = await createTestApp();
  // The demo has no plain administrator (its administrator is also a platform administrator), no organizer and no viewer.
  await createMember('administrator@bwf.example.org', [{ slug: 'bwf', role: 'administrator' }]);
  await createMember('organizer@bwf.example.org', [{ slug: 'bwf', role: 'organizer' }]);
  await createMember('viewer@bwf.example.org', [{ slug: 'bwf', role: 'viewer' }]);
  await createMember('publicity-editor@bwf.example.org', [{ slug: 'bwf-publicity-department', role: 'editor' }]);
  await createMember('nobody@bwf.example.org', []);
  for (const subject of subjects) {
    const email = subjectEmails[subject];
    const madeHere = subject === 'administrator' || subject === 'organizer' || subject === 'viewer';
    clients[subject] = madeHere ? await signIn(testApp.app, email, password) : await signIn(testApp.app, email);
  }
});
afterAll(async () => {
  await testApp.close();
});

describe('the access matrix of organizations', () => {
  it.each(matrix)('$subject on $target: $action → $expected', async ({ subject, target, action, expected }) => {
    const client = clients[subject];
    const organization = await organizationBySlug(targetSlugs[target]);
    const tag = `access-case-${++caseNumber}`;

    switch (action) {
      case 'read page': {
        const response = await client.get(`/workspace/organizations/${organization.id}`);
        expect(response.statusCode).toBe(expected);
        expect(response.body).toContain(organization.name_en);
        // The buttons to change it show only to those who may.
        const editLink = `/workspace/organizations/${organization.id}/edit`;
        if (mayWrite(subject, target)) expect(response.body).toContain(editLink);
        else expect(response.body).not.toContain(editLink);
        return;
      }
      case 'read API': {
        const response = await client.api('GET', `/api/v1/organizations/${organization.id}`);
        expect(response.statusCode).toBe(expected);
        expect(response.json()).toMatchObject({ id: organization.id, slug: organization.slug, nameEn: organization.name_en });
        return;
      }
      case 'PATCH API': {
        const response = await client.api('PATCH', `/api/v1/organizations/${organization.id}`, { nameEn: `Renamed ${tag}` });
        expect(response.statusCode).toBe(expected);
        const after = await organizationById(organization.id);
        if (expected === 200) {
          expect(response.json().nameEn).toBe(`Renamed ${tag}`);
          expect(after?.name_en).toBe(`Renamed ${tag}`);
        } else {
          expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
          expect(after).toEqual(organization);
        }
        return;
      }
      case 'edit form POST': {
        const response = await client.post(`/workspace/organizations/${organization.id}`, editFields(organization, `Edited ${tag}`));
        expect(response.statusCode).toBe(expected);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        const after = await organizationById(organization.id);
        if (expected === 200) {
          expect(response.body).toContain('已保存。');
          expect(after?.name_en).toBe(`Edited ${tag}`);
        } else {
          expect(response.body).toContain('页面不存在');
          expect(after).toEqual(organization);
        }
        return;
      }
      case 'create unit below via API': {
        const response = await client.api('POST', '/api/v1/organizations', {
          slug: tag,
          nameZh: '测试单位',
          nameEn: 'Test Unit',
          kind: 'department',
          parentId: organization.id,
        });
        expect(response.statusCode).toBe(expected);
        const created = await testApp.database.db.selectFrom('organization').selectAll().where('slug', '=', tag).executeTakeFirst();
        if (expected === 201) expect(created?.parent_id).toBe(organization.id);
        else expect(created).toBeUndefined();
        return;
      }
      case 'delete empty unit below via API': {
        const unit = await testApp.database.db
          .insertInto('organization')
          .values({ slug: tag, name_zh: '空单位', name_en: 'Empty Unit', kind: 'department', parent_id: organization.id })
          .returningAll()
          .executeTakeFirstOrThrow();
        const response = await client.api('DELETE', `/api/v1/organizations/${unit.id}`);
        expect(response.statusCode).toBe(expected);
        if (expected === 204) expect(await organizationById(unit.id)).toBeUndefined();
        else expect(await organizationById(unit.id)).toEqual(unit);
        return;
      }
    }
  });
});

describe('guessing ids', () => {
  it('gives a TWF editor the same 404 for every BWF record found by listing as for ids that do not exist', async () => {
    const twfEditor = await signIn(testApp.app, 'editor@twf.example.org');
    const listing = await twfEditor.api('GET', '/api/v1/organizations?limit=200');
    expect(listing.statusCode).toBe(200);
    const items = listing.json().items as { id: number; parentId: number | null; slug: string }[];
    expect(listing.json().total).toBe(items.length);
    const bwf = items.find((item) => item.slug === 'bwf');
    if (!bwf) throw new Error('the listing shows no BWF');
    const parentOf = new Map(items.map((item) => [item.id, item.parentId]));
    const belowBwf = (id: number): boolean => {
      for (let at: number | null | undefined = id; at != null; at = parentOf.get(at)) if (at === bwf.id) return true;
      return false;
    };
    const bwfIds = items.map((item) => item.id).filter(belowBwf);
    expect(bwfIds.length).toBeGreaterThan(5);
    const before = await testApp.database.db.selectFrom('organization').selectAll().where('id', 'in', bwfIds).orderBy('id').execute();

    const missingId = Math.max(...items.map((item) => item.id)) + 1000;
    const missing = await twfEditor.api('PATCH', `/api/v1/organizations/${missingId}`, { nameEn: 'Taken over' });
    expect(missing.statusCode).toBe(404);
    const missingDelete = await twfEditor.api('DELETE', `/api/v1/organizations/${missingId}`);
    expect(missingDelete.statusCode).toBe(404);
    const missingForm = await twfEditor.post(`/workspace/organizations/${missingId}`, {
      slug: 'taken-over',
      nameZh: '接管',
      nameEn: 'Taken over',
      kind: 'department',
      parentId: '',
    });
    expect(missingForm.statusCode).toBe(404);

    for (const id of bwfIds) {
      const patch = await twfEditor.api('PATCH', `/api/v1/organizations/${id}`, { nameEn: 'Taken over' });
      expect(patch.statusCode).toBe(404);
      expect(patch.body).toBe(missing.body);
      const remove = await twfEditor.api('DELETE', `/api/v1/organizations/${id}`);
      expect(remove.statusCode).toBe(404);
      expect(remove.body).toBe(missingDelete.body);
      const form = await twfEditor.post(`/workspace/organizations/${id}`, {
        slug: `taken-over-${id}`,
        nameZh: '接管',
        nameEn: 'Taken over',
        kind: 'department',
        parentId: String(bwf.id),
      });
      expect(form.statusCode).toBe(404);
    }
    const after = await testApp.database.db.selectFrom('organization').selectAll().where('id', 'in', bwfIds).orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('answers an id that does not exist with 404 on reads too, for every role', async () => {
    for (const subject of subjects) {
      const page = await clients[subject].get('/workspace/organizations/99999999');
      expect(page.statusCode).toBe(404);
      const api = await clients[subject].api('GET', '/api/v1/organizations/99999999');
      expect(api.statusCode).toBe(404);
    }
  });
});

describe('an editor holding a role on a unit only', () => {
  let unitEditor: SignedInClient;
  let bwf: OrganizationRow;
  let publicity: OrganizationRow;
  let twf: OrganizationRow;

  beforeAll(async () => {
    unitEditor = await signIn(testApp.app, 'publicity-editor@bwf.example.org', password);
    bwf = await organizationBySlug('bwf');
    publicity = await organizationBySlug('bwf-publicity-department');
    twf = await organizationBySlug('twf');
  });

  it('cannot edit the federation above the unit, nor a sibling unit', async () => {
    const before = await organizationById(bwf.id);
    expectRefusal(await unitEditor.api('PATCH', `/api/v1/organizations/${bwf.id}`, { nameEn: 'Renamed from below' }));
    expectRefusal(await unitEditor.post(`/workspace/organizations/${bwf.id}`, editFields(bwf, 'Renamed from below')));
    expectRefusal(await unitEditor.get(`/workspace/organizations/${bwf.id}/edit`));
    expect(await organizationById(bwf.id)).toEqual(before);

    const sibling = await organizationBySlug('bwf-rights-department');
    expectRefusal(await unitEditor.api('PATCH', `/api/v1/organizations/${sibling.id}`, { nameEn: 'Renamed from the side' }));
    expect(await organizationById(sibling.id)).toEqual(sibling);

    const page = await unitEditor.get(`/workspace/organizations/${bwf.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`/workspace/organizations/${bwf.id}/edit`);
  });

  it('can edit the unit through the API and the form, and add a unit below it', async () => {
    const patch = await unitEditor.api('PATCH', `/api/v1/organizations/${publicity.id}`, { nameEn: 'Publicity and Culture Department' });
    expect(patch.statusCode).toBe(200);
    const edit = await unitEditor.get(`/workspace/organizations/${publicity.id}/edit`);
    expect(edit.statusCode).toBe(200);
    const current = await organizationBySlug('bwf-publicity-department');
    const form = await unitEditor.post(`/workspace/organizations/${publicity.id}`, editFields(current, 'Publicity Department (renamed)'));
    expect(form.statusCode).toBe(200);
    expect((await organizationById(publicity.id))?.name_en).toBe('Publicity Department (renamed)');
    const created = await unitEditor.api('POST', '/api/v1/organizations', {
      slug: 'bwf-publicity-new-media',
      nameZh: '新媒体科',
      nameEn: 'New Media Section',
      kind: 'department',
      parentId: publicity.id,
    });
    expect(created.statusCode).toBe(201);
  });

  it('cannot move the unit out from under the federation, to another federation or to the top', async () => {
    const before = await organizationById(publicity.id);
    expectRefusal(await unitEditor.api('PATCH', `/api/v1/organizations/${publicity.id}`, { parentId: twf.id }));
    expectRefusal(await unitEditor.api('PATCH', `/api/v1/organizations/${publicity.id}`, { parentId: null }));
    expect(await organizationById(publicity.id)).toEqual(before);
  });
});

describe('an account holding no role anywhere', () => {
  it('is not staff of any federation: organization reads answer 404', async () => {
    const nobody = await signIn(testApp.app, 'nobody@bwf.example.org', password);
    const bwf = await organizationBySlug('bwf');
    for (const url of [`/workspace/organizations/${bwf.id}`, '/workspace/organizations']) {
      const page = await nobody.get(url);
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain('页面不存在');
    }
    for (const url of [`/api/v1/organizations/${bwf.id}`, '/api/v1/organizations']) {
      const api = await nobody.api('GET', url);
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    }
    expectRefusal(await nobody.api('PATCH', `/api/v1/organizations/${bwf.id}`, { nameEn: 'Renamed by nobody' }));
    expect((await organizationById(bwf.id))?.name_en).not.toBe('Renamed by nobody');
    // The dashboard still opens, and says so.
    const dashboard = await nobody.get('/workspace');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('您还没有任何组织的角色');
  });
});
