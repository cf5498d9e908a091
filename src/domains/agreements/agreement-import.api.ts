import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, apiActor } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { apiError, apiErrorResponses } from '../../platform/openapi.ts';
import { agreementCsvColumns, agreementImportLimits, assertMayImport, exportAgreementCsv, importAgreementCsv, importMessages } from './agreement.import.ts';
import { importStatus, sendExport } from './agreement-import.pages.tsx';
import { idParams } from './agreement.schema.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const importedRecord = z.object({
  row: z.number().int().describe('the row as a spreadsheet numbers it (the header is row 1)'),
  record: z.enum(['measure', 'commitment']),
  id: z.number().int().nullable().describe('the measure or commitment changed; null for one added'),
  measureNumber: z.string().describe('the measure’s number, or that of the commitment’s measure'),
  nameZh: z.string(),
  nameEn: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })).describe('each column that changes, as the CSV writes it'),
});

/** What an import did, or would do in a dry run. */
const importReport = z.object({
  documentId: z.number().int(),
  dryRun: z.boolean(),
  written: z.boolean(),
  rows: z.number().int(),
  added: z.array(importedRecord),
  updated: z.array(importedRecord),
  unchanged: z.number().int(),
  refused: z.array(z.object({ row: z.number().int(), problems: z.array(bilingual) })),
  weights: z
    .array(
      z.object({
        number: z.string(),
        titleZh: z.string(),
        titleEn: z.string(),
        before: z.number(),
        after: z.number(),
        shareBefore: z.number().nullable(),
        shareAfter: z.number().nullable(),
      }),
    )
    .describe('per measure: the weight counted under it (dropped commitments left out, measures below included) and its share of the document, in percent'),
});

const importQuery = z.object({ dryRun: z.enum(['true', 'false']).optional().describe('true: check and report, write nothing') });

const tags = ['agreements'];

/** JSON API of a document's CSV: export, and import with a dry run. */
export const agreementImportApi: FastifyPluginAsyncZod = async (app) => {
  // Credentials before the body: nobody unknown gets five megabytes read (the CSRF token comes as a header).
  app.addHook('onRequest', async (request) => {
    await apiActor(request);
  });
  // The import reads its body as bytes, whatever its type says: the file is checked for what it is.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: agreementImportLimits.maxBytes }, (_request, body, done) => done(null, body));
  app.setErrorHandler(async (error: FastifyError | DomainError, _request, reply) => {
    if (!(error instanceof DomainError) && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: { code: 'too_large', message: importMessages.tooLarge().en } });
    }
    throw error;
  });

  app.get(
    '/api/v1/documents/:id/export.csv',
    {
      schema: {
        tags,
        summary: 'Export a document’s measures and commitments as CSV',
        description:
          `UTF-8 with a byte-order mark, CRLF lines, columns ${agreementCsvColumns.join(', ')}: a row per measure (record = measure, ` +
          'parents first) followed by its commitments (record = commitment); organizations by slug, work dimensions and topics by code. ' +
          'It imports again unchanged.',
        params: idParams,
        produces: ['text/csv'],
        response: { 200: z.string(), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const { csv } = await exportAgreementCsv(app.db, actorOf(request), request.params.id);
      return sendExport(reply, request.params.id, csv);
    },
  );

  app.post(
    '/api/v1/documents/:id/import',
    {
      bodyLimit: agreementImportLimits.maxBytes,
      schema: {
        tags,
        summary: 'Import a document’s measures and commitments from CSV',
        description:
          'The body is the CSV file itself, shaped as the export (5 MiB, 20,000 rows, UTF-8 only). Measure rows are matched by number, ' +
          'commitment rows by commitment_id (empty: a new commitment); a column left out keeps what is stored; nothing is deleted. ' +
          'Every row is checked by the rules of the forms (positive weights, progress 0–100, due dates not before the document, ' +
          'responsible organizations that may be, parents without cycles, what the caller may change). dryRun=true reports what would be ' +
          'added and changed (each column before → after), which rows are refused and why, and the weights per measure, writing nothing. ' +
          'Otherwise the import is all or nothing: 200 with the report when written; 422 rows_refused (with the report) when any row is ' +
          'refused; 400 invalid_file (not UTF-8, not CSV, wrong columns); 413 too_large; 404 for a document the caller may not import into.',
        consumes: ['text/csv'],
        params: idParams,
        querystring: importQuery,
        response: { 200: importReport, ...apiErrorResponses, 413: apiError, 422: apiError.extend({ report: importReport }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await assertMayImport(app.db, actor, request.params.id);
      const file = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const report = await importAgreementCsv(app.db, actor, request.params.id, file, { dryRun: request.query.dryRun === 'true' });
      const status = importStatus(report, file);
      const { fileProblem, ...rest } = report;
      if (fileProblem) return reply.code(status).send({ error: { code: status === 413 ? 'too_large' : 'invalid_file', message: fileProblem.en } });
      if (status === 422) {
        return reply.code(422).send({ error: { code: 'rows_refused', message: `${report.refused.length} row(s) refused; nothing was written.` }, report: rest });
      }
      return reply.code(200).send(rest);
    },
  );
};
