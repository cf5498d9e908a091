import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, loadSession, requireWorkspaceSession } from '../../platform/auth.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { notFound } from '../../platform/errors.ts';
import { CsrfField, FieldFrame, FormErrorSummary, SelectField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { formatBytes } from '../media/media.pages.tsx';
import { acceptFileUploads, isTooLarge, uploadedForm } from '../media/media.upload.ts';
import { AgreementRuleError } from './agreement.rules.ts';
import * as agreementService from './agreement.service.ts';
import { agreementsHref, Crumbs, documentHref } from './agreement.view.tsx';
import * as documentFileService from './document-file.service.ts';
import { documentFileLimits, refuseFile, type DocumentFile, type DocumentFileDownload } from './document-file.service.ts';

const fileParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647), fileId: z.coerce.number().int().positive().max(2_147_483_647) });
const documentParams = fileParams.pick({ id: true });
const languageField = z.enum(['zh', 'en']);

const versionNames: Record<Locale, { zh: string; en: string }> = { zh: { zh: '中文版', en: 'Chinese version' }, en: { zh: '英文版', en: 'English version' } };

/** The address of a document's file in the workspace. */
export const documentFileHref = (documentId: number, fileId: number): string => `${documentHref(documentId)}/files/${fileId}`;

/** Sends a file as a download under its own name: a PDF, never shown in the page's origin. */
export function sendDocumentFile(reply: FastifyReply, file: DocumentFileDownload): FastifyReply {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

/** The files of a document as a list of downloads: on its workspace page (with their controls) and its public page. */
export function DocumentFileList(props: { locale: Locale; files: DocumentFile[]; hrefOf: (file: DocumentFile) => string; deleteHrefOf?: (file: DocumentFile) => string }): VNode {
  const { locale } = props;
  return (
    <ul class="document-files">
      {props.files.map((file) => (
        <li id={`file-${file.id}`}>
          <a href={props.hrefOf(file)} download={file.name}>
            {file.name}
          </a>
          <span class="muted">
            {' '}
            · {localized(locale, versionNames[file.locale].zh, versionNames[file.locale].en)} · PDF, {formatBytes(file.bytes)}
          </span>
          {props.deleteHrefOf ? (
            <>
              {' '}
              <a href={props.deleteHrefOf(file)}>{t(locale, 'delete')}</a>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The document page's "Files" section. */
export function DocumentFilesSection(props: { locale: Locale; documentId: number; files: DocumentFile[]; editable: boolean }): VNode | null {
  const { locale, documentId } = props;
  if (props.files.length === 0 && !props.editable) return null;
  return (
    <section aria-labelledby="files">
      <h2 id="files">{localized(locale, '文件', 'Files')}</h2>
      {props.files.length > 0 ? (
        <DocumentFileList
          locale={locale}
          files={props.files}
          hrefOf={(file) => documentFileHref(documentId, file.id)}
          deleteHrefOf={props.editable ? (file) => `${documentFileHref(documentId, file.id)}/delete` : undefined}
        />
      ) : (
        <p class="muted">{localized(locale, '尚未上传文件。', 'No file yet.')}</p>
      )}
      {props.editable ? (
        <p class="actions">
          <a class="button" href={`${documentHref(documentId)}/files/new`}>
            {localized(locale, '上传 PDF', 'Add a PDF')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function FileFormView(props: { frame: WorkspaceFrame; document: { id: number; titleZh: string; titleEn: string }; form: FormState }): VNode {
  const { frame, document, form } = props;
  const { locale } = frame;
  const title = localized(locale, '上传 PDF', 'Add a PDF');
  const maxMiB = documentFileLimits.maxBytes / 1024 / 1024;
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <Crumbs locale={locale} document={document} />
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={`${documentHref(document.id)}/files`} enctype="multipart/form-data" novalidate>
        <CsrfField token={frame.csrfToken} />
        <FieldFrame
          name="file"
          label={localized(locale, 'PDF 文件', 'PDF file')}
          hint={localized(locale, `签署或印发的文件，不超过 ${maxMiB} MiB。`, `The document as signed or issued, at most ${maxMiB} MiB.`)}
          form={form}
          required
        >
          <input id="file" name="file" type="file" accept="application/pdf,.pdf" required aria-invalid={form.errors.file ? 'true' : undefined} />
        </FieldFrame>
        <SelectField
          name="locale"
          label={localized(locale, '语言版本', 'Language version')}
          form={form}
          options={(['zh', 'en'] as const).map((version) => ({ value: version, label: localized(locale, versionNames[version].zh, versionNames[version].en) }))}
        />
        <p class="actions">
          <button class="primary" type="submit">
            {localized(locale, '上传', 'Upload')}
          </button>
          <a href={`${documentHref(document.id)}#files`}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

/** The workspace pages of a document's files: add (a PDF upload), download, delete with a confirmation. */
export const documentFilePages: FastifyPluginAsyncZod = async (app) => {
  async function sendForm(request: FastifyRequest, reply: FastifyReply, documentId: number, form: FormState, status = 200) {
    const document = await agreementService.getDocument(app.db, actorOf(request), documentId);
    return sendWorkspacePage(reply, <FileFormView frame={workspaceFrame(request)} document={document} form={form} />, status);
  }

  await app.register(async (scope) => {
    const pages = scope.withTypeProvider<ZodTypeProvider>();
    pages.addHook('preHandler', requireWorkspaceSession);

    pages.get(`${agreementsHref}/:id/files/new`, { schema: { params: documentParams } }, async (request, reply) => {
      await documentFileService.assertMayChangeFiles(app.db, actorOf(request), request.params.id);
      return sendForm(request, reply, request.params.id, { values: { locale: workspaceFrame(request).locale }, errors: {} });
    });

    pages.get(`${agreementsHref}/:id/files/:fileId`, { schema: { params: fileParams } }, async (request, reply) =>
      sendDocumentFile(reply, await documentFileService.readDocumentFile(app.db, app.mediaStore, actorOf(request), request.params.id, request.params.fileId)),
    );

    pages.get(`${agreementsHref}/:id/files/:fileId/delete`, { schema: { params: fileParams } }, async (request, reply) => {
      const frame = workspaceFrame(request);
      const { id, fileId } = request.params;
      await documentFileService.assertMayChangeFiles(app.db, actorOf(request), id);
      const file = (await documentFileService.listDocumentFiles(app.db, actorOf(request), id)).find((entry) => entry.id === fileId);
      if (!file) throw notFound();
      return sendWorkspacePage(
        reply,
        <ConfirmPage
          frame={frame}
          area="agreements"
          title={`${t(frame.locale, 'delete')}: ${file.name}`}
          text={t(frame.locale, 'confirmDelete', { name: file.name })}
          action={`${documentFileHref(id, fileId)}/delete`}
          back={`${documentHref(id)}#files`}
          button={t(frame.locale, 'delete')}
        />,
      );
    });

    pages.post(`${agreementsHref}/:id/files/:fileId/delete`, { schema: { params: fileParams } }, async (request, reply) => {
      await documentFileService.removeDocumentFile(app.db, app.mediaStore, actorOf(request), request.params.id, request.params.fileId);
      return reply.redirect(`${documentHref(request.params.id)}#files`, 303);
    });
  });

  // The upload: multipart only here, the file held in memory up to the size limit.
  await app.register(async (scope) => {
    await acceptFileUploads(scope, documentFileLimits.maxBytes);
    const upload = scope.withTypeProvider<ZodTypeProvider>();
    // Read no upload for someone who is not signed in: the guard's redirect comes before the body.
    upload.addHook('onRequest', async (request, reply) => {
      if (!(await loadSession(request))) return reply.redirect('/workspace/sign-in', 303);
      return undefined;
    });
    upload.addHook('preHandler', requireWorkspaceSession);
    upload.setErrorHandler(async (error: FastifyError, request, reply) => {
      const id = Number((request.params as { id?: string }).id);
      if (!isTooLarge(error) || !request.session || !Number.isInteger(id)) throw error;
      const refusal = refuseFile('too_large');
      return sendForm(request, reply, id, { values: {}, errors: { file: refusal.text[workspaceFrame(request).locale] } }, refusal.status);
    });

    upload.post(`${agreementsHref}/:id/files`, { schema: { params: documentParams } }, async (request, reply) => {
      const actor = actorOf(request);
      const { locale } = workspaceFrame(request);
      const { id } = request.params;
      // Refused before the file is looked at, so that a reader cannot tell a document she may not change from another.
      await documentFileService.assertMayChangeFiles(app.db, actor, id);
      const { fields, file } = uploadedForm(request);
      const version = languageField.safeParse(fields.locale);
      const values = { locale: fields.locale ?? '' };
      if (!file || !version.success) {
        const errors: Record<string, string> = {};
        if (!file) errors.file = localized(locale, '请选择要上传的 PDF 文件。', 'Choose the PDF to upload.');
        if (!version.success) errors.locale = localized(locale, '请选择语言版本。', 'Choose the language version.');
        return sendForm(request, reply, id, { values, errors }, 400);
      }
      try {
        const added = await documentFileService.addDocumentFile(app.db, app.mediaStore, actor, id, { locale: version.data, bytes: file.bytes, originalName: file.filename });
        return reply.redirect(`${documentHref(id)}#file-${added.id}`, 303);
      } catch (error) {
        if (!(error instanceof AgreementRuleError)) throw error;
        return sendForm(request, reply, id, { values, errors: { file: error.text[locale] } }, error.status);
      }
    });
  });
};
