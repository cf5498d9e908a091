import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, assertPlatformAdmin, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { totalOf } from '../../platform/paging.ts';
import { renderArticleMarkdown } from '../articles/article-markdown.ts';
import { loadNetwork, mayBeResponsible, mayEditDocument, type Network, type OrganizationRef } from './agreement.access.ts';
import {
  addSums,
  agreementMessages,
  AgreementRuleError,
  makesCycle,
  noProgress,
  progressOf,
  refuse,
  rollUpMeasures,
  type ProgressSums,
} from './agreement.rules.ts';
import type { DocumentInput, DocumentPatch, DocumentQuery, MeasureInput, MeasurePatch, WorkDimensionInput } from './agreement.schema.ts';
import * as commitmentRepository from './commitment.repository.ts';
import * as documentRepository from './document.repository.ts';
import type { DocumentKind, DocumentRow } from './document.table.ts';
import type { MeasureRow } from './measure.table.ts';

export type { OrganizationRef };

/** An entry of a list a deployment keeps: a work dimension, or a topic. */
export interface Tag {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A work dimension, with its place in the list. */
export interface WorkDimension extends Tag {
  position: number;
}

/** A framework agreement, circular or plan. */
export interface AgreementDocument {
  id: number;
  kind: DocumentKind;
  titleZh: string;
  /** Empty when no English title is on record. */
  titleEn: string;
  docNumber: string;
  /** The day an agreement was signed, or a circular or plan issued. */
  signedOn: string;
  startsOn: string | null;
  endsOn: string | null;
  /** A circular's or plan's issuer; null for an agreement. */
  issuer: OrganizationRef | null;
  /** An agreement's parties, in order; empty for a circular or plan. */
  parties: OrganizationRef[];
  /** Markdown as written. */
  bodyZh: string;
  bodyEn: string;
  /** Sanitized HTML made from it. */
  bodyHtmlZh: string;
  bodyHtmlEn: string;
  /** Media library images attached to each language version, in order. */
  attachments: Record<Locale, number[]>;
  isPublic: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Progress rolled up from commitments by weight. */
export interface Rollup {
  /** Percent, one decimal; null when no commitment counts (none, or all dropped). */
  progress: number | null;
  /** Commitments counted (dropped ones are not). */
  commitmentCount: number;
}

/** A document in a list: without its texts, with its progress. */
export type DocumentListItem = Omit<AgreementDocument, 'bodyZh' | 'bodyEn' | 'bodyHtmlZh' | 'bodyHtmlEn'> & Rollup;

/** A measure of a document. */
export interface Measure {
  id: number;
  documentId: number;
  parentId: number | null;
  number: string;
  position: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  dimensions: Tag[];
  topics: Tag[];
  createdAt: Date;
  updatedAt: Date;
}

/** A measure in its document's tree, with the progress of everything below it. */
export interface MeasureNode extends Measure, Rollup {
  depth: number;
  children: MeasureNode[];
}

/** A media library image attached to a document. */
export interface Attachment {
  id: number;
  locale: Locale;
  altZh: string;
  altEn: string;
  originalName: string;
}

/** A document with what its page shows: measures as a tree with their progress, the overall progress. */
export interface DocumentDetail extends AgreementDocument, Rollup {
  /** The top measures, each with the measures below it. */
  measures: MeasureNode[];
  /** Every measure in reading order (parents before children). */
  measureList: MeasureNode[];
  attachmentMedia: Attachment[];
  /** Whether the actor may change the document and its measures. */
  editable: boolean;
}

function tagOf(row: { id: number; code: string; name_zh: string; name_en: string }): Tag {
  return { id: row.id, code: row.code, nameZh: row.name_zh, nameEn: row.name_en };
}

function workDimensionOf(row: { id: number; code: string; name_zh: string; name_en: string; position: number }): WorkDimension {
  return { ...tagOf(row), position: row.position };
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row)) ?? [];
    group.push(row);
    groups.set(key(row), group);
  }
  return groups;
}

type DocumentHead = Pick<
  DocumentRow,
  'id' | 'kind' | 'title_zh' | 'title_en' | 'doc_number' | 'signed_on' | 'starts_on' | 'ends_on' | 'issuer_organization_id' | 'is_public' | 'created_at' | 'updated_at'
