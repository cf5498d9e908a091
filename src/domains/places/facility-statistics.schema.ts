import { z } from 'zod';
import type { Bilingual } from './place.rules.ts';
import { placeOutput } from './place.schema.ts';

const placeMessage = 'Give the id of a place, or "top" for the top-level places.';
const operatorMessage = 'Give the id of an organization.';

const chineseOfMessages: Record<string, string> = {
  [placeMessage]: '请填写地点的编号，或用“top”表示最高一级的地点。',
  [operatorMessage]: '请填写组织的编号。',
};

/** A message of the statistics' query in both languages. */
export function statisticsFieldMessage(message: string): Bilingual {
  return { en: message, zh: chineseOfMessages[message] ?? message };
}

/** What the statistics are about: a place (its id, or "top"), and an operating organization. */
export const facilityStatisticsQuery = z.object({
  /** The place whose direct children make the rows; "top": the top-level places; none: the reader's own federation's place. */
  place: z
    .union([z.literal('top'), z.coerce.number().int().positive().max(2_147_483_647)], { error: placeMessage })
    .optional(),
  /** Only the facilities operated by this organization or a unit below it. */
  operator: z.coerce.number({ error: operatorMessage }).int(operatorMessage).positive(operatorMessage).max(2_147_483_647, operatorMessage).optional(),
});
export type FacilityStatisticsQuery = z.infer<typeof facilityStatisticsQuery>;

const placeSummaryOutput = placeOutput.pick({ id: true, code: true, nameZh: true, nameEn: true, level: true });

const countsOutput = z.object({
  facilities: z.number().int(),
  /** Facilities by the code of their kind; kinds without any are left out. */
  byKind: z.record(z.string(), z.number().int()),
  active: z.number().int(),
  temporarilyClosed: z.number().int(),
  closed: z.number().int(),
  /** Communities and villages within the place. */
  communities: z.number().int(),
  /** Those of them where at least one active women's home is located. */
  communitiesWithWomensHome: z.number().int(),
  /** Their share in per cent, to one decimal; null without communities. */
  coveragePercent: z.number().nullable(),
});

/** The facility statistics of a place as the API returns them. */
export const facilityStatisticsOutput = z.object({
  /** The place counted within; null for the top level. */
  place: placeSummaryOutput.nullable(),
  /** The places above it, top first. */
  ancestors: z.array(placeSummaryOutput),
  operator: z.object({ id: z.number().int(), nameZh: z.string(), nameEn: z.string() }).nullable(),
  /** The kinds that occur, in their order. */
  kinds: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
  /**
   * One row per place directly under the place, and one for the place itself (itself: true) when
   * facilities are located directly in it or it is a community.
   */
  rows: z.array(countsOutput.extend({ place: placeSummaryOutput, itself: z.boolean() })),
  total: countsOutput,
});
