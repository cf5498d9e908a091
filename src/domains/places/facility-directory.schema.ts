import { z } from 'zod';
import { portalParams } from '../articles/article.schema.ts';

/** A GET form sends every field, untouched ones empty: an empty value means "not chosen". */
function unlessEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

// The stable codes of facility_kind and service_type ("womens_home", "health_services").
const taxonomyCode = z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be the code of one of the listed choices');

/** How many pages of the directory readers may ask for: far beyond any federation's facilities. */
export const maxDirectoryPage = 10_000;

/**
 * The directory's query string: place (an id, the browse position), kind and service (codes), q (part
 * of a name or an address), open=1 (open now), page. Anything else in them is a 400.
 */
export const directoryQuery = z.object({
  place: unlessEmpty(
    z.coerce
      .number({ error: 'place must be a whole number' })
      .int('place must be a whole number')
      .min(1, 'place must be 1 or more')
      .max(2_147_483_647, 'place is too large'),
  ),
  kind: unlessEmpty(taxonomyCode),
  service: unlessEmpty(taxonomyCode),
  q: z.string().max(200, 'q must be at most 200 characters').default(''),
  open: unlessEmpty(z.literal('1', { error: 'open must be 1 or left out' })),
  page: z.coerce
    .number({ error: 'page must be a whole number' })
    .int('page must be a whole number')
    .min(1, 'page must be 1 or more')
    .max(maxDirectoryPage, `page must be ${maxDirectoryPage} or less`)
    .default(1),
});
export type DirectoryQuery = z.infer<typeof directoryQuery>;

/** The facility page's path parameters: the id is checked by the handler, so that a bad one is a 404. */
export const facilityParams = portalParams.extend({ id: z.string() });

/** What a facility id in an address looks like; anything else names no facility. */
export const facilityId = /^[1-9][0-9]{0,8}$/;
