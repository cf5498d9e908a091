import type { Executor } from '../../db/database.ts';
import { assertCanRead, organizationsWhere, type Actor } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { today } from '../people/person.service.ts';
import * as placeService from '../places/place.service.ts';
import { listPlaceIdsWithin } from '../places/facility-directory.repository.ts';
import { loadNetwork, type Network, type OrganizationRef } from './agreement.access.ts';
import { commitmentStatuses, effectiveStatus, progressOf, type CommitmentStatus } from './agreement.rules.ts';
import { loadDocument, type AgreementDocument, type Tag } from './agreement.service.ts';
import * as dashboardRepository from './agreement-dashboard.repository.ts';
import type { DashboardScope, TallyRow } from './agreement-dashboard.repository.ts';
import type { DocumentKind } from './document.table.ts';
import * as documentRepository from './document.repository.ts';

/** How many commitments show each status. */
export type StatusCounts = Record<CommitmentStatus, number>;

/** What a dashboard says about a group of commitments. */
export interface Figures {
  /** Weighted by the commitments' weights, dropped ones left out; null when none counts. */
  progress: number | null;
  /** Commitments counted in the progress (all but the dropped ones). */
  counted: number;
  /** Every commitment of the group, dropped ones included. */
  total: number;
  counts: StatusCounts;
}

/** A measure with the figures of every commitment under it and the measures below it. */
export interface MeasureFigures extends Figures {
  id: number;
  parentId: number | null;
  number: string;
  titleZh: string;
  titleEn: string;
  /** 0 at the top of the document. */
  depth: number;
  dimensions: Tag[];
}

/** The figures of the commitments one party (a federation and its units) is responsible for. */
export interface PartyFigures extends Figures {
  organization: OrganizationRef;
}

/** The figures of the commitments under measures tagged with a work dimension (or below one that is). */
export interface DimensionFigures extends Figures {
  dimension: Tag;
}

/** A document as a dashboard names it. */
export interface DocumentHead {
  id: number;
  kind: DocumentKind;
  titleZh: string;
  titleEn: string;
  signedOn: string;
}

/** The figures of the commitments of one document (within a dashboard's scope). */
export interface DocumentFigures extends Figures {
  document: DocumentHead;
}

/** The figures of the commitments one organization is responsible for. */
export interface ResponsibleFigures extends Figures {
  organization: OrganizationRef;
}

/** An open commitment that is overdue or falls due soon. */
export interface DueCommitment {
  id: number;
  whatZh: string;
  whatEn: string;
  responsible: OrganizationRef;
  dueOn: string;
  /** "overdue", "not_started" or "in_progress". */
  status: CommitmentStatus;
  progress: number;
  /** Days from the dashboard's day to the due date: negative when overdue. */
  daysLeft: number;
  document: DocumentHead;
  measure: { id: number; number: string; titleZh: string; titleEn: string };
}

/** What a document's dashboard shows, and its public transparency page (without the lists of commitments). */
export interface DocumentDashboard {
  /** The network's day the figures are told against. */
  day: string;
  document: AgreementDocument;
  overall: Figures;
  /** Every measure in reading order (parents before children); the top ones have depth 0. */
  measures: MeasureFigures[];
  /** By party of an agreement (the federation a responsible unit belongs to) or, for a circular, by federation. */
  parties: PartyFigures[];
  /** By work dimension, in the list's order; only dimensions that tag a measure of the document. */
  dimensions: DimensionFigures[];
}

/** A document dashboard in the workspace: with the commitments overdue and falling due soon. */
export interface WorkspaceDocumentDashboard extends DocumentDashboard {
  overdue: DueCommitment[];
  dueSoon: DueCommitment[];
  /** The last day counted as "soon". */
  horizon: string;
  /** The portals that show the document's public transparency page (none unless it is public). */
  publicSites: { slug: string; organization: OrganizationRef }[];
}

