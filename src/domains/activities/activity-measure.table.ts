import type { ColumnType, Insertable, Selectable } from 'kysely';

/** The activity_measure table: a measure of an agreement or circular that an activity carries out; each may have several of the other. */
export interface ActivityMeasureTable {
  activity_id: number;
  measure_id: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ActivityMeasureRow = Selectable<ActivityMeasureTable>;
export type NewActivityMeasureRow = Insertable<ActivityMeasureTable>;
