import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, loadSession, requireWorkspaceSession } from '../../platform/auth.ts';
import { notFound } from '../../platform/errors.ts';
import { CsrfField } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import {
  agreementCsvColumns,
  agreementImportLimits,
  exportAgreementCsv,
  importAgreementCsv,
  importMessages,
  mayImportDocument,
  type AgreementImportReport,
  type ImportedRecord,
} from './agreement.import.ts';
import type { Bilingual } from './agreement.rules.ts';
import { idParams } from './agreement.schema.ts';
import * as agreementService from './agreement.service.ts';
import type { AgreementDocument } from './agreement.service.ts';
import { agreementsHref, commitmentHref, Crumbs, documentHref, documentTitle, inLocale, measureLabel, textIn } from './agreement.view.tsx';

/** The address of a document's import and export page. */
export const importHref = (id: number): string => `${documentHref(id)}/import`;
/** The address of a document's CSV export. */
export const exportHref = (id: number): string => `${documentHref(id)}/export.csv`;

/** The file name of a document's export, with today's date. */
export function exportFileName(documentId: number): string {
  return `agreement-${documentId}-${new Date().toISOString().slice(0, 10)}.csv`;
}

/** The status an import's answer carries: 413 too large, 400 an unreadable file, 422 refused rows in a real import. */
export function importStatus(report: AgreementImportReport, file: Uint8Array): number {
  if (report.fileProblem) return file.length > agreementImportLimits.maxBytes ? 413 : 400;
  return report.refused.length > 0 && !report.dryRun ? 422 : 200;
}

/** How many rows of each kind the report lists; the counts cover them all. */
const reportListLimit = 200;

function More(props: { locale: Locale; count: number }): VNode | null {
  return props.count > reportListLimit ? <p class="muted">{localized(props.locale, `仅列出前 ${reportListLimit} 行。`, `The first ${reportListLimit} are listed.`)}</p> : null;
}

function Alert(props: { locale: Locale; problem: Bilingual }): VNode {
  return (
    <div class="alert error" role="alert">
      <p>{inLocale(props.locale, props.problem)}</p>
    </div>
  );
}

