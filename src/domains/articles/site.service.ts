import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Locale } from '../../platform/i18n.ts';
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
