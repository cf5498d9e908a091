import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, apiActor, requireApiActor } from '../../platform/auth.ts';
import { badRequest } from '../../platform/errors.ts';
import { apiError, apiErrorResponses } from '../../platform/openapi.ts';
import { acceptFileUploads, isTooLarge, uploadedForm } from '../media/media.upload.ts';
import { sendDocumentFile } from './document-file.pages.tsx';
import * as documentFileService from './document-file.service.ts';
import { documentFileLimits, refuseFile, type DocumentFile } from './document-file.service.ts';

const tags = ['agreements'];
const id = z.coerce.number().int().positive().max(2_147_483_647);
const documentParams = z.object({ id });
const fileParams = z.object({ id, fileId: id });

const documentFileOutput = z.object({
  id: z.number().int(),
  documentId: z.number().int(),
  locale: z.enum(['zh', 'en']),
  name: z.string(),
  bytes: z.number().int(),
  createdAt: z.string(),
});

function toOutput(file: DocumentFile): z.infer<typeof documentFileOutput> {
  return { ...file, createdAt: file.createdAt.toISOString() };
}

/** JSON API of the files of agreements and circulars. */
export const documentFileApi: FastifyPluginAsyncZod = async (app) => {
  await app.register(async (scope) => {
    const routes = scope.withTypeProvider<ZodTypeProvider>();
    routes.addHook('preHandler', requireApiActor);

    routes.get(
      '/api/v1/documents/:id/files',
      { schema: { tags, summary: "List a document's files", params: documentParams, response: { 200: z.object({ items: z.array(documentFileOutput) }), ...apiErrorResponses } } },
      async (request) => ({ items: (await documentFileService.listDocumentFiles(app.db, actorOf(request), request.params.id)).map(toOutput) }),
    );

    routes.get(
      '/api/v1/documents/:id/files/:fileId',
      {
        schema: {
          tags,
          summary: "Download a document's file",
          description: 'The PDF as uploaded, as an attachment under its name.',
          params: fileParams,
          produces: ['application/pdf'],
          response: { 200: z.string(), ...apiErrorResponses },
        },
      },
      async (request, reply) => sendDocumentFile(reply, await documentFileService.readDocumentFile(app.db, app.mediaStore, actorOf(request), request.params.id, request.params.fileId)),
    );

    routes.delete(
      '/api/v1/documents/:id/files/:fileId',
      { schema: { tags, summary: "Remove a document's file", description: 'Audited.', params: fileParams, response: { 204: z.null(), ...apiErrorResponses } } },
      async (request, reply) => {
        await documentFileService.removeDocumentFile(app.db, app.mediaStore, actorOf(request), request.params.id, request.params.fileId);
        return reply.code(204).send(null);
      },
    );
  });

  // The upload: multipart only here, the file held in memory up to the size limit.
  await app.register(async (scope) => {
    await acceptFileUploads(scope, documentFileLimits.maxBytes);
    // Credentials before the body: nobody unknown gets twenty megabytes read.
    scope.addHook('onRequest', async (request) => {
      await apiActor(request);
    });
    scope.setErrorHandler(async (error: FastifyError) => {
      throw isTooLarge(error) ? refuseFile('too_large') : error;
    });
    const routes = scope.withTypeProvider<ZodTypeProvider>();
    routes.post(
      '/api/v1/documents/:id/files',
      {
        schema: {
          tags,
          summary: 'Add a PDF to a document',
          description:
            'multipart/form-data with the field locale (zh or en: the language version it is the file of) and one file: a PDF, told by ' +
            'its first bytes, of at most 20 MiB. Staff of the issuer or of a party only (else 404). Refusals: 400 empty_file, ' +
            'not_a_pdf; 413 too_large. Audited.',
          consumes: ['multipart/form-data'],
          params: documentParams,
          response: { 201: documentFileOutput, ...apiErrorResponses, 413: apiError },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        await documentFileService.assertMayChangeFiles(app.db, actor, request.params.id);
        const { fields, file } = uploadedForm(request);
        const locale = z.enum(['zh', 'en']).safeParse(fields.locale);
        if (!locale.success) throw badRequest('locale: zh or en, the language version the file is of.', 'invalid_request');
        if (!file) throw badRequest('file: send the PDF as a multipart file part.', 'file_required');
        const added = await documentFileService.addDocumentFile(app.db, app.mediaStore, actor, request.params.id, {
          locale: locale.data,
          bytes: file.bytes,
          originalName: file.filename,
        });
        return reply.code(201).send(toOutput(added));
      },
    );
  });
};