>;

function documentHeadOf(row: DocumentHead, network: Network, partyIds: readonly number[], attachments: Record<Locale, number[]>) {
  return {
    id: row.id,
    kind: row.kind,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    docNumber: row.doc_number,
    signedOn: row.signed_on,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    issuer: row.issuer_organization_id === null ? null : network.ref(row.issuer_organization_id),
    parties: partyIds.map((id) => network.ref(id)),
    attachments,
    isPublic: row.is_public,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function documentOf(row: DocumentRow, network: Network, partyIds: readonly number[], attachments: Record<Locale, number[]>): AgreementDocument {
  return {
    ...documentHeadOf(row, network, partyIds, attachments),
    bodyZh: row.body_zh,
    bodyEn: row.body_en,
    bodyHtmlZh: row.body_html_zh,
    bodyHtmlEn: row.body_html_en,
  };
}

function attachmentsByLocale(rows: readonly { locale: Locale; media_id: number }[]): Record<Locale, number[]> {
  return {
    zh: rows.filter((row) => row.locale === 'zh').map((row) => row.media_id),
    en: rows.filter((row) => row.locale === 'en').map((row) => row.media_id),
  };
}

function measureOf(row: MeasureRow, dimensions: Tag[], topics: Tag[]): Measure {
  return {
    id: row.id,
    documentId: row.document_id,
    parentId: row.parent_id,
    number: row.number,
    position: row.position,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    bodyZh: row.body_zh,
    bodyEn: row.body_en,
    dimensions,
    topics,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function rollupOf(sums: ProgressSums | undefined): Rollup {
  return { progress: sums ? progressOf(sums) : null, commitmentCount: sums?.count ?? 0 };
}

function sumsOf(row: { weighted: number; weight: number; count: string | number }): ProgressSums {
  return { weighted: Number(row.weighted), weight: Number(row.weight), count: Number(row.count) };
}

/**
 * Loads a document with its parties and attachments; undefined when there is none. `update` locks its row
 * against every other change to it and its measures; `share` only against changes to the document itself.
 */
export async function loadDocument(db: Executor, network: Network, id: number, lock?: 'update' | 'share') {
  const row = await documentRepository.findDocumentById(db, id, lock);
  if (!row) return undefined;
  const [parties, attachments] = await Promise.all([documentRepository.listParties(db, [id]), documentRepository.listAttachments(db, [id])]);
  return documentOf(row, network, parties.map((party) => party.organization_id), attachmentsByLocale(attachments));
}

/** The owners of a document as the access rules read them. */
export function ownersOf(document: Pick<AgreementDocument, 'kind' | 'issuer' | 'parties'>) {
  return { kind: document.kind, issuerId: document.issuer?.id ?? null, partyIds: document.parties.map((party) => party.id) };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Lists a page of documents for any member of the network, each with its progress. */
export async function listDocuments(db: Executor, actor: Actor, query: DocumentQuery) {
  await assertCanRead(db, actor);
  const filter = { kind: query.kind, partyId: query.partyId, q: query.q || undefined };
  const rows = await documentRepository.listDocuments(db, filter, query);
  const ids = rows.map((row) => row.id);
  const [total, network, parties, attachments, sums] = await Promise.all([
    totalOf(query, rows.length, () => documentRepository.countDocuments(db, filter)),
    loadNetwork(db, actor),
    documentRepository.listParties(db, ids),
    documentRepository.listAttachments(db, ids),
    commitmentRepository.sumProgressByDocument(db, ids),
  ]);
  const partiesOf = groupBy(parties, (row) => row.document_id);
  const attachmentsOf = groupBy(attachments, (row) => row.document_id);
  const sumsByDocument = new Map(sums.map((row) => [row.document_id, sumsOf(row)]));
  const items: DocumentListItem[] = rows.map((row) => ({
    ...documentHeadOf(
      row,
      network,
      (partiesOf.get(row.id) ?? []).map((party) => party.organization_id),
      attachmentsByLocale(attachmentsOf.get(row.id) ?? []),
    ),
    ...rollupOf(sumsByDocument.get(row.id)),
  }));
  return { items, total, limit: query.limit, offset: query.offset };
}

/** The newest documents' titles, for a filter's choice. */
export async function listDocumentChoices(db: Executor, actor: Actor, limit = 200) {
  await assertCanRead(db, actor);
  const rows = await documentRepository.listDocumentTitles(db, limit);
  return rows.map((row) => ({ id: row.id, kind: row.kind, titleZh: row.title_zh, titleEn: row.title_en }));
}

/** The measures of a document, for choosing one. */
export interface MeasureChoices {
  document: { id: number; kind: AgreementDocument['kind']; titleZh: string; titleEn: string };
  measures: { id: number; number: string; titleZh: string; titleEn: string }[];
}

const byNumber = new Intl.Collator('zh', { numeric: true });

/**
 * The newest documents' measures, in the order of their numbers, for choosing one: with `responsibleOrganizationId`,
 * only documents that organization may be responsible under (an agreement's parties, any organization for a circular).
 */
export async function listMeasureChoices(db: Executor, actor: Actor, responsibleOrganizationId?: number, limit = 200): Promise<MeasureChoices[]> {
  await assertCanRead(db, actor);
  const documents = await documentRepository.listDocumentTitles(db, limit);
  const ids = documents.map((row) => row.id);
  const [network, parties, measures] = await Promise.all([loadNetwork(db, actor), documentRepository.listParties(db, ids), documentRepository.listMeasureTitles(db, ids)]);
  const partiesOf = groupBy(parties, (row) => row.document_id);
  const measuresOf = groupBy(measures, (row) => row.document_id);
  return documents
    .filter(
      (row) =>
        responsibleOrganizationId === undefined ||
        mayBeResponsible(network, { kind: row.kind, issuerId: null, partyIds: (partiesOf.get(row.id) ?? []).map((party) => party.organization_id) }, responsibleOrganizationId),
    )
    .map((row) => ({
      document: { id: row.id, kind: row.kind, titleZh: row.title_zh, titleEn: row.title_en },
      measures: (measuresOf.get(row.id) ?? [])
        .map((measure) => ({ id: measure.id, number: measure.number, titleZh: measure.title_zh, titleEn: measure.title_en }))
        .sort((a, b) => byNumber.compare(a.number, b.number)),
    }))
    .filter((choice) => choice.measures.length > 0);
}

/** Reads one document. */
export async function getDocument(db: Executor, actor: Actor, id: number): Promise<AgreementDocument> {
  await assertCanRead(db, actor);
  const document = await loadDocument(db, await loadNetwork(db, actor), id);
  if (!document) throw notFound();
  return document;
}

/** A document's progress, rolled up from its commitments by weight. */
export async function getDocumentProgress(db: Executor, actor: Actor, id: number): Promise<Rollup> {
  await assertCanRead(db, actor);
  const [sums] = await commitmentRepository.sumProgressByDocument(db, [id]);
  return rollupOf(sums ? sumsOf(sums) : undefined);
}

/** Tells whether the actor may change a document and its measures. */
export async function mayEditDocumentOf(db: Executor, actor: Actor, document: AgreementDocument): Promise<boolean> {
  return mayEditDocument(await loadNetwork(db, actor), ownersOf(document));
}

/** Refuses, as "not found", an actor who may not change the document. */
async function assertMayEditDocument(network: Network, document: AgreementDocument): Promise<void> {
  if (!mayEditDocument(network, ownersOf(document))) throw notFound();
}

/**
 * Builds a document's measure tree with progress rolled up by weight (see rollUpMeasures), in reading
 * order; tags come from two queries for all measures at once.
 */
async function measureTree(db: Executor, documentId: number): Promise<{ roots: MeasureNode[]; list: MeasureNode[]; overall: Rollup }> {
  const rows = await documentRepository.listMeasures(db, documentId);
  const ids = rows.map((row) => row.id);
  const [dimensions, topics, sums] = await Promise.all([
    documentRepository.listMeasureDimensions(db, ids),
    documentRepository.listMeasureTopics(db, ids),
    commitmentRepository.sumProgressByMeasure(db, documentId),
  ]);
  const dimensionsOf = groupBy(dimensions, (row) => row.measure_id);
  const topicsOf = groupBy(topics, (row) => row.measure_id);
  const direct = new Map(sums.map((row) => [row.measure_id, sumsOf(row)]));
  const totals = rollUpMeasures(
    rows.map((row) => ({ id: row.id, parentId: row.parent_id })),
    direct,
  );
  const nodes = new Map<number, MeasureNode>(
    rows.map((row) => [
      row.id,
      {
        ...measureOf(row, (dimensionsOf.get(row.id) ?? []).map(tagOf), (topicsOf.get(row.id) ?? []).map(tagOf)),
        ...rollupOf(totals.get(row.id)),
        depth: 0,
        children: [],
      },
    ]),
  );
  const roots: MeasureNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const list: MeasureNode[] = [];
  const visit = (node: MeasureNode, depth: number): void => {
    node.depth = depth;
    list.push(node);
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return { roots, list, overall: rollupOf([...direct.values()].reduce(addSums, noProgress)) };
}

/** Reads a document with its measure tree, progress rolled up from the commitments by weight. */
export async function getDocumentDetail(db: Executor, actor: Actor, id: number): Promise<DocumentDetail> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  const document = await loadDocument(db, network, id);
  if (!document) throw notFound();
  const [tree, media] = await Promise.all([
    measureTree(db, id),
    documentRepository.listMediaAmong(db, [...document.attachments.zh, ...document.attachments.en]),
  ]);
  const mediaById = new Map(media.map((row) => [row.id, row]));
  const attachmentMedia = (['zh', 'en'] as const).flatMap((locale) =>
    document.attachments[locale].flatMap((mediaId) => {
      const row = mediaById.get(mediaId);
      return row ? [{ id: row.id, locale, altZh: row.alt_zh, altEn: row.alt_en, originalName: row.original_name }] : [];
    }),
  );
  return {
    ...document,
    ...tree.overall,
    measures: tree.roots,
    measureList: tree.list,
    attachmentMedia,
    editable: mayEditDocument(network, ownersOf(document)),
  };
}

// ---------------------------------------------------------------------------------------------
// Changing documents

/** A document's content as it will be stored, checked before it is written. */
interface DocumentContent {
  kind: DocumentKind;
  signedOn: string;
  startsOn: string | null;
  endsOn: string | null;
  issuerId: number | null;
  partyIds: number[];
  attachmentsZh: number[];
  attachmentsEn: number[];
}

async function assertDocumentFits(tx: Executor, network: Network, content: DocumentContent, id?: number): Promise<void> {
  if (content.kind === 'agreement') {
    if (content.issuerId !== null) throw refuse('issuerId', agreementMessages.noIssuerForAgreement());
    if (content.partyIds.length < 2) throw refuse('partyIds', agreementMessages.partiesNeeded());
  } else {
    if (content.issuerId === null) throw refuse('issuerId', agreementMessages.issuerNeeded());
    if (content.partyIds.length > 0) throw refuse('partyIds', agreementMessages.noPartiesForCircular());
  }
  if (content.issuerId !== null && !network.has(content.issuerId)) throw refuse('issuerId', agreementMessages.unknownOrganization());
  if (content.partyIds.some((partyId) => !network.has(partyId))) throw refuse('partyIds', agreementMessages.unknownOrganization());
  if (content.startsOn !== null && content.endsOn !== null && content.endsOn < content.startsOn) throw refuse('endsOn', agreementMessages.termOrder());
  // Whoever writes a document must remain able to change it: no handing it to others by mistake.
  if (!mayEditDocument(network, { kind: content.kind, issuerId: content.issuerId, partyIds: content.partyIds })) {
    throw refuse(content.kind === 'agreement' ? 'partyIds' : 'issuerId', agreementMessages.keepOwnOrganization());
  }
  for (const [field, ids] of [
    ['attachmentsZh', content.attachmentsZh],
    ['attachmentsEn', content.attachmentsEn],
  ] as const) {
    const found = new Set((await documentRepository.listMediaAmong(tx, ids)).map((row) => row.id));
    const missing = ids.find((mediaId) => !found.has(mediaId));
    if (missing !== undefined) throw refuse(field, agreementMessages.unknownMedia(missing));
  }
  if (id === undefined) return;
  const dueBefore = await documentRepository.countCommitmentsDueBefore(tx, id, content.signedOn);
  if (dueBefore > 0) throw refuse('signedOn', agreementMessages.commitmentsBeforeDate(dueBefore));
  if (content.kind === 'agreement') {
    const outside = await documentRepository.countCommitmentsOutside(tx, id, content.partyIds);
    if (outside > 0) throw refuse('partyIds', agreementMessages.commitmentsOutsideParties(outside));
  }
}

function mayEditSomewhere(network: Network): boolean {
  return network.organizations.some((organization) => network.mayEdit(organization.id));
}

/** Tells whether the actor may create documents: with edit_records somewhere, to be the issuer or a party. */
export async function mayCreateDocuments(db: Executor, actor: Actor): Promise<boolean> {
  await assertCanRead(db, actor);
  return mayEditSomewhere(await loadNetwork(db, actor));
}

/** Creates a framework agreement, circular or plan, with its parties and attachments; audited. */
export async function createDocument(db: Kysely<Database>, actor: Actor, input: DocumentInput): Promise<AgreementDocument> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  // Someone who may edit nothing gets "not found", as for any change they may not make.
  if (!mayEditSomewhere(network)) throw notFound();
  return db.transaction().execute(async (tx) => {
    await assertDocumentFits(tx, network, input);
    const row = await documentRepository.insertDocument(tx, {
      kind: input.kind,
      title_zh: input.titleZh,
      title_en: input.titleEn,
      doc_number: input.docNumber,
      signed_on: input.signedOn,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      issuer_organization_id: input.issuerId,
      body_zh: input.bodyZh,
      body_en: input.bodyEn,
      body_html_zh: renderArticleMarkdown(input.bodyZh),
      body_html_en: renderArticleMarkdown(input.bodyEn),
      is_public: input.isPublic,
    });
    await documentRepository.replaceParties(tx, row.id, input.partyIds);
    await documentRepository.replaceAttachments(tx, row.id, 'zh', input.attachmentsZh);
    await documentRepository.replaceAttachments(tx, row.id, 'en', input.attachmentsEn);
    const document = documentOf(row, network, input.partyIds, { zh: input.attachmentsZh, en: input.attachmentsEn });
    await recordAudit(tx, actor, { action: 'create', entityType: 'document', entityId: row.id, after: document });
    return document;
  });
}

/** Changes a document: kind, titles, number, dates, issuer or parties, texts, attachments, public flag; audited. */
export async function updateDocument(db: Kysely<Database>, actor: Actor, id: number, changes: DocumentPatch): Promise<AgreementDocument> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db.transaction().execute(async (tx) => {
    const before = await loadDocument(tx, network, id, 'update');
    if (!before) throw notFound();
    await assertMayEditDocument(network, before);
    const content: DocumentContent = {
      kind: changes.kind ?? before.kind,
      signedOn: changes.signedOn ?? before.signedOn,
      startsOn: changes.startsOn === undefined ? before.startsOn : changes.startsOn,
      endsOn: changes.endsOn === undefined ? before.endsOn : changes.endsOn,
      issuerId: changes.issuerId === undefined ? (before.issuer?.id ?? null) : changes.issuerId,
      partyIds: changes.partyIds ?? before.parties.map((party) => party.id),
      attachmentsZh: changes.attachmentsZh ?? before.attachments.zh,
      attachmentsEn: changes.attachmentsEn ?? before.attachments.en,
    };
    await assertDocumentFits(tx, network, content, id);
    const bodyZh = changes.bodyZh ?? before.bodyZh;
    const bodyEn = changes.bodyEn ?? before.bodyEn;
    const row = await documentRepository.updateDocument(tx, id, {
      kind: content.kind,
      title_zh: changes.titleZh ?? before.titleZh,
      title_en: changes.titleEn ?? before.titleEn,
      doc_number: changes.docNumber ?? before.docNumber,
      signed_on: content.signedOn,
      starts_on: content.startsOn,
      ends_on: content.endsOn,
      issuer_organization_id: content.issuerId,
      body_zh: bodyZh,
      body_en: bodyEn,
      body_html_zh: renderArticleMarkdown(bodyZh),
      body_html_en: renderArticleMarkdown(bodyEn),
      is_public: changes.isPublic ?? before.isPublic,
    });
    await documentRepository.replaceParties(tx, id, content.partyIds);
    await documentRepository.replaceAttachments(tx, id, 'zh', content.attachmentsZh);
    await documentRepository.replaceAttachments(tx, id, 'en', content.attachmentsEn);
    const document = documentOf(row, network, content.partyIds, { zh: content.attachmentsZh, en: content.attachmentsEn });
    await recordAudit(tx, actor, { action: 'update', entityType: 'document', entityId: id, before, after: document });
    return document;
  });
}

/** Deletes a document with its measures, commitments and progress updates; audited. */
export async function deleteDocument(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  await db.transaction().execute(async (tx) => {
    const before = await loadDocument(tx, network, id, 'update');
    if (!before) throw notFound();
    await assertMayEditDocument(network, before);
    await documentRepository.deleteDocument(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'document', entityId: id, before });
  });
}

// ---------------------------------------------------------------------------------------------
// Measures

/** A measure with what its page shows around it. */
export interface MeasureDetail extends MeasureNode {
  document: AgreementDocument;
  /** From the top measure down to the direct parent. */
  ancestors: Measure[];
  /** Whether the actor may change the measure (and the document). */
  editable: boolean;
}

async function loadMeasure(db: Executor, id: number): Promise<Measure | undefined> {
  const row = await documentRepository.findMeasureById(db, id);
  if (!row) return undefined;
  const [dimensions, topics] = await Promise.all([documentRepository.listMeasureDimensions(db, [id]), documentRepository.listMeasureTopics(db, [id])]);
  return measureOf(row, dimensions.map(tagOf), topics.map(tagOf));
}

/** Reads one measure. */
export async function getMeasure(db: Executor, actor: Actor, id: number): Promise<Measure> {
  await assertCanRead(db, actor);
  const measure = await loadMeasure(db, id);
  if (!measure) throw notFound();
  return measure;
}

/** Reads a measure with its document, ancestors, the measures below it and its rolled-up progress. */
export async function getMeasureDetail(db: Executor, actor: Actor, id: number): Promise<MeasureDetail> {
  await assertCanRead(db, actor);
  const row = await documentRepository.findMeasureById(db, id);
  if (!row) throw notFound();
  const network = await loadNetwork(db, actor);
  const [document, tree] = await Promise.all([loadDocument(db, network, row.document_id), measureTree(db, row.document_id)]);
  const node = tree.list.find((candidate) => candidate.id === id);
  if (!document || !node) throw notFound();
  const byId = new Map(tree.list.map((candidate) => [candidate.id, candidate]));
  const ancestors: Measure[] = [];
  for (let parent = node.parentId === null ? undefined : byId.get(node.parentId); parent; parent = parent.parentId === null ? undefined : byId.get(parent.parentId)) {
    ancestors.unshift(parent);
    if (ancestors.length > tree.list.length) break;
  }
  return { ...node, document, ancestors, editable: mayEditDocument(network, ownersOf(document)) };
}

/** Lists a document's measures in reading order, each with its rolled-up progress. */
export async function listMeasuresOf(db: Executor, actor: Actor, documentId: number): Promise<MeasureNode[]> {
  await assertCanRead(db, actor);
  if (!(await documentRepository.findDocumentById(db, documentId))) throw notFound();
  return (await measureTree(db, documentId)).list;
}

/** The content a measure will have, checked before it is written. */
interface MeasureContent {
  number: string;
  parentId: number | null;
  dimensionIds: number[];
  topicIds: number[];
}

async function assertMeasureFits(tx: Executor, documentId: number, content: MeasureContent, id?: number): Promise<void> {
  const tree = await documentRepository.listMeasureTree(tx, documentId);
  if (content.parentId !== null) {
    if (!tree.some((measure) => measure.id === content.parentId)) throw refuse('parentId', agreementMessages.parentElsewhere());
    if (id !== undefined && makesCycle(tree.map((measure) => ({ id: measure.id, parentId: measure.parent_id })), id, content.parentId)) {
      throw refuse('parentId', agreementMessages.cycle(), 'cycle');
    }
  }
  const holder = await documentRepository.findMeasureByNumber(tx, documentId, content.number);
  if (holder && holder.id !== id) throw new AgreementRuleError(409, 'conflict', agreementMessages.numberTaken(content.number), 'number');
  const [dimensions, topics] = await Promise.all([documentRepository.listWorkDimensions(tx), documentRepository.listTopics(tx)]);
  if (content.dimensionIds.some((dimensionId) => !dimensions.some((dimension) => dimension.id === dimensionId))) {
    throw refuse('dimensionIds', agreementMessages.unknownDimension());
  }
  if (content.topicIds.some((topicId) => !topics.some((topic) => topic.id === topicId))) throw refuse('topicIds', agreementMessages.unknownTopic());
}

/** Turns a unique-index violation (another writer took the number first) into a refusal. */
function refusingRaces(number: string | undefined) {
  return (error: unknown): never => {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505') {
      throw new AgreementRuleError(409, 'conflict', agreementMessages.numberTaken(number ?? ''), 'number');
    }
    throw error;
  };
}

/** Adds a measure to a document, under another measure or at the top; audited. */
export async function createMeasure(db: Kysely<Database>, actor: Actor, documentId: number, input: MeasureInput): Promise<Measure> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db
    .transaction()
    .execute(async (tx) => {
      // The document's row lock queues changes to its measure tree, so that two moves cannot make a cycle together.
      const document = await loadDocument(tx, network, documentId, 'update');
      if (!document) throw notFound();
      await assertMayEditDocument(network, document);
      await assertMeasureFits(tx, documentId, input);
      const row = await documentRepository.insertMeasure(tx, {
        document_id: documentId,
        parent_id: input.parentId,
        number: input.number,
        position: input.position ?? (await documentRepository.nextMeasurePosition(tx, documentId, input.parentId)),
        title_zh: input.titleZh,
        title_en: input.titleEn,
        body_zh: input.bodyZh,
        body_en: input.bodyEn,
      });
      await documentRepository.replaceMeasureDimensions(tx, row.id, input.dimensionIds);
      await documentRepository.replaceMeasureTopics(tx, row.id, input.topicIds);
      const measure = await loadMeasure(tx, row.id);
      await recordAudit(tx, actor, { action: 'create', entityType: 'measure', entityId: row.id, after: measure });
      return measure ?? measureOf(row, [], []);
    })
    .catch(refusingRaces(input.number));
}

