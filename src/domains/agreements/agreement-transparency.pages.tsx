import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { renderDocument } from '../../platform/html.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { formatDate } from '../../platform/time.ts';
import { Frame, portalContext, portalHref, type PortalContext } from '../articles/article.pages.tsx';
import { portalParams } from '../articles/article.schema.ts';
import { organizationName } from '../organizations/organization.pages.tsx';
import { countsText, figureCharts, MeasuresFigure, measureFigureRows, organizationFigureRows, PartiesFigure, type FiguresRow } from './agreement-dashboard.view.tsx';
import * as transparencyService from './agreement-transparency.service.ts';
import type { PublicDocumentItem, PublishedReport, TransparencyPage } from './agreement-transparency.service.ts';
import { documentTitle, kindName, langOf, ProgressBar } from './agreement.view.tsx';
import { DocumentFileList, sendDocumentFile } from './document-file.pages.tsx';
import * as documentFileService from './document-file.service.ts';
import type { DocumentFile } from './document-file.service.ts';

/** Addresses of the public transparency pages, relative to the host like portalHref's: /<lang>/agreements and /<lang>/agreements/<id>. */
export const transparencyHref = {
  list: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale): string => `${portalHref.home(ctx, locale)}agreements`,
  document: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, id: number): string => `${portalHref.home(ctx, locale)}agreements/${id}`,
};

const documentParams = portalParams.extend({ id: z.string() });
/** What a document number in an address looks like; anything else names no document. */
const documentNumber = /^[1-9][0-9]{0,8}$/;

