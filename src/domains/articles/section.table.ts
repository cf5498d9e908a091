import type { Generated, Insertable, Selectable } from 'kysely';

/** The section table: a site's navigation tree (Events > Updates, Photo News, …). */
export interface SectionTable {
  id: Generated<number>;
  site_id: number;
  parent_id: number | null;
  slug: string;
  name_zh: string;
  name_en: string;
  /** Order among siblings, smallest first. */
  position: number;
}

export type SectionRow = Selectable<SectionTable>;
export type NewSectionRow = Insertable<SectionTable>;
