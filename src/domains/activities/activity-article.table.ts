import type { ColumnType, Insertable, Selectable } from 'kysely';

/** The activity_article table: an update (article) reporting on an activity; each may have several of the other. */
export interface ActivityArticleTable {
  activity_id: number;
  article_id: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ActivityArticleRow = Selectable<ActivityArticleTable>;
export type NewActivityArticleRow = Insertable<ActivityArticleTable>;
