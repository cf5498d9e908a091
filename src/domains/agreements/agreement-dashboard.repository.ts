import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Locale } from '../../platform/i18n.ts';
import { publishedIn } from '../articles/article.repository.ts';
import { organizationAndUnitsBelow } from '../people/person.repository.ts';
import type { CommitmentStatus } from './agreement.rules.ts';
import { effectiveStatusSql, filteredCommitments, type CommitmentFilter } from './commitment.repository.ts';

/**
 * The commitments a dashboard counts: the commitments' own filter (document, responsible organization
 * and units below, status as shown, due range…), narrowed further to a set of responsible
 * organizations (the units where a reader holds a role, those located in a place).
 */
export interface DashboardScope extends CommitmentFilter {
  /** Responsible: one of these organizations (none: no commitment). */
  responsibleIds?: readonly number[];
}

function scoped(db: Executor, scope: DashboardScope) {
  return filteredCommitments(db, scope).$if(scope.responsibleIds !== undefined, (q) =>
    q.where(sql<boolean>`commitment.responsible_organization_id = any(${[...(scope.responsibleIds ?? [])]}::integer[])`),
  );
}

/** What a dashboard groups commitments by. */
export type TallyKey = 'measure_id' | 'responsible_organization_id' | 'document_id';

/** How many commitments of one group show each status, and their Σ weight × progress and Σ weight. */
export interface TallyRow {
  key: number;
  status: CommitmentStatus;
  count: number;
  weighted: number;
  weight: number;
}

/**
 * Counts a scope's commitments per group and status as shown on the scope's day, with their weighted
 * progress sums: one statement, whatever the number of groups.
 */
export async function tallyCommitments(db: Executor, scope: DashboardScope, key: TallyKey): Promise<TallyRow[]> {
  const rows = await scoped(db, scope)
    .select([
      sql.ref<number>(`commitment.${key}`).as('key'),
      effectiveStatusSql(scope.today).as('status'),
      (eb) => eb.fn.countAll<string>().as('count'),
      sql<number>`sum(commitment.weight * commitment.progress)::float8`.as('weighted'),
      sql<number>`sum(commitment.weight)::float8`.as('weight'),
    ])
    // By position: the status is a parameterized expression, which PostgreSQL would not match again.
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.map((row) => ({ key: row.key, status: row.status, count: Number(row.count), weighted: Number(row.weighted), weight: Number(row.weight) }));
}

/** The open commitments (not started, in progress) of a scope due on or before `until`, with their document and measure. */
function openCommitmentsDue(db: Executor, scope: DashboardScope, until: string) {
  return scoped(db, scope)
    .innerJoin('measure', 'measure.id', 'commitment.measure_id')
    .innerJoin('document', 'document.id', 'commitment.document_id')
    .where('commitment.status', 'in', ['not_started', 'in_progress'])
    .where('commitment.due_on', '<=', until)
    .selectAll('commitment')
    .select([
      'measure.number as measure_number',
      'measure.title_zh as measure_title_zh',
      'measure.title_en as measure_title_en',
      'document.kind as document_kind',
      'document.title_zh as document_title_zh',
      'document.title_en as document_title_en',
    ]);
}

/**
 * Lists the open commitments of a scope that fall due on or before `until` — the overdue ones among
 * them — soonest first, at most `limit`.
 */
export async function listOpenCommitmentsDue(db: Executor, scope: DashboardScope, until: string, limit: number) {
  return openCommitmentsDue(db, scope, until).orderBy('commitment.due_on').orderBy('commitment.id').limit(limit).execute();
}

/**
 * As listOpenCommitmentsDue, but at most `perUnit` + 1 of each responsible organization (one more than
 * shown tells that there are more): each organization's soonest are read from its own index range, so
 * that a network with years of overdue commitments costs a few rows per organization, not a sort of all.
 */
export async function listOpenCommitmentsDuePerUnit(db: Executor, scope: DashboardScope, until: string, limits: { perUnit: number; limit: number }) {
  const units =
    scope.responsibleIds !== undefined
      ? sql<{ id: number }>`(select unnest(${[...scope.responsibleIds]}::integer[]) as id)`
      : scope.organizationId !== undefined
        ? sql<{ id: number }>`(select id from ${organizationAndUnitsBelow(scope.organizationId)} as below(id))`
        : sql<{ id: number }>`(select id from organization)`;
  return db
    .selectFrom(units.as('unit'))
    .innerJoinLateral(
      () =>
        openCommitmentsDue(db, scope, until)
          .where(sql<boolean>`commitment.responsible_organization_id = unit.id`)
          .orderBy('commitment.due_on')
          .orderBy('commitment.id')
          .limit(limits.perUnit + 1)
          .as('due'),
      (join) => join.onTrue(),
    )
    .selectAll('due')
    .orderBy('due.due_on')
    .orderBy('due.id')
    .limit(limits.limit)
    .execute();
}

