/**
 * Activities and the updates that report on them: a draft update written from an activity's record
 * (through the newsroom's own createArticle, so that its revisions, workflow and audit stay the
 * newsroom's), and the links between the two, read from either side.
 */
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { locales, type Locale } from '../../platform/i18n.ts';
import type { ArticleStatus } from '../articles/article.table.ts';
import { articleInput, type ArticleInput } from '../articles/newsroom.schema.ts';
import * as newsroomService from '../articles/newsroom.service.ts';
import * as newsroomRepository from '../articles/newsroom.repository.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import { composeArticleFromActivity } from './activity-article.compose.ts';
import { ActivityRuleError } from './activity.rules.ts';
import * as activityArticleRepository from './activity-article.repository.ts';
import { readPublicActivity } from './activity-calendar.service.ts';
import * as activityService from './activity.service.ts';
import type { ActivityListItem } from './activity.service.ts';

/** A portal site an update about an activity can be drafted for. */
export interface DraftSite {
  id: number;
  slug: string;
  name: Record<Locale, string>;
}

/** An update reporting on an activity, as the activity's page lists it. */
export interface ReportingArticle {
  articleId: number;
  siteId: number;
  siteSlug: string;
  status: ArticleStatus;
  publishAt: Date;
  /** The site's zone, in which the publish time is shown. */
  timeZone: string;
  /** '' where that language version is missing. */
  titleZh: string;
  titleEn: string;
  /** Whether the reader works on the site's updates, and so may open the update in the newsroom. */
  inNewsroom: boolean;
  /** The portal address of each language version readers can see now (published, time come, reviewed). */
  portal: Partial<Record<Locale, string>>;
}

/** What an activity's page shows of its news: the updates reporting on it, and the sites the reader may draft one for. */
export interface ActivityArticles {
  articles: ReportingArticle[];
  draftSites: DraftSite[];
}

/** An activity an update reports on, as the update's pages name it. */
export interface ReportedActivity {
  id: number;
  titleZh: string;
  titleEn: string;
}

/** The portal address of an update's language version; any site answers under /sites/<slug>. */
export function portalPath(siteSlug: string, locale: Locale, slug: string): string {
  return `/sites/${siteSlug}/${locale}/articles/${slug}`;
}

/**
 * The sites an update about this activity can be drafted for: the site of each organizer (the nearest
 * organization with a site, up from the organizer), in the organizers' order, where the actor has
 * write_articles on the site's organization.
 */
async function draftSitesOf(db: Executor, actor: Actor, activity: ActivityListItem): Promise<DraftSite[]> {
  const [writable, sites, tree] = await Promise.all([
    organizationsWhere(db, actor, 'write_articles'),
    newsroomRepository.listNewsroomSites(db),
    organizationRepository.listOrganizationTree(db),
  ]);
  if (writable !== 'all' && writable.size === 0) return [];
  const parents = new Map(tree.map((row) => [row.id, row.parent_id]));
  const siteOf = new Map(sites.map((site) => [site.organization_id, site]));
  const chosen: DraftSite[] = [];
  for (const organizer of activity.organizers) {
    let at: number | null | undefined = organizer.id;
    for (let depth = 0; at !== null && at !== undefined && !siteOf.has(at) && depth < 100; depth += 1) at = parents.get(at);
    const site = at === null || at === undefined ? undefined : siteOf.get(at);
    if (!site || chosen.some((entry) => entry.id === site.id)) continue;
    if (writable === 'all' || writable.has(site.organization_id)) chosen.push({ id: site.id, slug: site.slug, name: { zh: site.name_zh, en: site.name_en } });
  }
  return chosen;
}

/**
 * The updates reporting on an activity the actor may read (else "not found"), and the sites she may
 * draft one for. Staff of a site see its updates in every step; others see only what readers of the
 * portal see (a draft of another federation is left out).
 */
export async function listActivityArticles(db: Executor, actor: Actor, activityId: number): Promise<ActivityArticles> {
  const activity = await activityService.getActivity(db, actor, activityId);
  const [rows, readable, draftSites] = await Promise.all([
    activityArticleRepository.listArticlesOfActivity(db, activityId),
    organizationsWhere(db, actor, 'read'),
    draftSitesOf(db, actor, activity),
  ]);
  const now = new Date();
  const articles = rows.flatMap((row): ReportingArticle[] => {
    const inNewsroom = readable === 'all' || readable.has(row.organization_id);
    const published = row.status === 'published' && row.publish_at <= now;
    const portal: Partial<Record<Locale, string>> = {};
    for (const locale of locales) {
      const status = locale === 'zh' ? row.status_zh : row.status_en;
      if (published && status === 'reviewed') portal[locale] = portalPath(row.site_slug, locale, row.slug);
    }
    const visible = inNewsroom || Object.keys(portal).length > 0;
    if (!visible) return [];
    const shown = (locale: Locale, title: string | null) => (inNewsroom || portal[locale] !== undefined ? (title ?? '') : '');
    return [
      {
        articleId: row.id,
        siteId: row.site_id,
        siteSlug: row.site_slug,
        status: row.status,
        publishAt: row.publish_at,
        timeZone: row.time_zone,
        titleZh: shown('zh', row.title_zh),
        titleEn: shown('en', row.title_en),
        inNewsroom,
        portal,
      },
    ];
  });
  return { articles, draftSites };
}

