import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { organizationAndUnitsBelow } from '../people/person.repository.ts';
import type { CommitmentStatus } from './agreement.rules.ts';
import type { CommitmentRowUpdate, NewCommitmentRow, NewProgressUpdateRow, ProgressUpdateRowUpdate } from './commitment.table.ts';
import { measureAndBelow } from './document.repository.ts';

/** What a commitment list, count or summary can be narrowed to. */
export interface CommitmentFilter {
  documentId?: number;
  /** This measure and the measures below it. */
  measureId?: number;
  /** Responsible: this organization or a unit below it. */
  organizationId?: number;
  /** As shown on `today`: "overdue" is open and past due; "not_started" and "in_progress" are not overdue. */
  status?: CommitmentStatus;
  /** Due on or after this day. */
  dueFrom?: string;
  /** Due on or before this day. */
  dueTo?: string;
  /** Under a measure tagged with this dimension, or below one that is. */
  dimensionId?: number;
  /** The network's day ("YYYY-MM-DD"), against which "overdue" is told. */
  today: string;
}

/** The measures tagged with a work dimension and every measure below them, as a subquery. */
export function measuresUnderDimension(dimensionId: number): Expression<number> {
  return sql<number>`(
    with recursive down(id) as (
      select measure_id from measure_dimension where dimension_id = ${dimensionId}
      union
      select measure.id from measure join down on measure.parent_id = down.id
    )
    select id from down)`;
}

/** The status a `commitment` row shows on `today`, in SQL (see effectiveStatus() for the rule). */
export function effectiveStatusSql(today: string): RawBuilder<CommitmentStatus> {
  return sql<CommitmentStatus>`case when commitment.status in ('not_started', 'in_progress') and commitment.due_on < ${today}::date
    then 'overdue' else commitment.status end`;
}

function statusCondition(status: CommitmentStatus, today: string): RawBuilder<SqlBool> {
  if (status === 'overdue') return sql<SqlBool>`commitment.status in ('not_started', 'in_progress') and commitment.due_on < ${today}::date`;
  if (status === 'done' || status === 'dropped') return sql<SqlBool>`commitment.status = ${status}`;
  return sql<SqlBool>`commitment.status = ${status} and (commitment.due_on is null or commitment.due_on >= ${today}::date)`;
}

/** The commitments a filter matches, as a query to select from: lists, counts, dashboards and exports build on it. */
export function filteredCommitments(db: Executor, filter: CommitmentFilter) {
  return db
    .selectFrom('commitment')
    .$if(filter.documentId !== undefined, (q) => q.where('commitment.document_id', '=', filter.documentId ?? 0))
    .$if(filter.measureId !== undefined, (q) => q.where('commitment.measure_id', 'in', measureAndBelow(filter.measureId ?? 0)))
    .$if(filter.organizationId !== undefined, (q) =>
      q.where('commitment.responsible_organization_id', 'in', organizationAndUnitsBelow(filter.organizationId ?? 0)),
    )
    .$if(filter.status !== undefined, (q) => q.where(statusCondition(filter.status ?? 'done', filter.today)))
    .$if(filter.dueFrom !== undefined, (q) => q.where('commitment.due_on', '>=', filter.dueFrom ?? ''))
    .$if(filter.dueTo !== undefined, (q) => q.where('commitment.due_on', '<=', filter.dueTo ?? ''))
    .$if(filter.dimensionId !== undefined, (q) => q.where('commitment.measure_id', 'in', measuresUnderDimension(filter.dimensionId ?? 0)));
}

const commitmentColumns = [
  'commitment.id',
  'commitment.document_id',
  'commitment.measure_id',
  'commitment.what_zh',
  'commitment.what_en',
  'commitment.responsible_organization_id',
  'commitment.due_on',
  'commitment.weight',
  'commitment.status',
  'commitment.progress',
  'commitment.follow_up_id',
  'commitment.created_at',
  'commitment.updated_at',
] as const;

/** Where a read of a long list stopped: the last commitment's due day and id, in the list's order. */
export interface CommitmentCursor {
  dueOn: string | null;
  id: number;
}

