import { z } from 'zod';

/** The kinds of organization, as stored. */
export const organizationKinds = ['federation', 'leadership_body', 'department', 'grassroots_federation', 'partner'] as const;

// A form sends "" for "no parent"; JSON sends null or leaves it out.
const optionalId = z.preprocess(
  (value) => (value === '' || value === undefined ? null : value),
  z.coerce.number().int().positive().nullable(),
);

/** An organization as created or replaced, from a form or from JSON. */
export const organizationInput = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'use 2–63 lower-case letters, digits and hyphens'),
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  kind: z.enum(organizationKinds),
  parentId: optionalId,
});
export type OrganizationInput = z.infer<typeof organizationInput>;

/** A partial change to an organization (API PATCH). */
export const organizationPatch = organizationInput.partial();
export type OrganizationPatch = z.infer<typeof organizationPatch>;

/** Path parameters naming an organization. */
export const organizationParams = z.object({ id: z.coerce.number().int().positive() });

/** Filters and page of the organization list. */
export const organizationQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(organizationKinds).optional(),
  parentId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type OrganizationQuery = z.infer<typeof organizationQuery>;

/** An organization as the API returns it. */
export const organizationOutput = z.object({
  id: z.number().int(),
  slug: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  kind: z.enum(organizationKinds),
  parentId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A page of organizations as the API returns it. */
export const organizationListOutput = z.object({
  items: z.array(organizationOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
