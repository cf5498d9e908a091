import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, loadSession, requireWorkspaceSession } from '../../platform/auth.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { Pager } from '../../platform/pager.tsx';
import { formatDateTime } from '../../platform/time.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { mediaProblemOf, mediaProblems, type MediaProblem } from './media.image.ts';
import { MediaPicture } from './media.picture.tsx';
import { mediaParams, mediaQuery, mediaUploadFields } from './media.schema.ts';
import * as mediaService from './media.service.ts';
import type { Media, MediaSite } from './media.service.ts';
import { acceptImageUploads, isTooLarge, uploadedForm } from './media.upload.ts';

const mediaHref = '/workspace/media';
const itemHref = (id: number) => `${mediaHref}/${id}`;
const pageSize = 48;
const timeZone = 'Asia/Shanghai';
// After a deletion the list says so.
const listQuery = mediaQuery.extend({ deleted: z.string().optional() });

/** "12.3 KiB", "4.0 MiB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function siteOptions(locale: Locale, sites: MediaSite[]) {
  return sites.map((site) => ({ value: String(site.id), label: site.name[locale] }));
}

/** The narrowest WebP: a thumbnail for the list. */
function thumbnailOf(media: Media) {
  return media.renditions.find((rendition) => rendition.contentType === 'image/webp') ?? media.renditions[0];
}

function UploadForm(props: { frame: WorkspaceFrame; sites: MediaSite[]; form: FormState }): VNode {
  const { frame, sites, form } = props;
  const { locale } = frame;
  const fileError = form.errors.file;
  return (
    <form method="post" action={mediaHref} enctype="multipart/form-data" novalidate>
      <h2>{localized(locale, '上传图片', 'Upload an image')}</h2>
      <FormErrorSummary form={form} locale={locale} />
      <CsrfField token={frame.csrfToken} />
      <SelectField name="siteId" label={localized(locale, '网站', 'Site')} form={form} options={siteOptions(locale, sites)} required />
      <div class={fileError ? 'field invalid' : 'field'}>
        <label for="file">
          {localized(locale, '图片文件', 'Image file')}
          <span aria-hidden="true"> *</span>
        </label>
        <p class="hint" id="file-hint">
          {localized(locale, 'JPEG、PNG、WebP 或 GIF，不超过 10 MiB、4000 万像素。', 'JPEG, PNG, WebP or GIF, at most 10 MiB and 40 megapixels.')}
        </p>
        <input
          id="file"
          name="file"
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          required
          aria-invalid={fileError ? 'true' : undefined}
          aria-describedby={fileError ? 'file-hint file-error' : 'file-hint'}
        />
        {fileError ? (
          <p class="error" id="file-error">
            {fileError}
          </p>
        ) : null}
      </div>
      <TextField
        name="altZh"
        label={localized(locale, '图片说明（中文）', 'Description in Chinese')}
        hint={localized(locale, '图片的内容，供看不到图片的读者使用（读屏软件会读出）。', 'What the image shows, for readers who cannot see it (screen readers read it out).')}
        form={form}
        required
      />
      <TextField name="altEn" label={localized(locale, '图片说明（英文）', 'Description in English')} form={form} required />
      <p class="actions">
        <button class="primary" type="submit">
          {localized(locale, '上传', 'Upload')}
        </button>
      </p>
    </form>
  );
}

