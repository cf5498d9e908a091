import { z } from 'zod';

/** Path parameters shared by the portal's pages: the language segment (checked by the handler, so that a bad one is a 404). */
export const portalParams = z.object({ lang: z.string(), site: z.string().optional() });

/** The article page's path parameters. */
export const articleParams = portalParams.extend({ slug: z.string() });
export type ArticleParams = z.infer<typeof articleParams>;

/** A section page's path parameters: the section path is the wildcard. */
export const sectionParams = portalParams.extend({ '*': z.string() });

/** A section page's query: which page of its list. */
export const sectionQuery = z.object({
  page: z.coerce
    .number({ error: 'page must be a whole number' })
    .int('page must be a whole number')
    .min(1, 'page must be 1 or more')
    .max(100_000, 'page is too large')
    .default(1),
});

/** What an article slug looks like; anything else cannot name an article. */
export const articleSlug = /^[a-z0-9][a-z0-9-]{0,199}$/;
