import { z } from 'zod';
import { locales, type Locale } from '../../platform/i18n.ts';
import { articleStatuses } from './article.table.ts';
import { articleSlug } from './article.schema.ts';
import { articleSteps } from './newsroom.table.ts';

/** The most tags an update may carry, and the longest a tag may be. */
export const tagLimits = { count: 20, length: 40 } as const;

/** The states a language version can be in; "missing" means it has not been written. */
export const translationStatuses = ['missing', 'draft', 'reviewed'] as const;

/** The workflow's actions, as buttons and as the API's `action`. */
export const workflowActions = ['submit', 'approve', 'send_back', 'publish', 'unpublish', 'archive', 'reopen'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

// A form sends "" for "not given"; JSON leaves the field out.
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const id = z.coerce.number().int().positive();

/** Tags from a form ("a, b，c") or JSON (["a", "b"]): trimmed, empty ones dropped, duplicates once. */
const tags = z.preprocess(
  (value) => {
    const list = typeof value === 'string' ? value.split(/[,，、;；\n]/) : value;
    if (!Array.isArray(list)) return list;
    const trimmed = list.map((tag) => (typeof tag === 'string' ? tag.trim().replace(/\s+/g, ' ') : tag)).filter((tag) => tag !== '');
    return [...new Set(trimmed)];
  },
  z
    .array(z.string().max(tagLimits.length, `A tag has at most ${tagLimits.length} characters.`))
    .max(tagLimits.count, `An update has at most ${tagLimits.count} tags.`),
);

/** "2024-03-25T14:33" or "2024-03-25 14:33:38" (the site's wall clock), or an instant with its offset ("…Z", "…+08:00"). */
const publishAtPattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Tells whether the calendar day and the time of day in a publish time exist (no 30 February, no 25:00). */
function isRealDateTime(value: string): boolean {
  const [y, mo, d, h, mi, s] = (/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value) ?? [])
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined) return false;
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && (s ?? 0) < 60;
}

const publishAt = z
  .string()
  .trim()
  .regex(publishAtPattern, 'Give a date and time such as 2024-03-25 14:33.')
  .refine(isRealDateTime, { message: 'Give a date and time such as 2024-03-25 14:33.' });

/** Tells whether a publish time names its own zone (an instant) rather than the site's wall clock. */
export function publishAtHasZone(value: string): boolean {
  return /(Z|[+-]\d{2}:\d{2})$/.test(value);
}

const title = z.string().trim().max(300);
const summary = z.string().trim().max(2000);
const body = z.string().max(200_000);
const versionStatus = z.enum(['draft', 'reviewed']);

/**
 * The fields of an update, flat so that one schema serves the form (two columns, one per language)
 * and the JSON API. A language version whose title is empty is missing.
 */
const articleFields = z.object({
  /** The site the update is for; given when it is created, fixed afterwards. */
  siteId: z.preprocess(blankToUndefined, id.optional()),
  sectionId: id,
  /** The address segment shared by both languages; made from the date and title when left empty. */
  slug: z.preprocess(
    blankToUndefined,
    z.string().trim().toLowerCase().regex(articleSlug, 'use lower-case letters, digits and hyphens').optional(),
  ),
  publishAt,
  tags: tags.optional(),
  /** The cover image, one of the site's media; null (a form's empty choice) for none. */
  coverMediaId: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), id.nullable().optional()),
  titleZh: title.optional(),
  summaryZh: summary.optional(),
  bodyZh: body.optional(),
  statusZh: versionStatus.optional(),
  titleEn: title.optional(),
  summaryEn: summary.optional(),
  bodyEn: body.optional(),
  statusEn: versionStatus.optional(),
});

/** The form and JSON field names of one language's version. */
export function versionFields(locale: Locale) {
  return locale === 'zh'
    ? ({ title: 'titleZh', summary: 'summaryZh', body: 'bodyZh', status: 'statusZh' } as const)
    : ({ title: 'titleEn', summary: 'summaryEn', body: 'bodyEn', status: 'statusEn' } as const);
}

/** A problem with the language versions as a whole, named by the field it belongs beside. */
export interface VersionIssue {
  field: string;
  message: string;
}

