import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** What kind of post a position is. */
export type PositionKind = 'leader' | 'member' | 'executive_member' | 'staff';

/** A calendar date as PostgreSQL's `date` hands it back through pg: "2024-03-25". */
export type CalendarDate = ColumnType<string, string, string>;

/** The position table: a post a person held in an organization, from a date to a date. */
export interface PositionTable {
  id: Generated<number>;
  person_id: number;
  organization_id: number;
  title_zh: string;
  title_en: string;
  kind: PositionKind;
  /** Null when the start is not known. */
  starts_on: CalendarDate | null;
  /** Null while the post is held. */
  ends_on: CalendarDate | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type PositionRow = Selectable<PositionTable>;
export type NewPositionRow = Insertable<PositionTable>;
export type PositionRowUpdate = Updateable<PositionTable>;
