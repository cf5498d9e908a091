import { z } from 'zod';
import { commitmentStatuses } from './agreement.rules.ts';
import { storedCommitmentStatuses } from './commitment.table.ts';
import { documentKinds } from './document.table.ts';

export { commitmentStatuses, documentKinds, storedCommitmentStatuses };

const dateMessage = 'Give a date such as 2024-03-25.';
const weightMessage = 'A weight is a positive number, such as 1 or 2.5.';
const progressMessage = 'Progress is a whole number from 0 to 100.';
const idListMessage = 'Give the numbers of images, separated by commas.';
export const noteMessage = 'Write the note in Chinese or in English.';
const codeMessage = 'Use 2–63 lower-case letters, digits and underscores, starting with a letter.';

// A form sends "" for "none"; JSON sends null or leaves it out.
const blankToNull = (value: unknown): unknown => (value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value);

const id = z.coerce.number().int().positive();
export const optionalId = z.preprocess(blankToNull, id.nullable());

/** A calendar day as "YYYY-MM-DD"; only days that exist. */
const calendarDate = z.iso.date({ error: dateMessage });
const optionalDate = z.preprocess(blankToNull, calendarDate.nullable());

/** Ids as a JSON array, or as a form's "1, 2, 3" (several checked boxes arrive joined the same way). */
function idList(message?: string) {
  return z.preprocess(
    (value) =>
      value === undefined || value === null
        ? []
        : typeof value === 'string'
          ? value.split(/[\s,，]+/).filter((part) => part !== '')
          : value,
    z
      .array(z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }), { error: message })
      .max(100)
      .transform((ids) => [...new Set(ids)]),
  );
}

/** A checkbox ("on" when ticked, absent when not) or a JSON boolean. */
const checkbox = z.preprocess((value) => value === true || value === 'on' || value === 'true', z.boolean());

const text = (max: number) => z.preprocess((value) => value ?? '', z.string().trim().max(max));
const requiredText = (max: number) => z.string().trim().min(1).max(max);

const listPage = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

// ---------------------------------------------------------------------------------------------
// Documents

const documentFields = z.object({
  kind: z.enum(documentKinds),
  titleZh: requiredText(300),
  titleEn: text(300),
  /** As printed, e.g. 京妇发〔2024〕3号; empty when none. */
  docNumber: text(100),
  /** The day an agreement was signed, or a circular or plan issued. */
  signedOn: calendarDate,
  /** An agreement's term; null ends are open. */
  startsOn: optionalDate,
  endsOn: optionalDate,
  /** The issuer of a circular or plan; null for an agreement. */
  issuerId: optionalId,
  /** The parties of an agreement, in order; empty for a circular or plan. */
  partyIds: idList(),
  /** Markdown; sanitized HTML is made from it. */
  bodyZh: text(100_000),
  bodyEn: text(100_000),
  /** Media library images attached to the Chinese and to the English version. */
  attachmentsZh: idList(idListMessage),
  attachmentsEn: idList(idListMessage),
  /** Listed on the public transparency page. */
  isPublic: checkbox,
});

/** A document as created, from the form or JSON; the service checks kind, issuer, parties and term together. */
export const documentInput = documentFields;
export type DocumentInput = z.infer<typeof documentInput>;

/** A partial change to a document (API PATCH). */
export const documentPatch = documentFields.partial();
export type DocumentPatch = z.infer<typeof documentPatch>;

/** Filters and page of the document list. */
export const documentQuery = z.object({
  kind: z.enum(documentKinds).optional(),
  /** Documents this organization, or a unit below it, is a party to or issued. */
  partyId: id.optional(),
  /** Part of a title in either language, or of the document number. */
  q: z.string().trim().max(100).optional(),
  ...listPage,
});
export type DocumentQuery = z.infer<typeof documentQuery>;

/** Path parameters naming a record by id. */
export const idParams = z.object({ id });

// ---------------------------------------------------------------------------------------------
// Measures

const measureFields = z.object({
  /** As numbered in the document: "3", "3.2". */
  number: requiredText(20),
  /** Order among its siblings; left out, after the last one. */
  position: z.preprocess(blankToNull, z.coerce.number().int().min(0).max(100_000).nullable()),
  parentId: optionalId,
  titleZh: requiredText(300),
  titleEn: text(300),
  /** Plain text; paragraphs separated by empty lines. */
  bodyZh: text(10_000),
  bodyEn: text(10_000),
  dimensionIds: idList(),
  topicIds: idList(),
});