/** Lists documents by id, as dashboards name them: newest first. */
export async function listDocumentHeads(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('document')
    .select(['id', 'kind', 'title_zh', 'title_en', 'signed_on'])
    .where('id', 'in', ids)
    .orderBy('signed_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/**
 * The organizations located in one of `placeIds`: where an organization records no place of its own
 * (a department), it is where the organization above it is.
 */
export async function listOrganizationsLocatedIn(db: Executor, placeIds: readonly number[]): Promise<number[]> {
  if (placeIds.length === 0) return [];
  const result = await sql<{ id: number }>`
    with recursive located(id, place_id, depth) as (
      select id, place_id, 0 from organization where parent_id is null
      union all
      select organization.id, coalesce(organization.place_id, located.place_id), located.depth + 1
        from organization join located on organization.parent_id = located.id
        where located.depth < 100
    )
    select id from located where place_id = any(${[...placeIds]}::integer[])`.execute(db);
  return result.rows.map((row) => row.id);
}

/** Finds the organization whose portal a site is. */
export async function findSiteOrganizationId(db: Executor, siteId: number): Promise<number | undefined> {
  return (await db.selectFrom('site').select('organization_id').where('id', '=', siteId).executeTakeFirst())?.organization_id;
}

/** The documents listed on the public transparency page whose issuer or a party is the site's organization or a unit below it. */
function publicDocumentsOfSite(db: Executor, siteOrganizationId: number) {
  return db
    .selectFrom('document')
    .where('document.is_public', '=', true)
    .where((eb) =>
      eb.or([
        eb('document.issuer_organization_id', 'in', organizationAndUnitsBelow(siteOrganizationId)),
        eb.exists(
          eb
            .selectFrom('document_party')
            .select(sql`1`.as('one'))
            .whereRef('document_party.document_id', '=', 'document.id')
            .where('document_party.organization_id', 'in', organizationAndUnitsBelow(siteOrganizationId)),
        ),
      ]),
    );
}

/** Finds a document the site's transparency pages show (see publicDocumentsOfSite). */
export async function findPublicDocumentOfSite(db: Executor, documentId: number, siteOrganizationId: number) {
  return publicDocumentsOfSite(db, siteOrganizationId).select('document.id').where('document.id', '=', documentId).executeTakeFirst();
}

/** Lists the documents the site's transparency pages show, newest first. */
export async function listPublicDocumentsOfSite(db: Executor, siteOrganizationId: number, limit: number) {
  return publicDocumentsOfSite(db, siteOrganizationId)
    .select(['document.id', 'document.kind', 'document.title_zh', 'document.title_en', 'document.signed_on'])
    .orderBy('document.signed_on', 'desc')
    .orderBy('document.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Lists the published updates of the portal that progress updates of a document name as evidence,
 * as readers see them in `locale` at `now` (publishedIn), newest first: the only trace of the
 * progress updates a public page shows, since their notes are internal.
 */
export async function listPublishedEvidence(db: Executor, documentId: number, locale: Locale, now: Date, limit: number) {
  return publishedIn(db, locale, now)
    .innerJoin('site', 'site.id', 'article.site_id')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('progress_update')
          .innerJoin('commitment', 'commitment.id', 'progress_update.commitment_id')
          .select(sql`1`.as('one'))
          .whereRef('progress_update.article_id', '=', 'article.id')
          .where('commitment.document_id', '=', documentId),
      ),
    )
    .select(['article.id', 'article.slug', 'article.publish_at', 'site.id as site_id', 'site.slug as site_slug', 'tr.title'])
    .orderBy('article.publish_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(limit)
    .execute();
}

/** Lists the portals (sites) of organizations, for links to a document's public page. */
export async function listSitesOf(db: Executor, organizationIds: readonly number[]) {
  if (organizationIds.length === 0) return [];
  return db.selectFrom('site').select(['id', 'slug', 'organization_id']).where('organization_id', 'in', organizationIds).orderBy('id').execute();
}
