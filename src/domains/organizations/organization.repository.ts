import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { OrganizationKind, NewOrganizationRow, OrganizationRowUpdate } from './organization.table.ts';

/** What the organization list can be narrowed to. */
export interface OrganizationFilter {
  q?: string;
  kind?: OrganizationKind;
  parentId?: number;
}

function filtered(db: Executor, filter: OrganizationFilter) {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .selectFrom('organization')
    .$if(pattern !== undefined, (q) =>
      q.where((eb) => eb.or([eb('name_zh', 'ilike', pattern ?? ''), eb('name_en', 'ilike', pattern ?? ''), eb('slug', 'ilike', pattern ?? '')])),
    )
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind ?? 'federation'))
    .$if(filter.parentId !== undefined, (q) => q.where('parent_id', '=', filter.parentId ?? 0));
}

/** Lists a page of organizations, federations first, then by name. */
export async function listOrganizations(db: Executor, filter: OrganizationFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .selectAll()
    .orderBy(sql`parent_id is not null`)
    .orderBy('name_en')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the organizations the filter matches. */
export async function countOrganizations(db: Executor, filter: OrganizationFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds an organization by id. */
export async function findOrganizationById(db: Executor, id: number) {
  return db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds an organization by slug. */
export async function findOrganizationBySlug(db: Executor, slug: string) {
  return db.selectFrom('organization').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Lists every organization's id, names and parent: the network is small enough to hold whole. */
export async function listOrganizationTree(db: Executor) {
  return db.selectFrom('organization').select(['id', 'slug', 'name_zh', 'name_en', 'kind', 'parent_id']).orderBy('id').execute();
}

/** Lists the ids of an organization and all its ancestors, nearest first. */
export async function listAncestorIds(db: Executor, id: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from organization where id = ${id}
      union all
      select o.id, o.parent_id, up.depth + 1 from organization o join up on o.id = up.parent_id where up.depth < 100
    )
    select id from up order by depth`.execute(db);
  return result.rows.map((row) => row.id);
}

/** Lists the organizations directly under one. */
export async function listChildOrganizations(db: Executor, parentId: number) {
  return db.selectFrom('organization').selectAll().where('parent_id', '=', parentId).orderBy('kind').orderBy('name_en').execute();
}

/** Counts what still refers to an organization: units, people, posts, sites, facilities, activities, documents, commitments. */
export async function countOrganizationDependents(db: Executor, id: number): Promise<number> {
  const result = await sql<{ total: string }>`
    select (select count(*) from organization where parent_id = ${id})
         + (select count(*) from person where organization_id = ${id})
         + (select count(*) from position where organization_id = ${id})
         + (select count(*) from site where organization_id = ${id})
         + (select count(*) from facility where operator_organization_id = ${id})
         + (select count(*) from activity_organizer where organization_id = ${id})
         + (select count(*) from activity_attendee where organization_id = ${id})
         + (select count(*) from activity_follow_up where owner_organization_id = ${id})
         + (select count(*) from document where issuer_organization_id = ${id})
         + (select count(*) from document_party where organization_id = ${id})
         + (select count(*) from commitment where responsible_organization_id = ${id})
         + (select count(*) from commitment_partner where organization_id = ${id}) as total`.execute(db);
  return Number(result.rows[0]?.total ?? 0);
}

/** Inserts an organization and returns the stored row. */
export async function insertOrganization(db: Executor, row: NewOrganizationRow) {
  return db.insertInto('organization').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates an organization and returns the stored row. */
export async function updateOrganization(db: Executor, id: number, changes: OrganizationRowUpdate) {
  return db
    .updateTable('organization')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes an organization. */
export async function deleteOrganization(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('organization').where('id', '=', id).execute();
}
