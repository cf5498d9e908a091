import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Whether a facility takes visitors now. */
export const facilityStatuses = ['active', 'temporarily_closed', 'closed'] as const;
export type FacilityStatus = (typeof facilityStatuses)[number];

// numeric(9, 6) comes back as text so that no digit is lost; we write numbers.
type Coordinate = ColumnType<string | null, number | null | undefined, number | null>;
// Text a form may leave empty: '' when not known.
type OptionalText = ColumnType<string, string | undefined, string>;
// `time` comes back as "09:00:00"; we write "09:00".
type TimeOfDay = ColumnType<string, string, string>;

/**
 * A list a deployment can extend: the kinds of facility (facility_kind) and the services they offer
 * (service_type). `code` is stable for files and addresses; the names are for people.
 */
export interface TaxonomyTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  position: ColumnType<number, number | undefined, number>;
}

/** The facility table: a women's home, a service centre, an executive member's office, … */
export interface FacilityTable {
  id: Generated<number>;
  kind_id: number;
  name_zh: string;
  name_en: OptionalText;
  place_id: number;
  address_zh: OptionalText;
  address_en: OptionalText;
  lat: Coordinate;
  lon: Coordinate;
  /** Whose staff keep the record (a federation or a unit below one); permissions follow it. */
  operator_organization_id: number;
  /** The organization whose premises it is in, when not the operator. */
  host_organization_id: number | null;
  /** The person whose office it is, or who keeps it. */
  keeper_person_id: number | null;
  description_zh: OptionalText;
  description_en: OptionalText;
  phone: OptionalText;
  email: OptionalText;
  website: OptionalText;
  accessibility_zh: OptionalText;
  accessibility_en: OptionalText;
  status: ColumnType<FacilityStatus, FacilityStatus | undefined, FacilityStatus>;
  /** "YYYY-MM-DD": the day the record was last checked; null when never. */
  verified_on: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The facility_service table: which services a facility offers. */
export interface FacilityServiceTable {
  facility_id: number;
  service_type_id: number;
}

/** The facility_hours table: the weekly schedule; ISO weekdays (1 = Monday), local times. */
export interface FacilityHoursTable {
  id: Generated<number>;
  facility_id: number;
  weekday: number;
  opens: TimeOfDay;
  closes: TimeOfDay;
}

/** The facility_hours_exception table: a day closed (no times) or open at other hours (a row per interval). */
export interface FacilityHoursExceptionTable {
  id: Generated<number>;
  facility_id: number;
  /** "YYYY-MM-DD". */
  on_date: string;
  opens: TimeOfDay | null;
  closes: TimeOfDay | null;
  note_zh: OptionalText;
  note_en: OptionalText;
}

/** The facility_photo table: images of the media library shown with a facility, in order. */
export interface FacilityPhotoTable {
  facility_id: number;
  media_id: number;
  position: ColumnType<number, number | undefined, number>;
}

export type TaxonomyRow = Selectable<TaxonomyTable>;
export type FacilityRow = Selectable<FacilityTable>;
export type NewFacilityRow = Insertable<FacilityTable>;
export type FacilityRowUpdate = Updateable<FacilityTable>;
export type FacilityHoursRow = Selectable<FacilityHoursTable>;
export type FacilityHoursExceptionRow = Selectable<FacilityHoursExceptionTable>;
