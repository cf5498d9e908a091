import type { Executor } from '../../db/database.ts';
import { assertCanRead, type Actor } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import * as statisticsRepository from './facility-statistics.repository.ts';
import type { FacilityStatisticsQuery } from './facility-statistics.schema.ts';
import type { FacilityStatus } from './facility.table.ts';
import * as placeRepository from './place.repository.ts';
import type { PlaceSummary } from './place.service.ts';
import type { PlaceLevel } from './place.table.ts';

/** The kind of facility whose active ones make a community covered. */
export const womensHomeKind = 'womens_home';

/** A kind of facility, as a column of the statistics. */
export interface FacilityKindColumn {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** What the statistics count for a place. */
export interface FacilityCounts {
  facilities: number;
  /** Facilities by the code of their kind; kinds without any are left out. */
  byKind: Record<string, number>;
  active: number;
  temporarilyClosed: number;
  closed: number;
  /** Communities and villages within the place (the place itself included). */
  communities: number;
  /** Those of them where at least one active women's home is located. */
  communitiesWithWomensHome: number;
  /** Their share in per cent, to one decimal; null without communities. */
  coveragePercent: number | null;
}

/** A row of the statistics: a place directly under the one chosen, or the chosen place itself. */
export interface FacilityStatisticsRow extends FacilityCounts {
  place: PlaceSummary;
  /** The chosen place itself: what is located directly in it rather than in a place below. */
  itself: boolean;
}

/** The facility statistics of a place, as a federation reports them upward. */
export interface FacilityStatistics {
  /** The place counted within; null for the top level. */
  place: PlaceSummary | null;
  /** The places above it, top first. */
  ancestors: PlaceSummary[];
  /** The organization whose network alone is counted, when one was chosen. */
  operator: { id: number; nameZh: string; nameEn: string } | null;
  /** The kinds that occur, in their order. */
  kinds: FacilityKindColumn[];
  rows: FacilityStatisticsRow[];
  total: FacilityCounts;
}

function emptyCounts(): FacilityCounts {
  return {
    facilities: 0,
    byKind: {},
    active: 0,
    temporarilyClosed: 0,
    closed: 0,
    communities: 0,
    communitiesWithWomensHome: 0,
    coveragePercent: null,
  };
}

function addFacilities(counts: FacilityCounts, kindCode: string, status: FacilityStatus, count: number): void {
  counts.facilities += count;
  counts.byKind[kindCode] = (counts.byKind[kindCode] ?? 0) + count;
  if (status === 'active') counts.active += count;
  else if (status === 'temporarily_closed') counts.temporarilyClosed += count;
  else counts.closed += count;
}

function withCoverage(counts: FacilityCounts): FacilityCounts {
  const share = counts.communities === 0 ? null : Math.round((counts.communitiesWithWomensHome / counts.communities) * 1000) / 10;
  return { ...counts, coveragePercent: share };
}

function summaryOf(row: { id: number; code: string | null; name_zh: string; name_en: string; level: PlaceLevel }): PlaceSummary {
  return { id: row.id, code: row.code, nameZh: row.name_zh, nameEn: row.name_en, level: row.level };
}

/** The place the statistics start from when none is asked for: the top for a platform administrator, else the reader's own federation's. */
async function defaultPlaceId(db: Executor, actor: Actor): Promise<number | null> {
  if (actor.isPlatformAdmin) return null;
  return (await statisticsRepository.findMemberHomePlace(db, actor.userId)) ?? null;
}

/**
 * Counts the facilities within each place directly under the chosen one (by kind and by status) and
 * the coverage of their communities by active women's homes, with a total. Any member of the network
 * may read them: they are counts, not records. An unknown place or operator answers "not found".
 */
export async function readFacilityStatistics(db: Executor, actor: Actor, query: FacilityStatisticsQuery): Promise<FacilityStatistics> {
  await assertCanRead(db, actor);
  const placeId = query.place === 'top' ? null : (query.place ?? (await defaultPlaceId(db, actor)));
  const chain = placeId === null ? [] : (await placeRepository.listPlaceAndAncestors(db, placeId)).map(summaryOf).reverse();
  const place = chain.at(-1) ?? null;
  if (placeId !== null && place?.id !== placeId) throw notFound();
  const operator = query.operator === undefined ? undefined : await organizationRepository.findOrganizationById(db, query.operator);
  if (query.operator !== undefined && !operator) throw notFound();

  const [figures, children, kinds] = await Promise.all([
    statisticsRepository.listBranchFigures(db, { placeId, operatorId: operator?.id }),
    statisticsRepository.listPlacesDirectlyUnder(db, placeId),
    statisticsRepository.listFacilityKinds(db),
  ]);
  const kindCodes = new Map(kinds.map((kind) => [kind.id, kind.code]));
  const byBranch = new Map<number, FacilityCounts>();
  const countsOf = (branch: number): FacilityCounts => {
    const known = byBranch.get(branch);
    if (known) return known;
    const counts = emptyCounts();
    byBranch.set(branch, counts);
    return counts;
  };
  for (const figure of figures) {
    const counts = countsOf(figure.branch);
    if (figure.kind_id === null || figure.status === null) {
      counts.communities += Number(figure.communities ?? 0);
      continue;
    }
    const kindCode = kindCodes.get(figure.kind_id) ?? String(figure.kind_id);
    addFacilities(counts, kindCode, figure.status, Number(figure.facilities ?? 0));
    // A closed or temporarily closed women's home serves nobody: only active ones cover a community.
    if (kindCode === womensHomeKind && figure.status === 'active') counts.communitiesWithWomensHome += Number(figure.communities_holding ?? 0);
  }

  const rows: FacilityStatisticsRow[] = children.map((child) => ({ ...withCoverage(countsOf(child.id)), place: summaryOf(child), itself: false }));
  const own = place ? byBranch.get(place.id) : undefined;
  if (place && own && (own.facilities > 0 || own.communities > 0)) rows.push({ ...withCoverage(own), place, itself: true });

  const total = emptyCounts();
  for (const row of rows) {
    for (const [code, count] of Object.entries(row.byKind)) total.byKind[code] = (total.byKind[code] ?? 0) + count;
    total.facilities += row.facilities;
    total.active += row.active;
    total.temporarilyClosed += row.temporarilyClosed;
    total.closed += row.closed;
    total.communities += row.communities;
    total.communitiesWithWomensHome += row.communitiesWithWomensHome;
  }
  return {
    place,
    ancestors: chain.slice(0, -1),
    operator: operator ? { id: operator.id, nameZh: operator.name_zh, nameEn: operator.name_en } : null,
    kinds: kinds.filter((kind) => (total.byKind[kind.code] ?? 0) > 0).map((kind) => ({ id: kind.id, code: kind.code, nameZh: kind.name_zh, nameEn: kind.name_en })),
    rows,
    total: withCoverage(total),
  };
}
