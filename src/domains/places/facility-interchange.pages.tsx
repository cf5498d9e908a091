import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { organizationsWhere, type Actor } from '../../platform/access.ts';
import { actorOf, loadSession, requireWorkspaceSession } from '../../platform/auth.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { CsrfField } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { jsonChunks } from '../../platform/json-chunks.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { exportFacilitiesGeoJson } from './facility.geojson.ts';
import { exportFacilitiesHsds, hsdsImportLimits, importFacilitiesHsds, looksLikeJson } from './facility.hsds.ts';
import {
  exportFacilitiesCsv,
  facilityCsvColumns,
  facilityImportLimits,
  importFacilitiesCsv,
  tooLargeProblem,
  type FacilityImportReport,
} from './facility.import.ts';
import { inLocale, type Bilingual } from './place.rules.ts';

/** The query of the exports: one operator (by slug) and its units, or every facility. */
export const exportQuery = z.object({ operator: z.string().trim().max(100).optional() });

/** Refuses (as "not found") someone who may edit no organization's records: there is nothing they could import. */
export async function assertMayImportFacilities(db: Executor, actor: Actor): Promise<void> {
  const editable = await organizationsWhere(db, actor, 'edit_records');
  if (editable !== 'all' && editable.size === 0) throw notFound();
}

/** Imports a file of either format (told by its first character); a CSV file over its own limit is refused. */
export async function importFacilityFile(db: Parameters<typeof importFacilitiesCsv>[0], actor: Actor, file: Uint8Array, dryRun: boolean) {
  return looksLikeJson(file) ? importFacilitiesHsds(db, actor, file, { dryRun }) : importFacilitiesCsv(db, actor, file, { dryRun });
}

/** The status an import's answer carries: 413 too large, 400 an unreadable file, 422 refused rows in a real import. */
export function importStatus(report: FacilityImportReport, file: Uint8Array): number {
  const limit = report.format === 'hsds' ? hsdsImportLimits.maxBytes : facilityImportLimits.maxBytes;
  if (report.fileProblem) return file.length > limit ? 413 : 400;
  return report.refused.length > 0 && !report.dryRun ? 422 : 200;
}

/** The file name of an export, with today's date. */
export function exportFileName(stem: string, extension: string): string {
  return `${stem}-${new Date().toISOString().slice(0, 10)}.${extension}`;
}

/** How many rows of each kind the report lists; the counts cover them all. */
const reportListLimit = 200;

function Listed(props: { locale: Locale; count: number }): VNode | null {
  return props.count > reportListLimit ? <p class="muted">{localized(props.locale, `仅列出前 ${reportListLimit} 行。`, `The first ${reportListLimit} are listed.`)}</p> : null;
}

