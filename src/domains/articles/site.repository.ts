import type { Executor } from '../../db/database.ts';
import type { NewSiteRow } from './site.table.ts';
import type { NewSectionRow, SectionRow } from './section.table.ts';

/** Lists every site with the names of the organization it belongs to. */
export async function listSites(db: Executor) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select([
      'site.id',
      'site.slug',
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
