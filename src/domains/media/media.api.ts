import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, apiActor, requireApiActor } from '../../platform/auth.ts';
import { badRequest } from '../../platform/errors.ts';
import { apiError, apiErrorResponses } from '../../platform/openapi.ts';
import { mediaRefusal } from './media.image.ts';
import { mediaSrcset } from './media.picture.tsx';
import { mediaListOutput, mediaOutput, mediaParams, mediaQuery, mediaUploadFields } from './media.schema.ts';
import * as mediaService from './media.service.ts';
import { acceptImageUploads, isTooLarge, uploadedForm } from './media.upload.ts';

function toOutput(media: mediaService.Media): z.infer<typeof mediaOutput> {
  const image = mediaSrcset(media);
  return {
    id: media.id,
    siteId: media.siteId,
    originalName: media.originalName,
    contentType: media.contentType,
    width: media.width,
    height: media.height,
    bytes: media.bytes,
    sha256: media.sha256,
    altZh: media.alt.zh,
    altEn: media.alt.en,
    createdAt: media.createdAt.toISOString(),
    uploaderName: media.uploaderName,
    renditions: media.renditions,
    src: image.src,
    srcset: image.srcset,
    webpSrcset: image.sources.find((source) => source.type === 'image/webp')?.srcset ?? null,
  };
}

const tags = ['media'];

/** JSON API of the media library: list, read, upload (multipart) and delete the images of the sites one writes for. */
export const mediaApi: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/media',
    {
      preHandler: requireApiActor,
      schema: {
        tags,
        summary: 'List library images',
        description: 'The images of the sites the caller writes updates for, newest first; siteId narrows to one of them.',
        querystring: mediaQuery,
        response: { 200: mediaListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const { items, total, limit, offset } = await mediaService.listMedia(app.db, actorOf(request), request.query);
      return { items: items.map(toOutput), total, limit, offset };
    },
  );

  app.get(
    '/api/v1/media/:id',
    {
      preHandler: requireApiActor,
      schema: { tags, summary: 'Read a library image', params: mediaParams, response: { 200: mediaOutput, ...apiErrorResponses } },
    },
    async (request) => toOutput(await mediaService.getMedia(app.db, actorOf(request), request.params.id)),
  );

  app.delete(
    '/api/v1/media/:id',
    {
      preHandler: requireApiActor,
      schema: {
        tags,
        summary: 'Delete a library image',
        description: 'Its files go too, unless the same upload is in another site’s library.',
        params: mediaParams,
        response: { 204: z.null().describe('Deleted'), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      await mediaService.deleteMedia(app.db, app.mediaStore, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  // The upload: multipart only here, the image held in memory up to the size limit.
  await app.register(async (upload) => {
    await acceptImageUploads(upload);
    // Credentials before the body: nobody unknown gets ten megabytes read (the CSRF token comes as a header).
    upload.addHook('onRequest', async (request) => {
      await apiActor(request);
    });
    upload.setErrorHandler(async (error: FastifyError) => {
      throw isTooLarge(error) ? mediaRefusal('too_large') : error;
    });

    upload.post(
      '/api/v1/media',
      {
        schema: {
          tags,
          summary: 'Upload an image',
          description:
            'multipart/form-data with the fields siteId, altZh and altEn (what the image shows, 1–500 characters each) and ' +
            'one file: a JPEG, PNG, WebP or GIF of at most 10 MiB and 40 megapixels, told by its bytes. It is stored as ' +
            'renditions 320, 640 and 1280 wide (never wider than the original), as WebP and in its own format, without ' +
            'its metadata. 201 with the new image; 200 with the one already there when the same file was uploaded to the ' +
            'site before. Refusals: 400 empty_file, not_an_image, damaged_image, too_many_pixels; 413 too_large.',
          consumes: ['multipart/form-data'],
          response: { 200: mediaOutput, 201: mediaOutput, ...apiErrorResponses, 413: apiError },
        },
      },
      async (request, reply) => {
        const { fields, file } = uploadedForm(request);
        const parsed = mediaUploadFields.safeParse(fields);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid value'}`, 'invalid_request');
        }
        if (!file) throw badRequest('file: send the image as a multipart file part.', 'file_required');
        const { media, created } = await mediaService.uploadMedia(app.db, app.mediaStore, actorOf(request), {
          ...parsed.data,
          bytes: file.bytes,
          originalName: file.filename,
        });
        return reply.code(created ? 201 : 200).send(toOutput(media));
      },
    );
  });
};
