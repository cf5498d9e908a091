import { z } from 'zod';
import { locales } from '../../platform/i18n.ts';

// One DNS label: letters, digits and inner hyphens, at most 63 characters.
const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** A host name as the portal matches it: lower case, no scheme, port, path or trailing dot. */
export const hostName = new RegExp(`^(?=.{1,253}$)${label}(?:\\.${label})*$`);

/** The message beside a host name that is not one. */
export const hostNameMessage = 'Enter a host name such as portal.example.org: no http://, port or path.';

/** What a section slug looks like (the database checks the same pattern); it becomes part of the address. */
export const sectionSlug = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The message beside a section slug that is not one. */
export const sectionSlugMessage = 'use 1–63 lower-case letters, digits and hyphens';

// A form sends "" for "no parent".
const optionalId = z.preprocess(
  (value) => (value === '' || value === undefined ? null : value),
  z.coerce.number().int().positive().nullable(),
);

/** A site's settings as the site page's form sends them; an empty host name means "served under /sites/<slug> only". */
export const siteSettingsInput = z.object({
  host: z
    .string()
    .trim()
    .toLowerCase()
    .max(253, hostNameMessage)
    .refine((value) => value === '' || hostName.test(value), hostNameMessage)
    .transform((value) => (value === '' ? null : value)),
  defaultLocale: z.enum(locales),
});
export type SiteSettingsInput = z.infer<typeof siteSettingsInput>;

/** A new section. */
export const sectionInput = z.object({
  slug: z.string().trim().toLowerCase().regex(sectionSlug, sectionSlugMessage),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  parentId: optionalId,
});
export type SectionInput = z.infer<typeof sectionInput>;

/** A change to a section: its names in both languages and where it sits (its slug stays, as addresses use it). */
export const sectionPatch = sectionInput.omit({ slug: true });
export type SectionPatch = z.infer<typeof sectionPatch>;

/** Moving a section among its siblings. */
export const sectionMove = z.object({ direction: z.enum(['up', 'down']) });

/** Path parameters naming a site. */
export const siteParams = z.object({ id: z.coerce.number().int().positive() });

/** Path parameters naming a section of a site. */
export const siteSectionParams = siteParams.extend({ sectionId: z.coerce.number().int().positive() });

/** The new-section form's query: the parent to preselect. */
export const newSectionQuery = z.object({ parentId: z.coerce.number().int().positive().optional() });
