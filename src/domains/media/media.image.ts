import { createHash } from 'node:crypto';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { DomainError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import type { MediaContentType } from './media.table.ts';

/** What the media library takes: the size of an upload, the pixels of an image, the widths it makes. */
export const mediaLimits = {
  maxBytes: 10 * 1024 * 1024,
  /** All frames together for an animation. */
  maxPixels: 40_000_000,
  widths: [320, 640, 1280],
} as const;

/** The reasons an upload is refused, in both languages (the API gives the English one). */
export const mediaProblems = {
  empty_file: {
    status: 400,
    zh: '文件是空的（0 字节）。请选择要上传的图片。',
    en: 'The file is empty (0 bytes). Choose the image to upload.',
  },
  too_large: {
    status: 413,
    zh: '文件超过 10 MiB。请缩小图片后再上传。',
    en: 'The file is larger than 10 MiB. Make the image smaller and upload it again.',
  },
  not_an_image: {
    status: 400,
    zh: '该文件不是图片：只接受 JPEG、PNG、WebP 和 GIF 图片，无论文件名是什么。',
    en: 'The file is not an image: only JPEG, PNG, WebP and GIF images are accepted, whatever the file is called.',
  },
  damaged_image: {
    status: 400,
    zh: '图片已损坏（不完整或有错误），无法读取。请重新保存图片后再上传。',
    en: 'The image is damaged (cut short or corrupt) and cannot be read. Save it again and upload the new file.',
  },
  too_many_pixels: {
    status: 400,
    zh: '图片超过 4000 万像素。请缩小图片后再上传。',
    en: 'The image has more than 40 megapixels. Make it smaller and upload it again.',
  },
} as const satisfies Record<string, { status: number } & Record<Locale, string>>;

/** The code of a refused upload. */
export type MediaProblem = keyof typeof mediaProblems;

/** The refusal of an upload, with its status, its stable code and its English message. */
export function mediaRefusal(problem: MediaProblem): DomainError {
  const { status, en } = mediaProblems[problem];
  return new DomainError(status, problem, en);
}

/** Tells whether an error is one of the library's refusals, and which. */
export function mediaProblemOf(error: unknown): MediaProblem | undefined {
  return error instanceof DomainError && error.code in mediaProblems ? (error.code as MediaProblem) : undefined;
}

type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

const formats: Record<ImageFormat, { contentType: MediaContentType; extension: string }> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
  webp: { contentType: 'image/webp', extension: 'webp' },
  gif: { contentType: 'image/gif', extension: 'gif' },
};

/** The media type a rendition key's extension stands for. */
export function contentTypeOfKey(key: string): MediaContentType | undefined {
  const extension = key.slice(key.lastIndexOf('.') + 1);
  return Object.values(formats).find((format) => format.extension === extension)?.contentType;
}

function startsWith(bytes: Buffer, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);
}

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

/** The format the bytes begin with, by their signature; the name and the declared type play no part. */
export function sniffImageFormat(bytes: Buffer): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return undefined;
}

/** A file made from an upload, ready to store. */
export interface Rendition {
  key: string;
  contentType: MediaContentType;
  width: number;
  height: number;
  body: Buffer;
}

/** An upload found to be a sound image, and the renditions made from it. */
export interface ProcessedImage {
  sha256: string;
  contentType: MediaContentType;
  /** As displayed, after the EXIF orientation. */
  width: number;
  height: number;
  bytes: number;
  renditions: Rendition[];
}

/** The widths to make for an image this wide: the standard ones, never wider than the image itself. */
export function renditionWidths(width: number): number[] {
  return [...new Set(mediaLimits.widths.map((target) => Math.min(target, width)))];
}

function encode(pipeline: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case 'webp':
      return pipeline.webp({ quality: 80 });
    case 'jpeg':
      return pipeline.jpeg({ quality: 82, progressive: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9 });
    case 'gif':
      return pipeline.gif();
  }
}

/**
 * Checks an upload and makes its renditions. Refuses an empty file, one past the size limit, one
 * whose bytes are not a JPEG, PNG, WebP or GIF (an SVG can carry script: never), one past 40
 * megapixels (read from the header, before decoding), and one that does not decode whole. The
 * renditions are re-encoded from the pixels, so no metadata (EXIF, GPS, comments) survives; the
 * EXIF orientation is applied first.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  if (bytes.length === 0) throw mediaRefusal('empty_file');
  if (bytes.length > mediaLimits.maxBytes) throw mediaRefusal('too_large');
  const format = sniffImageFormat(bytes);
  if (!format) throw mediaRefusal('not_an_image');

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw mediaRefusal('damaged_image');
  }
  if (metadata.format !== format) throw mediaRefusal('not_an_image');
  const frames = metadata.pages ?? 1;
  if (metadata.width * metadata.height * frames > mediaLimits.maxPixels) throw mediaRefusal('too_many_pixels');
  // libnsgif shows the frames it could read of a cut-short animation; a whole GIF ends with its trailer.
  if (format === 'gif' && bytes[bytes.length - 1] !== 0x3b) throw mediaRefusal('damaged_image');

  const animated = frames > 1;
  const input = () => sharp(bytes, { failOn: 'error', limitInputPixels: mediaLimits.maxPixels, animated });
  try {
    // Decode every pixel once: a header followed by a cut-short body fails here.
    await input().stats();
  } catch {
    throw mediaRefusal('damaged_image');
  }

  const displayed = metadata.autoOrient ?? { width: metadata.width, height: metadata.height };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const outputs: ImageFormat[] = format === 'webp' ? ['webp'] : ['webp', format];
  const renditions: Rendition[] = [];
  for (const width of renditionWidths(displayed.width)) {
    for (const output of outputs) {
      const pipeline = input().autoOrient().resize({ width, withoutEnlargement: true });
      const { data, info } = await encode(pipeline, output).toBuffer({ resolveWithObject: true });
      renditions.push({
        key: `${sha256}-${info.width}.${formats[output].extension}`,
        contentType: formats[output].contentType,
        width: info.width,
        height: info.pageHeight ?? info.height,
        body: data,
      });
    }
  }
  return { sha256, contentType: formats[format].contentType, width: displayed.width, height: displayed.height, bytes: bytes.length, renditions };
}
