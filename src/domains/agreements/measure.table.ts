import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Text a form may leave empty: '' when there is none.
type OptionalText = ColumnType<string, string | undefined, string>;

/** The measure table: a numbered item of a document, under another measure or at the top. */
export interface MeasureTable {
  id: Generated<number>;
  document_id: number;
  /** A measure of the same document; null at the top. */
  parent_id: number | null;
  /** As numbered in the document: "3", "3.2", "（一）"; unique within the document. */
  number: string;
  /** Order among its siblings. */
  position: ColumnType<number, number | undefined, number>;
  title_zh: string;
  title_en: OptionalText;
  /** Plain text; paragraphs separated by empty lines. */
  body_zh: OptionalText;
  body_en: OptionalText;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The measure_dimension table: the work dimensions a measure is tagged with. */
export interface MeasureDimensionTable {
  measure_id: number;
  dimension_id: number;
}

export type MeasureRow = Selectable<MeasureTable>;
export type NewMeasureRow = Insertable<MeasureTable>;
export type MeasureRowUpdate = Updateable<MeasureTable>;

/** The measure_topic table: the topics (the activities' list, activity_topic) a measure concerns. */
export interface MeasureTopicTable {
  measure_id: number;
  topic_id: number;
}