/** What a row adds or changes: its record, named and linked where it is stored, and its changes. */
function RecordRows(props: { locale: Locale; title: string; records: ImportedRecord[]; changes: boolean }): VNode | null {
  const { locale, records } = props;
  if (records.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{localized(locale, '行', 'Row')}</th>
            <th scope="col">{localized(locale, '记录', 'Record')}</th>
            <th scope="col">{localized(locale, '措施 / 承诺', 'Measure / commitment')}</th>
            {props.changes ? <th scope="col">{t(locale, 'changes')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {records.slice(0, reportListLimit).map((record) => {
            const name = record.record === 'measure' ? measureLabel(locale, { number: record.measureNumber, titleZh: record.nameZh, titleEn: record.nameEn }) : textIn(locale, record.nameZh, record.nameEn);
            return (
              <tr class={props.changes ? 'updated' : 'added'}>
                <td>{record.row}</td>
                <td>{record.record === 'measure' ? localized(locale, '措施', 'Measure') : localized(locale, '承诺', 'Commitment')}</td>
                <td>
                  {record.record === 'commitment' && record.id !== null ? <a href={commitmentHref(record.id)}>{name}</a> : name}
                  {record.record === 'commitment' ? <span class="muted"> · {localized(locale, `措施 ${record.measureNumber}`, `measure ${record.measureNumber}`)}</span> : null}
                </td>
                {props.changes ? (
                  <td>
                    {record.changes.map((change) => (
                      <div>
                        <code>{change.field}</code>: {change.before || '—'} → {change.after || '—'}
                      </div>
                    ))}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      <More locale={locale} count={records.length} />
    </>
  );
}

function share(value: number | null): string {
  return value === null ? '—' : `${value}%`;
}

/** The weight counted under each measure and its share of the document, before → after. */
function WeightsTable(props: { locale: Locale; report: AgreementImportReport }): VNode | null {
  const { locale, report } = props;
  if (report.weights.length === 0) return null;
  return (
    <>
      <h3>{localized(locale, '各措施的权重', 'Weights by measure')}</h3>
      <p class="muted">
        {localized(
          locale,
          '权重是相对的：措施的进度是其下各项承诺（含下级措施）按权重的平均值，权重之和不必等于某个总数。下表为计入进度的权重（已取消的不计）及其占全文件的比例。',
          'Weights are relative: a measure’s progress is the weighted mean of the commitments below it (its measures below included), so they need not add up to any total. Below, the weight counted (dropped commitments left out) and its share of the document.',
        )}
      </p>
      <table class="weights">
        <thead>
          <tr>
            <th scope="col">{localized(locale, '措施', 'Measure')}</th>
            <th scope="col">{localized(locale, '权重', 'Weight')}</th>
            <th scope="col">{localized(locale, '占全文件', 'Share of the document')}</th>
          </tr>
        </thead>
        <tbody>
          {report.weights.slice(0, reportListLimit).map((weight) => (
            <tr class={weight.before === weight.after && weight.shareBefore === weight.shareAfter ? undefined : 'changed'}>
              <td>{measureLabel(locale, weight)}</td>
              <td>{weight.before === weight.after ? weight.after : `${weight.before} → ${weight.after}`}</td>
              <td>{weight.shareBefore === weight.shareAfter ? share(weight.shareAfter) : `${share(weight.shareBefore)} → ${share(weight.shareAfter)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More locale={locale} count={report.weights.length} />
    </>
  );
}

function ReportView(props: { locale: Locale; report: AgreementImportReport }): VNode {
  const { locale, report } = props;
  if (report.fileProblem) return <Alert locale={locale} problem={report.fileProblem} />;
  const refusedCount = report.refused.length;
  const summary = localized(
    locale,
    `共 ${report.rows} 行：新增 ${report.added.length}，修改 ${report.updated.length}，无变化 ${report.unchanged}，拒绝 ${refusedCount}。`,
    `${report.rows} rows: ${report.added.length} to add, ${report.updated.length} to change, ${report.unchanged} unchanged, ${refusedCount} refused.`,
  );
  const outcome = report.dryRun
    ? localized(locale, '试运行：未写入任何内容。', 'Dry run: nothing was written.')
    : report.written
      ? localized(locale, '已导入。', 'Imported.')
      : localized(locale, '有被拒绝的行，因此未写入任何内容。请修改文件后重新导入。', 'Some rows are refused, so nothing was written. Correct the file and import it again.');
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{localized(locale, '导入报告', 'Import report')}</h2>
      <div class={refusedCount > 0 ? 'alert error' : 'alert ok'} role={refusedCount > 0 ? 'alert' : 'status'}>
        <p>{outcome}</p>
        <p>{summary}</p>
      </div>
      {refusedCount > 0 ? (
        <>
          <h3>{localized(locale, '被拒绝的行', 'Refused rows')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{localized(locale, '行', 'Row')}</th>
                <th scope="col">{localized(locale, '原因', 'Reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.refused.slice(0, reportListLimit).map((refused) => (
                <tr class="refused">
                  <td>{refused.row}</td>
                  <td>{refused.problems.map((problem) => inLocale(locale, problem)).join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <More locale={locale} count={refusedCount} />
        </>
      ) : null}
      <RecordRows locale={locale} title={report.written ? localized(locale, '新增', 'Added') : localized(locale, '将新增', 'To add')} records={report.added} changes={false} />
      <RecordRows locale={locale} title={report.written ? localized(locale, '已修改', 'Changed') : localized(locale, '将修改', 'To change')} records={report.updated} changes />
      <WeightsTable locale={locale} report={report} />
    </section>
  );
}

function ImportView(props: { frame: WorkspaceFrame; document: AgreementDocument; mayImport: boolean; dryRun: boolean; report?: AgreementImportReport; problem?: Bilingual }): VNode {
  const { frame, document } = props;
  const { locale } = frame;
  const title = localized(locale, '导入与导出 CSV', 'Import / Export CSV');
  const mib = agreementImportLimits.maxBytes / 1024 / 1024;
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={`${title} · ${documentTitle(locale, document)}`}>
      <Crumbs locale={locale} document={document} />
      <h1>{title}</h1>
      {props.problem ? <Alert locale={locale} problem={props.problem} /> : null}
      <h2>{localized(locale, '导出', 'Export')}</h2>
      <p>
        <a href={exportHref(document.id)} download>
          {localized(locale, '导出措施与承诺（CSV）', 'Export the measures and commitments (CSV)')}
        </a>{' '}
        —{' '}
        {localized(
          locale,
          'UTF-8（带 BOM），可用 Excel 打开；每项措施一行，其后是它的各项承诺，修改后可重新导入。',
          'UTF-8 with a byte-order mark; opens in Excel. A row per measure followed by its commitments; it imports again after editing.',
        )}
      </p>
      <h2>{localized(locale, '导入', 'Import')}</h2>
      {props.mayImport ? (
        <>
          <p>
            {localized(
              locale,
              `上传 UTF-8 编码的 CSV 文件（Excel：“另存为”→“CSV UTF-8（逗号分隔）”），不超过 ${mib} MiB、${agreementImportLimits.maxRows.toLocaleString('en')} 行。`,
              `Upload a UTF-8 CSV file (Excel: Save As → "CSV UTF-8 (Comma delimited)") of at most ${mib} MiB and ${agreementImportLimits.maxRows.toLocaleString('en')} rows.`,
            )}
          </p>
          <p>
            {localized(locale, '列：', 'Columns: ')}
            <code>{agreementCsvColumns.join(',')}</code>
            {localized(
              locale,
              '。record 为 measure（措施）或 commitment（承诺）。措施行按 measure_number（本文件内的编号）对应已有措施，没有则新增；parent_number 为上级措施的编号（须已存在或在文件中更靠前），dimensions、topics 为代码，以 ; 分隔。承诺行的 commitment_id 为空表示新增，否则修改该编号的承诺；measure_number 为其措施的编号；responsible、partners 为组织标识；status 为 not_started、in_progress、done 或 dropped；progress 为 0–100；weight 为正数。文件中没有的列保持原值；文件中没有的记录不会被删除。',
              '. record is measure or commitment. A measure row is matched by measure_number (its number in this document), or adds a measure; parent_number is the parent’s number (stored, or earlier in the file); dimensions and topics are codes separated by ;. A commitment row with an empty commitment_id adds a commitment, otherwise it changes the commitment with that id; measure_number is its measure’s number; responsible and partners are organization slugs; status is not_started, in_progress, done or dropped; progress 0–100; weight a positive number. A column the file leaves out keeps its values; a record the file leaves out is not deleted.',
            )}
          </p>
          <p>
            {localized(
              locale,
              '每一行都按表单的规则检查：您只能修改您有权修改的承诺，措施只能由发文单位或签约方修改。先试运行查看报告；正式导入时只要有一行被拒绝，就不会写入任何内容。',
              'Every row is checked by the rules of the forms: you change only commitments you may change, and measures only if you may edit the document. Try a dry run first; a real import writes nothing at all if any row is refused.',
            )}
          </p>
          <form method="post" action={importHref(document.id)} enctype="multipart/form-data">
            <CsrfField token={frame.csrfToken} />
            <div class="field">
              <label for="file">
                {localized(locale, 'CSV 文件', 'CSV file')}
                <span aria-hidden="true"> *</span>
              </label>
              <input id="file" name="file" type="file" accept=".csv,text/csv" required />
            </div>
            <div class="field">
              <label>
                <input type="checkbox" name="dryRun" value="on" checked={props.dryRun} />{' '}
                {localized(locale, '试运行（只检查并报告，不写入）', 'Dry run (check and report; write nothing)')}
              </label>
            </div>
            <p class="actions">
              <button class="primary" type="submit">
                {localized(locale, '导入', 'Import')}
              </button>
              <a href={documentHref(document.id)}>{t(locale, 'cancel')}</a>
            </p>
          </form>
        </>
      ) : (
        <p class="muted">
          {localized(locale, '您无权修改本文件的措施或其中任何承诺，因此不能导入。', 'You may change neither the measures of this document nor any of its commitments, so you cannot import.')}
        </p>
      )}
      {props.report ? <ReportView locale={locale} report={props.report} /> : null}
    </WorkspaceLayout>
  );
}

/** Reads the uploaded file and the dry-run box from a multipart form. */
function uploadOf(body: unknown): { file: Buffer | undefined; dryRun: boolean } {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const file = fields.file;
  return { file: Buffer.isBuffer(file) ? file : undefined, dryRun: fields.dryRun !== undefined && fields.dryRun !== '' };
}

/** Sends a document's CSV export as a download. */
export function sendExport(reply: FastifyReply, documentId: number, csv: string) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${exportFileName(documentId)}"`)
    .header('cache-control', 'no-store')
    .send(csv);
}

/** A document's CSV files in the workspace: the export, and the import page (multipart upload, dry run, report). */
export const agreementImportPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  app.get(`${agreementsHref}/:id/export.csv`, { schema: { params: idParams } }, async (request, reply) => {
    const { csv } = await exportAgreementCsv(app.db, actorOf(request), request.params.id);
    return sendExport(reply, request.params.id, csv);
  });

  app.get(`${agreementsHref}/:id/import`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const document = await agreementService.getDocument(app.db, actor, request.params.id);
    const mayImport = await mayImportDocument(app.db, actor, document);
    return sendWorkspacePage(reply, <ImportView frame={workspaceFrame(request)} document={document} mayImport={mayImport} dryRun />);
  });

  // The upload: multipart only here, the file held in memory up to the size limit.
  await app.register(async (upload) => {
    await upload.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: agreementImportLimits.maxBytes, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    });
    // Read no upload for someone who is not signed in: the guard's redirect comes before the body.
    upload.addHook('onRequest', async (request, reply) => {
      if (!(await loadSession(request))) return reply.redirect(`/workspace/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      return undefined;
    });
    upload.setErrorHandler(async (error: FastifyError, request, reply) => {
      const id = idParams.safeParse(request.params);
      if (error.code !== 'FST_REQ_FILE_TOO_LARGE' || !request.session || !id.success) throw error;
      const document = await agreementService.getDocument(app.db, actorOf(request), id.data.id);
      return sendWorkspacePage(reply, <ImportView frame={workspaceFrame(request)} document={document} mayImport dryRun problem={importMessages.tooLarge()} />, 413);
    });

    upload.withTypeProvider<ZodTypeProvider>().post(`${agreementsHref}/:id/import`, { schema: { params: idParams } }, async (request, reply) => {
      const actor = actorOf(request);
      const document = await agreementService.getDocument(app.db, actor, request.params.id);
      if (!(await mayImportDocument(app.db, actor, document))) throw notFound();
      const { file, dryRun } = uploadOf(request.body);
      const frame = workspaceFrame(request);
      if (!file || file.length === 0) {
        const problem = { zh: '请选择要导入的 CSV 文件。', en: 'Choose the CSV file to import.' };
        return sendWorkspacePage(reply, <ImportView frame={frame} document={document} mayImport dryRun={dryRun} problem={problem} />, 400);
      }
      const report = await importAgreementCsv(app.db, actor, document.id, file, { dryRun });
      return sendWorkspacePage(reply, <ImportView frame={frame} document={document} mayImport dryRun={dryRun} report={report} />, importStatus(report, file));
    });
  });
};