/** A measure as created under a document. */
export const measureInput = measureFields;
export type MeasureInput = z.infer<typeof measureInput>;

/** A partial change to a measure. */
export const measurePatch = measureFields.partial();
export type MeasurePatch = z.infer<typeof measurePatch>;

// ---------------------------------------------------------------------------------------------
// Commitments

const weight = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().replace('，', '.') : value),
  z.coerce
    .number({ error: weightMessage })
    .refine(Number.isFinite, weightMessage)
    .min(0.01, weightMessage)
    .max(10_000, weightMessage)
    // Stored to two decimals; round here so that what is checked is what is stored.
    .transform((value) => Math.round(value * 100) / 100),
);
const progress = z.coerce.number({ error: progressMessage }).int(progressMessage).min(0, progressMessage).max(100, progressMessage);

const commitmentFields = z.object({
  measureId: id,
  whatZh: requiredText(2000),
  whatEn: text(2000),
  responsibleOrganizationId: id,
  partnerIds: idList(),
  /** Null: ongoing, never overdue. */
  dueOn: optionalDate,
  weight: z.preprocess((value) => (value === '' || value === undefined ? 1 : value), weight),
  /** What a person sets; "overdue" is worked out from the due date. */
  status: z.preprocess((value) => (value === '' || value === undefined ? 'not_started' : value), z.enum(storedCommitmentStatuses)),
  /** Left out: 100 for a done commitment, else 0. */
  progress: z.preprocess(blankToNull, progress.nullable()),
});

/** A commitment as created under a measure; made from an activity's follow-up when `followUpId` is given. */
export const commitmentInput = commitmentFields.extend({ followUpId: optionalId.optional() });
export type CommitmentInput = z.infer<typeof commitmentInput>;

/** Making an activity's follow-up a commitment: the follow-up, and once chosen, the measure it comes under. */
export const followUpCommitmentQuery = z.object({ followUpId: id, measureId: optionalId.optional() });

/** A partial change to a commitment. */
export const commitmentPatch = commitmentFields
  .extend({ weight, status: z.enum(storedCommitmentStatuses), progress })
  .partial();
export type CommitmentPatch = z.infer<typeof commitmentPatch>;

/** Filters and page of the commitment list. */
export const commitmentQuery = z.object({
  documentId: id.optional(),
  /** Commitments of this measure and of the measures below it. */
  measureId: id.optional(),
  /** Commitments this organization, or a unit below it, is responsible for. */
  organizationId: id.optional(),
  /** As shown: "overdue" is an open commitment past its due date; "in_progress" excludes those. */
  status: z.enum(commitmentStatuses).optional(),
  /** Due on or after this day. */
  dueFrom: calendarDate.optional(),
  /** Due on or before this day. */
  dueTo: calendarDate.optional(),
  /** Under a measure tagged with this work dimension (a measure counts under its parents' dimensions). */
  dimensionId: id.optional(),
  ...listPage,
});
export type CommitmentQuery = z.infer<typeof commitmentQuery>;

// ---------------------------------------------------------------------------------------------
// Progress updates

const evidenceFields = {
  /** An activity that carried the commitment out. */
  activityId: optionalId,
  /** A published update of the portal reporting it. */
  articleId: optionalId,
  /** An image of the media library (a scan, a photo). */
  mediaId: optionalId,
};

const progressUpdateFields = z.object({
  reportedOn: calendarDate,
  noteZh: text(4000),
  noteEn: text(4000),
  ...evidenceFields,
});

function noteGiven(value: { noteZh: string; noteEn: string }, ctx: z.RefinementCtx): void {
  if (!value.noteZh && !value.noteEn) ctx.addIssue({ code: 'custom', path: ['noteZh'], message: noteMessage });
}

/** A progress update as reported; it may set the commitment's progress and status. */
export const progressUpdateInput = progressUpdateFields
  .extend({
    progress: z.preprocess(blankToNull, progress.nullable()),
    status: z.preprocess(blankToNull, z.enum(storedCommitmentStatuses).nullable()),
  })
  .superRefine(noteGiven);
export type ProgressUpdateInput = z.infer<typeof progressUpdateInput>;