/** Changes a measure: number, order, parent (same document, no cycles), texts, dimensions, topics; audited. */
export async function updateMeasure(db: Kysely<Database>, actor: Actor, id: number, changes: MeasurePatch): Promise<Measure> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db
    .transaction()
    .execute(async (tx) => {
      const current = await documentRepository.findMeasureById(tx, id);
      if (!current) throw notFound();
      const document = await loadDocument(tx, network, current.document_id, 'update');
      if (!document) throw notFound();
      await assertMayEditDocument(network, document);
      const before = await loadMeasure(tx, id);
      if (!before) throw notFound();
      const content: MeasureContent = {
        number: changes.number ?? before.number,
        parentId: changes.parentId === undefined ? before.parentId : changes.parentId,
        dimensionIds: changes.dimensionIds ?? before.dimensions.map((dimension) => dimension.id),
        topicIds: changes.topicIds ?? before.topics.map((topic) => topic.id),
      };
      await assertMeasureFits(tx, current.document_id, content, id);
      const moved = content.parentId !== before.parentId;
      await documentRepository.updateMeasure(tx, id, {
        number: content.number,
        parent_id: content.parentId,
        position:
          changes.position ?? (moved ? await documentRepository.nextMeasurePosition(tx, current.document_id, content.parentId) : before.position),
        title_zh: changes.titleZh ?? before.titleZh,
        title_en: changes.titleEn ?? before.titleEn,
        body_zh: changes.bodyZh ?? before.bodyZh,
        body_en: changes.bodyEn ?? before.bodyEn,
      });
      if (changes.dimensionIds) await documentRepository.replaceMeasureDimensions(tx, id, content.dimensionIds);
      if (changes.topicIds) await documentRepository.replaceMeasureTopics(tx, id, content.topicIds);
      const after = await loadMeasure(tx, id);
      await recordAudit(tx, actor, { action: 'update', entityType: 'measure', entityId: id, before, after });
      return after ?? before;
    })
    .catch(refusingRaces(changes.number));
}

