import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCan, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { announceChange } from '../../platform/changes.ts';
import { notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { totalOf } from '../../platform/paging.ts';
import { siteTopic } from '../articles/site.service.ts';
import { mediaLimits, mediaRefusal, processImage } from './media.image.ts';
import * as mediaRepository from './media.repository.ts';
import type { MediaListRow } from './media.repository.ts';
import type { MediaStore } from './media.store.ts';
import type { MediaContentType, MediaRenditionRow, MediaRow } from './media.table.ts';

/** A stored file of an image, at the address that serves it. */
export interface MediaRendition {
  key: string;
  /** `/media/<key>`: the same on every site and host. */
  url: string;
  contentType: MediaContentType;
  width: number;
  height: number;
  bytes: number;
}

/** An image of a site's media library, with its renditions narrowest first. */
export interface Media {
  id: number;
  siteId: number;
  originalName: string;
  contentType: MediaContentType;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  alt: Record<Locale, string>;
  createdAt: Date;
  uploadedBy: number | null;
  /** Null once the account is deleted (or when not looked up). */
  uploaderName: string | null;
  renditions: MediaRendition[];
}

/** A site whose library the actor may add to. */
export interface MediaSite {
  id: number;
  slug: string;
  organizationId: number;
  name: Record<Locale, string>;
}

/** What an upload brings: the site, the bytes, the file's name and the alternative text in both languages. */
export interface MediaUpload {
  siteId: number;
  bytes: Buffer;
  originalName: string;
  altZh: string;
  altEn: string;
}

/** The address that serves a rendition. */
export function mediaUrl(key: string): string {
  return `/media/${key}`;
}

function toRendition(row: MediaRenditionRow): MediaRendition {
  return { key: row.key, url: mediaUrl(row.key), contentType: row.content_type, width: row.width, height: row.height, bytes: row.bytes };
}

function toMedia(row: MediaRow & { uploader_name?: string | null }, renditions: MediaRenditionRow[]): Media {
  return {
    id: row.id,
    siteId: row.site_id,
    originalName: row.original_name,
    contentType: row.content_type,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    sha256: row.sha256,
    alt: { zh: row.alt_zh, en: row.alt_en },
    createdAt: row.created_at,
    uploadedBy: row.uploaded_by,
    uploaderName: row.uploader_name ?? null,
    renditions: renditions.filter((rendition) => rendition.media_id === row.id).map(toRendition),
  };
}

async function withRenditions(db: Executor, rows: readonly (MediaRow | MediaListRow)[]): Promise<Media[]> {
  const renditions = await mediaRepository.listRenditions(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toMedia(row, renditions));
}

/** The sites whose libraries the actor may add to and take from: those of organizations where she writes updates. */
export async function listMediaSites(db: Executor, actor: Actor): Promise<MediaSite[]> {
  const writable = await organizationsWhere(db, actor, 'write_articles');
  const sites = await mediaRepository.listSitesWithNames(db);
  return sites
    .filter((site) => writable === 'all' || writable.has(site.organization_id))
    .map((site) => ({ id: site.id, slug: site.slug, organizationId: site.organization_id, name: { zh: site.name_zh, en: site.name_en } }));
}

/**
 * One page of the images of the sites the actor writes for (or of one of them), newest first.
 * Someone who writes for no site, or asks for a site she does not write for, is told "not found".
 */
export async function listMedia(
  db: Executor,
  actor: Actor,
  query: { siteId?: number | undefined; limit: number; offset: number },
): Promise<{ items: Media[]; total: number; limit: number; offset: number; sites: MediaSite[] }> {
  const sites = await listMediaSites(db, actor);
  if (sites.length === 0) throw notFound();
  let siteIds = sites.map((site) => site.id);
  if (query.siteId !== undefined) {
    if (!siteIds.includes(query.siteId)) throw notFound();
    siteIds = [query.siteId];
  }
  const page = { limit: query.limit, offset: query.offset };
  const rows = await mediaRepository.listMedia(db, siteIds, page);
  const total = await totalOf(page, rows.length, () => mediaRepository.countMedia(db, siteIds));
  return { items: await withRenditions(db, rows), total, ...page, sites };
}

/** Reads an image of the library; only those who write for its site may, others are told "not found". */
export async function getMedia(db: Executor, actor: Actor, id: number): Promise<Media> {
  const row = await mediaRepository.findMedia(db, id);
  if (!row) throw notFound();
  await assertCan(db, actor, 'write_articles', [row.organization_id]);
  const [media] = await withRenditions(db, [row]);
  if (!media) throw notFound();
  return media;
}

/**
 * Images by id as readers see them (a cover image on the portal): no access check, as their files
 * are public; ids with no image are left out of the map.
 */
export async function mediaForDisplay(db: Executor, ids: readonly number[]): Promise<Map<number, Media>> {
  const rows = await mediaRepository.findMediaByIds(db, [...new Set(ids)]);
  return new Map((await withRenditions(db, rows)).map((media) => [media.id, media]));
}

function auditRecord(media: Media): object {
  return {
    siteId: media.siteId,
    originalName: media.originalName,
    contentType: media.contentType,
    width: media.width,
    height: media.height,
    bytes: media.bytes,
    sha256: media.sha256,
    altZh: media.alt.zh,
    altEn: media.alt.en,
    keys: media.renditions.map((rendition) => rendition.key),
  };
}

/** Keeps the last part of a path a browser may send as the file's name, in at most 255 characters. */
/** A file's name as uploaded, made safe to keep and show: its last part, no control characters, 255 characters at most. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return [...base.replace(/[\u0000-\u001f\u007f]/g, '')].slice(0, 255).join('');
}

/**
 * Adds an image to a site's library: the actor must write updates for the site (else "not found");
 * the bytes must be a sound JPEG, PNG, WebP or GIF (see processImage); the renditions are stored
 * first, then the rows and an audit event in one transaction. The same file uploaded again to the
 * same site gives the image already there (`created: false`), unchanged.
 */
export async function uploadMedia(
  db: Kysely<Database>,
  store: MediaStore,
  actor: Actor,
  upload: MediaUpload,
): Promise<{ media: Media; created: boolean }> {
  const organizationId = await mediaRepository.findSiteOrganization(db, upload.siteId);
  if (organizationId === undefined) throw notFound();
  await assertCan(db, actor, 'write_articles', [organizationId]);
  if (upload.bytes.length === 0) throw mediaRefusal('empty_file');
  if (upload.bytes.length > mediaLimits.maxBytes) throw mediaRefusal('too_large');

  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  const known = await mediaRepository.findMediaBySha256(db, upload.siteId, sha256);
  if (known) return { media: await getMedia(db, actor, known.id), created: false };

  // Decoding and encoding take the time: done before the transaction, which only writes.
  const image = await processImage(upload.bytes);
  const outcome = await db.transaction().execute(async (trx) => {
    await mediaRepository.lockUploadFiles(trx, sha256);
    const raced = await mediaRepository.findMediaBySha256(trx, upload.siteId, sha256);
    if (raced) return { id: raced.id, created: false };
    // Files first: a row never names a file that is not there. A failed commit leaves files that no
    // row names, harmless under their content's key, and written again by the next upload of it.
    for (const rendition of image.renditions) await store.put(rendition.key, rendition.body);
    const row = await mediaRepository.insertMedia(
      trx,
      {
        site_id: upload.siteId,
        uploaded_by: actor.userId,
        original_name: cleanFileName(upload.originalName),
        content_type: image.contentType,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        sha256,
        alt_zh: upload.altZh,
        alt_en: upload.altEn,
      },
      image.renditions.map((rendition) => ({
        key: rendition.key,
        content_type: rendition.contentType,
        width: rendition.width,
        height: rendition.height,
        bytes: rendition.body.length,
      })),
    );
    const [media] = await withRenditions(trx, [row]);
    if (!media) throw new Error('the image just written is not there');
    await recordAudit(trx, actor, { action: 'create', entityType: 'media', entityId: media.id, after: auditRecord(media) });
    return { id: media.id, created: true };
  });
  return { media: await getMedia(db, actor, outcome.id), created: outcome.created };
}

/**
 * Takes an image out of its site's library (only those who write for the site may; others are told
 * "not found"), audited; its files go too unless the same upload is in another site's library, and
 * the site's cached portal pages are dropped.
 */
export async function deleteMedia(db: Kysely<Database>, store: MediaStore, actor: Actor, id: number): Promise<void> {
  const media = await getMedia(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await mediaRepository.lockUploadFiles(trx, media.sha256);
    await mediaRepository.deleteMedia(trx, id);
    await recordAudit(trx, actor, { action: 'delete', entityType: 'media', entityId: id, before: auditRecord(media) });
    const keys = media.renditions.map((rendition) => rendition.key);
    const stillUsed = await mediaRepository.keysInUse(trx, keys);
    // Under the lock, so that an upload of the same file elsewhere cannot slip in between the check
    // and the removal. Should the commit fail after this, a new upload of the file writes them again.
    for (const key of keys) if (!stillUsed.has(key)) await store.delete(key);
    // Portal pages cached with this image in them are drawn again without it.
    await announceChange(trx, siteTopic(media.siteId));
  });
}