/** A change to a progress update: its day, notes and evidence; what it set stays as reported (the service checks the notes as they will be stored). */
export const progressUpdatePatch = progressUpdateFields.partial();
export type ProgressUpdatePatch = z.infer<typeof progressUpdatePatch>;

/** Which timeline to list: a commitment's, or a measure's (with the measures below it). */
export const progressUpdateQuery = z.object({
  commitmentId: id.optional(),
  measureId: id.optional(),
});

// ---------------------------------------------------------------------------------------------
// Work dimensions

/** A work dimension as a platform administrator adds or changes it. */
export const workDimensionInput = z.object({
  code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,62}$/, codeMessage),
  nameZh: requiredText(100),
  nameEn: requiredText(100),
  position: z.preprocess((value) => (value === '' || value === undefined ? 0 : value), z.coerce.number().int().min(0).max(100_000)),
});
export type WorkDimensionInput = z.infer<typeof workDimensionInput>;

// ---------------------------------------------------------------------------------------------
// API outputs

const organizationSummary = z.object({ id: z.number().int(), slug: z.string(), nameZh: z.string(), nameEn: z.string() });
const taxonomyOutput = z.object({ id: z.number().int(), code: z.string(), nameZh: z.string(), nameEn: z.string() });

/** A work dimension or topic as the API returns it. */
export const workDimensionOutput = taxonomyOutput.extend({ position: z.number().int() });

/** A document as the API returns it. */
export const documentOutput = z.object({
  id: z.number().int(),
  kind: z.enum(documentKinds),
  titleZh: z.string(),
  titleEn: z.string(),
  docNumber: z.string(),
  signedOn: z.string(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  issuer: organizationSummary.nullable(),
  parties: z.array(organizationSummary),
  bodyZh: z.string(),
  bodyEn: z.string(),
  /** Sanitized HTML made from the Markdown. */
  bodyHtmlZh: z.string(),
  bodyHtmlEn: z.string(),
  attachmentsZh: z.array(z.number().int()),
  attachmentsEn: z.array(z.number().int()),
  isPublic: z.boolean(),
  /** Weighted mean of the commitments' progress, dropped ones left out; null when none counts. */
  progress: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A page of documents. */
export const documentListOutput = z.object({
  items: z.array(documentOutput.omit({ bodyZh: true, bodyEn: true, bodyHtmlZh: true, bodyHtmlEn: true })),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** A measure as the API returns it, with its progress rolled up from everything below it. */
export const measureOutput = z.object({
  id: z.number().int(),
  documentId: z.number().int(),
  parentId: z.number().int().nullable(),
  number: z.string(),
  position: z.number().int(),
  titleZh: z.string(),
  titleEn: z.string(),
  bodyZh: z.string(),
  bodyEn: z.string(),
  dimensions: z.array(taxonomyOutput),
  topics: z.array(taxonomyOutput),
  progress: z.number().nullable(),
  /** Commitments counted in the progress (below it too; dropped ones not). */
  commitmentCount: z.number().int(),
});

/** A document with its measures, parents before children. */
export const documentDetailOutput = documentOutput.extend({ measures: z.array(measureOutput) });

/** A commitment as the API returns it. */
export const commitmentOutput = z.object({
  id: z.number().int(),
  documentId: z.number().int(),
  measureId: z.number().int(),
  whatZh: z.string(),
  whatEn: z.string(),
  responsibleOrganization: organizationSummary,
  partners: z.array(organizationSummary),
  dueOn: z.string().nullable(),
  weight: z.number(),
  /** As shown today: "overdue" for an open commitment past its due date. */
  status: z.enum(commitmentStatuses),
  /** As set by people. */
  storedStatus: z.enum(storedCommitmentStatuses),
  progress: z.number().int(),
  /** The follow-up of an activity the commitment was made from (GET /api/v1/activities/{id}); null when none. */
  followUpId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A page of commitments. */
export const commitmentListOutput = z.object({
  items: z.array(commitmentOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** A progress update as the API returns it. */
export const progressUpdateOutput = z.object({
  id: z.number().int(),
  commitmentId: z.number().int(),
  reportedOn: z.string(),
  noteZh: z.string(),
  noteEn: z.string(),
  progress: z.number().int().nullable(),
  status: z.enum(storedCommitmentStatuses).nullable(),
  activityId: z.number().int().nullable(),
  articleId: z.number().int().nullable(),
  mediaId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