/** What deleting a measure takes with it. */
export async function countMeasureDependents(db: Executor, actor: Actor, id: number) {
  await assertCanRead(db, actor);
  return documentRepository.countMeasureDependents(db, id);
}

/** Deletes a measure with the measures below it and their commitments; audited. */
export async function deleteMeasure(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  await db.transaction().execute(async (tx) => {
    const current = await documentRepository.findMeasureById(tx, id);
    if (!current) throw notFound();
    const document = await loadDocument(tx, network, current.document_id, 'update');
    if (!document) throw notFound();
    await assertMayEditDocument(network, document);
    const [before, dependents] = await Promise.all([loadMeasure(tx, id), documentRepository.countMeasureDependents(tx, id)]);
    await documentRepository.deleteMeasure(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'measure', entityId: id, before: { ...before, removedWithIt: dependents } });
  });
}

// ---------------------------------------------------------------------------------------------
// Work dimensions and topics

/** Lists the work dimensions, in their order. */
export async function listWorkDimensions(db: Executor, actor: Actor): Promise<WorkDimension[]> {
  await assertCanRead(db, actor);
  return (await documentRepository.listWorkDimensions(db)).map(workDimensionOf);
}

/** Lists the topics measures can be tagged with (the activities' list). */
export async function listTopics(db: Executor, actor: Actor): Promise<Tag[]> {
  await assertCanRead(db, actor);
  return (await documentRepository.listTopics(db)).map(tagOf);
}