/** What a dashboard across documents shows: an organization's commitments, or those of a place. */
export interface ScopeDashboard {
  day: string;
  horizon: string;
  overall: Figures;
  documents: DocumentFigures[];
  /** By responsible organization (the units, or the organizations located in the place). */
  responsible: ResponsibleFigures[];
  overdue: DueCommitment[];
  dueSoon: DueCommitment[];
  /** Whether the lists of overdue and due commitments were cut at `dueListLimit`. */
  listsCut: boolean;
}

/** An organization's dashboard: its commitments and its units', across documents. */
export interface OrganizationDashboard extends ScopeDashboard {
  organization: OrganizationRef;
}

/** A place's dashboard: the commitments of the organizations located in it or below it. */
export interface PlaceDashboard extends ScopeDashboard {
  place: placeService.PlaceDetail;
}

/** The commitments falling due in the next days of one responsible organization, for the signed-in dashboard. */
export interface ReminderGroup {
  organization: OrganizationRef;
  overdue: DueCommitment[];
  dueSoon: DueCommitment[];
  /** Whether the organization has more than the lists show (they show the first `remindersPerUnit`). */
  more: boolean;
}

/** The reminders of the signed-in dashboard. */
export interface Reminders {
  day: string;
  horizon: string;
  groups: ReminderGroup[];
  /** Whether the reader sees every organization's (a platform administrator): the lists are then shorter. */
  network: boolean;
}

/** How many days ahead "due soon" looks. */
export const dueSoonDays = 30;
/** How many overdue or due commitments a dashboard across documents lists. */
export const dueListLimit = 200;
/** How many a document's dashboard lists: all of them, in any document people write. */
const documentDueLimit = 10_000;
/** How many reminders of one organization the signed-in dashboard shows: its own, or every organization's. */
export const remindersPerUnit = { own: 20, network: 5 } as const;

// ---------------------------------------------------------------------------------------------
// Counting

/** Commitments counted: per status, and Σ weight × progress and Σ weight of those not dropped. */
interface Tally {
  counts: StatusCounts;
  weighted: number;
  weight: number;
}

function emptyTally(): Tally {
  return { counts: { not_started: 0, in_progress: 0, overdue: 0, done: 0, dropped: 0 }, weighted: 0, weight: 0 };
}

function addTo(into: Tally, from: Tally): void {
  for (const status of commitmentStatuses) into.counts[status] += from.counts[status];
  into.weighted += from.weighted;
  into.weight += from.weight;
}

/** Groups a tally's rows by key; dropped commitments count in their status but not in the progress. */
function talliesByKey(rows: readonly TallyRow[]): Map<number, Tally> {
  const tallies = new Map<number, Tally>();
  for (const row of rows) {
    const tally = tallies.get(row.key) ?? emptyTally();
    tally.counts[row.status] += row.count;
    if (row.status !== 'dropped') {
      tally.weighted += row.weighted;
      tally.weight += row.weight;
    }
    tallies.set(row.key, tally);
  }
  return tallies;
}

function sumOf(tallies: Iterable<Tally>): Tally {
  const total = emptyTally();
  for (const tally of tallies) addTo(total, tally);
  return total;
}

function figuresOf(tally: Tally | undefined): Figures {
  const counts = { ...(tally ?? emptyTally()).counts };
  const total = commitmentStatuses.reduce((sum, status) => sum + counts[status], 0);
  const counted = total - counts.dropped;
  return { progress: progressOf({ weighted: tally?.weighted ?? 0, weight: tally?.weight ?? 0, count: counted }), counted, total, counts };
}