function ListView(props: {
  frame: WorkspaceFrame;
  page: Awaited<ReturnType<typeof mediaService.listMedia>>;
  siteId: number | undefined;
  form: FormState;
  notice?: string;
}): VNode {
  const { frame, page, siteId } = props;
  const { locale } = frame;
  const siteName = new Map(page.sites.map((site) => [site.id, site.name[locale]]));
  const filters = formState({ siteId });
  const listHref = (offset: number) => {
    const query = new URLSearchParams();
    if (siteId !== undefined) query.set('siteId', String(siteId));
    if (offset > 0) query.set('offset', String(offset));
    const text = query.toString();
    return `${mediaHref}${text ? `?${text}` : ''}`;
  };
  return (
    <WorkspaceLayout frame={frame} area="media" title={t(locale, 'media')} notice={props.notice}>
      <h1>{t(locale, 'media')}</h1>
      <UploadForm frame={frame} sites={page.sites} form={props.form} />
      <h2>{localized(locale, '图片', 'Images')}</h2>
      {page.sites.length > 1 ? (
        <form method="get" action={mediaHref} class="filters" role="search">
          <SelectField
            name="siteId"
            label={localized(locale, '网站', 'Site')}
            form={filters}
            options={[{ value: '', label: localized(locale, '全部网站', 'All sites') }, ...siteOptions(locale, page.sites)]}
          />
          <button type="submit">{localized(locale, '筛选', 'Filter')}</button>
        </form>
      ) : null}
      {page.items.length === 0 ? (
        <p class="muted">{localized(locale, '还没有图片。', 'No images yet.')}</p>
      ) : (
        <ul class="media-grid">
          {page.items.map((media) => {
            const thumbnail = thumbnailOf(media);
            return (
              <li>
                <a href={itemHref(media.id)}>
                  {thumbnail ? (
                    <img src={thumbnail.url} alt={media.alt[locale]} width={thumbnail.width} height={thumbnail.height} loading="lazy" decoding="async" />
                  ) : null}
                  <span>{media.alt[locale]}</span>
                </a>
                <span class="muted">
                  {siteName.get(media.siteId) ?? ''} · {media.width}×{media.height} · {formatBytes(media.bytes)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={listHref} />
    </WorkspaceLayout>
  );
}

function DetailView(props: { frame: WorkspaceFrame; media: Media; site: MediaSite | undefined; notice?: string }): VNode {
  const { frame, media, site } = props;
  const { locale } = frame;
  const title = media.alt[locale];
  return (
    <WorkspaceLayout frame={frame} area="media" title={title} notice={props.notice}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href={mediaHref}>{t(locale, 'media')}</a>
      </nav>
      <h1>{title}</h1>
      <MediaPicture media={media} locale={locale} class="media-preview" loading="eager" />
      <dl class="facts">
        <dt>{localized(locale, '网站', 'Site')}</dt>
        <dd>{site?.name[locale] ?? media.siteId}</dd>
        <dt>{localized(locale, '说明（中文）', 'Description in Chinese')}</dt>
        <dd lang="zh-CN">{media.alt.zh}</dd>
        <dt>{localized(locale, '说明（英文）', 'Description in English')}</dt>
        <dd lang="en">{media.alt.en}</dd>
        <dt>{localized(locale, '原文件', 'Original file')}</dt>
        <dd>
          {media.originalName || '—'} ({media.contentType}, {media.width}×{media.height}, {formatBytes(media.bytes)})
        </dd>
        <dt>{localized(locale, '上传', 'Uploaded')}</dt>
        <dd>
          {formatDateTime(media.createdAt, timeZone)}
          {media.uploaderName ? ` · ${media.uploaderName}` : ''}
        </dd>
        <dt>{localized(locale, '编号', 'Image id')}</dt>
        <dd>{media.id}</dd>
      </dl>
      <h2>{localized(locale, '各尺寸文件', 'Sizes')}</h2>
      <table>
        <thead>
          <tr>
            <th>{localized(locale, '地址', 'Address')}</th>
            <th>{localized(locale, '格式', 'Format')}</th>
            <th>{localized(locale, '尺寸', 'Size')}</th>
            <th>{localized(locale, '大小', 'File size')}</th>
          </tr>
        </thead>
        <tbody>
          {media.renditions.map((rendition) => (
            <tr>
              <td>
                <a href={rendition.url}>{rendition.url}</a>
              </td>
              <td>{rendition.contentType}</td>
              <td>
                {rendition.width}×{rendition.height}
              </td>
              <td>{formatBytes(rendition.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="actions">
        <a href={`${itemHref(media.id)}/delete`}>{t(locale, 'delete')}</a>
      </p>
    </WorkspaceLayout>
  );
}

function DeleteView(props: { frame: WorkspaceFrame; media: Media }): VNode {
  const { frame, media } = props;
  const { locale } = frame;
  const name = media.alt[locale];
  return (
    <WorkspaceLayout frame={frame} area="media" title={`${t(locale, 'delete')}: ${name}`}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href={mediaHref}>{t(locale, 'media')}</a> › <a href={itemHref(media.id)}>{name}</a>
      </nav>
      <h1>
        {t(locale, 'delete')}: {name}
      </h1>
      <p>{t(locale, 'confirmDelete', { name })}</p>
      <p>
        {localized(
          locale,
          '使用这张图片的稿件和页面将不再显示它。',
          'Updates and pages that show this image will no longer show it.',
        )}
      </p>
      <form method="post" action={`${itemHref(media.id)}/delete`} class="actions">
        <CsrfField token={frame.csrfToken} />
        <button class="danger" type="submit">
          {t(locale, 'delete')}
        </button>
        <a href={itemHref(media.id)}>{t(locale, 'cancel')}</a>
      </form>
    </WorkspaceLayout>
  );
}

function problemText(locale: Locale, problem: MediaProblem): string {
  return mediaProblems[problem][locale];
}

/**
 * The workspace's media library: the images of the sites one writes for, an upload form (alternative
 * text in both languages required), an image's sizes and addresses, and deletion with a confirmation.
 * Those who write for no site are told "not found".
 */
export const mediaPages: FastifyPluginAsyncZod = async (app) => {
  async function sendList(request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200, notice?: string) {
    const query = mediaQuery.safeParse(request.query);
    const siteId = query.success ? query.data.siteId : undefined;
    const offset = query.success ? query.data.offset : 0;
    const page = await mediaService.listMedia(app.db, actorOf(request), { siteId, limit: pageSize, offset });
    if (!form.values.siteId && page.sites[0]) form = { ...form, values: { ...form.values, siteId: String(siteId ?? page.sites[0].id) } };
    return sendWorkspacePage(reply, <ListView frame={workspaceFrame(request)} page={page} siteId={siteId} form={form} notice={notice} />, status);
  }

  await app.register(async (scope) => {
    const pages = scope.withTypeProvider<ZodTypeProvider>();
    pages.addHook('preHandler', requireWorkspaceSession);

    pages.get(mediaHref, { schema: { querystring: listQuery } }, async (request, reply) => {
      const { locale } = workspaceFrame(request);
      const notice = request.query.deleted !== undefined ? t(locale, 'deleted') : undefined;
      return sendList(request, reply, formState(), 200, notice);
    });

    pages.get(`${mediaHref}/:id`, { schema: { params: mediaParams } }, async (request, reply) => {
      const actor = actorOf(request);
      const media = await mediaService.getMedia(app.db, actor, request.params.id);
      const sites = await mediaService.listMediaSites(app.db, actor);
      const { locale } = workspaceFrame(request);
      const query = request.query as Record<string, unknown>;
      const notice =
        query.uploaded !== undefined
          ? localized(locale, '图片已上传。', 'The image was uploaded.')
          : query.existing !== undefined
            ? localized(locale, '这张图片已在本站图片库中，未重复保存。', 'This image is in the site’s library already; it was not stored twice.')
            : undefined;
      const site = sites.find((candidate) => candidate.id === media.siteId);
      return sendWorkspacePage(reply, <DetailView frame={workspaceFrame(request)} media={media} site={site} notice={notice} />);
    });

    pages.get(`${mediaHref}/:id/delete`, { schema: { params: mediaParams } }, async (request, reply) => {
      const media = await mediaService.getMedia(app.db, actorOf(request), request.params.id);
      return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} media={media} />);
    });

    pages.post(`${mediaHref}/:id/delete`, { schema: { params: mediaParams } }, async (request, reply) => {
      await mediaService.deleteMedia(app.db, app.mediaStore, actorOf(request), request.params.id);
      return reply.redirect(`${mediaHref}?deleted=1`, 303);
    });
  });

  // The upload: multipart only here, the image held in memory up to the size limit.
  await app.register(async (upload) => {
    await acceptImageUploads(upload);
    // Read no upload for someone who is not signed in: the guard's redirect comes before the body.
    upload.addHook('onRequest', async (request, reply) => {
      if (!(await loadSession(request))) return reply.redirect(`/workspace/sign-in?next=${encodeURIComponent(mediaHref)}`, 303);
      return undefined;
    });
    upload.addHook('preHandler', requireWorkspaceSession);
    upload.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (!isTooLarge(error) || !request.session) throw error;
      // The body was cut short, its fields with it: the form comes back empty with the reason.
      const { locale } = workspaceFrame(request);
      const form: FormState = { values: {}, errors: { file: problemText(locale, 'too_large') } };
      return sendList(request, reply, form, 413);
    });

    upload.post(mediaHref, async (request, reply) => {
      const actor = actorOf(request);
      const { locale } = workspaceFrame(request);
      const { fields, file } = uploadedForm(request);
      const parsed = parseForm(mediaUploadFields, fields, locale);
      const values = formState({ siteId: fields.siteId, altZh: fields.altZh, altEn: fields.altEn });
      const errors = parsed.ok ? {} : { ...parsed.form.errors };
      if (!file) errors.file = localized(locale, '请选择要上传的图片。', 'Choose the image to upload.');
      if (!parsed.ok || !file) return sendList(request, reply, { values: values.values, errors }, 400);
      try {
        const { media, created } = await mediaService.uploadMedia(app.db, app.mediaStore, actor, {
          siteId: parsed.value.siteId,
          altZh: parsed.value.altZh,
          altEn: parsed.value.altEn,
          bytes: file.bytes,
          originalName: file.filename,
        });
        return reply.redirect(`${itemHref(media.id)}?${created ? 'uploaded' : 'existing'}=1`, 303);
      } catch (error) {
        const problem = mediaProblemOf(error);
        if (!problem) throw error;
        return sendList(request, reply, { values: values.values, errors: { file: problemText(locale, problem) } }, mediaProblems[problem].status);
      }
    });
  });
};
