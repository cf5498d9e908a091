import { Readable } from 'node:stream';
import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, apiActor } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { jsonChunks } from '../../platform/json-chunks.ts';
import { apiError, apiErrorResponses } from '../../platform/openapi.ts';
import { assertMayImportFacilities, exportFileName, exportQuery, importFacilityFile, importStatus } from './facility-interchange.pages.tsx';
import { exportFacilitiesGeoJson } from './facility.geojson.ts';
import { exportFacilitiesHsds, hsdsImportLimits } from './facility.hsds.ts';
import { exportFacilitiesCsv, tooLargeProblem } from './facility.import.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const importedFacility = z.object({
  row: z.number().int(),
  id: z.number().int().nullable().describe('the facility changed; null for one added'),
  nameZh: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })).describe('each field that changes, as the CSV writes it'),
});

/** What an import did, or would do in a dry run. */
const importReport = z.object({
  format: z.enum(['csv', 'hsds']),
  dryRun: z.boolean(),
  written: z.boolean(),
  rows: z.number().int().describe('CSV rows, or HSDS locations'),
  added: z.array(importedFacility),
  updated: z.array(importedFacility),
  unchanged: z.number().int(),
  refused: z.array(z.object({ row: z.number().int(), problems: z.array(bilingual) })),
});

const importQuery = z.object({ dryRun: z.enum(['true', 'false']).optional().describe('true: check and report, write nothing') });

const hsdsObject = z.record(z.string(), z.unknown());
const hsdsDocument = z.object({
  hsds_version: z.literal('3.0'),
  description: z.string(),
  organizations: z.array(hsdsObject).describe('HSDS organizations (operators, hosts and the federations above them)'),
  services: z.array(hsdsObject).describe('HSDS services, nested: organization, attributes, service_at_locations → location'),
});
const featureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number().int(),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]).describe('[longitude, latitude]') }),
      properties: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    }),
  ),
  withoutCoordinates: z.number().int().describe('facilities left out because their coordinates are not known'),
});

const tags = ['facilities'];

/** JSON API of the facilities' interchange: CSV, HSDS 3.0 and GeoJSON exports; CSV or HSDS imports with a dry run. */
export const facilityInterchangeApi: FastifyPluginAsyncZod = async (app) => {
  // Credentials before the body: nobody unknown gets twenty megabytes read (the CSRF token comes as a header).
  app.addHook('onRequest', async (request) => {
    await apiActor(request);
  });
  // The import reads its body as bytes, whatever it is: the format is told from the content.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: hsdsImportLimits.maxBytes }, (_request, body, done) => done(null, body));
  app.setErrorHandler(async (error: FastifyError | DomainError, _request, reply) => {
    if (!(error instanceof DomainError) && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: { code: 'too_large', message: tooLargeProblem(hsdsImportLimits.maxBytes).en } });
    }
    throw error;
  });

  app.get(
    '/api/v1/facilities/export/hsds',
    {
      schema: {
        tags,
        summary: 'Export facilities as HSDS 3.0',
        description:
          'Open Referral HSDS 3.0: a location per facility (kind, host, place, address, phone, accessibility, weekly hours and dated ' +
          'exceptions as schedules), a service per facility and service type, linked by service_at_location; ids are UUIDs derived ' +
          'from ours, the same at every export. operator=<slug> keeps one organization and its units.',
        querystring: exportQuery,
        response: { 200: hsdsDocument, ...apiErrorResponses },
      },
    },
    // Streamed an element at a time: a large directory's document is longer than one string can be.
    async (request, reply) => {
      const document = await exportFacilitiesHsds(app.db, actorOf(request), request.query.operator);
      // The schema describes the document in OpenAPI; a stream goes out as it is, past the serializer.
      const raw: FastifyReply = reply;
      return raw.type('application/json; charset=utf-8').send(Readable.from(jsonChunks(document)));
    },
  );

  app.get(
    '/api/v1/facilities/export/geojson',
    {
      schema: {
        tags,
        summary: 'Export the located facilities as GeoJSON',
        description: 'An RFC 7946 FeatureCollection of points ([longitude, latitude]); withoutCoordinates counts the facilities left out.',
        querystring: exportQuery,
        response: { 200: featureCollection, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const collection = await exportFacilitiesGeoJson(app.db, actorOf(request), request.query.operator);
      return reply.type('application/geo+json; charset=utf-8').send(collection);
    },
  );

  app.get(
    '/api/v1/facilities/export/csv',
    {
      schema: {
        tags,
        summary: 'Export facilities as CSV',
        description: 'UTF-8 with a byte-order mark, the columns of the import; it imports again unchanged.',
        querystring: exportQuery,
        produces: ['text/csv'],
        response: { 200: z.string(), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const csv = await exportFacilitiesCsv(app.db, actorOf(request), request.query.operator);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName('facilities', 'csv')}"`)
        .send(csv);
    },
  );

  app.post(
    '/api/v1/facilities/import',
    {
      bodyLimit: hsdsImportLimits.maxBytes,
      schema: {
        tags,
        summary: 'Import facilities from CSV or HSDS 3.0 JSON',
        description:
          'The body is the file itself: a UTF-8 CSV file with the export’s columns (text/csv; 10 MiB, 20,000 rows), or an HSDS ' +
          'document shaped as the HSDS export (application/json; 20 MiB), told apart by its first character. dryRun=true reports ' +
          'what would be added and changed (each field before → after) and which rows are refused, writing nothing. Otherwise the ' +
          'import is all or nothing: 200 with the report when written; 422 rows_refused (with the report) when any row is refused; ' +
          '400 invalid_file (not UTF-8, not CSV, wrong columns, not valid HSDS: the schema error paths); 413 too_large.',
        consumes: ['text/csv', 'application/json'],
        querystring: importQuery,
        response: {
          200: importReport,
          ...apiErrorResponses,
          413: apiError,
          422: apiError.extend({ report: importReport }),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await assertMayImportFacilities(app.db, actor);
      const file = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const report = await importFacilityFile(app.db, actor, file, request.query.dryRun === 'true');
      const status = importStatus(report, file);
      const { fileProblem, ...rest } = report;
      if (fileProblem) return reply.code(status).send({ error: { code: status === 413 ? 'too_large' : 'invalid_file', message: fileProblem.en } });
      if (status === 422) {
        const message = `${report.refused.length} row(s) refused; nothing was written.`;
        return reply.code(422).send({ error: { code: 'rows_refused', message }, report: rest });
      }
      return reply.code(200).send(rest);
    },
  );
};
