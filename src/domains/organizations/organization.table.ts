import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** What an organization is in the federation network. */
export type OrganizationKind =
  | 'federation'
  | 'leadership_body'
  | 'department'
  | 'grassroots_federation'
  | 'partner';

/** The organization table: federations, their units and partner organizations, as a tree. */
export interface OrganizationTable {
  id: Generated<number>;
  slug: string;
  name_zh: string;
  name_en: string;
  kind: OrganizationKind;
  parent_id: number | null;
  /** Where the organization is (a place of the gazetteer); null when not recorded. */
  place_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type NewOrganizationRow = Insertable<OrganizationTable>;
export type OrganizationRowUpdate = Updateable<OrganizationTable>;
