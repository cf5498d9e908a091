import type { Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { NewSiteRow, SiteTable } from './site.table.ts';
import type { NewSectionRow, SectionRow, SectionTable } from './section.table.ts';

/** Lists every site with the names of the organization it belongs to. */
export async function listSites(db: Executor) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select([
      'site.id',
      'site.slug',
      'site.organization_id',
      'site.host',
      'site.is_default',
      'site.default_locale',
      'site.time_zone',
      'organization.name_zh',
      'organization.name_en',
    ])
    .orderBy('site.id')
    .execute();
}

/** Lists every section of every site, siblings in their order. */
export async function listSections(db: Executor): Promise<SectionRow[]> {
  return db.selectFrom('section').selectAll().orderBy('site_id').orderBy('position').orderBy('id').execute();
}

/** Inserts a site and returns its id. */
export async function insertSite(db: Executor, row: NewSiteRow): Promise<number> {
  const { id } = await db.insertInto('site').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Inserts a section and returns its id. */
export async function insertSection(db: Executor, row: NewSectionRow): Promise<number> {
  const { id } = await db.insertInto('section').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Tells whether any site exists (an empty database gets the demo). */
export async function hasAnySite(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('site').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Finds a site by id, with the names of the organization it belongs to. */
export async function findSiteById(db: Executor, id: number) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .where('site.id', '=', id)
    .select([
      'site.id',
      'site.slug',
      'site.organization_id',
      'site.host',
      'site.is_default',
      'site.default_locale',
      'site.time_zone',
      'organization.name_zh',
      'organization.name_en',
    ])
    .executeTakeFirst();
}

/** Locks a site's row until the transaction ends, so that changes to its section tree happen one at a time. */
export async function lockSite(db: Executor, id: number): Promise<boolean> {
  const row = await db.selectFrom('site').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}

/** Finds the site that has this host name. */
export async function findSiteByHost(db: Executor, host: string) {
  return db.selectFrom('site').select(['id', 'slug']).where('host', '=', host).executeTakeFirst();
}

/** Changes a site's host name and default language. */
export async function updateSite(db: Executor, id: number, changes: Pick<Updateable<SiteTable>, 'host' | 'default_locale'>): Promise<void> {
  await db.updateTable('site').set(changes).where('id', '=', id).execute();
}

/** Lists the sections of one site, siblings in their order. */
export async function listSectionsOfSite(db: Executor, siteId: number): Promise<SectionRow[]> {
  return db.selectFrom('section').selectAll().where('site_id', '=', siteId).orderBy('position').orderBy('id').execute();
}

/** Changes a section's names, parent or position. */
export async function updateSection(
  db: Executor,
  id: number,
  changes: Pick<Updateable<SectionTable>, 'name_zh' | 'name_en' | 'parent_id' | 'position'>,
): Promise<void> {
  await db.updateTable('section').set(changes).where('id', '=', id).execute();
}

/** Deletes a section; the sections below it go with it (the foreign key cascades), articles never do. */
export async function deleteSection(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('section').where('id', '=', id).execute();
}

/** Counts the articles, in any status, filed in the given sections. */
export async function countArticlesInSections(db: Executor, sectionIds: readonly number[]): Promise<number> {
  if (sectionIds.length === 0) return 0;
  const row = await db
    .selectFrom('article')
    .where('section_id', 'in', sectionIds)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
