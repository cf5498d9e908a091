import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { MediaRenditionRow, MediaRow, NewMediaRow } from './media.table.ts';

/** A library image with the name of whoever uploaded it. */
export type MediaListRow = MediaRow & { uploader_name: string | null };

const mediaColumns = [
  'media.id',
  'media.site_id',
  'media.uploaded_by',
  'media.original_name',
  'media.content_type',
  'media.width',
  'media.height',
  'media.bytes',
  'media.sha256',
  'media.alt_zh',
  'media.alt_en',
  'media.created_at',
] as const;

/** Lists the sites with the names of their organizations, for the library's site choice. */
export async function listSitesWithNames(db: Executor) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select(['site.id', 'site.slug', 'site.organization_id', 'organization.name_zh', 'organization.name_en'])
    .orderBy('site.id')
    .execute();
}

/** Finds a site's organization, or undefined when there is no such site. */
export async function findSiteOrganization(db: Executor, siteId: number): Promise<number | undefined> {
  const row = await db.selectFrom('site').select('organization_id').where('id', '=', siteId).executeTakeFirst();
  return row?.organization_id;
}

/** Finds an image by id, with the organization of its site. */
export async function findMedia(db: Executor, id: number): Promise<(MediaListRow & { organization_id: number }) | undefined> {
  return db
    .selectFrom('media')
    .innerJoin('site', 'site.id', 'media.site_id')
    .leftJoin('user_account', 'user_account.id', 'media.uploaded_by')
    .select([...mediaColumns, 'site.organization_id', 'user_account.display_name as uploader_name'])
    .where('media.id', '=', id)
    .executeTakeFirst();
}

/** Finds a site's image by the SHA-256 of its upload. */
export async function findMediaBySha256(db: Executor, siteId: number, sha256: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').select(mediaColumns).where('site_id', '=', siteId).where('sha256', '=', sha256).executeTakeFirst();
}

/** Finds images by id (for pages that show them), in no particular order. */
export async function findMediaByIds(db: Executor, ids: readonly number[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('media').select(mediaColumns).where('id', 'in', ids).execute();
}

/** Lists the images of some sites, newest first, one page of them. */
export async function listMedia(db: Executor, siteIds: readonly number[], page: { limit: number; offset: number }): Promise<MediaListRow[]> {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom('media')
    .leftJoin('user_account', 'user_account.id', 'media.uploaded_by')
    .select([...mediaColumns, 'user_account.display_name as uploader_name'])
    .where('media.site_id', 'in', siteIds)
    .orderBy('media.created_at', 'desc')
    .orderBy('media.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the images of some sites. */
export async function countMedia(db: Executor, siteIds: readonly number[]): Promise<number> {
  if (siteIds.length === 0) return 0;
  const row = await db
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('site_id', 'in', siteIds)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Lists the renditions of images, narrowest first. */
export async function listRenditions(db: Executor, mediaIds: readonly number[]): Promise<MediaRenditionRow[]> {
  if (mediaIds.length === 0) return [];
  return db
    .selectFrom('media_rendition')
    .selectAll()
    .where('media_id', 'in', mediaIds)
    .orderBy('media_id')
    .orderBy('width')
    .orderBy('content_type')
    .execute();
}

/** Inserts an image and its renditions; returns the image's row. */
export async function insertMedia(
  db: Executor,
  row: NewMediaRow,
  renditions: readonly Omit<MediaRenditionRow, 'media_id'>[],
): Promise<MediaRow> {
  const inserted = await db.insertInto('media').values(row).returning(mediaColumns).executeTakeFirstOrThrow();
  if (renditions.length > 0) {
    await db
      .insertInto('media_rendition')
      .values(renditions.map((rendition) => ({ ...rendition, media_id: inserted.id })))
      .execute();
  }
  return inserted;
}

/** Deletes an image (its renditions go with it). */
export async function deleteMedia(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).execute();
}

/** The keys among these that some image's rendition still names. */
export async function keysInUse(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('media_rendition').select('key').distinct().where('key', 'in', keys).execute();
  return new Set(rows.map((row) => row.key));
}

/**
 * Holds, until the transaction ends, the lock on the files of one upload (by its SHA-256): an
 * upload writing them and a deletion removing them take turns, across processes.
 */
export async function lockUploadFiles(db: Executor, sha256: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`media:${sha256}`}, 0))`.execute(db);
}