/** Reads one work dimension (platform administrators, who keep the list). */
export async function getWorkDimension(db: Executor, actor: Actor, id: number): Promise<WorkDimension> {
  assertPlatformAdmin(actor);
  const row = await documentRepository.findWorkDimensionById(db, id);
  if (!row) throw notFound();
  return workDimensionOf(row);
}

async function assertCodeFree(tx: Executor, code: string, id?: number): Promise<void> {
  const holder = await documentRepository.findWorkDimensionByCode(tx, code);
  if (holder && holder.id !== id) throw new AgreementRuleError(409, 'conflict', agreementMessages.dimensionCodeTaken(code), 'code');
}

/** Adds a work dimension (platform administrators); audited. */
export async function createWorkDimension(db: Kysely<Database>, actor: Actor, input: WorkDimensionInput): Promise<WorkDimension> {
  assertPlatformAdmin(actor);
  return db.transaction().execute(async (tx) => {
    await assertCodeFree(tx, input.code);
    const row = await documentRepository.insertWorkDimension(tx, { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, position: input.position });
    const dimension = workDimensionOf(row);
    await recordAudit(tx, actor, { action: 'create', entityType: 'work_dimension', entityId: row.id, after: dimension });
    return dimension;
  });
}

/** Changes a work dimension (platform administrators); audited. */
export async function updateWorkDimension(db: Kysely<Database>, actor: Actor, id: number, input: WorkDimensionInput): Promise<WorkDimension> {
  assertPlatformAdmin(actor);
  return db.transaction().execute(async (tx) => {
    const before = await documentRepository.findWorkDimensionById(tx, id);
    if (!before) throw notFound();
    await assertCodeFree(tx, input.code, id);
    const row = await documentRepository.updateWorkDimension(tx, id, { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, position: input.position });
    const dimension = workDimensionOf(row);
    await recordAudit(tx, actor, { action: 'update', entityType: 'work_dimension', entityId: id, before: workDimensionOf(before), after: dimension });
    return dimension;
  });
}

/** Deletes a work dimension no measure is tagged with (platform administrators); audited. */
export async function deleteWorkDimension(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  assertPlatformAdmin(actor);
  await db.transaction().execute(async (tx) => {
    const before = await documentRepository.findWorkDimensionById(tx, id);
    if (!before) throw notFound();
    const tagged = await documentRepository.countMeasuresTagged(tx, id);
    if (tagged > 0) throw new AgreementRuleError(409, 'conflict', agreementMessages.dimensionInUse(tagged), '_form');
    await documentRepository.deleteWorkDimension(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'work_dimension', entityId: id, before: workDimensionOf(before) });
  });
}
