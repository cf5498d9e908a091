import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { badRequest } from '../../platform/errors.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import {
  commitmentInput,
  commitmentListOutput,
  commitmentOutput,
  commitmentPatch,
  commitmentQuery,
  documentDetailOutput,
  documentInput,
  documentListOutput,
  documentOutput,
  documentPatch,
  documentQuery,
  idParams,
  measureInput,
  measureOutput,
  measurePatch,
  progressUpdateInput,
  progressUpdateOutput,
  progressUpdatePatch,
  progressUpdateQuery,
  workDimensionOutput,
} from './agreement.schema.ts';
import * as agreementService from './agreement.service.ts';
import type { AgreementDocument, DocumentListItem, MeasureNode } from './agreement.service.ts';
import * as commitmentService from './commitment.service.ts';
import type { Commitment, ProgressUpdate } from './commitment.service.ts';
import type { ProgressUpdateRow } from './commitment.table.ts';

function organizationToOutput(organization: agreementService.OrganizationRef) {
  return { id: organization.id, slug: organization.slug, nameZh: organization.nameZh, nameEn: organization.nameEn };
}

function documentHeadToOutput(document: DocumentListItem | AgreementDocument) {
  return {
    id: document.id,
    kind: document.kind,
    titleZh: document.titleZh,
    titleEn: document.titleEn,
    docNumber: document.docNumber,
    signedOn: document.signedOn,
    startsOn: document.startsOn,
    endsOn: document.endsOn,
    issuer: document.issuer ? organizationToOutput(document.issuer) : null,
    parties: document.parties.map(organizationToOutput),
    attachmentsZh: document.attachments.zh,
    attachmentsEn: document.attachments.en,
    isPublic: document.isPublic,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}

function documentToOutput(document: AgreementDocument, progress: number | null): z.infer<typeof documentOutput> {
  return {
    ...documentHeadToOutput(document),
    bodyZh: document.bodyZh,
    bodyEn: document.bodyEn,
    bodyHtmlZh: document.bodyHtmlZh,
    bodyHtmlEn: document.bodyHtmlEn,
    progress,
  };
}

function tagToOutput(tag: agreementService.Tag) {
  return { id: tag.id, code: tag.code, nameZh: tag.nameZh, nameEn: tag.nameEn };
}

function measureToOutput(measure: MeasureNode): z.infer<typeof measureOutput> {
  return {
    id: measure.id,
    documentId: measure.documentId,
    parentId: measure.parentId,
    number: measure.number,
    position: measure.position,
    titleZh: measure.titleZh,
    titleEn: measure.titleEn,
    bodyZh: measure.bodyZh,
    bodyEn: measure.bodyEn,
    dimensions: measure.dimensions.map(tagToOutput),
    topics: measure.topics.map(tagToOutput),
    progress: measure.progress,
    commitmentCount: measure.commitmentCount,
  };
}

function commitmentToOutput(commitment: Commitment): z.infer<typeof commitmentOutput> {
  return {
    id: commitment.id,
    documentId: commitment.documentId,
    measureId: commitment.measureId,
    whatZh: commitment.whatZh,
    whatEn: commitment.whatEn,
    responsibleOrganization: organizationToOutput(commitment.responsibleOrganization),
    partners: commitment.partners.map(organizationToOutput),
    dueOn: commitment.dueOn,
    weight: commitment.weight,
    status: commitment.status,
    storedStatus: commitment.storedStatus,
    progress: commitment.progress,
    followUpId: commitment.followUpId,
    createdAt: commitment.createdAt.toISOString(),
    updatedAt: commitment.updatedAt.toISOString(),
  };
}

function progressUpdateToOutput(update: ProgressUpdate): z.infer<typeof progressUpdateOutput> {
  return {
    id: update.id,
    commitmentId: update.commitmentId,
    reportedOn: update.reportedOn,
    noteZh: update.noteZh,
    noteEn: update.noteEn,
    progress: update.progress,
    status: update.status,
    activityId: update.evidence.activity?.id ?? null,
    articleId: update.evidence.article?.id ?? null,
    mediaId: update.evidence.media?.id ?? null,
    createdAt: update.createdAt.toISOString(),
    updatedAt: update.updatedAt.toISOString(),
  };
}

function progressUpdateRowToOutput(row: ProgressUpdateRow): z.infer<typeof progressUpdateOutput> {
  return {
    id: row.id,
    commitmentId: row.commitment_id,
    reportedOn: row.reported_on,
    noteZh: row.note_zh,
    noteEn: row.note_en,
    progress: row.progress,
    status: row.status,
    activityId: row.activity_id,
    articleId: row.article_id,
    mediaId: row.media_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const documents = ['agreements'];
const noContent = { 204: z.null(), ...apiErrorResponses };

/**
 * JSON API for agreements, circulars and plans, their measures, commitments and progress updates:
 * read for the network's staff; documents and measures changed by editors of the issuer or a party,
 * commitments and progress by editors of the responsible organization (or of a circular's issuer).
 */
export const agreementApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/documents',
    {
      schema: {
        tags: documents,
        summary: 'List agreements, circulars and plans',
        description: 'partyId matches documents that organization (or a unit below it) signed or issued; q matches part of a title or the number.',
        querystring: documentQuery,
        response: { 200: documentListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await agreementService.listDocuments(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map((item) => ({ ...documentHeadToOutput(item), progress: item.progress })) };
    },
  );

  app.post(
    '/api/v1/documents',
    {
      schema: {
        tags: documents,
        summary: 'Create a document',
        description:
          'An agreement has at least two parties and no issuer; a circular or plan has an issuer and no parties. ' +
          'The body is Markdown; it is stored with sanitized HTML made from it.',
        body: documentInput,
        response: { 201: documentOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const created = await agreementService.createDocument(app.db, actorOf(request), request.body);
      return reply.code(201).send(documentToOutput(created, null));
    },
  );

  app.get(
    '/api/v1/documents/:id',
    {
      schema: {
        tags: documents,
        summary: 'Read a document with its measures and their progress',
        description: "Progress rolls up by weight: a measure's is the weighted mean of the commitments below it, dropped ones left out.",
        params: idParams,
        response: { 200: documentDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const detail = await agreementService.getDocumentDetail(app.db, actorOf(request), request.params.id);
      return { ...documentToOutput(detail, detail.progress), measures: detail.measureList.map(measureToOutput) };
    },
  );

  app.patch(
    '/api/v1/documents/:id',
    { schema: { tags: documents, summary: 'Change a document', params: idParams, body: documentPatch, response: { 200: documentOutput, ...apiErrorResponses } } },
    async (request) => {
      const actor = actorOf(request);
      const updated = await agreementService.updateDocument(app.db, actor, request.params.id, request.body);
      return documentToOutput(updated, (await agreementService.getDocumentProgress(app.db, actor, updated.id)).progress);
    },
  );

  app.delete(
    '/api/v1/documents/:id',
    { schema: { tags: documents, summary: 'Delete a document with its measures, commitments and progress updates', params: idParams, response: noContent } },
    async (request, reply) => {
      await agreementService.deleteDocument(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/documents/:id/measures',
    {
      schema: {
        tags: documents,
        summary: "List a document's measures, parents before children, with their progress",
        params: idParams,
        response: { 200: z.object({ items: z.array(measureOutput) }), ...apiErrorResponses },
      },
    },
    async (request) => ({
      items: (await agreementService.listMeasuresOf(app.db, actorOf(request), request.params.id)).map(measureToOutput),
    }),
  );

  app.post(
    '/api/v1/documents/:id/measures',
    {
      schema: {
        tags: documents,
        summary: 'Add a measure to a document',
        description: 'parentId is a measure of the same document; number is unique within the document.',
        params: idParams,
        body: measureInput,
        response: { 201: measureOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await agreementService.createMeasure(app.db, actor, request.params.id, request.body);
      return reply.code(201).send(measureToOutput(await agreementService.getMeasureDetail(app.db, actor, created.id)));
    },
  );

  app.get(
    '/api/v1/measures/:id',
    { schema: { tags: documents, summary: 'Read a measure with its progress', params: idParams, response: { 200: measureOutput, ...apiErrorResponses } } },
    async (request) => measureToOutput(await agreementService.getMeasureDetail(app.db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/measures/:id',
    {
      schema: {
        tags: documents,
        summary: 'Change a measure',
        description: 'A measure cannot be put under itself or a measure below it.',
        params: idParams,
        body: measurePatch,
        response: { 200: measureOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await agreementService.updateMeasure(app.db, actor, request.params.id, request.body);
      return measureToOutput(await agreementService.getMeasureDetail(app.db, actor, request.params.id));
    },
  );

  app.delete(
    '/api/v1/measures/:id',
    { schema: { tags: documents, summary: 'Delete a measure with the measures below it and their commitments', params: idParams, response: noContent } },
    async (request, reply) => {
      await agreementService.deleteMeasure(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/commitments',
    {
      schema: {
        tags: documents,
        summary: 'List commitments',
        description:
          'measureId includes the measures below it, organizationId the units below it, dimensionId the measures below a tagged one. ' +
          'status is as shown today: overdue is an open commitment past its due date, and in_progress / not_started leave those out.',
        querystring: commitmentQuery,
        response: { 200: commitmentListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await commitmentService.listCommitments(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(commitmentToOutput) };
    },
  );

  app.post(
    '/api/v1/commitments',
    {
      schema: {
        tags: documents,
        summary: 'Record a commitment under a measure',
        description:
          "For an agreement the responsible organization is a party or a unit below one; the due date is not before the document's date; " +
          'weight is positive; progress is 0–100 (100 when done, 0 when not started).',
        body: commitmentInput,
        response: { 201: commitmentOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const created = await commitmentService.createCommitment(app.db, actorOf(request), request.body);
      return reply.code(201).send(commitmentToOutput(created));
    },
  );

  app.get(
    '/api/v1/commitments/:id',
    { schema: { tags: documents, summary: 'Read a commitment', params: idParams, response: { 200: commitmentOutput, ...apiErrorResponses } } },
    async (request) => commitmentToOutput(await commitmentService.getCommitment(app.db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/commitments/:id',
    {
      schema: { tags: documents, summary: 'Change a commitment', params: idParams, body: commitmentPatch, response: { 200: commitmentOutput, ...apiErrorResponses } },
    },
    async (request) => commitmentToOutput(await commitmentService.updateCommitment(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/commitments/:id',
    { schema: { tags: documents, summary: 'Delete a commitment with its progress updates', params: idParams, response: noContent } },
    async (request, reply) => {
      await commitmentService.deleteCommitment(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/progress-updates',
    {
      schema: {
        tags: documents,
        summary: "List a timeline: a commitment's progress updates, or a measure's (with the measures below it), oldest first",
        querystring: progressUpdateQuery,
        response: { 200: z.object({ items: z.array(progressUpdateOutput) }), ...apiErrorResponses },
      },
    },
    async (request) => {
      const { commitmentId, measureId } = request.query;
      const of = commitmentId !== undefined ? { commitmentId } : measureId !== undefined ? { measureId } : undefined;
      if (!of) throw badRequest('Give commitmentId or measureId.');
      return { items: (await commitmentService.listProgressUpdates(app.db, actorOf(request), of)).map(progressUpdateToOutput) };
    },
  );

  app.post(
    '/api/v1/commitments/:id/progress-updates',
    {
      schema: {
        tags: documents,
        summary: 'Report progress on a commitment',
        description:
          'A dated note (in either language) with evidence: activityId, articleId (a published update), mediaId. progress and status, ' +
          'when given, are applied to the commitment unless a later-dated update already set them; applied says whether they were.',
        params: idParams,
        body: progressUpdateInput,
        response: { 201: progressUpdateOutput.extend({ applied: z.boolean() }), ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const reported = await commitmentService.reportProgress(app.db, actorOf(request), request.params.id, request.body);
      return reply.code(201).send({ ...progressUpdateRowToOutput(reported.update), applied: reported.applied });
    },
  );

  app.get(
    '/api/v1/progress-updates/:id',
    { schema: { tags: documents, summary: 'Read a progress update', params: idParams, response: { 200: progressUpdateOutput, ...apiErrorResponses } } },
    async (request) => progressUpdateRowToOutput(await commitmentService.getProgressUpdate(app.db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/progress-updates/:id',
    {
      schema: {
        tags: documents,
        summary: "Change a progress update's day, notes or evidence",
        description: 'What the update set stays as reported; change the commitment itself to correct it.',
        params: idParams,
        body: progressUpdatePatch,
        response: { 200: progressUpdateOutput, ...apiErrorResponses },
      },
    },
    async (request) =>
      progressUpdateRowToOutput(await commitmentService.updateProgressUpdate(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/progress-updates/:id',
    { schema: { tags: documents, summary: 'Delete a progress update', params: idParams, response: noContent } },
    async (request, reply) => {
      await commitmentService.deleteProgressUpdate(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/work-dimensions',
    {
      schema: {
        tags: documents,
        summary: 'List the work dimensions measures are tagged with',
        response: { 200: z.object({ items: z.array(workDimensionOutput) }), ...apiErrorResponses },
      },
    },
    async (request) => ({ items: await agreementService.listWorkDimensions(app.db, actorOf(request)) }),
  );
};
