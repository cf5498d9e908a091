import { z } from 'zod';
import { facilityStatuses } from './facility.table.ts';
import { fieldMessage, placeMessages, type Bilingual } from './place.rules.ts';
import { placeFields } from './place.schema.ts';

export { facilityStatuses };

/**
 * Facilities as forms and the JSON API send them, and as the API returns them.
 *
 * Opening hours: a form writes the weekly schedule in its text form ("Mo-Fr 09:00-12:00,13:30-17:30;
 * Sa 09:00-12:00", Chinese day names too) and the exceptions one day a line ("2027-02-06 closed 春节 /
 * Spring Festival"). The JSON API takes either that text or the structured form: `hours` as
 * [{weekday, opens, closes}] (ISO weekday, 1 = Monday; "HH:MM"), `exceptions` as [{onDate, opens, closes,
 * noteZh, noteEn}] (opens and closes null for a day closed). It returns both forms. The service checks
 * them (order, overlaps) whichever way they come.
 */

const emailMessage = 'Enter an email address such as centre@example.org, or leave it empty.';
const websiteMessage = 'Enter a web address beginning with http:// or https://, or leave it empty.';
const photosMessage = 'Write the numbers of media library images, separated by commas.';
const codeMessage = 'A code is 2 to 63 lower-case letters, digits and underscores, beginning with a letter.';
const statusMessage = 'Choose one of: active, temporarily closed, closed.';
const placeMessage = 'Name the place: its code, or a path down from a code such as 110115/观音寺街道.';
const operatorMessage = 'Choose the organization that operates the facility.';

// Messages the schemas give in English, and their Chinese form.
const chineseOfFieldMessages: Record<string, string> = {
  [emailMessage]: '请输入电子邮箱，如 centre@example.org；没有时留空。',
  [websiteMessage]: '请输入以 http:// 或 https:// 开头的网址；没有时留空。',
  [photosMessage]: '请填写图片库中图片的编号，以逗号分隔。',
  [codeMessage]: '代码为 2 至 63 个小写字母、数字或下划线，以字母开头。',
  [statusMessage]: '请选择：开放、暂停开放或已关闭。',
  [placeMessage]: '请填写地点：其代码，或从有代码的上级写起的路径，如 110115/观音寺街道。',
  [operatorMessage]: '请选择运营该阵地的组织。',
};

/** A schema's English message about a facility field, in both languages (coordinates speak as a place's do). */
export function facilityFieldMessage(message: string): Bilingual {
  const chinese = chineseOfFieldMessages[message];
  return chinese === undefined ? fieldMessage(message) : { en: message, zh: chinese };
}

// A form sends "" for "not known"; JSON sends null or leaves it out.
const blankToNull = (value: unknown): unknown => (value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value);

/** Text a form may leave empty, at most `max` characters. */
const optionalText = (max: number) => z.preprocess((value) => value ?? '', z.string().trim().max(max));

const id = z.coerce.number().int().positive().max(2_147_483_647);
const optionalId = z.preprocess(blankToNull, id.nullable());

/** The stable code of a kind or a service ("womens_home"). */
export const taxonomyCode = z.string().trim().regex(/^[a-z][a-z0-9_]{1,62}$/, codeMessage);

