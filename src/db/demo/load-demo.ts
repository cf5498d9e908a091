import type { Kysely } from 'kysely';
import type { Database, Executor } from '../database.ts';
import { announceChange } from '../../platform/changes.ts';
import { sanitizeArticleHtml } from '../../platform/sanitize.ts';
import { instantFromWallClock } from '../../platform/time.ts';
import { locales } from '../../platform/i18n.ts';
import { hashPassword } from '../../domains/accounts/password.ts';
import { demoArticles, demoOrganizations, demoSites, seedArticleSlug, type DemoSection } from './demo-content.ts';
import { demoAccounts, demoPeople } from './demo-people.ts';
import { ensureDemoActivities, seedActivity } from './demo-activities.ts';
import { ensureDemoAgreements } from './demo-agreements.ts';
import { ensureDemoFacilities } from './demo-facilities.ts';
import { ensureDemoPlaces } from './demo-places.ts';

/** What a demo load added; records already present are left as they are. */
export interface DemoLoadReport {
  organizations: number;
  sites: number;
  sections: number;
  articles: number;
  people: number;
  accounts: number;
  places: number;
  facilities: number;
  activities: number;
  agreements: number;
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

/** The seed's update reports on the seed's exchange visit: link the two, as drafting it from the activity would. */
async function linkSeedUpdateToItsActivity(tx: Executor): Promise<void> {
  const article = await tx.selectFrom('article').select('id').where('slug', '=', seedArticleSlug).orderBy('id').executeTakeFirst();
  const activity = await tx.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirst();
  if (!article || !activity) return;
  await tx
    .insertInto('activity_article')
    .values({ activity_id: activity.id, article_id: article.id })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Loads the demo world — the Beijing, Tianjin and Hebei federations, their portals and updates —
 * adding whatever is missing, in one transaction, and tells running servers to refresh.
 */
export async function loadDemo(db: Kysely<Database>): Promise<DemoLoadReport> {
  const report: DemoLoadReport = { organizations: 0, sites: 0, sections: 0, articles: 0, people: 0, accounts: 0, places: 0, facilities: 0, activities: 0, agreements: 0 };
  // Hashing is slow on purpose: do it before the transaction, not while holding it open.
  const passwordHashes = await Promise.all(demoAccounts.map((account) => hashPassword(account.password)));
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

    const places = await ensureDemoPlaces(tx, organizationIds);
    report.places = places.added;

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
    for (const person of demoPeople) {
      const organizationId = organizationIds.get(person.organizationSlug);
      if (organizationId === undefined) throw new Error(`demo person ${person.key} names unknown organization`);
      const existing = await tx
        .selectFrom('person')
        .select('id')
        .where('name_en', '=', person.nameEn)
        .where('organization_id', '=', organizationId)
        .executeTakeFirst();
      if (existing) continue;
      const { id } = await tx
        .insertInto('person')
        .values({ name_zh: person.nameZh, name_en: person.nameEn, organization_id: organizationId })
        .returning('id')
        .executeTakeFirstOrThrow();
      report.people += 1;
      for (const post of person.posts) {
        const postOrganizationId = organizationIds.get(post.organizationSlug);
        if (postOrganizationId === undefined) throw new Error(`demo post of ${person.key} names unknown organization`);
        await tx
          .insertInto('position')
          .values({
            person_id: id,
            organization_id: postOrganizationId,
            title_zh: post.titleZh,
            title_en: post.titleEn,
            kind: post.kind,
            starts_on: post.startsOn ?? null,
            ends_on: post.endsOn ?? null,
          })
          .execute();
      }
    }

    report.facilities = await ensureDemoFacilities(tx, organizationIds, places.ids);
    report.activities = await ensureDemoActivities(tx, organizationIds, places.ids);
    await linkSeedUpdateToItsActivity(tx);
    report.agreements = await ensureDemoAgreements(tx, organizationIds);

    for (const [index, account] of demoAccounts.entries()) {
      const inserted = await tx
        .insertInto('user_account')
        .values({
          email: account.email,
          display_name: account.displayName,
          password_hash: passwordHashes[index] ?? '',
          is_platform_admin: account.isPlatformAdmin ?? false,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      report.accounts += 1;
      for (const membership of account.memberships) {
        const organizationId = organizationIds.get(membership.organizationSlug);
        if (organizationId === undefined) throw new Error(`demo account ${account.email} names unknown organization`);
        await tx.insertInto('membership').values({ user_id: inserted.id, organization_id: organizationId, role: membership.role }).execute();
      }
    }
    await announceChange(tx, '*');
  });
  return report;
}
