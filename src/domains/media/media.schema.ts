import { z } from 'zod';
import { mediaContentTypes } from './media.table.ts';

const id = z.coerce.number().int().positive();

/** The message beside a missing description; the database allows 500 characters. */
export const altMessages = {
  required: 'Describe the image for readers who cannot see it.',
  tooLong: 'An image description has at most 500 characters.',
} as const;

const alt = z.string().trim().min(1, altMessages.required).max(500, altMessages.tooLong);

/** The text fields of an upload (the workspace form and the API's multipart body): the site and the image's description in both languages. */
export const mediaUploadFields = z.object({
  siteId: z.coerce.number({ error: 'Choose the site the image is for.' }).int().positive('Choose the site the image is for.'),
  altZh: alt,
  altEn: alt,
});
export type MediaUploadFields = z.infer<typeof mediaUploadFields>;

/** The library's list: optionally one site, one page of it. */
export const mediaQuery = z.object({
  siteId: z.preprocess((value) => (value === '' ? undefined : value), id.optional()),
  limit: z.coerce.number().int().min(1).max(100).default(48),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type MediaQuery = z.infer<typeof mediaQuery>;

/** Path parameters naming an image. */
export const mediaParams = z.object({ id });

/** Path parameters naming a stored file; the serving route checks the key's pattern itself. */
export const mediaKeyParams = z.object({ key: z.string().max(100) });

const rendition = z.object({
  key: z.string(),
  url: z.string().describe('/media/<key>, cached for a year'),
  contentType: z.enum(mediaContentTypes),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
});

/** An image of the library as the API gives it, with what an <img> needs. */
export const mediaOutput = z.object({
  id: z.number().int(),
  siteId: z.number().int(),
  originalName: z.string(),
  contentType: z.enum(mediaContentTypes),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  altZh: z.string(),
  altEn: z.string(),
  createdAt: z.string(),
  uploaderName: z.string().nullable(),
  renditions: z.array(rendition),
  src: z.string().describe('fallback address (about 640 wide, in the original format)'),
  srcset: z.string().describe('every width in the original format'),
  webpSrcset: z.string().nullable().describe('every width as WebP, for <source type="image/webp">; null for a WebP upload'),
});

/** A page of the library. */
export const mediaListOutput = z.object({
  items: z.array(mediaOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
