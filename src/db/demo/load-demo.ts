import type { Kysely } from 'kysely';
import type { Database, Executor } from '../database.ts';
import { announceChange } from '../../platform/changes.ts';
import { sanitizeArticleHtml } from '../../platform/sanitize.ts';
import { instantFromWallClock } from '../../platform/time.ts';
import { locales } from '../../platform/i18n.ts';
import { demoArticles, demoOrganizations, demoSites, type DemoSection } from './demo-content.ts';

/** What a demo load added; records already present are left as they are. */
export interface DemoLoadReport {
  organizations: number;
  sites: number;
  sections: number;
  articles: number;
}

const demoTimeZone = 'Asia/Shanghai';

async function ensureSections(
  tx: Executor,
  siteId: number,
  parentId: number | null,
  sections: DemoSection[],
  parentPath: string,
  ids: Map<string, number>,
  report: DemoLoadReport,
): Promise<void> {
  for (const [position, section] of sections.entries()) {
    const path = parentPath ? `${parentPath}/${section.slug}` : section.slug;
    let id = (
      await tx
        .selectFrom('section')
        .select('id')
        .where('site_id', '=', siteId)
        .where('slug', '=', section.slug)
        .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
        .executeTakeFirst()
    )?.id;
    if (id === undefined) {
      id = (
        await tx
          .insertInto('section')
          .values({ site_id: siteId, parent_id: parentId, slug: section.slug, name_zh: section.nameZh, name_en: section.nameEn, position })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      report.sections += 1;
    }
    ids.set(path, id);
    await ensureSections(tx, siteId, id, section.children ?? [], path, ids, report);
  }
}

/**
 * Loads the demo world — the Beijing, Tianjin and Hebei federations, their portals and updates —
 * adding whatever is missing, in one transaction, and tells running servers to refresh.
 */
export async function loadDemo(db: Kysely<Database>): Promise<DemoLoadReport> {
  const report: DemoLoadReport = { organizations: 0, sites: 0, sections: 0, articles: 0 };
  await db.transaction().execute(async (tx) => {
    const organizationIds = new Map<string, number>();
    for (const organization of demoOrganizations) {
      const parentId = organization.parentSlug ? organizationIds.get(organization.parentSlug) : undefined;
      if (organization.parentSlug && parentId === undefined) {
        throw new Error(`demo organization ${organization.slug} names unknown parent ${organization.parentSlug}`);
      }
      const inserted = await tx
        .insertInto('organization')
        .values({
          slug: organization.slug,
          name_zh: organization.nameZh,
          name_en: organization.nameEn,
          kind: organization.kind,
          parent_id: parentId ?? null,
        })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) report.organizations += 1;
      const { id } = await tx.selectFrom('organization').select('id').where('slug', '=', organization.slug).executeTakeFirstOrThrow();
      organizationIds.set(organization.slug, id);
    }

    const siteIds = new Map<string, number>();
    const sectionIds = new Map<string, number>();
    for (const site of demoSites) {
      const organizationId = organizationIds.get(site.organizationSlug);
      if (organizationId === undefined) throw new Error(`demo site ${site.slug} names unknown organization`);
      const hasDefault = await tx.selectFrom('site').select('id').where('is_default', '=', true).executeTakeFirst();
      const inserted = await tx
        .insertInto('site')
        .values({
          slug: site.slug,
          organization_id: organizationId,
          is_default: site.isDefault && !hasDefault,
          default_locale: 'zh',
          time_zone: demoTimeZone,
        })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) report.sites += 1;
      const { id } = await tx.selectFrom('site').select('id').where('slug', '=', site.slug).executeTakeFirstOrThrow();
      siteIds.set(site.slug, id);
      const ids = new Map<string, number>();
      await ensureSections(tx, id, null, site.sections, '', ids, report);
      for (const [path, sectionId] of ids) sectionIds.set(`${site.slug}:${path}`, sectionId);
    }

    for (const article of demoArticles) {
      const siteId = siteIds.get(article.site);
      const sectionId = sectionIds.get(`${article.site}:${article.section}`);
      if (siteId === undefined || sectionId === undefined) {
        throw new Error(`demo article ${article.slug} names unknown site or section ${article.site}:${article.section}`);
      }
      const inserted = await tx
        .insertInto('article')
        .values({
          site_id: siteId,
          section_id: sectionId,
          slug: article.slug,
          status: 'published',
          publish_at: instantFromWallClock(article.publishedAt, demoTimeZone),
        })
        .onConflict((oc) => oc.columns(['site_id', 'slug']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      report.articles += 1;
      await tx
        .insertInto('article_translation')
        .values(
          locales.map((locale) => ({
            article_id: inserted.id,
            locale,
            title: article[locale].title,
            summary: article[locale].summary,
            body_html: sanitizeArticleHtml(article[locale].bodyHtml),
          })),
        )
        .execute();
    }
    await announceChange(tx, '*');
  });
  return report;
}