/**
 * Drafts an update from an activity's record and links the two; returns the update's id. The actor
 * must be able to read the activity and write updates for the chosen site, which is the site of one
 * of its organizers (by default the first she writes for); anything else reads "not found", and a site
 * not offered is refused with 400. The texts come from composeArticleFromActivity(); the update starts
 * as a draft in both languages, in the site's Updates section, to be published now once reviewed.
 * The newsroom records its creation; the activity's audit log records the link.
 */
export async function draftArticleFromActivity(db: Kysely<Database>, actor: Actor, activityId: number, siteId?: number): Promise<number> {
  const activity = await activityService.getActivityDetail(db, actor, activityId);
  const sites = await draftSitesOf(db, actor, activity);
  if (sites.length === 0) throw notFound();
  const site = siteId === undefined ? sites[0] : sites.find((candidate) => candidate.id === siteId);
  if (!site) {
    throw new ActivityRuleError(400, 'bad_site', { zh: '请选择您可为其撰稿的主办单位网站。', en: "Choose the site of one of the activity's organizers that you write updates for." }, 'siteId');
  }
  const [provinceCodes, sectionId] = await Promise.all([
    activityArticleRepository.listProvinceCodes(db, activity.organizers.map((organizer) => organizer.id)),
    activityArticleRepository.findDraftSectionId(db, site.id),
  ]);
  if (sectionId === undefined) {
    throw new ActivityRuleError(409, 'no_section', { zh: '该网站还没有可放稿件的栏目。', en: 'The site has no section to put an update in yet.' }, '_form');
  }
  const composed = composeArticleFromActivity(activity, { provinceCodes });
  // To the minute, as the newsroom's own form gives it: an update published once reviewed shows as of then.
  const publishAt = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const parsed = articleInput.safeParse({ ...composed, siteId: site.id, sectionId, publishAt, tags: [], statusZh: 'draft', statusEn: 'draft' } satisfies ArticleInput);
  if (!parsed.success) {
    const text = { zh: '活动记录过长，无法写成一篇稿件；请先精简其内容。', en: "The activity's record is too long for one update; shorten its texts first." };
    throw new ActivityRuleError(422, 'record_too_long', text, '_form');
  }
  const article = await newsroomService.createArticle(db, actor, parsed.data);
  await db.transaction().execute(async (tx) => {
    // Deleted in the meantime: the draft stays in the newsroom, unlinked.
    if (!(await activityArticleRepository.lockActivityForLink(tx, activityId))) throw notFound();
    await activityArticleRepository.insertActivityArticle(tx, activityId, article.id);
    await recordAudit(tx, actor, { action: 'draft_article', entityType: 'activity', entityId: activityId, after: { articleId: article.id, siteId: site.id } });
  });
  return article.id;
}

/** The activities an update reports on that `read` finds; those it answers "not found" for are left out. */
async function activitiesOfArticle(db: Executor, articleId: number, read: (id: number) => Promise<ActivityListItem>): Promise<ReportedActivity[]> {
  const ids = await activityArticleRepository.listActivityIdsOfArticle(db, articleId);
  const activities = await Promise.all(
    ids.map((id) =>
      read(id).catch((error: unknown) => {
        if (error instanceof DomainError && error.status === 404) return undefined;
        throw error;
      }),
    ),
  );
  return activities.flatMap((activity) => (activity ? [{ id: activity.id, titleZh: activity.titleZh, titleEn: activity.titleEn }] : []));
}

/**
 * The activities an update reports on that the actor may read (an internal one only for staff of its
 * organizers). The update itself must be one she may read: staff of its site, or published.
 */
export async function listReportedActivities(db: Executor, actor: Actor, articleId: number): Promise<ReportedActivity[]> {
  await newsroomService.getArticleForApi(db, actor, articleId);
  return activitiesOfArticle(db, articleId, (id) => activityService.getActivity(db, actor, id));
}


/** A published update of the portal that reports on an activity, as the activity's public page links it. */
export interface PublicReport {
  slug: string;
  title: string;
  publishAt: Date;
  timeZone: string;
}

/**
 * The updates of a site reporting on an activity that its readers can see in a language (published, time
 * come, that version reviewed), oldest link first, for the activity's public page.
 */
export async function listPublicReportsOfActivity(db: Executor, siteId: number, activityId: number, locale: Locale): Promise<PublicReport[]> {
  const rows = await activityArticleRepository.listArticlesOfActivity(db, activityId);
  const now = new Date();
  return rows.flatMap((row) => {
    const [title, status] = locale === 'zh' ? [row.title_zh, row.status_zh] : [row.title_en, row.status_en];
    const readable = row.site_id === siteId && row.status === 'published' && row.publish_at <= now && status === 'reviewed' && title !== null;
    return readable ? [{ slug: row.slug, title, publishAt: row.publish_at, timeZone: row.time_zone }] : [];
  });
}

/**
 * The activities a published update reports on that have a public page on its site (public, and
 * organized by the site's organization or a unit below it), for the portal's article page.
 */
export async function listPublicActivitiesOfArticle(db: Executor, siteId: number, articleId: number): Promise<ReportedActivity[]> {
  return activitiesOfArticle(db, articleId, (id) => readPublicActivity(db, siteId, id));
}
