import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCan, assertCanRead, assertPlatformAdmin, can, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { totalOf } from '../../platform/paging.ts';
import { announceChange } from '../../platform/changes.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import * as organizationRepository from './organization.repository.ts';
import type { OrganizationInput, OrganizationPatch, OrganizationQuery } from './organization.schema.ts';
import type { OrganizationKind, OrganizationRow } from './organization.table.ts';

/** An organization of the network: a federation, one of its units, or a partner. */
export interface Organization {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  kind: OrganizationKind;
  parentId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Maps a stored row to the domain type. */
export function organizationRowToOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    slug: row.slug,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    kind: row.kind,
    parentId: row.parent_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An organization with what its page shows around it. */
export interface OrganizationDetail extends Organization {
  /** From the top federation down to the direct parent. */
  ancestors: Organization[];
  children: Organization[];
  /** Whether the actor may change it. */
  editable: boolean;
}

/** Lists a page of organizations for any member of the network. */
export async function listOrganizations(db: Executor, actor: Actor, query: OrganizationQuery) {
  await assertCanRead(db, actor);
  const filter = { q: query.q || undefined, kind: query.kind, parentId: query.parentId };
  const rows = await organizationRepository.listOrganizations(db, filter, query);
  const total = await totalOf(query, rows.length, () => organizationRepository.countOrganizations(db, filter));
  return { items: rows.map(organizationRowToOrganization), total, limit: query.limit, offset: query.offset };
}

/** Every organization, for choosing a parent or a post's organization. */
export async function listOrganizationChoices(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  return organizationRepository.listOrganizationTree(db);
}

/** Reads one organization. */
export async function getOrganization(db: Executor, actor: Actor, id: number): Promise<Organization> {
  await assertCanRead(db, actor);
  const row = await organizationRepository.findOrganizationById(db, id);
  if (!row) throw notFound();
  return organizationRowToOrganization(row);
}

/** Reads one organization with its ancestors and units, and whether the actor may change it. */
export async function getOrganizationDetail(db: Executor, actor: Actor, id: number): Promise<OrganizationDetail> {
  const organization = await getOrganization(db, actor, id);
  const ancestorIds = (await organizationRepository.listAncestorIds(db, id)).slice(1).reverse();
  const [ancestors, children, editable] = await Promise.all([
    Promise.all(ancestorIds.map((ancestorId) => organizationRepository.findOrganizationById(db, ancestorId))),
    organizationRepository.listChildOrganizations(db, id),
    can(db, actor, 'edit_records', [id]),
  ]);
  return {
    ...organization,
    ancestors: ancestors.filter((row) => row !== undefined).map(organizationRowToOrganization),
    children: children.map(organizationRowToOrganization),
    editable,
  };
}

/** Tells whether the actor may change this organization (to show or hide the buttons). */
export async function mayEditOrganization(db: Executor, actor: Actor, id: number): Promise<boolean> {
  return can(db, actor, 'edit_records', [id]);
}

/** Tells whether the actor may add an organization anywhere (to offer the form at all). */
export async function mayCreateOrganizations(db: Executor, actor: Actor): Promise<boolean> {
  const editable = await organizationsWhere(db, actor, 'edit_records');
  return editable === 'all' || editable.size > 0;
}

async function assertMayPlaceUnder(db: Executor, actor: Actor, parentId: number | null): Promise<void> {
  // A new top-level organization is a new federation in the network: a platform decision.
  if (parentId === null) assertPlatformAdmin(actor);
  else await assertCan(db, actor, 'edit_records', [parentId]);
}

async function assertSlugFree(db: Executor, slug: string, exceptId?: number): Promise<void> {
  const existing = await organizationRepository.findOrganizationBySlug(db, slug);
  if (existing && existing.id !== exceptId) throw conflict(`The short name "${slug}" is taken by another organization.`);
}

/** Creates an organization under a parent the actor may edit (top-level: platform administrators only). */
export async function createOrganization(db: Kysely<Database>, actor: Actor, input: OrganizationInput): Promise<Organization> {
  await assertMayPlaceUnder(db, actor, input.parentId);
  return db.transaction().execute(async (tx) => {
    await assertSlugFree(tx, input.slug);
    const row = await organizationRepository.insertOrganization(tx, {
      slug: input.slug,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      kind: input.kind,
      parent_id: input.parentId,
    });
    const organization = organizationRowToOrganization(row);
    await recordAudit(tx, actor, { action: 'create', entityType: 'organization', entityId: row.id, after: organization });
    return organization;
  });
}

/** Changes an organization the actor may edit; moving it needs the right to edit the new parent too. */
export async function updateOrganization(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  changes: OrganizationPatch,
): Promise<Organization> {
  await assertCan(db, actor, 'edit_records', [id]);
  return db.transaction().execute(async (tx) => {
    const before = await organizationRepository.findOrganizationById(tx, id);
    if (!before) throw notFound();
    if (changes.parentId !== undefined && changes.parentId !== before.parent_id) {
      await assertMayPlaceUnder(tx, actor, changes.parentId);
      if (changes.parentId !== null && (await organizationRepository.listAncestorIds(tx, changes.parentId)).includes(id)) {
        throw badRequest('An organization cannot be placed under itself or one of its own units.', 'cycle');
      }
    }
    if (changes.slug !== undefined) await assertSlugFree(tx, changes.slug, id);
    const row = await organizationRepository.updateOrganization(tx, id, {
      slug: changes.slug,
      name_zh: changes.nameZh,
      name_en: changes.nameEn,
      kind: changes.kind,
      parent_id: changes.parentId,
    });
    const organization = organizationRowToOrganization(row);
    await recordAudit(tx, actor, {
      action: 'update',
      entityType: 'organization',
      entityId: id,
      before: organizationRowToOrganization(before),
      after: organization,
    });
    // Portal pages show federation names.
    await announceChange(tx, '*');
    return organization;
  });
}

/** Deletes an organization nothing refers to any more. */
export async function deleteOrganization(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCan(db, actor, 'edit_records', [id]);
  await db.transaction().execute(async (tx) => {
    const before = await organizationRepository.findOrganizationById(tx, id);
    if (!before) throw notFound();
    if ((await organizationRepository.countOrganizationDependents(tx, id)) > 0) {
      throw conflict('This organization still has units, people, posts, a site, facilities, activities, documents or commitments; move or delete them first.');
    }
    await organizationRepository.deleteOrganization(tx, id);
    await recordAudit(tx, actor, {
      action: 'delete',
      entityType: 'organization',
      entityId: id,
      before: organizationRowToOrganization(before),
    });
  });
}