function ReportView(props: { locale: Locale; report: FacilityImportReport }): VNode {
  const { locale, report } = props;
  if (report.fileProblem) {
    return (
      <div class="alert error" role="alert">
        <p>{inLocale(locale, report.fileProblem)}</p>
      </div>
    );
  }
  const refusedCount = report.refused.length;
  const unit = report.format === 'hsds' ? localized(locale, '个地点', 'locations') : localized(locale, '行', 'rows');
  const rowLabel = report.format === 'hsds' ? localized(locale, '地点', 'Location') : localized(locale, '行', 'Row');
  const summary = localized(
    locale,
    `共 ${report.rows} ${unit}：新增 ${report.added.length}，修改 ${report.updated.length}，无变化 ${report.unchanged}，拒绝 ${refusedCount}。`,
    `${report.rows} ${unit}: ${report.added.length} to add, ${report.updated.length} to change, ${report.unchanged} unchanged, ${refusedCount} refused.`,
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
                <th scope="col">{rowLabel}</th>
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
          <Listed locale={locale} count={refusedCount} />
        </>
      ) : null}
      {report.added.length > 0 ? (
        <>
          <h3>{report.written ? localized(locale, '新增的阵地', 'Facilities added') : localized(locale, '将新增的阵地', 'Facilities to add')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{rowLabel}</th>
                <th scope="col">{localized(locale, '阵地', 'Facility')}</th>
              </tr>
            </thead>
            <tbody>
              {report.added.slice(0, reportListLimit).map((row) => (
                <tr class="added">
                  <td>{row.row}</td>
                  <td lang="zh-CN">{row.nameZh}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Listed locale={locale} count={report.added.length} />
        </>
      ) : null}
      {report.updated.length > 0 ? (
        <>
          <h3>{report.written ? localized(locale, '修改的阵地', 'Facilities changed') : localized(locale, '将修改的阵地', 'Facilities to change')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{rowLabel}</th>
                <th scope="col">{localized(locale, '阵地', 'Facility')}</th>
                <th scope="col">{t(locale, 'changes')}</th>
              </tr>
            </thead>
            <tbody>
              {report.updated.slice(0, reportListLimit).map((row) => (
                <tr class="updated">
                  <td>{row.row}</td>
                  <td>
                    <a href={`/workspace/facilities/${row.id}`} lang="zh-CN">
                      {row.nameZh}
                    </a>
                  </td>
                  <td>
                    {row.changes.map((change) => (
                      <div>
                        <code>{change.field}</code>: {change.before || '—'} → {change.after || '—'}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Listed locale={locale} count={report.updated.length} />
        </>
      ) : null}
    </section>
  );
}

function ImportView(props: { frame: WorkspaceFrame; dryRun: boolean; report?: FacilityImportReport; problem?: Bilingual }): VNode {
  const { frame } = props;
  const { locale } = frame;
  const title = localized(locale, '导入与导出阵地', 'Import and export facilities');
  const csvMib = facilityImportLimits.maxBytes / 1024 / 1024;
  const hsdsMib = hsdsImportLimits.maxBytes / 1024 / 1024;
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/facilities">{t(locale, 'facilities')}</a>
      </nav>
      <h1>{title}</h1>
      {props.problem ? (
        <div class="alert error" role="alert">
          <p>{inLocale(locale, props.problem)}</p>
        </div>
      ) : null}
      <h2>{localized(locale, '导出', 'Export')}</h2>
      <ul>
        <li>
          <a href="/workspace/facilities/export.csv" download>
            CSV
          </a>{' '}
          — {localized(locale, 'UTF-8（带 BOM），可用 Excel 打开，修改后可重新导入。', 'UTF-8 with a byte-order mark; opens in Excel and imports again after editing.')}
        </li>
        <li>
          <a href="/workspace/facilities/export.hsds.json" download>
            HSDS 3.0 JSON
          </a>{' '}
          — {localized(locale, 'Open Referral 人类服务数据规范：每个阵地一个地点，每个阵地的每项服务一个服务。', 'Open Referral Human Services Data Specification: a location per facility, a service per facility and service.')}
        </li>
        <li>
          <a href="/workspace/facilities/export.geojson" download>
            GeoJSON
          </a>{' '}
          — {localized(locale, '有坐标的阵地，可用于地图与 GIS。', 'The facilities with coordinates, for maps and GIS.')}
        </li>
      </ul>
      <p class="muted">
        {localized(locale, '在地址后加 ?operator=组织标识 可只导出该组织及其下级运营的阵地。', 'Add ?operator=<organization slug> to an address to export only what that organization and its units operate.')}
      </p>
      <h2>{localized(locale, '导入', 'Import')}</h2>
      <p>
        {localized(
          locale,
          `上传 UTF-8 编码的 CSV 文件（不超过 ${csvMib} MiB、${facilityImportLimits.maxRows.toLocaleString('en')} 行；Excel：“另存为”→“CSV UTF-8（逗号分隔）”），或 HSDS 3.0 JSON 文件（不超过 ${hsdsMib} MiB，格式同导出）。`,
          `Upload a UTF-8 CSV file (at most ${csvMib} MiB and ${facilityImportLimits.maxRows.toLocaleString('en')} rows; Excel: Save As → "CSV UTF-8 (Comma delimited)"), or an HSDS 3.0 JSON file (at most ${hsdsMib} MiB, shaped as the export).`,
        )}
      </p>
      <p>
        {localized(locale, 'CSV 的列：', 'CSV columns: ')}
        <code>{facilityCsvColumns.join(',')}</code>
        {localized(
          locale,
          '。id 为空表示新增，否则修改该编号的阵地；kind 与 services 为代码（services 以 ; 或 | 分隔）；place 为地点代码或路径（如 110115/观音寺街道）；operator、host 为组织标识；hours 如“Mo-Fr 09:00-17:00; Sa 09:00-12:00”；exceptions 如“2027-02-06 closed 春节 / Spring Festival; 2027-02-07 10:00-12:00”；status 为 active、temporarily_closed 或 closed。文件中没有的列保持原值。',
          '. An empty id adds a facility, otherwise the row changes the facility with that id; kind and services are codes (services separated by ; or |); place is a place code or path (e.g. 110115/观音寺街道); operator and host are organization slugs; hours as in "Mo-Fr 09:00-17:00; Sa 09:00-12:00"; exceptions as in "2027-02-06 closed 春节 / Spring Festival; 2027-02-07 10:00-12:00"; status is active, temporarily_closed or closed. A column the file leaves out keeps its values.',
        )}
      </p>
      <p>
        {localized(
          locale,
          '每行的运营组织须是您有权修改记录的组织。先试运行查看报告；正式导入时只要有一行被拒绝，就不会写入任何内容。',
          'Each row’s operator must be an organization whose records you may edit. Try a dry run first; a real import writes nothing at all if any row is refused.',
        )}
      </p>
      <form method="post" action="/workspace/facilities/import" enctype="multipart/form-data">
        <CsrfField token={frame.csrfToken} />
        <div class="field">
          <label for="file">
            {localized(locale, 'CSV 或 HSDS JSON 文件', 'CSV or HSDS JSON file')}
            <span aria-hidden="true"> *</span>
          </label>
          <input id="file" name="file" type="file" accept=".csv,text/csv,.json,application/json" required />
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
          <a href="/workspace/facilities">{t(locale, 'cancel')}</a>
        </p>
      </form>
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

function sendDownload(reply: FastifyReply, type: string, name: string, body: string | Readable) {
  return reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
}

/** The workspace's facility files: the import page (CSV or HSDS JSON, with a dry run) and the CSV, HSDS and GeoJSON exports. */
export const facilityInterchangePages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  const operatorOf = (request: FastifyRequest) => exportQuery.parse(request.query).operator;

  app.get('/workspace/facilities/export.csv', { schema: { querystring: exportQuery } }, async (request, reply) =>
    sendDownload(reply, 'text/csv; charset=utf-8', exportFileName('facilities', 'csv'), await exportFacilitiesCsv(app.db, actorOf(request), operatorOf(request))),
  );

  app.get('/workspace/facilities/export.hsds.json', { schema: { querystring: exportQuery } }, async (request, reply) => {
    const document = await exportFacilitiesHsds(app.db, actorOf(request), operatorOf(request));
    return sendDownload(reply, 'application/json; charset=utf-8', exportFileName('facilities-hsds', 'json'), Readable.from(jsonChunks(document)));
  });

  app.get('/workspace/facilities/export.geojson', { schema: { querystring: exportQuery } }, async (request, reply) => {
    const collection = await exportFacilitiesGeoJson(app.db, actorOf(request), operatorOf(request));
    return sendDownload(reply, 'application/geo+json; charset=utf-8', exportFileName('facilities', 'geojson'), JSON.stringify(collection));
  });

  app.get('/workspace/facilities/import', async (request, reply) => {
    await assertMayImportFacilities(app.db, actorOf(request));
    return sendWorkspacePage(reply, <ImportView frame={workspaceFrame(request)} dryRun />);
  });

  // The upload: multipart only here, the file held in memory up to the larger (HSDS) limit.
  await app.register(async (upload) => {
    await upload.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: hsdsImportLimits.maxBytes, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    });
    // Read no upload for someone who is not signed in: the guard's redirect comes before the body.
    upload.addHook('onRequest', async (request, reply) => {
      if (!(await loadSession(request))) return reply.redirect('/workspace/sign-in?next=%2Fworkspace%2Ffacilities%2Fimport', 303);
      return undefined;
    });
    upload.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error.code !== 'FST_REQ_FILE_TOO_LARGE' || !request.session) throw error;
      return sendWorkspacePage(reply, <ImportView frame={workspaceFrame(request)} dryRun problem={tooLargeProblem(hsdsImportLimits.maxBytes)} />, 413);
    });

    upload.post('/workspace/facilities/import', async (request, reply) => {
      const actor = actorOf(request);
      await assertMayImportFacilities(app.db, actor);
      const { file, dryRun } = uploadOf(request.body);
      const frame = workspaceFrame(request);
      if (!file || file.length === 0) {
        const problem = { zh: '请选择要导入的 CSV 或 HSDS JSON 文件。', en: 'Choose the CSV or HSDS JSON file to import.' };
        return sendWorkspacePage(reply, <ImportView frame={frame} dryRun={dryRun} problem={problem} />, 400);
      }
      const report = await importFacilityFile(app.db, actor, file, dryRun);
      return sendWorkspacePage(reply, <ImportView frame={frame} dryRun={dryRun} report={report} />, importStatus(report, file));
    });
  });
};
