import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { mediaLimits } from './media.image.ts';

/** An upload as read from a multipart body: its text fields, and the file if one came. */
export interface UploadedForm {
  fields: Record<string, string>;
  file: { bytes: Buffer; filename: string } | undefined;
}

// The file's name as the browser sent it: the key-value body keeps only the bytes.
const fileNames = new WeakMap<FastifyRequest, string>();

/**
 * Lets the routes of `scope` take a multipart upload of one file: it is read into memory up to
 * `maxBytes` and no further (busboy drops the rest of the stream and the request fails with
 * FST_REQ_FILE_TOO_LARGE, a 413), with a few short text fields beside it.
 */
export async function acceptFileUploads(scope: FastifyInstance, maxBytes: number): Promise<void> {
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxBytes, files: 1, fields: 8, parts: 9, fieldSize: 4096, headerPairs: 50 },
    async onFile(this: FastifyRequest, part: MultipartFile) {
      fileNames.set(this, part.filename);
      await part.toBuffer();
    },
  });
}

/** Lets the routes of `scope` take a multipart upload of one image, up to the media library's limit. */
export async function acceptImageUploads(scope: FastifyInstance): Promise<void> {
  await acceptFileUploads(scope, mediaLimits.maxBytes);
}

/** Tells whether a request failed because its file passed the size limit. */
export function isTooLarge(error: FastifyError): boolean {
  return error.code === 'FST_REQ_FILE_TOO_LARGE';
}

/** The text fields and the file of a multipart upload (any other body gives its text fields and no file). */
export function uploadedForm(request: FastifyRequest): UploadedForm {
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const fields: Record<string, string> = {};
  let file: UploadedForm['file'];
  for (const [name, value] of Object.entries(body)) {
    if (Buffer.isBuffer(value)) file = { bytes: value, filename: fileNames.get(request) ?? '' };
    else if (typeof value === 'string' || typeof value === 'number') fields[name] = String(value);
  }
  return { fields, file };
}