function Crumbs(props: { ctx: PortalContext; document?: { titleZh: string; titleEn: string } }): VNode {
  const { ctx, document } = props;
  const { locale } = ctx;
  const listName = localized(locale, '协议落实情况', 'Agreements in progress');
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <ol>
        <li>
          <a href={portalHref.home(ctx, locale)}>{t(locale, 'home')}</a>
        </li>
        <li>{document ? <a href={transparencyHref.list(ctx, locale)}>{listName}</a> : <span aria-current="page">{listName}</span>}</li>
        {document ? (
          <li>
            <span aria-current="page">{documentTitle(locale, document)}</span>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

/** The site's public documents, each with its overall progress. */
function ListView(props: { ctx: PortalContext; documents: PublicDocumentItem[] }): VNode {
  const { ctx } = props;
  const { locale } = ctx;
  const title = localized(locale, '协议落实情况', 'Agreements in progress');
  return (
    <Frame ctx={ctx} title={title} hrefIn={(l) => transparencyHref.list(ctx, l)}>
      <Crumbs ctx={ctx} />
      <h1>{title}</h1>
      {props.documents.length > 0 ? (
        <ul class="list">
          {props.documents.map((document) => (
            <li>
              <a href={transparencyHref.document(ctx, locale, document.id)} lang={langOf(locale, document.titleZh, document.titleEn)}>
                {documentTitle(locale, document)}
              </a>{' '}
              <ProgressBar locale={locale} progress={document.progress} label={localized(locale, '总体进度', 'Overall progress')} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{localized(locale, '暂无公开的协议。', 'No agreement is public yet.')}</p>
      )}
    </Frame>
  );
}

function reportHref(ctx: PortalContext, report: PublishedReport): string {
  return report.siteId === ctx.site.id ? portalHref.article(ctx, ctx.locale, report.slug) : `/sites/${report.siteSlug}/${ctx.locale}/articles/${report.slug}`;
}

/** A document's public page: its facts, progress by measure and by party as pictures and tables, the published reports. */
function DocumentView(props: { ctx: PortalContext; page: TransparencyPage; files: DocumentFile[]; charts: { measures: string[]; parties: string[] } }): VNode {
  const { ctx, page } = props;
  const { locale } = ctx;
  const { document } = page;
  const title = documentTitle(locale, document);
  const owners = document.issuer ? [document.issuer] : document.parties;
  return (
    <Frame ctx={ctx} title={title} hrefIn={(l) => transparencyHref.document(ctx, l, document.id)}>
      <Crumbs ctx={ctx} document={document} />
      <article class="transparency">
        <h1 lang={langOf(locale, document.titleZh, document.titleEn)}>{title}</h1>
        <dl class="facts">
          <dt>{t(locale, 'kind')}</dt>
          <dd>{kindName(locale, document.kind)}</dd>
          <dt>{document.kind === 'agreement' ? localized(locale, '签约方', 'Parties') : localized(locale, '发文单位', 'Issued by')}</dt>
          <dd>{owners.map((owner) => organizationName(locale, owner)).join(localized(locale, '、', ', '))}</dd>
          <dt>{document.kind === 'agreement' ? localized(locale, '签订日期', 'Signed on') : localized(locale, '印发日期', 'Issued on')}</dt>
          <dd>
            <time dateTime={document.signedOn}>{document.signedOn}</time>
          </dd>
          {document.startsOn || document.endsOn ? (
            <>
              <dt>{localized(locale, '期限', 'Term')}</dt>
              <dd>
                {document.startsOn ?? t(locale, 'dateNotKnown')} – {document.endsOn ?? t(locale, 'dateNotKnown')}
              </dd>
            </>
          ) : null}
          <dt>{localized(locale, '总体进度', 'Overall progress')}</dt>
          <dd>
            <ProgressBar locale={locale} progress={page.overall.progress} label={localized(locale, '总体进度', 'Overall progress')} />{' '}
            {localized(locale, `（${page.overall.counted} 项承诺，按权重计）`, `(${page.overall.counted} commitments, by weight)`)}
          </dd>
          <dt>{localized(locale, '承诺状态', 'Commitments')}</dt>
          <dd>{countsText(locale, page.overall)}</dd>
          <dt>{localized(locale, '统计日期', 'As of')}</dt>
          <dd>
            <time dateTime={page.day}>{page.day}</time>
          </dd>
        </dl>
        <h2>{localized(locale, '各项措施', 'Measures')}</h2>
        <MeasuresFigure locale={locale} charts={props.charts.measures} rows={measureRows(locale, page, false)} total={page.overall} />
        {page.parties.length > 0 ? (
          <>
            <h2>{document.kind === 'agreement' ? localized(locale, '各签约方', 'By party') : localized(locale, '各单位', 'By federation')}</h2>
            <PartiesFigure
              locale={locale}
              caption={localized(locale, '各方承诺（含其下属单位）的进度', 'Progress of the commitments of each, with its units')}
              charts={props.charts.parties}
              rows={partyRows(locale, page)}
            />
          </>
        ) : null}
        {props.files.length > 0 ? (
          <>
            <h2>{localized(locale, '文件', 'Files')}</h2>
            <DocumentFileList locale={locale} files={props.files} hrefOf={(file) => `${transparencyHref.document(ctx, locale, document.id)}/files/${file.id}`} />
          </>
        ) : null}
        <h2>{localized(locale, '相关报道', 'Published reports')}</h2>
        {page.reports.length > 0 ? (
          <ul class="list">
            {page.reports.map((report) => (
              <li>
                <a href={reportHref(ctx, report)}>{report.title}</a>{' '}
                <time dateTime={report.publishAt.toISOString()}>{formatDate(report.publishAt, ctx.site.timeZone)}</time>
              </li>
            ))}
          </ul>
        ) : (
          <p>{localized(locale, '暂无相关报道。', 'No report published yet.')}</p>
        )}
      </article>
    </Frame>
  );
}

function measureRows(locale: Locale, page: TransparencyPage, topOnly: boolean): FiguresRow[] {
  return measureFigureRows(locale, page.measures, topOnly);
}

function partyRows(locale: Locale, page: TransparencyPage): FiguresRow[] {
  return organizationFigureRows(page.parties, (organization) => organizationName(locale, organization));
}

function sendHtml(reply: FastifyReply, html: string): FastifyReply {
  return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/**
 * /:lang/agreements and /:lang/agreements/:id on every site: the public transparency pages of the
 * documents marked public that the site's federation signed or issued. Read per request (progress
 * changes in the workspace, which announces nothing to the portal's cache); the charts are kept by content.
 */
export const transparencyPages: FastifyPluginAsync = async (app) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/:lang/agreements', { schema: { params: portalParams } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const documents = await transparencyService.listPublicDocuments(app.db, ctx.site.id);
    return sendHtml(reply, renderDocument(<ListView ctx={ctx} documents={documents} />));
  });

  routes.get('/:lang/agreements/:id', { schema: { params: documentParams } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    if (!documentNumber.test(request.params.id)) throw notFound('No public document of this site has this number.');
    const now = new Date();
    const page = await transparencyService.readTransparencyPage(app.db, ctx.site.id, Number(request.params.id), ctx.locale, now);
    const { locale } = ctx;
    const [measures, parties, files] = await Promise.all([
      figureCharts(locale, localized(locale, '各项措施', 'Measures'), measureRows(locale, page, true)),
      figureCharts(locale, localized(locale, '各方', 'By party'), partyRows(locale, page)),
      documentFileService.listPublicDocumentFiles(app.db, ctx.site.id, page.document.id),
    ]);
    return sendHtml(reply, renderDocument(<DocumentView ctx={ctx} page={page} files={files} charts={{ measures, parties }} />));
  });

  routes.get('/:lang/agreements/:id/files/:fileId', { schema: { params: documentParams.extend({ fileId: z.string() }) } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const { id, fileId } = request.params;
    if (!documentNumber.test(id) || !documentNumber.test(fileId)) throw notFound('No public document of this site has this file.');
    return sendDocumentFile(reply, await documentFileService.readPublicDocumentFile(app.db, app.mediaStore, ctx.site.id, Number(id), Number(fileId)));
  });
};