/** Finds what is wrong with the language versions: text without a title, or no version at all. */
export function versionIssues(values: Partial<Record<string, string | undefined | unknown>>): VersionIssue[] {
  const issues: VersionIssue[] = [];
  let written = 0;
  for (const locale of locales) {
    const fields = versionFields(locale);
    const hasTitle = typeof values[fields.title] === 'string' && (values[fields.title] as string).trim() !== '';
    const hasText = [fields.summary, fields.body].some((field) => typeof values[field] === 'string' && (values[field] as string).trim() !== '');
    if (hasTitle) written += 1;
    else if (hasText) issues.push({ field: fields.title, message: 'Give this language version a title, or clear its text.' });
  }
  if (written === 0 && issues.length === 0) {
    issues.push({ field: 'titleZh', message: 'Write at least one language version: a title in Chinese or in English.' });
  }
  return issues;
}

/** An update as created or saved from the form, or created through the API. */
export const articleInput = articleFields.superRefine((value, context) => {
  for (const issue of versionIssues(value)) context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
});
export type ArticleInput = z.infer<typeof articleInput>;

/** A partial change to an update (API PATCH); an empty title removes that language version. */
export const articlePatch = articleFields.omit({ siteId: true }).partial();
export type ArticlePatch = z.infer<typeof articlePatch>;

/** Path parameters naming an update. */
export const articleIdParams = z.object({ id: z.coerce.number().int().positive() });

/** Path parameters naming one of an update's revisions. */
export const revisionParams = articleIdParams.extend({ number: z.coerce.number().int().positive() });

/** Which two revisions to compare. */
export const revisionCompareQuery = z.object({
  from: z.coerce.number().int().positive().optional(),
  to: z.coerce.number().int().positive().optional(),
});

/** A step of the workflow, with a comment (required when sending an update back). */
export const transitionInput = z.object({
  action: z.enum(workflowActions),
  comment: z.string().trim().max(2000).optional(),
});
export type TransitionInput = z.infer<typeof transitionInput>;

/** Filters and page of the newsroom's list and of GET /api/v1/articles. */
export const articleQuery = z.object({
  siteId: z.preprocess(blankToUndefined, id.optional()),
  sectionId: z.preprocess(blankToUndefined, id.optional()),
  status: z.preprocess(blankToUndefined, z.enum(articleStatuses).optional()),
  /** With languageStatus: the language whose version is looked at. */
  language: z.preprocess(blankToUndefined, z.enum(locales).optional()),
  languageStatus: z.preprocess(blankToUndefined, z.enum(translationStatuses).optional()),
  /** Words in the title of either language. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ArticleQuery = z.infer<typeof articleQuery>;

const translationOutput = z.object({
  locale: z.enum(locales),
  status: z.enum(['draft', 'reviewed']),
  title: z.string(),
  summary: z.string(),
});

/** One language version as the API returns it: the body as sanitized HTML, and its Markdown source for staff. */
const translationDetailOutput = translationOutput.extend({
  bodyHtml: z.string(),
  bodyMarkdown: z.string().nullable().optional(),
});

const articleCommon = {
  id: z.number().int(),
  siteId: z.number().int(),
  siteSlug: z.string(),
  sectionId: z.number().int(),
  slug: z.string(),
  status: z.enum(articleStatuses),
  publishAt: z.string(),
  tags: z.array(z.string()),
  coverMediaId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** An update in a list: both languages' titles and summaries (only reviewed ones for the public). */
export const articleListItemOutput = z.object({ ...articleCommon, translations: z.array(translationOutput) });

/** A step of the workflow as the API returns it. */
export const articleEventOutput = z.object({
  step: z.enum(articleSteps),
  actorName: z.string().nullable(),
  at: z.string(),
  comment: z.string(),
});

/** An update as the API returns it; staff also get its workflow history. */
export const articleOutput = z.object({
  ...articleCommon,
  translations: z.array(translationDetailOutput),
  events: z.array(articleEventOutput).optional(),
});

/** A page of updates as the API returns it. */
export const articleListOutput = z.object({
  items: z.array(articleListItemOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