/** The measures from `id` up to the top, itself first; a broken tree still ends. */
function selfAndAncestors(id: number, parentOf: ReadonlyMap<number, number | null>): number[] {
  const chain: number[] = [];
  for (let at: number | null | undefined = id; at !== null && at !== undefined && !chain.includes(at); at = parentOf.get(at)) chain.push(at);
  return chain;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ---------------------------------------------------------------------------------------------
// One document

/**
 * Works out a document's figures: every measure with everything below it (the roll-up of the document
 * page: the weighted mean of every commitment under it, dropped ones left out), by party and by work
 * dimension (a commitment counts under the dimensions of its measure and of the measures above it).
 * Two grouped counts and three small reads, whatever the size of the document. Reads nothing the
 * public may not see: the public transparency page uses it too.
 */
export async function readDocumentFigures(db: Executor, network: Network, document: AgreementDocument, day: string): Promise<DocumentDashboard> {
  const scope: DashboardScope = { documentId: document.id, today: day };
  const [measureRows, byMeasure, byResponsible, workDimensions] = await Promise.all([
    documentRepository.listMeasures(db, document.id),
    dashboardRepository.tallyCommitments(db, scope, 'measure_id'),
    dashboardRepository.tallyCommitments(db, scope, 'responsible_organization_id'),
    documentRepository.listWorkDimensions(db),
  ]);
  const tags = await documentRepository.listMeasureDimensions(
    db,
    measureRows.map((row) => row.id),
  );
  const direct = talliesByKey(byMeasure);

  // Each measure's own commitments count in it and in every measure above it.
  const parentOf = new Map(measureRows.map((row) => [row.id, row.parent_id]));
  const below = new Map<number, Tally>(measureRows.map((row) => [row.id, emptyTally()]));
  for (const [measureId, tally] of direct) {
    for (const id of selfAndAncestors(measureId, parentOf)) {
      const total = below.get(id);
      if (total) addTo(total, tally);
    }
  }

  // Reading order: parents before children, siblings as listed (position, number).
  const childrenOf = new Map<number | null, typeof measureRows>();
  for (const row of measureRows) {
    const parent = row.parent_id !== null && parentOf.has(row.parent_id) ? row.parent_id : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), row]);
  }
  const tagsOf = new Map<number, Tag[]>();
  for (const tag of tags) tagsOf.set(tag.measure_id, [...(tagsOf.get(tag.measure_id) ?? []), { id: tag.id, code: tag.code, nameZh: tag.name_zh, nameEn: tag.name_en }]);
  const measures: MeasureFigures[] = [];
  const seen = new Set<number>();
  const visit = (parent: number | null, depth: number): void => {
    for (const row of childrenOf.get(parent) ?? []) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      measures.push({
        id: row.id,
        parentId: row.parent_id,
        number: row.number,
        titleZh: row.title_zh,
        titleEn: row.title_en,
        depth,
        dimensions: tagsOf.get(row.id) ?? [],
        ...figuresOf(below.get(row.id)),
      });
      visit(row.id, depth + 1);
    }
  };
  visit(null, 0);

  // A dimension counts the commitments below every measure it tags, each once.
  const dimensions: DimensionFigures[] = [];
  for (const dimension of workDimensions) {
    const tagged = tags.filter((tag) => tag.id === dimension.id).map((tag) => tag.measure_id);
    if (tagged.length === 0) continue;
    const under = [...direct.entries()].filter(([measureId]) => selfAndAncestors(measureId, parentOf).some((id) => tagged.includes(id)));
    dimensions.push({
      dimension: { id: dimension.id, code: dimension.code, nameZh: dimension.name_zh, nameEn: dimension.name_en },
      ...figuresOf(sumOf(under.map(([, tally]) => tally))),
    });
  }

  // A party counts the commitments of its units; a circular's commitments count under their federation.
  const partyOf = (organizationId: number): number =>
    document.parties.find((party) => network.isWithin(organizationId, [party.id]))?.id ?? network.topOf(organizationId);
  const byParty = new Map<number, Tally>(document.parties.map((party) => [party.id, emptyTally()]));
  for (const [organizationId, tally] of talliesByKey(byResponsible)) {
    const party = partyOf(organizationId);
    const total = byParty.get(party) ?? emptyTally();
    addTo(total, tally);
    byParty.set(party, total);
  }
  const parties = [...byParty.entries()].map(([id, tally]) => ({ organization: network.ref(id), ...figuresOf(tally) }));

  return { day, document, overall: figuresOf(sumOf(direct.values())), measures, parties, dimensions };
}

