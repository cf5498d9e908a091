import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { totalOf } from '../../platform/paging.ts';
import { today } from '../people/person.service.ts';
import { loadNetwork, mayBeResponsible, mayChangeCommitment, type Network, type OrganizationRef } from './agreement.access.ts';
import { agreementMessages, effectiveStatus, fieldMessage, progressOf, refuse, type CommitmentStatus } from './agreement.rules.ts';
import {
  noteMessage,
  type CommitmentInput,
  type CommitmentPatch,
  type CommitmentQuery,
  type ProgressUpdateInput,
  type ProgressUpdatePatch,
} from './agreement.schema.ts';
import { loadDocument, ownersOf, type AgreementDocument, type Measure } from './agreement.service.ts';
import * as agreementService from './agreement.service.ts';
import * as commitmentRepository from './commitment.repository.ts';
import type { CommitmentFilter, ReadableOrganizations, TimelineOf } from './commitment.repository.ts';
import type { CommitmentRow, ProgressUpdateRow, StoredCommitmentStatus } from './commitment.table.ts';
import * as documentRepository from './document.repository.ts';

/** What one organization undertook under a measure, and how far it is. */
export interface Commitment {
  id: number;
  documentId: number;
  measureId: number;
  whatZh: string;
  /** Empty when no English text is on record. */
  whatEn: string;
  responsibleOrganization: OrganizationRef;
  partners: OrganizationRef[];
  /** Null: ongoing, never overdue. */
  dueOn: string | null;
  weight: number;
  /** As shown on the day it was read: an open commitment past its due date is "overdue". */
  status: CommitmentStatus;
  /** As set by people. */
  storedStatus: StoredCommitmentStatus;
  progress: number;
  /** The follow-up of an activity it was made from; null when none. */
  followUpId: number | null;
  /** Whether the actor may change it and report its progress. */
  editable: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A commitment in a list: with its document and measure named. */
export interface CommitmentListItem extends Commitment {
  document: { id: number; kind: AgreementDocument['kind']; titleZh: string; titleEn: string };
  measure: { id: number; number: string; titleZh: string; titleEn: string };
}

/** What a progress update points to as evidence, named for links. */
export interface Evidence {
  /** An activity of the workspace. */
  activity: { id: number; titleZh: string; titleEn: string } | null;
  /** A published update of the portal: its site and address, and its titles. */
  article: { id: number; siteSlug: string; slug: string; titleZh: string; titleEn: string } | null;
  /** An image of the media library. */
  media: { id: number; altZh: string; altEn: string } | null;
}

/** A dated note on a commitment, what it set, and its evidence. */
export interface ProgressUpdate {
  id: number;
  commitmentId: number;
  /** The commitment it is about (measure timelines show several). */
  commitment: { whatZh: string; whatEn: string; responsibleOrganizationId: number };
  reportedOn: string;
  noteZh: string;
  noteEn: string;
  /** The progress it set the commitment to; null when it set none. */
  progress: number | null;
  /** The status it set; null when it set none. */
  status: StoredCommitmentStatus | null;
  evidence: Evidence;
  createdAt: Date;
  updatedAt: Date;
}

/** The follow-up of an activity that a commitment was made from, named for links. */
export interface FollowUpOrigin {
  followUpId: number;
  activityId: number;
  activityTitleZh: string;
  activityTitleEn: string;
  actionZh: string;
  actionEn: string;
}

/** A commitment with what its page shows: its document, its measure and its timeline. */
export interface CommitmentDetail extends Commitment {
  document: AgreementDocument;
  measure: Measure;
  /** The follow-up it was made from; null when none, or when its activity is one the reader may not see. */
  origin: FollowUpOrigin | null;
  /** Progress updates in date order, oldest first. */
  timeline: ProgressUpdate[];
}

/** How many progress updates a timeline shows: the newest ones. */
export const timelineLimit = 500;

type CommitmentColumns = Pick<
  CommitmentRow,
    | 'id'
  | 'document_id'
  | 'measure_id'
  | 'what_zh'
  | 'what_en'
  | 'responsible_organization_id'
  | 'due_on'
  | 'weight'
  | 'status'
  | 'progress'
  | 'follow_up_id'
  | 'created_at'
  | 'updated_at'
>;

function commitmentOf(row: CommitmentColumns, network: Network, partnerIds: readonly number[], day: string, editable: boolean): Commitment {
  return {
    id: row.id,
    documentId: row.document_id,
    measureId: row.measure_id,
    whatZh: row.what_zh,
    whatEn: row.what_en,
    responsibleOrganization: network.ref(row.responsible_organization_id),
    partners: partnerIds.map((id) => network.ref(id)),
    dueOn: row.due_on,
    weight: Number(row.weight),
    status: effectiveStatus(row.status, row.due_on, day),
    storedStatus: row.status,
    progress: row.progress,
    followUpId: row.follow_up_id,
    editable,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type TimelineRow = Awaited<ReturnType<typeof commitmentRepository.listProgressUpdates>>[number];

function progressUpdateOf(row: TimelineRow): ProgressUpdate {
  return {
    id: row.id,
    commitmentId: row.commitment_id,
    commitment: { whatZh: row.commitment_what_zh, whatEn: row.commitment_what_en, responsibleOrganizationId: row.responsible_organization_id },
    reportedOn: row.reported_on,
    noteZh: row.note_zh,
    noteEn: row.note_en,
    progress: row.progress,
    status: row.status,
    evidence: {
      // An internal activity the reader may not see is left out, as its own page would answer "not found".
      activity:
        row.activity_id === null || !row.activity_readable
          ? null
          : { id: row.activity_id, titleZh: row.activity_title_zh ?? '', titleEn: row.activity_title_en ?? '' },
      article:
        row.article_id === null || row.article_slug === null || row.article_site_slug === null
          ? null
          : { id: row.article_id, siteSlug: row.article_site_slug, slug: row.article_slug, titleZh: row.article_title_zh ?? '', titleEn: row.article_title_en ?? '' },
      media: row.media_id === null ? null : { id: row.media_id, altZh: row.media_alt_zh ?? '', altEn: row.media_alt_en ?? '' },
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function partnersByCommitment(rows: readonly { commitment_id: number; organization_id: number }[]): Map<number, number[]> {
  const partners = new Map<number, number[]>();
  for (const row of rows) partners.set(row.commitment_id, [...(partners.get(row.commitment_id) ?? []), row.organization_id]);
  return partners;
}

/** The filter of a query, read against `day`. */
function filterOf(query: Omit<CommitmentQuery, 'limit' | 'offset'>, day: string): CommitmentFilter {
  return {
    documentId: query.documentId,
    measureId: query.measureId,
    organizationId: query.organizationId,
    status: query.status,
    dueFrom: query.dueFrom,
    dueTo: query.dueTo,
    dimensionId: query.dimensionId,
    today: day,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Lists a page of commitments for any member of the network: by document, measure (and below),
 * responsible organization (and units below), status as shown on `day`, due range, work dimension.
 */
export async function listCommitments(db: Executor, actor: Actor, query: CommitmentQuery, day = today()) {
  await assertCanRead(db, actor);
  const filter = filterOf(query, day);
  const rows = await commitmentRepository.listCommitments(db, filter, query);
  const [total, items] = await Promise.all([
    totalOf(query, rows.length, () => commitmentRepository.countCommitments(db, filter)),
    listItemsOf(db, actor, rows, day),
  ]);
  return { items, total, limit: query.limit, offset: query.offset };
}

type ListRow = Awaited<ReturnType<typeof commitmentRepository.listCommitments>>[number];

/** Rows of the list as the list's items: partners, document and measure, and whether the actor may change each. */
async function listItemsOf(db: Executor, actor: Actor, rows: readonly ListRow[], day: string): Promise<CommitmentListItem[]> {
  const [network, partners] = await Promise.all([
    loadNetwork(db, actor),
    commitmentRepository.listPartners(
      db,
      rows.map((row) => row.id),
    ),
  ]);
  const partnersOf = partnersByCommitment(partners);
  return rows.map((row) => {
    const owners = { kind: row.document_kind, issuerId: row.issuer_organization_id, partyIds: [] };
    return {
      ...commitmentOf(row, network, partnersOf.get(row.id) ?? [], day, mayChangeCommitment(network, owners, row.responsible_organization_id)),
      document: { id: row.document_id, kind: row.document_kind, titleZh: row.document_title_zh, titleEn: row.document_title_en },
      measure: { id: row.measure_id, number: row.measure_number, titleZh: row.measure_title_zh, titleEn: row.measure_title_en },
    };
  });
}

/**
 * Every commitment a filter matches, in the list's order, `batch` at a time: for exports. Each batch
 * reads on from the last row of the one before (no offset to skip, no count).
 */
export async function* readAllCommitments(
  db: Executor,
  actor: Actor,
  query: Omit<CommitmentQuery, 'limit' | 'offset'>,
  day = today(),
  batch = 2000,
): AsyncGenerator<CommitmentListItem[]> {
  await assertCanRead(db, actor);
  const filter = filterOf(query, day);
  let cursor: commitmentRepository.CommitmentCursor | undefined;
  for (;;) {
    const rows = await commitmentRepository.listCommitments(db, filter, { limit: batch, offset: 0, after: cursor });
    if (rows.length > 0) yield await listItemsOf(db, actor, rows, day);
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    cursor = { dueOn: last.due_on, id: last.id };
  }
}

/** How many commitments match a filter in each status as shown on `day`, and their progress rolled up by weight. */
export async function summarizeCommitments(db: Executor, actor: Actor, query: Omit<CommitmentQuery, 'limit' | 'offset'>, day = today()) {
  await assertCanRead(db, actor);
  const summary = await commitmentRepository.summarizeCommitments(db, filterOf(query, day));
  return { counts: summary.counts, progress: progressOf({ weighted: summary.weighted, weight: summary.weight, count: 0 }) };
}

/** Lists every commitment of a document, for its page, each saying whether the actor may change it. */
export async function listCommitmentsOfDocument(db: Executor, actor: Actor, document: AgreementDocument, day = today()): Promise<Commitment[]> {
  await assertCanRead(db, actor);
  const rows = await commitmentRepository.listCommitmentsOfDocument(db, document.id);
  const [network, partners] = await Promise.all([
    loadNetwork(db, actor),
    commitmentRepository.listPartners(
      db,
      rows.map((row) => row.id),
    ),
  ]);
  const partnersOf = partnersByCommitment(partners);
  const owners = ownersOf(document);
  return rows.map((row) =>
    commitmentOf(row, network, partnersOf.get(row.id) ?? [], day, mayChangeCommitment(network, owners, row.responsible_organization_id)),
  );
}

async function loadCommitment(db: Executor, network: Network, document: AgreementDocument, row: CommitmentRow, day: string): Promise<Commitment> {
  const partners = await commitmentRepository.listPartners(db, [row.id]);
  return commitmentOf(
    row,
    network,
    partners.map((partner) => partner.organization_id),
    day,
    mayChangeCommitment(network, ownersOf(document), row.responsible_organization_id),
  );
}

/** Reads one commitment. */
export async function getCommitment(db: Executor, actor: Actor, id: number, day = today()): Promise<Commitment> {
  await assertCanRead(db, actor);
  const row = await commitmentRepository.findCommitmentById(db, id);
  if (!row) throw notFound();
  const network = await loadNetwork(db, actor);
  const document = await loadDocument(db, network, row.document_id);
  if (!document) throw notFound();
  return loadCommitment(db, network, document, row, day);
}

/** Reads a commitment with its document, measure and timeline of progress updates. */
export async function getCommitmentDetail(db: Executor, actor: Actor, id: number, day = today()): Promise<CommitmentDetail> {
  await assertCanRead(db, actor);
  const row = await commitmentRepository.findCommitmentById(db, id);
  if (!row) throw notFound();
  const network = await loadNetwork(db, actor);
  const readable = await readableOrganizations(db, actor);
  const [document, measure, timeline, followUp] = await Promise.all([
    loadDocument(db, network, row.document_id),
    agreementService.getMeasure(db, actor, row.measure_id),
    commitmentRepository.listProgressUpdates(db, { commitmentId: id }, timelineLimit, readable),
    row.follow_up_id === null ? undefined : commitmentRepository.findReadableFollowUp(db, row.follow_up_id, readable),
  ]);
  if (!document) throw notFound();
  const origin = followUp ? followUpOriginOf(followUp) : null;
  return { ...(await loadCommitment(db, network, document, row, day)), document, measure, origin, timeline: timeline.map(progressUpdateOf) };
}

type FollowUpRow = NonNullable<Awaited<ReturnType<typeof commitmentRepository.findReadableFollowUp>>>;

function followUpOriginOf(row: FollowUpRow): FollowUpOrigin {
  return {
    followUpId: row.id,
    activityId: row.activity_id,
    activityTitleZh: row.activity_title_zh,
    activityTitleEn: row.activity_title_en,
    actionZh: row.action_zh,
    actionEn: row.action_en,
  };
}

/** A follow-up about to become a commitment: where it comes from, and the commitment's fields filled in from it. */
export interface FollowUpDraft {
  origin: FollowUpOrigin;
  /** The commitment already made from it; null when none. */
  commitmentId: number | null;
  values: { whatZh: string; whatEn: string; responsibleOrganizationId: number; dueOn: string | null; status: StoredCommitmentStatus; followUpId: number };
}

// An open follow-up has not started as a commitment; done and dropped mean the same on both sides.
const statusOfFollowUp = { open: 'not_started', done: 'done', dropped: 'dropped' } as const satisfies Record<FollowUpRow['status'], StoredCommitmentStatus>;

/** Reads an activity's follow-up as the commitment it would become: its action, owner, due date and status. */
export async function draftCommitmentFromFollowUp(db: Executor, actor: Actor, followUpId: number): Promise<FollowUpDraft> {
  await assertCanRead(db, actor);
  const row = await commitmentRepository.findReadableFollowUp(db, followUpId, await readableOrganizations(db, actor));
  if (!row) throw notFound();
  return {
    origin: followUpOriginOf(row),
    commitmentId: row.commitment_id,
    values: {
      // A commitment needs its Chinese text; a follow-up written in English only lends that.
      whatZh: row.action_zh || row.action_en,
      whatEn: row.action_en,
      responsibleOrganizationId: row.owner_organization_id,
      dueOn: row.due_on,
      status: statusOfFollowUp[row.status],
      followUpId: row.id,
    },
  };
}

/** Checks that a follow-up can become this commitment: one the actor may see, not yet made a commitment. Locks it. */
async function assertFollowUpFree(tx: Executor, actor: Actor, followUpId: number): Promise<void> {
  const row = await commitmentRepository.findReadableFollowUp(tx, followUpId, await readableOrganizations(tx, actor), true);
  if (!row) throw refuse('followUpId', agreementMessages.unknownFollowUp(followUpId));
  if (row.commitment_id !== null) throw refuse('followUpId', agreementMessages.followUpCommitted(), 'follow_up_committed');
}

/** Lists a timeline: a commitment's progress updates, or those of a measure's commitments and the measures below it. */
export async function listProgressUpdates(db: Executor, actor: Actor, of: TimelineOf): Promise<ProgressUpdate[]> {
  await assertCanRead(db, actor);
  const found = 'commitmentId' in of ? await commitmentRepository.findCommitmentById(db, of.commitmentId) : await documentRepository.findMeasureById(db, of.measureId);
  if (!found) throw notFound();
  return (await commitmentRepository.listProgressUpdates(db, of, timelineLimit, await readableOrganizations(db, actor))).map(progressUpdateOf);
}

// ---------------------------------------------------------------------------------------------
// Changing commitments

/** The status and progress as they will be stored; a done commitment is at 100%, one not started at 0%. */
function settle(status: StoredCommitmentStatus, given: number | null | undefined, previous: number): number {
  const progress = given ?? (status === 'done' ? 100 : status === 'not_started' ? 0 : previous);
  if (status === 'done' && progress !== 100) throw refuse('progress', agreementMessages.doneIsFull());
  if (status === 'not_started' && progress !== 0) throw refuse('progress', agreementMessages.notStartedIsZero());
  return progress;
}

/** A commitment's content as it will be stored, checked before it is written. */
interface CommitmentContent {
  measureId: number;
  responsibleOrganizationId: number;
  partnerIds: number[];
  dueOn: string | null;
}

async function assertCommitmentFits(tx: Executor, network: Network, document: AgreementDocument, content: CommitmentContent): Promise<void> {
  const measure = await documentRepository.findMeasureById(tx, content.measureId);
  if (!measure || measure.document_id !== document.id) throw refuse('measureId', agreementMessages.measureElsewhere());
  if (!network.has(content.responsibleOrganizationId)) throw refuse('responsibleOrganizationId', agreementMessages.unknownOrganization());
  if (!mayBeResponsible(network, ownersOf(document), content.responsibleOrganizationId)) {
    throw refuse('responsibleOrganizationId', agreementMessages.notAParty(), 'not_a_party');
  }
  if (content.partnerIds.some((id) => !network.has(id))) throw refuse('partnerIds', agreementMessages.unknownOrganization());
  if (content.partnerIds.includes(content.responsibleOrganizationId)) throw refuse('partnerIds', agreementMessages.partnerIsResponsible());
  if (content.dueOn !== null && content.dueOn < document.signedOn) throw refuse('dueOn', agreementMessages.dueBeforeDocument(document.signedOn));
}

/**
 * Locks a commitment's row (changes and progress reports queue) and shares its document's (the document
 * cannot change under it), refused as "not found" unless the actor may change the commitment.
 */
async function lockCommitmentToChange(tx: Executor, network: Network, id: number) {
  const current = await commitmentRepository.findCommitmentByIdForUpdate(tx, id);
  if (!current) throw notFound();
  const document = await loadDocument(tx, network, current.document_id, 'share');
  if (!document || !mayChangeCommitment(network, ownersOf(document), current.responsible_organization_id)) throw notFound();
  return { current, document };
}

/** Records a commitment under a measure: what, who is responsible (with partners), by when, its weight, status and progress; audited. */
export async function createCommitment(db: Kysely<Database>, actor: Actor, input: CommitmentInput, day = today()): Promise<Commitment> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db.transaction().execute(async (tx) => {
    const measure = await documentRepository.findMeasureById(tx, input.measureId);
    if (!measure) throw notFound();
    const document = await loadDocument(tx, network, measure.document_id, 'share');
    if (!document) throw notFound();
    // Only those who may change some commitment of the document learn more than "not found".
    if (!network.organizations.some((organization) => mayChangeCommitment(network, ownersOf(document), organization.id))) throw notFound();
    await assertCommitmentFits(tx, network, document, input);
    if (!mayChangeCommitment(network, ownersOf(document), input.responsibleOrganizationId)) {
      throw refuse('responsibleOrganizationId', agreementMessages.notYours());
    }
    const followUpId = input.followUpId ?? null;
    if (followUpId !== null) await assertFollowUpFree(tx, actor, followUpId);
    const progress = settle(input.status, input.progress, 0);
    const row = await commitmentRepository.insertCommitment(tx, {
      document_id: document.id,
      measure_id: input.measureId,
      what_zh: input.whatZh,
      what_en: input.whatEn,
      responsible_organization_id: input.responsibleOrganizationId,
      due_on: input.dueOn,
      weight: input.weight,
      status: input.status,
      progress,
      follow_up_id: followUpId,
    });
    await commitmentRepository.replacePartners(tx, row.id, input.partnerIds);
    const commitment = commitmentOf(row, network, input.partnerIds, day, true);
    await recordAudit(tx, actor, { action: 'create', entityType: 'commitment', entityId: row.id, after: commitment });
    return commitment;
  });
}

/** Changes a commitment; the actor must be allowed for the responsible organization before and after; audited. */
export async function updateCommitment(db: Kysely<Database>, actor: Actor, id: number, changes: CommitmentPatch, day = today()): Promise<Commitment> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db.transaction().execute(async (tx) => {
    const { current, document } = await lockCommitmentToChange(tx, network, id);
    const before = await loadCommitment(tx, network, document, current, day);
    const content: CommitmentContent = {
      measureId: changes.measureId ?? current.measure_id,
      responsibleOrganizationId: changes.responsibleOrganizationId ?? current.responsible_organization_id,
      partnerIds: changes.partnerIds ?? before.partners.map((partner) => partner.id),
      dueOn: changes.dueOn === undefined ? current.due_on : changes.dueOn,
    };
    await assertCommitmentFits(tx, network, document, content);
    if (!mayChangeCommitment(network, ownersOf(document), content.responsibleOrganizationId)) {
      throw refuse('responsibleOrganizationId', agreementMessages.notYours());
    }
    const status = changes.status ?? current.status;
    const progress = settle(status, changes.progress, current.progress);
    const row = await commitmentRepository.updateCommitment(tx, id, {
      measure_id: content.measureId,
      what_zh: changes.whatZh ?? current.what_zh,
      what_en: changes.whatEn ?? current.what_en,
      responsible_organization_id: content.responsibleOrganizationId,
      due_on: content.dueOn,
      weight: changes.weight ?? Number(current.weight),
      status,
      progress,
    });
    if (changes.partnerIds) await commitmentRepository.replacePartners(tx, id, content.partnerIds);
    const after = commitmentOf(row, network, content.partnerIds, day, true);
    await recordAudit(tx, actor, { action: 'update', entityType: 'commitment', entityId: id, before, after });
    return after;
  });
}

/** Deletes a commitment with its progress updates; audited. */
export async function deleteCommitment(db: Kysely<Database>, actor: Actor, id: number, day = today()): Promise<void> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  await db.transaction().execute(async (tx) => {
    const { current, document } = await lockCommitmentToChange(tx, network, id);
    const before = await loadCommitment(tx, network, document, current, day);
    await commitmentRepository.deleteCommitment(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'commitment', entityId: id, before });
  });
}

// ---------------------------------------------------------------------------------------------
// Progress updates

/** The organizations whose internal activities the actor may see. */
async function readableOrganizations(db: Executor, actor: Actor): Promise<ReadableOrganizations> {
  const readable = await organizationsWhere(db, actor, 'read');
  return readable === 'all' ? 'all' : [...readable];
}

/** Checks that the evidence exists: an activity the actor may see, a published update of the portal, an image of the media library. */
async function assertEvidenceExists(
  tx: Executor,
  actor: Actor,
  evidence: { activityId?: number | null; articleId?: number | null; mediaId?: number | null },
): Promise<void> {
  if (evidence.activityId != null && !(await commitmentRepository.findReadableActivity(tx, evidence.activityId, await readableOrganizations(tx, actor)))) {
    throw refuse('activityId', agreementMessages.unknownActivity(evidence.activityId));
  }
  if (evidence.articleId != null && !(await commitmentRepository.findPublishedArticleById(tx, evidence.articleId, new Date()))) {
    throw refuse('articleId', agreementMessages.unpublishedArticle(evidence.articleId));
  }
  if (evidence.mediaId != null && (await documentRepository.listMediaAmong(tx, [evidence.mediaId])).length === 0) {
    throw refuse('mediaId', agreementMessages.unknownMedia(evidence.mediaId));
  }
}

/**
 * What a report sets the commitment to. Progress reported without a status moves a commitment that had
 * not started, or was done, to "in progress" (0% and 100% excepted); a status without progress takes
 * 100% for done and 0% for not started, and keeps the progress otherwise.
 */
function reportedState(current: CommitmentRow, input: ProgressUpdateInput): { status: StoredCommitmentStatus; progress: number } {
  let status = input.status ?? current.status;
  if (input.status === null && input.progress !== null) {
    if (current.status === 'not_started' && input.progress > 0) status = 'in_progress';
    if (current.status === 'done' && input.progress < 100) status = 'in_progress';
  }
  return { status, progress: settle(status, input.progress, current.progress) };
}

/** Reads one progress update. */
export async function getProgressUpdate(db: Executor, actor: Actor, id: number): Promise<ProgressUpdateRow> {
  await assertCanRead(db, actor);
  const row = await commitmentRepository.findProgressUpdateById(db, id);
  if (!row) throw notFound();
  return row;
}

/**
 * Reports progress on a commitment: a dated note with evidence that may set a new progress and status.
 * What it sets is applied to the commitment unless a later-dated update already set something (a report
 * entered afterwards for an earlier day is kept in the timeline without turning the commitment back).
 * Audited, with the commitment's change when it made one.
 */
export async function reportProgress(db: Kysely<Database>, actor: Actor, commitmentId: number, input: ProgressUpdateInput, day = today()) {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db.transaction().execute(async (tx) => {
    const { current, document } = await lockCommitmentToChange(tx, network, commitmentId);
    await assertEvidenceExists(tx, actor, input);
    const sets = input.progress !== null || input.status !== null;
    const state = sets ? reportedState(current, input) : undefined;
    const latest = await commitmentRepository.latestSettingDay(tx, commitmentId);
    const row = await commitmentRepository.insertProgressUpdate(tx, {
      commitment_id: commitmentId,
      reported_on: input.reportedOn,
      note_zh: input.noteZh,
      note_en: input.noteEn,
      progress: state ? state.progress : null,
      status: state && (input.status !== null || state.status !== current.status) ? state.status : null,
      activity_id: input.activityId,
      article_id: input.articleId,
      media_id: input.mediaId,
      created_by: actor.userId,
    });
    await recordAudit(tx, actor, { action: 'create', entityType: 'progress_update', entityId: row.id, after: row });
    const applied = state !== undefined && (latest === null || input.reportedOn >= latest);
    if (state && applied && (state.status !== current.status || state.progress !== current.progress)) {
      const before = await loadCommitment(tx, network, document, current, day);
      const updated = await commitmentRepository.updateCommitment(tx, commitmentId, { status: state.status, progress: state.progress });
      const after = commitmentOf(updated, network, before.partners.map((partner) => partner.id), day, before.editable);
      await recordAudit(tx, actor, { action: 'update', entityType: 'commitment', entityId: commitmentId, before, after });
    }
    return { update: row, applied };
  });
}

/** Finds a progress update, with its commitment locked, refused as "not found" unless the actor may change it. */
async function lockUpdateAndCommitment(tx: Executor, network: Network, id: number) {
  const update = await commitmentRepository.findProgressUpdateById(tx, id);
  if (!update) throw notFound();
  await lockCommitmentToChange(tx, network, update.commitment_id);
  return { update };
}

/** Changes a progress update's day, notes or evidence; what it set stays as reported; audited. */
export async function updateProgressUpdate(db: Kysely<Database>, actor: Actor, id: number, changes: ProgressUpdatePatch): Promise<ProgressUpdateRow> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db.transaction().execute(async (tx) => {
    const { update: before } = await lockUpdateAndCommitment(tx, network, id);
    const noteZh = changes.noteZh ?? before.note_zh;
    const noteEn = changes.noteEn ?? before.note_en;
    if (!noteZh && !noteEn) throw refuse('noteZh', fieldMessage(noteMessage));
    await assertEvidenceExists(tx, actor, changes);
    const after = await commitmentRepository.updateProgressUpdate(tx, id, {
      reported_on: changes.reportedOn ?? before.reported_on,
      note_zh: noteZh,
      note_en: noteEn,
      activity_id: changes.activityId === undefined ? before.activity_id : changes.activityId,
      article_id: changes.articleId === undefined ? before.article_id : changes.articleId,
      media_id: changes.mediaId === undefined ? before.media_id : changes.mediaId,
    });
    await recordAudit(tx, actor, { action: 'update', entityType: 'progress_update', entityId: id, before, after });
    return after;
  });
}

/** Deletes a progress update; the commitment keeps its progress and status (change them on the commitment); audited. */
export async function deleteProgressUpdate(db: Kysely<Database>, actor: Actor, id: number): Promise<{ commitmentId: number }> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  return db.transaction().execute(async (tx) => {
    const { update: before } = await lockUpdateAndCommitment(tx, network, id);
    await commitmentRepository.deleteProgressUpdate(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'progress_update', entityId: id, before });
    return { commitmentId: before.commitment_id };
  });
}

/**
 * The organizations the actor may make responsible for a commitment of the document: those that may be
 * (a party or below one, for an agreement) and whose commitments the actor may change. Empty: the actor
 * records no commitments there.
 */
export async function listResponsibleChoices(db: Executor, actor: Actor, document: AgreementDocument) {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  const owners = ownersOf(document);
  return network.organizations.filter(
    (organization) => mayBeResponsible(network, owners, organization.id) && mayChangeCommitment(network, owners, organization.id),
  );
}

/** Every organization of the network, for choosing partners. */
export async function listOrganizationChoices(db: Executor, actor: Actor) {
  await assertCanRead(db, actor);
  return (await loadNetwork(db, actor)).organizations;
}
