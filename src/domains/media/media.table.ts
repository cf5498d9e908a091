import type { Generated, Insertable, Selectable } from 'kysely';

/** The image formats the media library takes, by their media type. */
export const mediaContentTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type MediaContentType = (typeof mediaContentTypes)[number];

/** The media table: an image uploaded to a site's library, with its alternative text in both languages. */
export interface MediaTable {
  id: Generated<number>;
  site_id: number;
  /** Null once the account is deleted. */
  uploaded_by: number | null;
  /** The file name as the uploader's computer had it; shown, never trusted. */
  original_name: string;
  /** Found from the bytes, never from the name or the declared type. */
  content_type: MediaContentType;
  /** As displayed (after the EXIF orientation is applied). */
  width: number;
  height: number;
  /** Size of the upload. */
  bytes: number;
  /** SHA-256 of the upload, hex; unique per site (a re-upload finds the same image). Rendition keys start with it. */
  sha256: string;
  alt_zh: string;
  alt_en: string;
  created_at: Generated<Date>;
}

/** The media_rendition table: one stored file made from an image (a width in WebP or the original's format). */
export interface MediaRenditionTable {
  media_id: number;
  /** The store's key and the address's last part: `<sha256>-<width>.<webp|jpg|png|gif>`. */
  key: string;
  content_type: MediaContentType;
  width: number;
  height: number;
  bytes: number;
}

export type MediaRow = Selectable<MediaTable>;
export type NewMediaRow = Insertable<MediaTable>;
export type MediaRenditionRow = Selectable<MediaRenditionTable>;