function dueCommitmentOf(row: Awaited<ReturnType<typeof dashboardRepository.listOpenCommitmentsDue>>[number], network: Network, day: string): DueCommitment {
  const dueOn = row.due_on ?? day;
  return {
    id: row.id,
    whatZh: row.what_zh,
    whatEn: row.what_en,
    responsible: network.ref(row.responsible_organization_id),
    dueOn,
    status: effectiveStatus(row.status, row.due_on, day),
    progress: row.progress,
    daysLeft: daysBetween(day, dueOn),
    document: { id: row.document_id, kind: row.document_kind, titleZh: row.document_title_zh, titleEn: row.document_title_en, signedOn: '' },
    measure: { id: row.measure_id, number: row.measure_number, titleZh: row.measure_title_zh, titleEn: row.measure_title_en },
  };
}

/**
 * The open commitments of a scope that are overdue or fall due by the horizon, split in two. With
 * `perUnit`, at most that many of each responsible organization, and `more` names those that have more.
 */
async function dueLists(db: Executor, network: Network, scope: DashboardScope, perUnit?: number) {
  const horizon = addDays(scope.today, dueSoonDays);
  const limit = perUnit === undefined ? documentDueLimit : dueListLimit;
  // One row more than shown tells whether the list was cut.
  const rows =
    perUnit === undefined
      ? await dashboardRepository.listOpenCommitmentsDue(db, scope, horizon, limit + 1)
      : await dashboardRepository.listOpenCommitmentsDuePerUnit(db, scope, horizon, { perUnit, limit: limit + 1 });
  const shownOf = new Map<number, number>();
  const more = new Set<number>();
  const due: DueCommitment[] = [];
  for (const row of rows.slice(0, limit)) {
    const unit = row.responsible_organization_id;
    const shown = shownOf.get(unit) ?? 0;
    if (perUnit !== undefined && shown >= perUnit) {
      more.add(unit);
      continue;
    }
    shownOf.set(unit, shown + 1);
    due.push(dueCommitmentOf(row, network, scope.today));
  }
  return {
    horizon,
    overdue: due.filter((commitment) => commitment.status === 'overdue'),
    dueSoon: due.filter((commitment) => commitment.status !== 'overdue'),
    cut: rows.length > limit,
    more,
  };
}

/** A document's dashboard for any member of the network: its figures, and what is overdue or falls due soon. */
export async function getDocumentDashboard(db: Executor, actor: Actor, id: number, day = today()): Promise<WorkspaceDocumentDashboard> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  const document = await loadDocument(db, network, id);
  if (!document) throw notFound();
  const owners = [...(document.issuer ? [document.issuer.id] : []), ...document.parties.map((party) => party.id)].map((owner) => network.topOf(owner));
  const [figures, due, sites] = await Promise.all([
    readDocumentFigures(db, network, document, day),
    // A document has few enough commitments to list every one that is due.
    dueLists(db, network, { documentId: id, today: day }),
    document.isPublic ? dashboardRepository.listSitesOf(db, [...new Set(owners)]) : Promise.resolve([]),
  ]);
  const publicSites = sites.map((site) => ({ slug: site.slug, organization: network.ref(site.organization_id) }));
  return { ...figures, overdue: due.overdue, dueSoon: due.dueSoon, horizon: due.horizon, publicSites };
}

// ---------------------------------------------------------------------------------------------
// Across documents

async function readScopeDashboard(db: Executor, network: Network, scope: DashboardScope): Promise<ScopeDashboard> {
  const [byDocument, byResponsible, due] = await Promise.all([
    dashboardRepository.tallyCommitments(db, scope, 'document_id'),
    dashboardRepository.tallyCommitments(db, scope, 'responsible_organization_id'),
    dueLists(db, network, scope, dueListLimit),
  ]);
  const documentTallies = talliesByKey(byDocument);
  const heads = await dashboardRepository.listDocumentHeads(db, [...documentTallies.keys()]);
  const documents = heads.map((row) => ({
    document: { id: row.id, kind: row.kind, titleZh: row.title_zh, titleEn: row.title_en, signedOn: row.signed_on },
    ...figuresOf(documentTallies.get(row.id)),
  }));
  const responsible = [...talliesByKey(byResponsible).entries()]
    .map(([id, tally]) => ({ organization: network.ref(id), ...figuresOf(tally) }))
    .sort((a, b) => b.total - a.total || a.organization.id - b.organization.id);
  return {
    day: scope.today,
    horizon: due.horizon,
    overall: figuresOf(sumOf(documentTallies.values())),
    documents,
    responsible,
    overdue: due.overdue,
    dueSoon: due.dueSoon,
    listsCut: due.cut,
  };
}