/** The commitments after a cursor in the list's order (due day, ongoing ones last, then id). */
function after(cursor: CommitmentCursor): Expression<SqlBool> {
  return cursor.dueOn === null
    ? sql<SqlBool>`(commitment.due_on is null and commitment.id > ${cursor.id})`
    : sql<SqlBool>`(commitment.due_on > ${cursor.dueOn} or (commitment.due_on = ${cursor.dueOn} and commitment.id > ${cursor.id}) or commitment.due_on is null)`;
}

/**
 * Lists a page of commitments, soonest due first (ongoing ones last), with their document and measure.
 * `after` reads on from where the previous page stopped, so that an export of a long list reads each
 * row once where an offset would sort and skip everything before it again.
 */
export async function listCommitments(db: Executor, filter: CommitmentFilter, page: { limit: number; offset: number; after?: CommitmentCursor }) {
  return filteredCommitments(db, filter)
    .$if(page.after !== undefined, (q) => q.where(after(page.after ?? { dueOn: null, id: 0 })))
    .innerJoin('measure', 'measure.id', 'commitment.measure_id')
    .innerJoin('document', 'document.id', 'commitment.document_id')
    .select([
      ...commitmentColumns,
      'measure.number as measure_number',
      'measure.title_zh as measure_title_zh',
      'measure.title_en as measure_title_en',
      'document.kind as document_kind',
      'document.title_zh as document_title_zh',
      'document.title_en as document_title_en',
      'document.issuer_organization_id',
    ])
    .orderBy(sql`commitment.due_on asc nulls last`)
    .orderBy('commitment.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the commitments a filter matches. */
export async function countCommitments(db: Executor, filter: CommitmentFilter): Promise<number> {
  const row = await filteredCommitments(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** How many commitments a filter matches in each status as shown, and their weighted progress sums (dropped left out). */
export async function summarizeCommitments(db: Executor, filter: CommitmentFilter) {
  const row = await filteredCommitments(db, filter)
    .select([
      sql<string>`count(*) filter (where ${statusCondition('not_started', filter.today)})`.as('not_started'),
      sql<string>`count(*) filter (where ${statusCondition('in_progress', filter.today)})`.as('in_progress'),
      sql<string>`count(*) filter (where ${statusCondition('overdue', filter.today)})`.as('overdue'),
      sql<string>`count(*) filter (where commitment.status = 'done')`.as('done'),
      sql<string>`count(*) filter (where commitment.status = 'dropped')`.as('dropped'),
      sql<number>`coalesce(sum(commitment.weight * commitment.progress) filter (where commitment.status <> 'dropped'), 0)::float8`.as('weighted'),
      sql<number>`coalesce(sum(commitment.weight) filter (where commitment.status <> 'dropped'), 0)::float8`.as('weight'),
    ])
    .executeTakeFirstOrThrow();
  return {
    counts: {
      not_started: Number(row.not_started),
      in_progress: Number(row.in_progress),
      overdue: Number(row.overdue),
      done: Number(row.done),
      dropped: Number(row.dropped),
    } satisfies Record<CommitmentStatus, number>,
    weighted: Number(row.weighted),
    weight: Number(row.weight),
  };
}

/** Sums a document's counted commitments (not dropped) per measure: Σ weight × progress, Σ weight, how many. */
export async function sumProgressByMeasure(db: Executor, documentId: number) {
  return db
    .selectFrom('commitment')
    .select([
      'measure_id',
      sql<number>`sum(weight * progress)::float8`.as('weighted'),
      sql<number>`sum(weight)::float8`.as('weight'),
      (eb) => eb.fn.countAll<string>().as('count'),
    ])
    .where('document_id', '=', documentId)
    .where('status', '<>', 'dropped')
    .groupBy('measure_id')
    .execute();
}

/** Sums the counted commitments (not dropped) of each of the documents. */
export async function sumProgressByDocument(db: Executor, documentIds: readonly number[]) {
  if (documentIds.length === 0) return [];
  return db
    .selectFrom('commitment')
    .select([
      'document_id',
      sql<number>`sum(weight * progress)::float8`.as('weighted'),
      sql<number>`sum(weight)::float8`.as('weight'),
      (eb) => eb.fn.countAll<string>().as('count'),
    ])
    .where('document_id', 'in', documentIds)
    .where('status', '<>', 'dropped')
    .groupBy('document_id')
    .execute();
}

/** Lists every commitment of a document (for its page), by measure, soonest due first. */
export async function listCommitmentsOfDocument(db: Executor, documentId: number) {
  return db
    .selectFrom('commitment')
    .select([...commitmentColumns])
    .where('commitment.document_id', '=', documentId)
    .orderBy('commitment.measure_id')
    .orderBy(sql`commitment.due_on asc nulls last`)
    .orderBy('commitment.id')
    .execute();
}

/** Finds a commitment by id. */
export async function findCommitmentById(db: Executor, id: number) {
  return db.selectFrom('commitment').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a commitment by id and locks its row until the transaction ends (progress reports queue). */
export async function findCommitmentByIdForUpdate(db: Executor, id: number) {
  return db.selectFrom('commitment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Inserts a commitment and returns the stored row. */
export async function insertCommitment(db: Executor, row: NewCommitmentRow) {
  return db.insertInto('commitment').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a commitment and returns the stored row. */
export async function updateCommitment(db: Executor, id: number, changes: CommitmentRowUpdate) {
  return db
    .updateTable('commitment')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a commitment with its progress updates. */
export async function deleteCommitment(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('commitment').where('id', '=', id).execute();
}

/** Lists the partners of commitments. */
export async function listPartners(db: Executor, commitmentIds: readonly number[]) {
  if (commitmentIds.length === 0) return [];
  return db
    .selectFrom('commitment_partner')
    .select(['commitment_id', 'organization_id'])
    .where('commitment_id', 'in', commitmentIds)
    .orderBy('commitment_id')
    .orderBy('organization_id')
    .execute();
}

/** Replaces a commitment's partners. */
export async function replacePartners(db: Executor, commitmentId: number, organizationIds: readonly number[]): Promise<void> {
  await db.deleteFrom('commitment_partner').where('commitment_id', '=', commitmentId).execute();
  if (organizationIds.length === 0) return;
  await db
    .insertInto('commitment_partner')
    .values(organizationIds.map((organizationId) => ({ commitment_id: commitmentId, organization_id: organizationId })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Progress updates

/** The organizations whose internal activities a reader may see ('all' for a platform administrator). */
export type ReadableOrganizations = readonly number[] | 'all';

/** Whether the `activity` row may be read: it is not internal, or one of its organizers is readable (the activities' rule). */
function activityReadable(readable: ReadableOrganizations): RawBuilder<boolean> {
  if (readable === 'all') return sql<boolean>`true`;
  return sql<boolean>`(activity.visibility <> 'internal' or exists (
    select 1 from activity_organizer where activity_organizer.activity_id = activity.id
      and activity_organizer.organization_id = any(${[...readable]}::integer[])))`;
}

/** Which progress updates to list: a commitment's, or those of every commitment of a measure and the measures below it. */
export type TimelineOf = { commitmentId: number } | { measureId: number };

/**
 * Lists progress updates in date order (oldest first), with what their evidence is called: the
 * activity's titles (and whether the reader may see it), the article's site, address and titles, the
 * image's description. At most `limit`, the newest ones.
 */
export async function listProgressUpdates(db: Executor, of: TimelineOf, limit: number, readable: ReadableOrganizations) {
  const rows = await db
    .selectFrom('progress_update')
    .innerJoin('commitment', 'commitment.id', 'progress_update.commitment_id')
    .leftJoin('activity', 'activity.id', 'progress_update.activity_id')
    .leftJoin('article', 'article.id', 'progress_update.article_id')
    .leftJoin('site', 'site.id', 'article.site_id')
    .leftJoin('media', 'media.id', 'progress_update.media_id')
    .selectAll('progress_update')
    .select([
      'commitment.what_zh as commitment_what_zh',
      'commitment.what_en as commitment_what_en',
      'commitment.responsible_organization_id',
      'activity.title_zh as activity_title_zh',
      'activity.title_en as activity_title_en',
      activityReadable(readable).as('activity_readable'),
      'site.slug as article_site_slug',
      'article.slug as article_slug',
      (eb) =>
        eb
          .selectFrom('article_translation')
          .select('title')
          .whereRef('article_translation.article_id', '=', 'article.id')
          .where('article_translation.locale', '=', 'zh')
          .as('article_title_zh'),
      (eb) =>
        eb
          .selectFrom('article_translation')
          .select('title')
          .whereRef('article_translation.article_id', '=', 'article.id')
          .where('article_translation.locale', '=', 'en')
          .as('article_title_en'),
      'media.alt_zh as media_alt_zh',
      'media.alt_en as media_alt_en',
    ])
    .$if('commitmentId' in of, (q) => q.where('progress_update.commitment_id', '=', 'commitmentId' in of ? of.commitmentId : 0))
    .$if('measureId' in of, (q) => q.where('commitment.measure_id', 'in', measureAndBelow('measureId' in of ? of.measureId : 0)))
    .orderBy('progress_update.reported_on', 'desc')
    .orderBy('progress_update.id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Finds a progress update by id. */
export async function findProgressUpdateById(db: Executor, id: number) {
  return db.selectFrom('progress_update').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest day on which an update of the commitment set its progress or status; null when none did. */
export async function latestSettingDay(db: Executor, commitmentId: number): Promise<string | null> {
  const row = await db
    .selectFrom('progress_update')
    .select((eb) => eb.fn.max<string | null>('reported_on').as('day'))
    .where('commitment_id', '=', commitmentId)
    .where((eb) => eb.or([eb('progress', 'is not', null), eb('status', 'is not', null)]))
    .executeTakeFirst();
  return row?.day ?? null;
}

/** Inserts a progress update and returns the stored row. */
export async function insertProgressUpdate(db: Executor, row: NewProgressUpdateRow) {
  return db.insertInto('progress_update').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a progress update and returns the stored row. */
export async function updateProgressUpdate(db: Executor, id: number, changes: ProgressUpdateRowUpdate) {
  return db
    .updateTable('progress_update')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a progress update. */
export async function deleteProgressUpdate(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('progress_update').where('id', '=', id).execute();
}

/** Finds an activity the reader may see, by id. */
export async function findReadableActivity(db: Executor, id: number, readable: ReadableOrganizations) {
  return db.selectFrom('activity').select(['id', 'title_zh', 'title_en']).where('id', '=', id).where(activityReadable(readable)).executeTakeFirst();
}

/**
 * Finds an activity's follow-up whose activity the reader may see, with the activity's titles and the
 * commitment already made from it (null when none). `lock` locks the follow-up's row until the
 * transaction ends, so that two requests cannot both make it a commitment.
 */
export async function findReadableFollowUp(db: Executor, id: number, readable: ReadableOrganizations, lock = false) {
  const query = db
    .selectFrom('activity_follow_up')
    .innerJoin('activity', 'activity.id', 'activity_follow_up.activity_id')
    .where('activity_follow_up.id', '=', id)
    .where(activityReadable(readable))
    .select([
      'activity_follow_up.id',
      'activity_follow_up.activity_id',
      'activity_follow_up.action_zh',
      'activity_follow_up.action_en',
      'activity_follow_up.owner_organization_id',
      'activity_follow_up.due_on',
      'activity_follow_up.status',
      'activity.title_zh as activity_title_zh',
      'activity.title_en as activity_title_en',
      (eb) => eb.selectFrom('commitment').select('commitment.id').whereRef('commitment.follow_up_id', '=', 'activity_follow_up.id').as('commitment_id'),
    ]);
  return (lock ? query.forUpdate('activity_follow_up') : query).executeTakeFirst();
}

/** Finds an article that readers can see now (published, its time come). */
export async function findPublishedArticleById(db: Executor, id: number, now: Date) {
  return db
    .selectFrom('article')
    .select(['id', 'slug'])
    .where('id', '=', id)
    .where('status', '=', 'published')
    .where('publish_at', '<=', now)
    .executeTakeFirst();
}
