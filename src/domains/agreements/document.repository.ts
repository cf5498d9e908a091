import { sql, type Expression } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Locale } from '../../platform/i18n.ts';
import { organizationAndUnitsBelow } from '../people/person.repository.ts';
import type { DocumentKind, DocumentRowUpdate, NewDocumentRow } from './document.table.ts';
import type { MeasureRowUpdate, NewMeasureRow } from './measure.table.ts';

/** What the document list can be narrowed to. */
export interface DocumentFilter {
  kind?: DocumentKind;
  /** A party to it, or its issuer: this organization or a unit below it. */
  partyId?: number;
  /** Part of a title in either language, or of the document number. */
  q?: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtered(db: Executor, filter: DocumentFilter) {
  const pattern = filter.q ? `%${escapeLike(filter.q)}%` : undefined;
  return db
    .selectFrom('document')
    .$if(filter.kind !== undefined, (q) => q.where('document.kind', '=', filter.kind ?? 'agreement'))
    .$if(pattern !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('document.title_zh', 'ilike', pattern ?? ''),
          eb('document.title_en', 'ilike', pattern ?? ''),
          eb('document.doc_number', 'ilike', pattern ?? ''),
        ]),
      ),
    )
    .$if(filter.partyId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('document.issuer_organization_id', 'in', organizationAndUnitsBelow(filter.partyId ?? 0)),
          eb.exists(
            eb
              .selectFrom('document_party')
              .select(sql`1`.as('one'))
              .whereRef('document_party.document_id', '=', 'document.id')
              .where('document_party.organization_id', 'in', organizationAndUnitsBelow(filter.partyId ?? 0)),
          ),
        ]),
      ),
    );
}

