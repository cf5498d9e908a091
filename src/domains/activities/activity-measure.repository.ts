import type { Executor } from '../../db/database.ts';
import { visibleTo, type ReadableOrganizations } from './activity.repository.ts';

/** The measures an activity carries out, with their documents' kind and titles, in the order they were linked. */
export async function listMeasuresOfActivity(db: Executor, activityId: number) {
  return db
    .selectFrom('activity_measure')
    .innerJoin('measure', 'measure.id', 'activity_measure.measure_id')
    .innerJoin('document', 'document.id', 'measure.document_id')
    .where('activity_measure.activity_id', '=', activityId)
    .select([
      'measure.id',
      'measure.number',
      'measure.title_zh',
      'measure.title_en',
      'document.id as document_id',
      'document.kind as document_kind',
      'document.title_zh as document_title_zh',
      'document.title_en as document_title_en',
    ])
    .orderBy('activity_measure.created_at')
    .orderBy('measure.id')
    .execute();
}

/** The activities carrying out a measure that the reader may see, newest first, at most `limit`. */
export async function listActivitiesOfMeasure(db: Executor, measureId: number, readable: ReadableOrganizations, limit: number) {
  return db
    .selectFrom('activity_measure')
    .innerJoin('activity', 'activity.id', 'activity_measure.activity_id')
    .where('activity_measure.measure_id', '=', measureId)
    .where(visibleTo(readable))
    .select(['activity.id', 'activity.title_zh', 'activity.title_en', 'activity.starts_at', 'activity.status'])
    .orderBy('activity.starts_at', 'desc')
    .orderBy('activity.id', 'desc')
    .limit(limit)
    .execute();
}

/** Links an activity to a measure it carries out; false when the link was there already. */
export async function insertActivityMeasure(db: Executor, activityId: number, measureId: number): Promise<boolean> {
  const inserted = await db
    .insertInto('activity_measure')
    .values({ activity_id: activityId, measure_id: measureId })
    .onConflict((conflict) => conflict.columns(['activity_id', 'measure_id']).doNothing())
    .returning('measure_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Removes the link between an activity and a measure; false when there was none. */
export async function deleteActivityMeasure(db: Executor, activityId: number, measureId: number): Promise<boolean> {
  const result = await db.deleteFrom('activity_measure').where('activity_id', '=', activityId).where('measure_id', '=', measureId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
