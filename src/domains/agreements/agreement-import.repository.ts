import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { NewCommitmentRow, StoredCommitmentStatus } from './commitment.table.ts';
import type { NewMeasureRow } from './measure.table.ts';

/**
 * The SQL of an agreement's CSV import: its changes written a batch to a statement, so that a file of
 * thousands of rows takes a few statements rather than thousands. Reading goes through the services.
 */

const batchSize = 1000;

function batches<T>(rows: readonly T[]): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < rows.length; start += batchSize) parts.push(rows.slice(start, start + batchSize));
  return parts;
}

/** Inserts measures, a thousand to a statement; returns their ids in the order given. */
export async function insertMeasures(db: Executor, rows: readonly NewMeasureRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (const batch of batches(rows)) {
    const inserted = await db.insertInto('measure').values(batch).returning(['id', 'number']).execute();
    // PostgreSQL returns a multi-row VALUES insert's rows in order; check rather than trust it (numbers are unique).
    batch.forEach((row, index) => {
      const stored = inserted[index];
      if (!stored || stored.number !== row.number) throw new Error('inserted measures came back in another order');
      ids.push(stored.id);
    });
  }
  return ids;
}

/** A measure's whole content, for a batch update. */
export interface MeasureReplacement {
  id: number;
  parent_id: number | null;
  position: number;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
}

/** Replaces the content of measures (their numbers stay: an import matches measures by number). */
export async function updateMeasures(db: Executor, rows: readonly MeasureReplacement[]): Promise<void> {
  for (const batch of batches(rows)) {
    const column = <K extends keyof MeasureReplacement>(key: K) => batch.map((row) => row[key]);
    await sql`
      update measure set
        parent_id = v.parent_id, position = v.position, title_zh = v.title_zh, title_en = v.title_en,
        body_zh = v.body_zh, body_en = v.body_en, updated_at = now()
      from unnest(
        ${column('id')}::integer[], ${column('parent_id')}::integer[], ${column('position')}::integer[],
        ${column('title_zh')}::text[], ${column('title_en')}::text[], ${column('body_zh')}::text[], ${column('body_en')}::text[]
      ) as v(id, parent_id, position, title_zh, title_en, body_zh, body_en)
      where measure.id = v.id`.execute(db);
  }
}

/** Replaces the work dimensions and topics of the measures given with these pairs. */
export async function replaceMeasureTags(
  db: Executor,
  measureIds: readonly number[],
  dimensions: readonly { measure_id: number; dimension_id: number }[],
  topics: readonly { measure_id: number; topic_id: number }[],
): Promise<void> {
  if (measureIds.length === 0) return;
  for (const batch of batches(measureIds)) {
    await db.deleteFrom('measure_dimension').where('measure_id', 'in', batch).execute();
    await db.deleteFrom('measure_topic').where('measure_id', 'in', batch).execute();
  }
  for (const batch of batches(dimensions)) await db.insertInto('measure_dimension').values(batch).execute();
  for (const batch of batches(topics)) await db.insertInto('measure_topic').values(batch).execute();
}

/** Inserts commitments, a thousand to a statement; returns their ids in the order given. */
export async function insertCommitments(db: Executor, rows: readonly NewCommitmentRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (const batch of batches(rows)) {
    const inserted = await db.insertInto('commitment').values(batch).returning(['id', 'measure_id', 'what_zh']).execute();
    batch.forEach((row, index) => {
      const stored = inserted[index];
      if (!stored || stored.measure_id !== row.measure_id || stored.what_zh !== row.what_zh) throw new Error('inserted commitments came back in another order');
      ids.push(stored.id);
    });
  }
  return ids;
}

/** A commitment's whole content, for a batch update. */
export interface CommitmentReplacement {
  id: number;
  measure_id: number;
  what_zh: string;
  what_en: string;
  responsible_organization_id: number;
  due_on: string | null;
  weight: number;
  status: StoredCommitmentStatus;
  progress: number;
}

/** Replaces the content of commitments, a thousand to a statement. */
export async function updateCommitments(db: Executor, rows: readonly CommitmentReplacement[]): Promise<void> {
  for (const batch of batches(rows)) {
    const column = <K extends keyof CommitmentReplacement>(key: K) => batch.map((row) => row[key]);
    await sql`
      update commitment set
        measure_id = v.measure_id, what_zh = v.what_zh, what_en = v.what_en,
        responsible_organization_id = v.responsible_organization_id, due_on = v.due_on, weight = v.weight,
        status = v.status, progress = v.progress, updated_at = now()
      from unnest(
        ${column('id')}::integer[], ${column('measure_id')}::integer[], ${column('what_zh')}::text[], ${column('what_en')}::text[],
        ${column('responsible_organization_id')}::integer[], ${column('due_on')}::date[], ${column('weight')}::numeric[],
        ${column('status')}::text[], ${column('progress')}::smallint[]
      ) as v(id, measure_id, what_zh, what_en, responsible_organization_id, due_on, weight, status, progress)
      where commitment.id = v.id`.execute(db);
  }
}

/** Replaces the partners of the commitments given with these pairs. */
export async function replaceCommitmentPartners(
  db: Executor,
  commitmentIds: readonly number[],
  partners: readonly { commitment_id: number; organization_id: number }[],
): Promise<void> {
  if (commitmentIds.length === 0) return;
  for (const batch of batches(commitmentIds)) await db.deleteFrom('commitment_partner').where('commitment_id', 'in', batch).execute();
  for (const batch of batches(partners)) await db.insertInto('commitment_partner').values(batch).execute();
}
