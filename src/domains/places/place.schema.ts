import { z } from 'zod';
import { placeLevels, placeMessages } from './place.rules.ts';

export { placeLevels };

/** What a code that is not a national division code is refused with. */
export const codeMessage = 'A code is 6 to 12 digits (the national administrative division code); leave it empty when not known.';
const latitudeMessage = 'A latitude is a number from -90 to 90.';
const longitudeMessage = 'A longitude is a number from -180 to 180.';
const levelMessage = 'Choose one of: province, municipality, district, subdistrict, community, village.';
const slashMessage = 'A Chinese name cannot contain "/".';
const formulaMessage = 'A name cannot begin with =, +, - or @ (a spreadsheet would run it as a formula).';

// A form or a CSV cell sends "" for "not known"; JSON sends null or leaves it out.
const blankToNull = (value: unknown): unknown => (value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value);

// Exported CSV files are opened in spreadsheets, which run a cell beginning with one of these.
const notAFormula = (value: string): boolean => !/^[=+\-@]/.test(value);

/** A national administrative division code, or null. */
export const placeCode = z.preprocess(blankToNull, z.string().trim().regex(/^[0-9]{6,12}$/, codeMessage).nullable());

const nameZh = z.string().trim().min(1).max(200).refine((value) => !value.includes('/'), slashMessage).refine(notAFormula, formulaMessage);
// No English name on record is common for communities and villages: empty, shown with the Chinese one.
const nameEn = z.preprocess((value) => value ?? '', z.string().trim().max(200).refine(notAFormula, formulaMessage));

/** A level name; a CSV file may write it in capitals. */
export const placeLevel = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(placeLevels, { error: levelMessage }),
);

function coordinate(limit: number, message: string) {
  return z.preprocess(
    blankToNull,
    z.coerce
      .number({ error: message })
      .min(-limit, message)
      .max(limit, message)
      // Stored to six decimals (about 0.1 m); round here so that what is compared is what is stored.
      .transform((value) => Math.round(value * 1e6) / 1e6)
      .nullable(),
  );
}

const lat = coordinate(90, latitudeMessage);
const lon = coordinate(180, longitudeMessage);

const optionalId = z.preprocess(blankToNull, z.coerce.number().int().positive().nullable());

function coordinatesTogether(value: { lat?: number | null | undefined; lon?: number | null | undefined }, ctx: z.RefinementCtx): void {
  // A patch may leave one out, to be paired with the stored one: the service checks that.
  if (value.lat === undefined || value.lon === undefined) return;
  if ((value.lat === null) !== (value.lon === null)) {
    ctx.addIssue({ code: 'custom', path: [value.lat === null ? 'lat' : 'lon'], message: placeMessages.coordinatesPair().en });
  }
}

/** A place's own fields, as a form, JSON or a CSV row gives them. */
export const placeFields = z.object({
  code: placeCode,
  nameZh,
  nameEn,
  level: placeLevel,
  lat,
  lon,
});
export type PlaceFields = z.infer<typeof placeFields>;

/** A place as created or replaced through the API. */
export const placeInput = placeFields.extend({ parentId: optionalId }).superRefine(coordinatesTogether);
export type PlaceInput = z.infer<typeof placeInput>;

/** A partial change to a place (API PATCH); the service checks the coordinates as they will be stored. */
export const placePatch = placeFields.extend({ parentId: optionalId }).partial().superRefine(coordinatesTogether);
export type PlacePatch = z.infer<typeof placePatch>;

/** A place as the workspace form sends it: the parent named by code or path, as in a CSV file. */
export const placeForm = placeFields
  .extend({ parent: z.preprocess((value) => value ?? '', z.string().trim().max(1000)) })
  .superRefine(coordinatesTogether);
export type PlaceForm = z.infer<typeof placeForm>;

/** A CSV row's fields, checked as a form's would be. */
export const placeCsvFields = placeFields.superRefine(coordinatesTogether);

/** Path parameters naming a place. */
export const placeParams = z.object({ id: z.coerce.number().int().positive() });

/** Filters and page of the place list. */
export const placeQuery = z.object({
  /** Part of a name in either language, or the leading digits of a code. */
  q: z.string().trim().max(100).optional(),
  level: z.enum(placeLevels).optional(),
  /** Only the places directly under this one. */
  parentId: z.coerce.number().int().positive().optional(),
  /** Only places anywhere below this one. */
  within: z.coerce.number().int().positive().optional(),
  /** Only places without a parent. */
  topLevel: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type PlaceQuery = z.infer<typeof placeQuery>;

const placeSummaryOutput = z.object({
  id: z.number().int(),
  code: z.string().nullable(),
  nameZh: z.string(),
  nameEn: z.string(),
  level: z.enum(placeLevels),
});

/** A place as the API returns it. */
export const placeOutput = placeSummaryOutput.extend({
  parentId: z.number().int().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A place in a list: with its parent and how many places stand directly under it. */
export const placeListItemOutput = placeOutput.extend({ parent: placeSummaryOutput.nullable(), childCount: z.number().int() });

/** A place as the API reads it: with its ancestors, top first, and how many places stand directly under it. */
export const placeDetailOutput = placeOutput.extend({ ancestors: z.array(placeSummaryOutput), childCount: z.number().int() });

/** A page of places as the API returns it. */
export const placeListOutput = z.object({
  items: z.array(placeListItemOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** The import form's fields besides the file. */
export const placeImportFields = z.object({ dryRun: z.string().optional() });