const email = z.preprocess(
  (value) => value ?? '',
  z.union([z.literal(''), z.string().trim().max(200).pipe(z.email({ error: emailMessage }))], { error: emailMessage }),
);
const website = z.preprocess(
  (value) => value ?? '',
  z.string().trim().max(500).regex(/^(?:$|https?:\/\/[^\s/?#]+\.[^\s]*$)/i, websiteMessage),
);
const verifiedOn = z.preprocess(blankToNull, z.iso.date().nullable());

/** A facility's own fields, the same in a form and in JSON. */
const facilityFields = z.object({
  /** The code of its kind (facility_kind). */
  kind: taxonomyCode,
  nameZh: z.string().trim().min(1).max(200),
  nameEn: optionalText(200),
  addressZh: optionalText(300),
  addressEn: optionalText(300),
  // The same coordinates, read and refused the same way, as a place's.
  lat: placeFields.shape.lat,
  lon: placeFields.shape.lon,
  // "" (nothing chosen) and a missing value read as 0, refused with the message.
  operatorOrganizationId: z.coerce.number({ error: operatorMessage }).int(operatorMessage).positive(operatorMessage).max(2_147_483_647, operatorMessage),
  hostOrganizationId: optionalId,
  keeperPersonId: optionalId,
  descriptionZh: optionalText(4000),
  descriptionEn: optionalText(4000),
  phone: optionalText(50),
  email,
  website,
  accessibilityZh: optionalText(1000),
  accessibilityEn: optionalText(1000),
  status: z.preprocess((value) => value ?? 'active', z.enum(facilityStatuses, { error: statusMessage })),
  verifiedOn,
});

function coordinatesTogether(value: { lat?: number | null | undefined; lon?: number | null | undefined }, ctx: z.RefinementCtx): void {
  // A patch may leave one out, to be paired with the stored one: the service checks that.
  if (value.lat === undefined || value.lon === undefined) return;
  if ((value.lat === null) !== (value.lon === null)) {
    ctx.addIssue({ code: 'custom', path: [value.lat === null ? 'lat' : 'lon'], message: placeMessages.coordinatesPair().en });
  }
}

const time = z.string().trim().max(8);

/** An interval of the weekly schedule in JSON. */
export const weeklyOpeningInput = z.object({ weekday: z.number().int().min(1).max(7), opens: time, closes: time });

/** A dated exception in JSON: opens and closes null for a day closed. */
export const hoursExceptionInput = z.object({
  onDate: z.iso.date(),
  opens: time.nullable().default(null),
  closes: time.nullable().default(null),
  noteZh: optionalText(200),
  noteEn: optionalText(200),
});

const hoursInput = z.union([z.string().max(2000), z.array(weeklyOpeningInput).max(200)]);
const exceptionsInput = z.union([z.string().max(20_000), z.array(hoursExceptionInput).max(1000)]);

const jsonLists = {
  placeId: id,
  /** The codes of the services it offers (service_type). */
  services: z.array(taxonomyCode).max(100),
  hours: hoursInput,
  exceptions: exceptionsInput,
  /** Media library images, in the order shown. */
  photos: z.array(id).max(50),
};

/** A facility as created or replaced through the API. */
export const facilityInput = facilityFields
  .extend({ ...jsonLists, services: jsonLists.services.default([]), hours: hoursInput.default(''), exceptions: exceptionsInput.default([]), photos: jsonLists.photos.default([]) })
  .superRefine(coordinatesTogether);
export type FacilityInput = z.infer<typeof facilityInput>;

/** A partial change to a facility (API PATCH); lists given replace the stored ones. */
export const facilityPatch = facilityFields
  .extend({ ...jsonLists, status: z.enum(facilityStatuses, { error: statusMessage }) })
  .partial()
  .superRefine(coordinatesTogether);
export type FacilityPatch = z.infer<typeof facilityPatch>;

/** "a,b" (the checkboxes, joined) → ["a", "b"]. */
const commaList = (value: unknown): unknown =>
  typeof value === 'string' ? value.split(/[,，\s]+/).map((part) => part.trim()).filter(Boolean) : (value ?? []);

/**
 * A facility as the workspace form sends it: the place named by code or path (as the places forms do),
 * the services as checked boxes (joined with commas before parsing), hours and exceptions as text,
 * photos as image numbers.
 */
export const facilityForm = facilityFields
  .extend({
    place: z.string({ error: placeMessage }).trim().min(1, placeMessage).max(1000),
    services: z.preprocess(commaList, z.array(taxonomyCode).max(100)),
    hours: optionalText(2000),
    exceptions: optionalText(20_000),
    photos: z.preprocess(commaList, z.array(z.coerce.number({ error: photosMessage }).int(photosMessage).positive(photosMessage).max(2_147_483_647, photosMessage)).max(50)),
  })
  .superRefine(coordinatesTogether);
export type FacilityForm = z.infer<typeof facilityForm>;

/** Path parameters naming a facility. */
export const facilityParams = z.object({ id });

/** Filters and page of the facility list. */
export const facilityQuery = z.object({
  /** Part of the name or the address, in either language. */
  q: z.string().trim().max(100).optional(),
  /** A kind's code. */
  kind: taxonomyCode.optional(),
  /** A service's code: facilities offering it. */
  service: taxonomyCode.optional(),
  /** Facilities in this place or anywhere below it. */
  placeId: id.optional(),
  /** Facilities operated by this organization or a unit below it. */
  operatorId: id.optional(),
  status: z.enum(facilityStatuses).optional(),
  /** Only the active or temporarily closed facilities the caller may edit that were not verified for a year (or never), oldest first. */
  needsVerification: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type FacilityQuery = z.infer<typeof facilityQuery>;

/** The workspace list's filters: the place may be named by code or path, as in the forms. */
export const facilityPageQuery = facilityQuery.omit({ needsVerification: true, limit: true }).extend({ place: z.string().trim().max(1000).optional() });

/** A kind or a service type as added by a platform administrator. */
export const taxonomyInput = z.object({ code: taxonomyCode, nameZh: z.string().trim().min(1).max(100), nameEn: z.string().trim().min(1).max(100) });
export type TaxonomyInput = z.infer<typeof taxonomyInput>;

/** New names for a kind or a service type. */
export const taxonomyRename = taxonomyInput.omit({ code: true });

/** Moving a kind or a service type up or down the list. */
export const taxonomyMove = z.object({ direction: z.enum(['up', 'down']) });

/** The "verified today" form: where to come back to. */
export const verifiedForm = z.object({ back: z.enum(['detail', 'list']).default('detail') });

/** A kind or a service type as the API returns it. */
export const taxonomyOutput = z.object({
  id: z.number().int(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  position: z.number().int(),
  /** How many facilities are of this kind, or offer this service. */
  facilityCount: z.number().int(),
});

/** A list of kinds or service types, in their order. */
export const taxonomyListOutput = z.object({ items: z.array(taxonomyOutput) });

const namesOutput = z.object({ id: z.number().int(), nameZh: z.string(), nameEn: z.string() });
const placeSummaryOutput = namesOutput.extend({ code: z.string().nullable() });

/** A facility as the API returns it. */
export const facilityOutput = z.object({
  id: z.number().int(),
  kind: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  placeId: z.number().int(),
  addressZh: z.string(),
  addressEn: z.string(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  operatorOrganizationId: z.number().int(),
  hostOrganizationId: z.number().int().nullable(),
  keeperPersonId: z.number().int().nullable(),
  descriptionZh: z.string(),
  descriptionEn: z.string(),
  phone: z.string(),
  email: z.string(),
  website: z.string(),
  accessibilityZh: z.string(),
  accessibilityEn: z.string(),
  status: z.enum(facilityStatuses),
  verifiedOn: z.string().nullable(),
  /** Service codes. */
  services: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A page of facilities as the API returns it. */
export const facilityListOutput = z.object({
  items: z.array(facilityOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** A facility as the API reads it: with names of what it refers to, hours (both forms), exceptions and photos. */
export const facilityDetailOutput = facilityOutput.extend({
  kindName: z.object({ zh: z.string(), en: z.string() }),
  /** The place and its ancestors, top first. */
  places: z.array(placeSummaryOutput),
  operator: namesOutput,
  host: namesOutput.nullable(),
  keeper: namesOutput.nullable(),
  hours: z.array(z.object({ weekday: z.number().int(), opens: z.string(), closes: z.string() })),
  /** The weekly schedule in its text form ("Mo-Fr 09:00-17:00"). */
  hoursText: z.string(),
  exceptions: z.array(z.object({ onDate: z.string(), opens: z.string().nullable(), closes: z.string().nullable(), noteZh: z.string(), noteEn: z.string() })),
  /** Media library image ids, in order. */
  photos: z.array(z.number().int()),
});
