import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The levels of the administrative division, highest first; see place.rules.ts for their order. */
export type PlaceLevel = 'province' | 'municipality' | 'district' | 'subdistrict' | 'community' | 'village';

// numeric(9, 6): pg hands it over as text ("39.904200") so that no digit is lost; we write numbers.
type Coordinate = ColumnType<string | null, number | null | undefined, number | null>;

/** The place table: the gazetteer of administrative divisions, as a tree. */
export interface PlaceTable {
  id: Generated<number>;
  /** The national administrative division code; null when not known. */
  code: string | null;
  name_zh: string;
  /** Empty when no English name is on record. */
  name_en: ColumnType<string, string | undefined, string>;
  level: PlaceLevel;
  parent_id: number | null;
  lat: Coordinate;
  lon: Coordinate;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type PlaceRow = Selectable<PlaceTable>;
export type NewPlaceRow = Insertable<PlaceTable>;
export type PlaceRowUpdate = Updateable<PlaceTable>;
