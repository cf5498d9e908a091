import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The person table: someone who holds or held a post in the network. */
export interface PersonTable {
  id: Generated<number>;
  /** The Chinese name; where only a romanized name is known, that name. */
  name_zh: string;
  name_en: string;
  /** The federation or unit that keeps this record; its staff may change it. */
  organization_id: number;
  notes: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type PersonRow = Selectable<PersonTable>;
export type NewPersonRow = Insertable<PersonTable>;
export type PersonRowUpdate = Updateable<PersonTable>;
