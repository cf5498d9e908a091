import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { SignedInClient } from './workspace.ts';

/** A file to upload: its form field, name and bytes. */
export interface UploadedFile {
  field: string;
  filename: string;
  content: Buffer | string;
  contentType?: string;
}

/** Builds a multipart/form-data body as a browser sends it, with text fields and files. */
export function multipartBody(fields: Record<string, string>, files: UploadedFile[] = []): { payload: Buffer; contentType: string } {
  const boundary = `----halfsky-test-${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType ?? 'text/csv'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts a multipart form from a signed-in browser (with its CSRF token unless `_csrf` is given). */
export function postMultipart(
  app: FastifyInstance,
  client: SignedInClient | undefined,
  url: string,
  fields: Record<string, string>,
  files: UploadedFile[],
): Promise<LightMyRequestResponse> {
  const body = multipartBody(client ? { _csrf: client.csrfToken, ...fields } : fields, files);
  return app.inject({
    method: 'POST',
    url,
    headers: { ...(client ? { cookie: client.cookie } : {}), origin: 'http://localhost:80', 'content-type': body.contentType },
    payload: body.payload,
  });
}
