import { z } from 'zod';

/** The kinds of post, as stored. */
export const positionKinds = ['leader', 'member', 'executive_member', 'staff'] as const;

/** A calendar day as "YYYY-MM-DD"; only days that exist (2024-02-30 does not). */
export const calendarDate = z.iso.date();

// A form sends "" for "not known"; JSON sends null or leaves it out.
const optionalDate = z.preprocess((value) => (value === '' || value === undefined ? null : value), calendarDate.nullable());

const id = z.coerce.number().int().positive();

/** A person as created or replaced, from a form or from JSON. */
export const personInput = z.object({
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  /** The federation or unit that keeps the record. */
  organizationId: id,
  notes: z.string().trim().max(4000).default(''),
});
export type PersonInput = z.infer<typeof personInput>;

/** A partial change to a person (API PATCH). */
// Built without the create default for notes: a patch that leaves notes out must keep them.
export const personPatch = personInput.extend({ notes: z.string().trim().max(4000) }).partial();
export type PersonPatch = z.infer<typeof personPatch>;

/** Path parameters naming a person. */
export const personParams = z.object({ id });

/** Path parameters naming a post of a person. */
export const personPositionParams = z.object({ id, positionId: id });

/** Path parameters naming a post. */
export const positionParams = z.object({ id });

const listPage = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** Filters and page of the people list. */
export const personQuery = z.object({
  /** Part of a name, in either language. */
  q: z.string().trim().max(100).optional(),
  /** Kept by, or holding a post in, this organization or a unit below it. */
  organizationId: id.optional(),
  /** Holding a post of this kind (in that organization, when one is given). */
  kind: z.enum(positionKinds).optional(),
  /** Holding a post on this day (of that kind and in that organization, when given). */
  on: calendarDate.optional(),
  ...listPage,
});
export type PersonQuery = z.infer<typeof personQuery>;

/** Filters and page of the post list. */
export const positionQuery = z.object({
  personId: id.optional(),
  /** Posts in this organization or a unit below it. */
  organizationId: id.optional(),
  kind: z.enum(positionKinds).optional(),
  /** Posts held on this day. */
  on: calendarDate.optional(),
  ...listPage,
});
export type PositionQuery = z.infer<typeof positionQuery>;

const positionFields = z.object({
  organizationId: id,
  titleZh: z.string().trim().min(1).max(200),
  titleEn: z.string().trim().min(1).max(200),
  kind: z.enum(positionKinds),
  /** Null when the start is not known. */
  startsOn: optionalDate,
  /** Null while the post is held. */
  endsOn: optionalDate,
});

function datesInOrder(value: { startsOn?: string | null | undefined; endsOn?: string | null | undefined }, ctx: z.RefinementCtx): void {
  // ISO days compare as strings.
  if (value.startsOn && value.endsOn && value.endsOn < value.startsOn) {
    ctx.addIssue({ code: 'custom', path: ['endsOn'], message: endsBeforeStartMessage });
  }
}

/** What a post's dates are refused with when the end comes before the start. */
export const endsBeforeStartMessage = 'The end date comes before the start date.';

/** A post as the person page's form sends it (the person is in the address). */
export const positionForm = positionFields.superRefine(datesInOrder);
export type PositionForm = z.infer<typeof positionForm>;

/** A post as created through the API: the form's fields and whose post it is. */
export const positionInput = positionFields.extend({ personId: id }).superRefine(datesInOrder);
export type PositionInput = z.infer<typeof positionInput>;

/** A partial change to a post (API PATCH); the service checks the dates as they will be stored. */
export const positionPatch = positionFields.partial().superRefine(datesInOrder);
export type PositionPatch = z.infer<typeof positionPatch>;

/** The end of a post, from the "end this post" form. */
export const positionEndForm = z.object({ endsOn: calendarDate });

/** The date picker of the "posts held on" pages. */
export const onDateQuery = z.object({ on: calendarDate.optional() });

/** The executive committee page's choice of federation and day. */
export const executiveMembersQuery = z.object({ organization: id.optional(), on: calendarDate.optional() });

/** A post as the API returns it. */
export const positionOutput = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  organizationId: z.number().int(),
  titleZh: z.string(),
  titleEn: z.string(),
  kind: z.enum(positionKinds),
  startsOn: calendarDate.nullable(),
  endsOn: calendarDate.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A page of posts as the API returns it. */
export const positionListOutput = z.object({
  items: z.array(positionOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** A person as the API lists it. */
export const personOutput = z.object({
  id: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string(),
  organizationId: z.number().int(),
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A person as the API reads it: with every post held, current first. */
export const personDetailOutput = personOutput.extend({ positions: z.array(positionOutput) });

/** A page of people as the API returns it. */
export const personListOutput = z.object({
  items: z.array(personOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