/** Lists a page of documents, newest first (without their texts). */
export async function listDocuments(db: Executor, filter: DocumentFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .select([
      'document.id',
      'document.kind',
      'document.title_zh',
      'document.title_en',
      'document.doc_number',
      'document.signed_on',
      'document.starts_on',
      'document.ends_on',
      'document.issuer_organization_id',
      'document.is_public',
      'document.created_at',
      'document.updated_at',
    ])
    .orderBy('document.signed_on', 'desc')
    .orderBy('document.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Lists the newest documents' titles, for choosing one. */
export async function listDocumentTitles(db: Executor, limit: number) {
  return db
    .selectFrom('document')
    .select(['id', 'kind', 'title_zh', 'title_en'])
    .orderBy('signed_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Counts the documents the filter matches. */
export async function countDocuments(db: Executor, filter: DocumentFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds a document by id; `lock` holds its row until the transaction ends, for an update or shared (others may read). */
export async function findDocumentById(db: Executor, id: number, lock?: 'update' | 'share') {
  return db
    .selectFrom('document')
    .selectAll()
    .where('id', '=', id)
    .$if(lock === 'update', (q) => q.forUpdate())
    .$if(lock === 'share', (q) => q.forShare())
    .executeTakeFirst();
}

/** Inserts a document and returns the stored row. */
export async function insertDocument(db: Executor, row: NewDocumentRow) {
  return db.insertInto('document').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a document and returns the stored row. */
export async function updateDocument(db: Executor, id: number, changes: DocumentRowUpdate) {
  return db
    .updateTable('document')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a document with its measures, commitments and progress updates. */
export async function deleteDocument(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('document').where('id', '=', id).execute();
}

/** Lists the parties of documents, in their order. */
export async function listParties(db: Executor, documentIds: readonly number[]) {
  if (documentIds.length === 0) return [];
  return db
    .selectFrom('document_party')
    .select(['document_id', 'organization_id'])
    .where('document_id', 'in', documentIds)
    .orderBy('document_id')
    .orderBy('position')
    .execute();
}

/** Replaces a document's parties with these, in this order. */
export async function replaceParties(db: Executor, documentId: number, organizationIds: readonly number[]): Promise<void> {
  await db.deleteFrom('document_party').where('document_id', '=', documentId).execute();
  if (organizationIds.length === 0) return;
  await db
    .insertInto('document_party')
    .values(organizationIds.map((organizationId, position) => ({ document_id: documentId, organization_id: organizationId, position })))
    .execute();
}

/** Lists the images attached to documents, per language, in their order. */
export async function listAttachments(db: Executor, documentIds: readonly number[]) {
  if (documentIds.length === 0) return [];
  return db
    .selectFrom('document_attachment')
    .select(['document_id', 'locale', 'media_id'])
    .where('document_id', 'in', documentIds)
    .orderBy('document_id')
    .orderBy('locale')
    .orderBy('position')
    .execute();
}

/** Replaces the images attached to one language version of a document. */
export async function replaceAttachments(db: Executor, documentId: number, locale: Locale, mediaIds: readonly number[]): Promise<void> {
  await db.deleteFrom('document_attachment').where('document_id', '=', documentId).where('locale', '=', locale).execute();
  if (mediaIds.length === 0) return;
  await db
    .insertInto('document_attachment')
    .values(mediaIds.map((mediaId, position) => ({ document_id: documentId, locale, media_id: mediaId, position })))
    .execute();
}

/** Lists the media of the library among `ids`, with their descriptions. */
export async function listMediaAmong(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('media').select(['id', 'alt_zh', 'alt_en', 'original_name']).where('id', 'in', ids).execute();
}

/** Lists which of `ids` are organizations. */
export async function listOrganizationIdsAmong(db: Executor, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('organization').select('id').where('id', 'in', ids).execute()).map((row) => row.id);
}

/** Counts a document's commitments that fall due before `day`. */
export async function countCommitmentsDueBefore(db: Executor, documentId: number, day: string): Promise<number> {
  const row = await db
    .selectFrom('commitment')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('document_id', '=', documentId)
    .where('due_on', '<', day)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Counts a document's commitments whose responsible organization is none of `roots` nor a unit below one. */
export async function countCommitmentsOutside(db: Executor, documentId: number, roots: readonly number[]): Promise<number> {
  const below: Expression<number> = sql<number>`(
    with recursive down(id) as (
      select id from organization where id = any(${[...roots]}::integer[])
      union
      select organization.id from organization join down on organization.parent_id = down.id
    )
    select id from down)`;
  const row = await db
    .selectFrom('commitment')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('document_id', '=', documentId)
    .where('responsible_organization_id', 'not in', below)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// ---------------------------------------------------------------------------------------------
// Measures

/** Lists a document's measures in reading order among siblings (position, then number). */
export async function listMeasures(db: Executor, documentId: number) {
  return db
    .selectFrom('measure')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy('position')
    .orderBy('number')
    .orderBy('id')
    .execute();
}

/** Lists the measures of these documents: number and titles, for choosing one. */
export async function listMeasureTitles(db: Executor, documentIds: readonly number[]) {
  if (documentIds.length === 0) return [];
  return db
    .selectFrom('measure')
    .select(['id', 'document_id', 'number', 'title_zh', 'title_en'])
    .where('document_id', 'in', documentIds)
    .orderBy('document_id')
    .orderBy('id')
    .execute();
}

/** Lists the id and parent of every measure of a document: its tree. */
export async function listMeasureTree(db: Executor, documentId: number) {
  return db.selectFrom('measure').select(['id', 'parent_id']).where('document_id', '=', documentId).execute();
}

/** Finds a measure by id. */
export async function findMeasureById(db: Executor, id: number) {
  return db.selectFrom('measure').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds the measure of a document with this number. */
export async function findMeasureByNumber(db: Executor, documentId: number, number: string) {
  return db.selectFrom('measure').selectAll().where('document_id', '=', documentId).where('number', '=', number).executeTakeFirst();
}

/** The position after the last measure under the same parent. */
export async function nextMeasurePosition(db: Executor, documentId: number, parentId: number | null): Promise<number> {
  const row = await db
    .selectFrom('measure')
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .where('document_id', '=', documentId)
    .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 10 : row.last + 10;
}

/** Inserts a measure and returns the stored row. */
export async function insertMeasure(db: Executor, row: NewMeasureRow) {
  return db.insertInto('measure').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a measure and returns the stored row. */
export async function updateMeasure(db: Executor, id: number, changes: MeasureRowUpdate) {
  return db
    .updateTable('measure')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a measure with the measures below it and their commitments. */
export async function deleteMeasure(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('measure').where('id', '=', id).execute();
}

/** The ids of a measure and every measure below it, as a subquery. */
export function measureAndBelow(id: number): Expression<number> {
  // `union` stops at a measure seen before, so that even a broken tree cannot loop.
  return sql<number>`(
    with recursive down(id) as (
      select id from measure where id = ${id}
      union
      select measure.id from measure join down on measure.parent_id = down.id
    )
    select id from down)`;
}

/** Counts what deleting a measure takes with it: the measures below it and the commitments of them all. */
export async function countMeasureDependents(db: Executor, id: number): Promise<{ measures: number; commitments: number }> {
  const result = await sql<{ measures: string; commitments: string }>`
    with below as ${measureAndBelow(id)}
    select (select count(*) - 1 from below) as measures,
           (select count(*) from commitment where measure_id in (select id from below)) as commitments`.execute(db);
  const row = result.rows[0];
  return { measures: Number(row?.measures ?? 0), commitments: Number(row?.commitments ?? 0) };
}

/** Lists the work dimensions of measures. */
export async function listMeasureDimensions(db: Executor, measureIds: readonly number[]) {
  if (measureIds.length === 0) return [];
  return db
    .selectFrom('measure_dimension')
    .innerJoin('work_dimension', 'work_dimension.id', 'measure_dimension.dimension_id')
    .select(['measure_dimension.measure_id', 'work_dimension.id', 'work_dimension.code', 'work_dimension.name_zh', 'work_dimension.name_en'])
    .where('measure_dimension.measure_id', 'in', measureIds)
    .orderBy('work_dimension.position')
    .orderBy('work_dimension.id')
    .execute();
}

/** Lists the topics of measures. */
export async function listMeasureTopics(db: Executor, measureIds: readonly number[]) {
  if (measureIds.length === 0) return [];
  return db
    .selectFrom('measure_topic')
    .innerJoin('activity_topic', 'activity_topic.id', 'measure_topic.topic_id')
    .select(['measure_topic.measure_id', 'activity_topic.id', 'activity_topic.code', 'activity_topic.name_zh', 'activity_topic.name_en'])
    .where('measure_topic.measure_id', 'in', measureIds)
    .orderBy('activity_topic.position')
    .orderBy('activity_topic.id')
    .execute();
}

/** Replaces a measure's work dimensions. */
export async function replaceMeasureDimensions(db: Executor, measureId: number, dimensionIds: readonly number[]): Promise<void> {
  await db.deleteFrom('measure_dimension').where('measure_id', '=', measureId).execute();
  if (dimensionIds.length === 0) return;
  await db.insertInto('measure_dimension').values(dimensionIds.map((dimensionId) => ({ measure_id: measureId, dimension_id: dimensionId }))).execute();
}

/** Replaces a measure's topics. */
export async function replaceMeasureTopics(db: Executor, measureId: number, topicIds: readonly number[]): Promise<void> {
  await db.deleteFrom('measure_topic').where('measure_id', '=', measureId).execute();
  if (topicIds.length === 0) return;
  await db.insertInto('measure_topic').values(topicIds.map((topicId) => ({ measure_id: measureId, topic_id: topicId }))).execute();
}

// ---------------------------------------------------------------------------------------------
// Work dimensions and topics

/** Lists the work dimensions in their order. */
export async function listWorkDimensions(db: Executor) {
  return db.selectFrom('work_dimension').selectAll().orderBy('position').orderBy('id').execute();
}

/** Lists the topics (the activities' list) in their order. */
export async function listTopics(db: Executor) {
  return db.selectFrom('activity_topic').selectAll().orderBy('position').orderBy('id').execute();
}

/** Finds a work dimension by id. */
export async function findWorkDimensionById(db: Executor, id: number) {
  return db.selectFrom('work_dimension').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a work dimension by code. */
export async function findWorkDimensionByCode(db: Executor, code: string) {
  return db.selectFrom('work_dimension').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Inserts a work dimension. */
export async function insertWorkDimension(db: Executor, row: { code: string; name_zh: string; name_en: string; position: number }) {
  return db.insertInto('work_dimension').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a work dimension. */
export async function updateWorkDimension(db: Executor, id: number, row: { code: string; name_zh: string; name_en: string; position: number }) {
  return db.updateTable('work_dimension').set(row).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Deletes a work dimension. */
export async function deleteWorkDimension(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('work_dimension').where('id', '=', id).execute();
}

/** Counts the measures tagged with a work dimension. */
export async function countMeasuresTagged(db: Executor, dimensionId: number): Promise<number> {
  const row = await db
    .selectFrom('measure_dimension')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('dimension_id', '=', dimensionId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
