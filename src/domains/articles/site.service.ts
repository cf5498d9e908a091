import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCan, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { announceChange } from '../../platform/changes.ts';
import { conflict, DomainError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import type { SectionRow } from './section.table.ts';
import type { SectionInput, SectionPatch, SiteSettingsInput } from './site.schema.ts';
import * as siteRepository from './site.repository.ts';

/** A section of a site's navigation tree. */
export interface Section {
  id: number;
  siteId: number;
  parentId: number | null;
  slug: string;
  /** Slugs from the top-level section down to this one, joined by "/": "events/updates". */
  path: string;
  name: Record<Locale, string>;
  children: Section[];
}

/** A federation's portal with its section tree. */
export interface Site {
  id: number;
  slug: string;
  host: string | null;
  isDefault: boolean;
  defaultLocale: Locale;
  timeZone: string;
  name: Record<Locale, string>;
  /** Top-level sections in navigation order. */
  sections: Section[];
  sectionsById: Map<number, Section>;
  sectionsByPath: Map<string, Section>;
}

/** The sections from the top of the tree down to `section`. */
export function sectionTrail(site: Site, section: Section): Section[] {
  const trail: Section[] = [];
  for (let at: Section | undefined = section; at; at = at.parentId === null ? undefined : site.sectionsById.get(at.parentId)) {
    trail.unshift(at);
  }
  return trail;
}

/** The ids of `section` and every section below it. */
export function sectionAndDescendantIds(section: Section): number[] {
  return [section.id, ...section.children.flatMap(sectionAndDescendantIds)];
}

/**
 * All sites and their sections, read once and kept until a change is announced.
 * Sites and sections change rarely and are needed on every portal request.
 */
export class SiteDirectory {
  private loading: Promise<Site[]> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Every site, from memory when possible. */
  async all(): Promise<Site[]> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  /** The site a request addresses: by its host name, else the default site. */
  async forHost(host: string | undefined): Promise<Site | undefined> {
    const sites = await this.all();
    const hostname = host?.toLowerCase().replace(/:\d+$/, '');
    return sites.find((site) => hostname !== undefined && site.host === hostname) ?? sites.find((site) => site.isDefault);
  }

  /** The site with this slug. */
  async bySlug(slug: string): Promise<Site | undefined> {
    return (await this.all()).find((site) => site.slug === slug);
  }

  /** Forgets what was read, so that the next request reads again. */
  invalidate(): void {
    this.loading = undefined;
  }

  private async load(): Promise<Site[]> {
    const [siteRows, sectionRows] = await Promise.all([siteRepository.listSites(this.db), siteRepository.listSections(this.db)]);
    return siteRows.map((row) => {
      const sectionsById = new Map<number, Section>();
      for (const sectionRow of sectionRows.filter((s) => s.site_id === row.id)) {
        sectionsById.set(sectionRow.id, {
          id: sectionRow.id,
          siteId: sectionRow.site_id,
          parentId: sectionRow.parent_id,
          slug: sectionRow.slug,
          path: sectionRow.slug,
          name: { zh: sectionRow.name_zh, en: sectionRow.name_en },
          children: [],
        });
      }
      const sections: Section[] = [];
      for (const section of sectionsById.values()) {
        const parent = section.parentId === null ? undefined : sectionsById.get(section.parentId);
        if (parent) parent.children.push(section);
        else sections.push(section);
      }
      const sectionsByPath = new Map<string, Section>();
      const site: Site = {
        id: row.id,
        slug: row.slug,
        host: row.host,
        isDefault: row.is_default,
        defaultLocale: row.default_locale,
        timeZone: row.time_zone,
        name: { zh: row.name_zh, en: row.name_en },
        sections,
        sectionsById,
        sectionsByPath,
      };
      for (const section of sectionsById.values()) {
        section.path = sectionTrail(site, section)
          .map((s) => s.slug)
          .join('/');
        sectionsByPath.set(section.path, section);
      }
      return site;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Managing sites and their section trees in the workspace ('manage_site': administrators of the
// site's organization or above; a refusal reads 404). Every change is audited and announced.

/** A site as its administrators see it in the workspace. */
export interface ManagedSite {
  id: number;
  slug: string;
  organizationId: number;
  host: string | null;
  isDefault: boolean;
  defaultLocale: Locale;
  timeZone: string;
  name: Record<Locale, string>;
}

/** A section of a site's tree as the workspace shows it. */
export interface ManagedSection {
  id: number;
  parentId: number | null;
  slug: string;
  /** Slugs from the top down, joined by "/": the section's address below /<lang>/. */
  path: string;
  name: Record<Locale, string>;
  position: number;
  /** 0 for a top-level section. */
  depth: number;
  children: ManagedSection[];
}

/** A site with its whole section tree, fresh from the database. */
export interface SiteManagement {
  site: ManagedSite;
  /** Top-level sections in navigation order, children nested. */
  sections: ManagedSection[];
  /** Every section, depth first in navigation order. */
  flat: ManagedSection[];
}

/**
 * Top-level slugs that the portal's own addresses use under /<lang>/ (articles, search); a section
 * with one of them could not be reached. Feeds cannot collide: their names contain a dot.
 */
export const reservedSectionSlugs: readonly string[] = ['articles', 'search', 'facilities', 'activities', 'agreements'];

/** The topic announced when a site's sections change: that site's cached pages go. */
export function siteTopic(siteId: number): string {
  return `site:${siteId}`;
}

type SiteRowWithNames = NonNullable<Awaited<ReturnType<typeof siteRepository.findSiteById>>>;

function toManagedSite(row: SiteRowWithNames | Awaited<ReturnType<typeof siteRepository.listSites>>[number]): ManagedSite {
  return {
    id: row.id,
    slug: row.slug,
    organizationId: row.organization_id,
    host: row.host,
    isDefault: row.is_default,
    defaultLocale: row.default_locale,
    timeZone: row.time_zone,
    name: { zh: row.name_zh, en: row.name_en },
  };
}

function buildSectionTree(rows: SectionRow[]): { sections: ManagedSection[]; flat: ManagedSection[]; byId: Map<number, ManagedSection> } {
  const byId = new Map<number, ManagedSection>();
  for (const row of rows) {
    byId.set(row.id, {
      id: row.id,
      parentId: row.parent_id,
      slug: row.slug,
      path: row.slug,
      name: { zh: row.name_zh, en: row.name_en },
      position: row.position,
      depth: 0,
      children: [],
    });
  }
  const sections: ManagedSection[] = [];
  // Rows come siblings-in-order, so children are pushed in their order too.
  for (const section of byId.values()) {
    const parent = section.parentId === null ? undefined : byId.get(section.parentId);
    if (parent) parent.children.push(section);
    else sections.push(section);
  }
  const flat: ManagedSection[] = [];
  const visit = (section: ManagedSection, parent: ManagedSection | undefined) => {
    section.depth = parent ? parent.depth + 1 : 0;
    section.path = parent ? `${parent.path}/${section.slug}` : section.slug;
    flat.push(section);
    for (const child of section.children) visit(child, section);
  };
  for (const section of sections) visit(section, undefined);
  return { sections, flat, byId };
}

/** The ids of a section and of every section below it. */
function subtreeIds(section: ManagedSection): number[] {
  return [section.id, ...section.children.flatMap(subtreeIds)];
}

function sectionSnapshot(siteId: number, row: Pick<SectionRow, 'id' | 'parent_id' | 'slug' | 'name_zh' | 'name_en' | 'position'>) {
  return { id: row.id, siteId, parentId: row.parent_id, slug: row.slug, nameZh: row.name_zh, nameEn: row.name_en, position: row.position };
}

function siteSnapshot(site: ManagedSite) {
  return { id: site.id, slug: site.slug, host: site.host, defaultLocale: site.defaultLocale };
}

/** Tells whether a database error is a unique-constraint violation (a race with another change). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** Reads a site and refuses, as not found, unless the actor may manage it. */
async function managedSite(db: Executor, actor: Actor, siteId: number): Promise<ManagedSite> {
  const row = await siteRepository.findSiteById(db, siteId);
  if (!row) throw notFound();
  await assertCan(db, actor, 'manage_site', [row.organization_id]);
  return toManagedSite(row);
}

/** The sites the actor may manage; someone who may manage none is refused as not found. */
export async function listManageableSites(db: Executor, actor: Actor): Promise<ManagedSite[]> {
  const allowed = await organizationsWhere(db, actor, 'manage_site');
  if (allowed !== 'all' && allowed.size === 0) throw notFound();
  const rows = await siteRepository.listSites(db);
  const sites = rows.filter((row) => allowed === 'all' || allowed.has(row.organization_id)).map(toManagedSite);
  if (sites.length === 0) throw notFound();
  return sites;
}

/** A site and its section tree, for the site's page in the workspace. */
export async function getSiteManagement(db: Executor, actor: Actor, siteId: number): Promise<SiteManagement> {
  const site = await managedSite(db, actor, siteId);
  const { sections, flat } = buildSectionTree(await siteRepository.listSectionsOfSite(db, siteId));
  return { site, sections, flat };
}

/**
 * Changes a site's host name and default language. Every cached page goes: the pages cached for the
 * new host name showed the default site until now.
 */
export async function updateSiteSettings(db: Kysely<Database>, actor: Actor, siteId: number, input: SiteSettingsInput): Promise<ManagedSite> {
  await managedSite(db, actor, siteId);
  try {
    return await db.transaction().execute(async (tx) => {
      if (!(await siteRepository.lockSite(tx, siteId))) throw notFound();
      const before = await managedSite(tx, actor, siteId);
      if (input.host !== null) {
        const holder = await siteRepository.findSiteByHost(tx, input.host);
        if (holder && holder.id !== siteId) throw hostTaken();
      }
      await siteRepository.updateSite(tx, siteId, { host: input.host, default_locale: input.defaultLocale });
      const after = { ...before, host: input.host, defaultLocale: input.defaultLocale };
      await recordAudit(tx, actor, { action: 'update', entityType: 'site', entityId: siteId, before: siteSnapshot(before), after: siteSnapshot(after) });
      await announceChange(tx, '*');
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error) && input.host !== null) throw hostTaken();
    throw error;
  }
}

function hostTaken(): DomainError {
  return new DomainError(409, 'host_taken', 'Another site is served at this host name already.');
}

function slugTaken(): DomainError {
  return new DomainError(409, 'slug_taken', 'A section beside it has this short name already.');
}

/** Refuses a slug that a sibling already has, or that the portal's own addresses use at the top. */
function assertSlugFits(flat: ManagedSection[], slug: string, parentId: number | null, exceptId?: number): void {
  if (parentId === null && reservedSectionSlugs.includes(slug)) {
    throw new DomainError(409, 'slug_reserved', "This short name is part of the portal's own addresses; choose another.");
  }
  if (flat.some((section) => section.parentId === parentId && section.slug === slug && section.id !== exceptId)) throw slugTaken();
}

/** Refuses a parent that is not a section of this site. */
function assertParentOfSite(byId: Map<number, ManagedSection>, parentId: number | null): void {
  if (parentId !== null && !byId.has(parentId)) throw new DomainError(400, 'bad_parent', 'Choose a section of this site as the parent.');
}

async function withSectionTree<T>(
  db: Kysely<Database>,
  actor: Actor,
  siteId: number,
  change: (tx: Executor, tree: ReturnType<typeof buildSectionTree>) => Promise<T>,
): Promise<T> {
  await managedSite(db, actor, siteId);
  return db.transaction().execute(async (tx) => {
    // One change to a site's tree at a time: two concurrent moves could otherwise make a cycle.
    if (!(await siteRepository.lockSite(tx, siteId))) throw notFound();
    const tree = buildSectionTree(await siteRepository.listSectionsOfSite(tx, siteId));
    const result = await change(tx, tree);
    await announceChange(tx, siteTopic(siteId));
    return result;
  });
}

/** Adds a section at the end of its parent's children (or of the top level). */
export async function createSection(db: Kysely<Database>, actor: Actor, siteId: number, input: SectionInput): Promise<number> {
  try {
    return await withSectionTree(db, actor, siteId, async (tx, { flat, byId }) => {
      assertParentOfSite(byId, input.parentId);
      assertSlugFits(flat, input.slug, input.parentId);
      const siblings = flat.filter((section) => section.parentId === input.parentId);
      const position = Math.max(-1, ...siblings.map((section) => section.position)) + 1;
      const row = { site_id: siteId, parent_id: input.parentId, slug: input.slug, name_zh: input.nameZh, name_en: input.nameEn, position };
      const id = await siteRepository.insertSection(tx, row);
      await recordAudit(tx, actor, { action: 'create', entityType: 'section', entityId: id, after: sectionSnapshot(siteId, { id, ...row }) });
      return id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

/** Reads one section of a site the actor may manage. */
export async function getManagedSection(db: Executor, actor: Actor, siteId: number, sectionId: number) {
  const management = await getSiteManagement(db, actor, siteId);
  const section = management.flat.find((candidate) => candidate.id === sectionId);
  if (!section) throw notFound();
  return { ...management, section };
}

/** Renames a section in both languages and, when the parent changes, moves it to the end of its new siblings. */
export async function updateSection(db: Kysely<Database>, actor: Actor, siteId: number, sectionId: number, patch: SectionPatch): Promise<void> {
  try {
    await withSectionTree(db, actor, siteId, async (tx, { flat, byId }) => {
      const section = byId.get(sectionId);
      if (!section) throw notFound();
      let position = section.position;
      if (patch.parentId !== section.parentId) {
        assertParentOfSite(byId, patch.parentId);
        if (patch.parentId !== null && subtreeIds(section).includes(patch.parentId)) {
          throw new DomainError(400, 'cycle', 'A section cannot be placed under itself or one of its own subsections.');
        }
        assertSlugFits(flat, section.slug, patch.parentId, section.id);
        const siblings = flat.filter((candidate) => candidate.parentId === patch.parentId);
        position = Math.max(-1, ...siblings.map((candidate) => candidate.position)) + 1;
      }
      const before = { id: section.id, parent_id: section.parentId, slug: section.slug, name_zh: section.name.zh, name_en: section.name.en, position: section.position };
      const after = { ...before, parent_id: patch.parentId, name_zh: patch.nameZh, name_en: patch.nameEn, position };
      if (after.parent_id === before.parent_id && after.name_zh === before.name_zh && after.name_en === before.name_en) return;
      await siteRepository.updateSection(tx, sectionId, { name_zh: after.name_zh, name_en: after.name_en, parent_id: after.parent_id, position });
      await recordAudit(tx, actor, {
        action: 'update',
        entityType: 'section',
        entityId: sectionId,
        before: sectionSnapshot(siteId, before),
        after: sectionSnapshot(siteId, after),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

/** Moves a section one place up or down among its siblings; at either end nothing changes. */
export async function moveSection(db: Kysely<Database>, actor: Actor, siteId: number, sectionId: number, direction: 'up' | 'down'): Promise<void> {
  await withSectionTree(db, actor, siteId, async (tx, { flat, byId }) => {
    const section = byId.get(sectionId);
    if (!section) throw notFound();
    const siblings = flat.filter((candidate) => candidate.parentId === section.parentId);
    const from = siblings.indexOf(section);
    const to = direction === 'up' ? from - 1 : from + 1;
    const other = siblings[to];
    if (!other) return;
    siblings[to] = section;
    siblings[from] = other;
    // Positions become 0, 1, 2… in the new order; only those that change are written and audited.
    for (const [position, sibling] of siblings.entries()) {
      if (sibling.position === position) continue;
      await siteRepository.updateSection(tx, sibling.id, { position });
      await recordAudit(tx, actor, {
        action: 'update',
        entityType: 'section',
        entityId: sibling.id,
        before: { position: sibling.position },
        after: { position },
      });
    }
  });
}

/** Deletes a section and the sections below it, refused while any of them has articles (in any status). */
export async function deleteSection(db: Kysely<Database>, actor: Actor, siteId: number, sectionId: number): Promise<void> {
  await withSectionTree(db, actor, siteId, async (tx, { byId }) => {
    const section = byId.get(sectionId);
    if (!section) throw notFound();
    const ids = subtreeIds(section);
    if ((await siteRepository.countArticlesInSections(tx, ids)) > 0) {
      throw conflict('This section, or one below it, still has articles; move or delete them first.');
    }
    await siteRepository.deleteSection(tx, sectionId);
    await recordAudit(tx, actor, {
      action: 'delete',
      entityType: 'section',
      entityId: sectionId,
      before: {
        ...sectionSnapshot(siteId, { id: section.id, parent_id: section.parentId, slug: section.slug, name_zh: section.name.zh, name_en: section.name.en, position: section.position }),
        subsections: ids.slice(1).map((id) => byId.get(id)?.path),
      },
    });
  });
}
