import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { today } from '../people/person.service.ts';
import { loadNetwork } from './agreement.access.ts';
import { progressOf } from './agreement.rules.ts';
import { loadDocument } from './agreement.service.ts';
import * as dashboardRepository from './agreement-dashboard.repository.ts';
import { readDocumentFigures, type DocumentDashboard } from './agreement-dashboard.service.ts';
import * as commitmentRepository from './commitment.repository.ts';
import type { DocumentKind } from './document.table.ts';

/**
 * The public transparency page of a document: what the portal of one of its parties (or of its issuer)
 * shows of it when the document is marked public. Its figures are the workspace dashboard's; progress
 * updates are left out, their notes being internal, except for the published updates of the portal
 * they name as evidence, which readers can see anyway.
 */

/** A published update of the portal that reports on the document. */
export interface PublishedReport {
  id: number;
  title: string;
  slug: string;
  siteId: number;
  siteSlug: string;
  publishAt: Date;
}

/** What the public page of a document shows. */
export interface TransparencyPage extends DocumentDashboard {
  reports: PublishedReport[];
}

/** A document in the list of a site's public documents. */
export interface PublicDocumentItem {
  id: number;
  kind: DocumentKind;
  titleZh: string;
  titleEn: string;
  signedOn: string;
  progress: number | null;
}

/** How many published reports a public page lists, and how many documents the list shows. */
const reportLimit = 50;
const documentLimit = 200;

/**
 * The public reads the network's names and nothing else: an actor with no role anywhere, made anew for
 * each request (the network is kept per actor, and must not outlive the request).
 */
function publicReader(): Actor {
  return { userId: 0, email: '', displayName: '', isPlatformAdmin: false, ip: '', scopes: Promise.resolve(new Map()) };
}

async function siteOrganization(db: Executor, siteId: number): Promise<number> {
  const organizationId = await dashboardRepository.findSiteOrganizationId(db, siteId);
  if (organizationId === undefined) throw notFound();
  return organizationId;
}

/** Refuses, as "not found", a document that is not public or that the site's organization (or a unit below it) neither issued nor signed. */
export async function assertPublicDocumentOfSite(db: Executor, siteId: number, documentId: number): Promise<void> {
  const organizationId = await siteOrganization(db, siteId);
  if (!(await dashboardRepository.findPublicDocumentOfSite(db, documentId, organizationId))) throw notFound('No public document of this site has this number.');
}

/** Lists the documents a site shows publicly (its organization or a unit below it issued or signed them), with their progress. */
export async function listPublicDocuments(db: Executor, siteId: number): Promise<PublicDocumentItem[]> {
  const rows = await dashboardRepository.listPublicDocumentsOfSite(db, await siteOrganization(db, siteId), documentLimit);
  const sums = new Map(
    (
      await commitmentRepository.sumProgressByDocument(
        db,
        rows.map((row) => row.id),
      )
    ).map((row) => [row.document_id, row]),
  );
  return rows.map((row) => {
    const sum = sums.get(row.id);
    return {
      id: row.id,
      kind: row.kind,
      titleZh: row.title_zh,
      titleEn: row.title_en,
      signedOn: row.signed_on,
      progress: sum ? progressOf({ weighted: Number(sum.weighted), weight: Number(sum.weight), count: Number(sum.count) }) : null,
    };
  });
}

/**
 * Reads a document's public page on a site, as readers in `locale` see it at `now`: not found unless
 * the document is marked public and the site's organization (or a unit below it) issued or signed it.
 */
export async function readTransparencyPage(db: Executor, siteId: number, documentId: number, locale: Locale, now: Date, day = today(now)): Promise<TransparencyPage> {
  await assertPublicDocumentOfSite(db, siteId, documentId);
  const network = await loadNetwork(db, publicReader());
  const document = await loadDocument(db, network, documentId);
  if (!document) throw notFound();
  const [figures, reports] = await Promise.all([
    readDocumentFigures(db, network, document, day),
    dashboardRepository.listPublishedEvidence(db, documentId, locale, now, reportLimit),
  ]);
  return {
    ...figures,
    reports: reports.map((row) => ({ id: row.id, title: row.title, slug: row.slug, siteId: row.site_id, siteSlug: row.site_slug, publishAt: row.publish_at })),
  };
}