/** An organization's dashboard: the commitments it and its units are responsible for, across documents. */
export async function getOrganizationDashboard(db: Executor, actor: Actor, organizationId: number, day = today()): Promise<OrganizationDashboard> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  if (!network.has(organizationId)) throw notFound();
  const figures = await readScopeDashboard(db, network, { organizationId, today: day });
  return { ...figures, organization: network.ref(organizationId) };
}

/**
 * A place's dashboard: the commitments of the organizations located in the place or below it (an
 * organization with no place of its own is where the organization above it is).
 */
export async function getPlaceDashboard(db: Executor, actor: Actor, placeId: number, day = today()): Promise<PlaceDashboard> {
  await assertCanRead(db, actor);
  const place = await placeService.getPlaceDetail(db, actor, placeId);
  const [network, responsibleIds] = await Promise.all([
    loadNetwork(db, actor),
    listPlaceIdsWithin(db, placeId).then((placeIds) => dashboardRepository.listOrganizationsLocatedIn(db, placeIds)),
  ]);
  const figures = await readScopeDashboard(db, network, { responsibleIds, today: day });
  return { ...figures, place };
}

/** The federations (organizations at the top of the network) with the figures of their commitments, for the dashboards' index. */
export async function listFederationFigures(db: Executor, actor: Actor, day = today()): Promise<ResponsibleFigures[]> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  const byTop = new Map<number, Tally>();
  for (const [organizationId, tally] of talliesByKey(await dashboardRepository.tallyCommitments(db, { today: day }, 'responsible_organization_id'))) {
    const top = network.topOf(organizationId);
    const total = byTop.get(top) ?? emptyTally();
    addTo(total, tally);
    byTop.set(top, total);
  }
  return network.organizations
    .filter((organization) => organization.parent_id === null && (organization.kind === 'federation' || byTop.has(organization.id)))
    .map((organization) => ({ organization: network.ref(organization.id), ...figuresOf(byTop.get(organization.id)) }));
}

// ---------------------------------------------------------------------------------------------
// Reminders

/**
 * What the signed-in dashboard reminds the reader of: the open commitments that are overdue or fall
 * due in the next 30 days, grouped by responsible organization — those where the reader holds a role
 * (and the units below them); every organization's, fewer of each, for a platform administrator.
 * Null for a reader who holds no role anywhere.
 */
export async function listReminders(db: Executor, actor: Actor, day = today()): Promise<Reminders | null> {
  const readable = await organizationsWhere(db, actor, 'read');
  const network = readable === 'all';
  // Someone who holds no role is responsible for nothing, and may read nothing of the network.
  if (readable !== 'all' && readable.size === 0) return null;
  const scope: DashboardScope = readable === 'all' ? { today: day } : { responsibleIds: [...readable], today: day };
  const perUnit = network ? remindersPerUnit.network : remindersPerUnit.own;
  const networkView = await loadNetwork(db, actor);
  const due = await dueLists(db, networkView, scope, perUnit);
  const groups = new Map<number, ReminderGroup>();
  for (const commitment of [...due.overdue, ...due.dueSoon]) {
    const id = commitment.responsible.id;
    const group = groups.get(id) ?? { organization: networkView.ref(id), overdue: [], dueSoon: [], more: due.more.has(id) };
    (commitment.status === 'overdue' ? group.overdue : group.dueSoon).push(commitment);
    groups.set(id, group);
  }
  // Organizations with something overdue first; then a federation's units together.
  const ordered = [...groups.values()].sort(
    (a, b) =>
      Number(b.overdue.length > 0) - Number(a.overdue.length > 0) ||
      networkView.topOf(a.organization.id) - networkView.topOf(b.organization.id) ||
      a.organization.id - b.organization.id,
  );
  return { day, horizon: due.horizon, groups: ordered, network };
}
