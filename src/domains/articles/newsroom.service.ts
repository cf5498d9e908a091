import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCan, can, organizationsWhere, type Actor, type Capability } from '../../platform/access.ts';
import { recordAudit, recordAudits } from '../../platform/audit.ts';
import { announceChange } from '../../platform/changes.ts';
import { badRequest, conflict, DomainError, notFound } from '../../platform/errors.ts';
import { locales, type Locale } from '../../platform/i18n.ts';
import { totalOf } from '../../platform/paging.ts';
import { formatDate, instantFromWallClock } from '../../platform/time.ts';
import * as mediaService from '../media/media.service.ts';
import * as articleRepository from './article.repository.ts';
import type { ArticleStatus } from './article.table.ts';
import { renderArticleMarkdown } from './article-markdown.ts';
import * as newsroomRepository from './newsroom.repository.ts';
import type { NewsroomArticleRow, NewsroomFilter } from './newsroom.repository.ts';
import {
  publishAtHasZone,
  versionFields,
  versionIssues,
  type ArticleInput,
  type ArticlePatch,
  type ArticleQuery,
  type TransitionInput,
  type WorkflowAction,
  workflowActions,
} from './newsroom.schema.ts';
import type { ArticleStep, RevisionSnapshot, RevisionTranslation } from './newsroom.table.ts';
import * as siteRepository from './site.repository.ts';

/** One language version of an update, as the newsroom holds it. */
export interface ArticleVersion {
  locale: Locale;
  status: 'draft' | 'reviewed';
  title: string;
  summary: string;
  /** Sanitized. */
  bodyHtml: string;
  /** What the editors wrote; null for a body that came as HTML. */
  bodyMarkdown: string | null;
}

/** An update in the newsroom: its place, its step in the workflow, and its language versions. */
export interface NewsroomArticle {
  id: number;
  siteId: number;
  siteSlug: string;
  organizationId: number;
  sectionId: number;
  slug: string;
  status: ArticleStatus;
  publishAt: Date;
  tags: string[];
  /** The cover image: one of the site's media, or null. */
  coverMediaId: number | null;
  createdAt: Date;
  updatedAt: Date;
  viewCount: number;
  /** The site's zone, in which publish times are typed and shown. */
  timeZone: string;
  allowSelfPublish: boolean;
  versions: Partial<Record<Locale, ArticleVersion>>;
}

/** A step of an update's workflow: who took it, when, and what they said. */
export interface ArticleEvent {
  step: ArticleStep;
  actorUserId: number | null;
  /** Null for the scheduler, or an account since deleted. */
  actorName: string | null;
  at: Date;
  comment: string;
}

/** An update with its history and what the reader may do with it now. */
export interface NewsroomArticleDetail extends NewsroomArticle {
  events: ArticleEvent[];
  /** The author of the newest revision: who may not approve it (unless the site allows self-publishing). */
  lastEditorId: number | null;
  /** The workflow actions the reader may take now. */
  actions: WorkflowAction[];
  /** Whether the reader may change the content. */
  editable: boolean;
}

/** A revision of an update as its history lists it. */
export interface ArticleRevision {
  number: number;
  authorUserId: number | null;
  authorName: string | null;
  createdAt: Date;
  snapshot: RevisionSnapshot;
}

/** A site an editor may write for, with its sections in navigation order. */
export interface NewsroomSite {
  id: number;
  slug: string;
  organizationId: number;
  timeZone: string;
  allowSelfPublish: boolean;
  name: Record<Locale, string>;
  /** Every section, depth first; names from the top down. */
  sections: { id: number; path: Record<Locale, string[]> }[];
}

/** The steps an action leads to, and what is recorded. */
const targets: Record<Exclude<WorkflowAction, 'publish'>, { status: ArticleStatus; step: ArticleStep }> = {
  submit: { status: 'submitted', step: 'submitted' },
  approve: { status: 'approved', step: 'approved' },
  send_back: { status: 'draft', step: 'sent_back' },
  unpublish: { status: 'unpublished', step: 'unpublished' },
  archive: { status: 'archived', step: 'archived' },
  reopen: { status: 'draft', step: 'reopened' },
};

interface ActionRule {
  from: readonly ArticleStatus[];
  /** The 409 message when the update is elsewhere in its workflow. */
  wrongStep: string;
  /** Capabilities of which the actor needs one on the site's organization even to be told more than "not found". */
  needsOneOf: readonly Capability[];
}

const rules: Record<WorkflowAction, ActionRule> = {
  submit: { from: ['draft', 'unpublished'], wrongStep: 'Only a draft or an unpublished update can be submitted for review.', needsOneOf: ['write_articles'] },
  approve: { from: ['submitted'], wrongStep: 'Only a submitted update can be approved.', needsOneOf: ['review_articles'] },
  send_back: { from: ['submitted', 'approved'], wrongStep: 'Only a submitted or approved update can be sent back.', needsOneOf: ['review_articles'] },
  // A site that lets editors publish their own work also takes drafts and submitted updates (see workflowRefusal).
  publish: {
    from: ['approved'],
    wrongStep: 'Only an approved update can be published.',
    needsOneOf: ['publish_articles', 'write_articles'],
  },
  unpublish: { from: ['published', 'scheduled'], wrongStep: 'Only a published or scheduled update can be unpublished.', needsOneOf: ['publish_articles'] },
  archive: {
    from: ['draft', 'unpublished', 'published'],
    wrongStep: 'Only a draft, a published or an unpublished update can be archived.',
    needsOneOf: ['publish_articles'],
  },
  reopen: { from: ['archived'], wrongStep: 'Only an archived update can be reopened.', needsOneOf: ['write_articles'] },
};

/** What decides whether an actor may take a step now. */
interface WorkflowContext {
  status: ArticleStatus;
  allowSelfPublish: boolean;
  lastEditorId: number | null;
  hasReviewedVersion: boolean;
  capabilities: ReadonlySet<Capability>;
  actorId: number;
  comment: string;
}

function refused(code: string, message: string): DomainError {
  return new DomainError(403, code, message);
}

/**
 * Why the actor may not take `action` now, or undefined when she may. Without any capability the
 * action needs the update reads "not found"; a step from the wrong place is a 409; a rule about
 * people (a second person must approve, a reviewer's approval comes before publishing) is a 403.
 * Publishing an approved update takes 'write_articles' (or 'publish_articles'); publishing a draft
 * or a submitted update takes a site that allows self-publishing and the update's last editor.
 */
function workflowRefusal(action: WorkflowAction, ctx: WorkflowContext): DomainError | undefined {
  const rule = rules[action];
  if (!rule.needsOneOf.some((capability) => ctx.capabilities.has(capability))) return notFound();
  const ownWork = ctx.lastEditorId !== null && ctx.lastEditorId === ctx.actorId;
  const from: readonly ArticleStatus[] = action === 'publish' && ctx.allowSelfPublish ? ['draft', 'submitted', 'approved'] : rule.from;
  if (!from.includes(ctx.status)) return conflict(rule.wrongStep);
  switch (action) {
    case 'approve':
      if (ownWork && !ctx.allowSelfPublish) {
        return refused('own_update', 'You made the last change to this update: another reviewer must approve it.');
      }
      return undefined;
    case 'send_back':
      if (ctx.comment === '') return badRequest('Say what needs to change: sending an update back needs a comment.', 'comment_required');
      return undefined;
    case 'publish': {
      // A reviewer's approval is the second pair of eyes: once an update is approved, anyone who
      // writes for the site (its editor included) or publishes for it may publish or schedule it.
      const approved = ctx.status === 'approved' && (ctx.capabilities.has('write_articles') || ctx.capabilities.has('publish_articles'));
      const asOwnEditor = ctx.allowSelfPublish && ownWork && ctx.capabilities.has('write_articles');
      if (!approved && !asOwnEditor) {
        return refused('approval_needed', 'Without a review, only the person who made the last change may publish an update.');
      }
      if (!ctx.hasReviewedVersion) return conflict('An update needs at least one reviewed language version before it is published.');
      return undefined;
    }
    default:
      return undefined;
  }
}

async function capabilitiesOn(db: Executor, actor: Actor, organizationId: number): Promise<Set<Capability>> {
  const candidates: Capability[] = ['read', 'write_articles', 'review_articles', 'publish_articles'];
  const held = await Promise.all(candidates.map((capability) => can(db, actor, capability, [organizationId])));
  return new Set(candidates.filter((_, index) => held[index]));
}

function toVersion(row: Awaited<ReturnType<typeof newsroomRepository.listTranslations>>[number]): ArticleVersion {
  return {
    locale: row.locale,
    status: row.status,
    title: row.title,
    summary: row.summary,
    bodyHtml: row.body_html,
    bodyMarkdown: row.body_markdown,
  };
}

function toArticle(row: NewsroomArticleRow, versions: ArticleVersion[]): NewsroomArticle {
  return {
    id: row.id,
    siteId: row.site_id,
    siteSlug: row.site_slug,
    organizationId: row.organization_id,
    sectionId: row.section_id,
    slug: row.slug,
    status: row.status,
    publishAt: row.publish_at,
    tags: row.tags,
    coverMediaId: row.cover_media_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    viewCount: Number(row.view_count),
    timeZone: row.time_zone,
    allowSelfPublish: row.allow_self_publish,
    versions: Object.fromEntries(versions.map((version) => [version.locale, version])),
  };
}

async function loadVersions(db: Executor, articleId: number): Promise<ArticleVersion[]> {
  return (await newsroomRepository.listTranslations(db, [articleId])).map(toVersion);
}

/** What a revision keeps of an update. */
function snapshotOf(article: Pick<NewsroomArticle, 'slug' | 'sectionId' | 'tags' | 'publishAt' | 'coverMediaId' | 'versions'>): RevisionSnapshot {
  const translations: Partial<Record<Locale, RevisionTranslation>> = {};
  for (const locale of locales) {
    const version = article.versions[locale];
    if (version) {
      translations[locale] = {
        status: version.status,
        title: version.title,
        summary: version.summary,
        bodyMarkdown: version.bodyMarkdown ?? version.bodyHtml,
      };
    }
  }
  return {
    slug: article.slug,
    sectionId: article.sectionId,
    tags: article.tags,
    publishAt: article.publishAt.toISOString(),
    coverMediaId: article.coverMediaId,
    translations,
  };
}

function sameSnapshot(a: RevisionSnapshot, b: RevisionSnapshot): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The UTC instant of a publish time: one with a zone as given, a wall-clock one in the site's zone. */
export function resolvePublishAt(value: string, timeZone: string): Date {
  if (publishAtHasZone(value)) return new Date(value);
  const normalized = value.replace('T', ' ').replace(/\.\d+$/, '');
  return instantFromWallClock(normalized.length === 16 ? `${normalized}:00` : normalized, timeZone);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function slugTaken(): DomainError {
  return new DomainError(409, 'slug_taken', 'Another update of this site has this address already.');
}

function badCover(): DomainError {
  return new DomainError(400, 'bad_cover', "Choose an image of this site's media library.");
}

/** Checks that a cover image is one of the site's media the actor may use; null (no cover) always passes. */
async function checkCover(db: Executor, actor: Actor, siteId: number, coverMediaId: number | null): Promise<void> {
  if (coverMediaId === null) return;
  let media: mediaService.Media;
  try {
    media = await mediaService.getMedia(db, actor, coverMediaId);
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) throw badCover();
    throw error;
  }
  if (media.siteId !== siteId) throw badCover();
}

function badSection(): DomainError {
  return new DomainError(400, 'bad_section', 'Choose a section of this site.');
}

/** "2024-03-25-beijing-tianjin-exchange": the day in the site's zone and the English title's words. */
async function freeSlug(db: Executor, siteId: number, publishAt: Date, timeZone: string, englishTitle: string | undefined): Promise<string> {
  const words = (englishTitle ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const base = `${formatDate(publishAt, timeZone)}-${words || randomBytes(3).toString('hex')}`;
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    if (!(await newsroomRepository.isSlugTaken(db, siteId, candidate))) return candidate;
  }
}

/** The versions an input describes: a language whose title is empty is missing. */
function versionsOf(values: ArticlePatch, current: Partial<Record<Locale, RevisionTranslation>>): Partial<Record<Locale, RevisionTranslation>> {
  const result: Partial<Record<Locale, RevisionTranslation>> = {};
  for (const locale of locales) {
    const fields = versionFields(locale);
    const before = current[locale];
    const title = values[fields.title] ?? before?.title ?? '';
    if (title === '') continue;
    result[locale] = {
      title,
      summary: values[fields.summary] ?? before?.summary ?? '',
      bodyMarkdown: values[fields.body] ?? before?.bodyMarkdown ?? '',
      status: values[fields.status] ?? before?.status ?? 'draft',
    };
  }
  return result;
}

/** Writes the versions of `after`, rendering the Markdown again only where it changed; drops those no longer there. */
async function writeVersions(
  db: Executor,
  articleId: number,
  before: Partial<Record<Locale, ArticleVersion>>,
  after: Partial<Record<Locale, RevisionTranslation>>,
): Promise<void> {
  for (const locale of locales) {
    const next = after[locale];
    const previous = before[locale];
    if (!next) {
      if (previous) await newsroomRepository.deleteTranslation(db, articleId, locale);
      continue;
    }
    const sameBody = previous !== undefined && (previous.bodyMarkdown ?? previous.bodyHtml) === next.bodyMarkdown;
    await newsroomRepository.upsertTranslation(db, {
      article_id: articleId,
      locale,
      title: next.title,
      summary: next.summary,
      status: next.status,
      body_markdown: sameBody ? previous.bodyMarkdown : next.bodyMarkdown,
      body_html: sameBody ? previous.bodyHtml : renderArticleMarkdown(next.bodyMarkdown),
    });
  }
}

async function readableArticle(db: Executor, actor: Actor, id: number): Promise<NewsroomArticleRow> {
  const row = await newsroomRepository.findNewsroomArticle(db, id);
  if (!row) throw notFound();
  await assertCan(db, actor, 'read', [row.organization_id]);
  return row;
}

function siteTopic(siteId: number): string {
  return `site:${siteId}`;
}

/** The ids of the sites whose updates the actor sees in every step: those of organizations she works for. */
async function staffSiteIds(db: Executor, actor: Actor): Promise<number[] | 'all'> {
  const readable = await organizationsWhere(db, actor, 'read');
  if (readable === 'all') return 'all';
  const sites = await newsroomRepository.listNewsroomSites(db);
  return sites.filter((site) => readable.has(site.organization_id)).map((site) => site.id);
}

function filterOf(query: ArticleQuery, staff: readonly number[] | 'all', includePublished: boolean, now: Date): NewsroomFilter {
  return {
    staffSiteIds: staff,
    includePublished,
    now,
    siteId: query.siteId,
    sectionId: query.sectionId,
    status: query.status,
    language: query.language,
    languageStatus: query.languageStatus,
    q: query.q || undefined,
  };
}

async function pageOf(db: Executor, filter: NewsroomFilter, query: ArticleQuery, order: 'updated' | 'published') {
  const rows = await newsroomRepository.listNewsroomArticles(db, filter, { limit: query.limit, offset: query.offset, order });
  const total = await totalOf(query, rows.length, () => newsroomRepository.countNewsroomArticles(db, filter));
  const versions = await newsroomRepository.listTranslations(
    db,
    rows.map((row) => row.id),
  );
  const items = rows.map((row) => toArticle(row, versions.filter((version) => version.article_id === row.id).map(toVersion)));
  return { items, total, limit: query.limit, offset: query.offset };
}

/** A page of the newsroom's list: updates of the sites the actor works on, in every step. */
export async function listNewsroomArticles(db: Executor, actor: Actor, query: ArticleQuery) {
  const staff = await staffSiteIds(db, actor);
  if (staff !== 'all' && staff.length === 0) throw notFound();
  return pageOf(db, filterOf(query, staff, false, new Date()), query, 'updated');
}

/** Keeps only what readers may see of an update: its reviewed language versions, without their Markdown. */
function forReaders(article: NewsroomArticle): NewsroomArticle {
  const versions: Partial<Record<Locale, ArticleVersion>> = {};
  for (const locale of locales) {
    const version = article.versions[locale];
    if (version?.status === 'reviewed') versions[locale] = { ...version, bodyMarkdown: null };
  }
  return { ...article, versions };
}

/**
 * A page of updates for the API: anyone sees published updates in their reviewed languages; staff
 * also see every step of their own sites' updates. Readers get them by publish time, staff by change.
 */
export async function listArticlesForApi(db: Executor, actor: Actor | null, query: ArticleQuery) {
  const staff = actor ? await staffSiteIds(db, actor) : [];
  const page = await pageOf(db, filterOf(query, staff, true, new Date()), query, actor ? 'updated' : 'published');
  const isStaffOf = (siteId: number) => staff === 'all' || staff.includes(siteId);
  return { ...page, items: page.items.map((item) => (isStaffOf(item.siteId) ? item : forReaders(item))) };
}

async function detailOf(db: Executor, actor: Actor, row: NewsroomArticleRow): Promise<NewsroomArticleDetail> {
  const [versions, events, latest, capabilities] = await Promise.all([
    loadVersions(db, row.id),
    newsroomRepository.listArticleEvents(db, row.id),
    newsroomRepository.findLatestRevision(db, row.id),
    capabilitiesOn(db, actor, row.organization_id),
  ]);
  const article = toArticle(row, versions);
  const lastEditorId = latest?.author_user_id ?? null;
  const ctx: WorkflowContext = {
    status: row.status,
    allowSelfPublish: row.allow_self_publish,
    lastEditorId,
    hasReviewedVersion: versions.some((version) => version.status === 'reviewed'),
    capabilities,
    actorId: actor.userId,
    // Buttons are offered as if a comment will be given: the send-back form asks for one.
    comment: 'given',
  };
  return {
    ...article,
    events: events.map((event) => ({
      step: event.step,
      actorUserId: event.actor_user_id,
      actorName: event.actor_name,
      at: event.at,
      comment: event.comment,
    })),
    lastEditorId,
    actions: workflowActions.filter((action) => workflowRefusal(action, ctx) === undefined),
    editable: capabilities.has('write_articles') && row.status !== 'archived',
  };
}

/** Reads an update for its workspace page: staff of the site's organization only; others are told "not found". */
export async function getNewsroomArticle(db: Executor, actor: Actor, id: number): Promise<NewsroomArticleDetail> {
  return detailOf(db, actor, await readableArticle(db, actor, id));
}

/** Reads an update for the API: staff of its site see it whole; anyone else sees it only as readers of the portal do. */
export async function getArticleForApi(db: Executor, actor: Actor | null, id: number): Promise<NewsroomArticle & { events?: ArticleEvent[] }> {
  const row = await newsroomRepository.findNewsroomArticle(db, id);
  if (!row) throw notFound();
  if (actor && (await can(db, actor, 'read', [row.organization_id]))) return detailOf(db, actor, row);
  const article = forReaders(toArticle(row, await loadVersions(db, id)));
  const visible = row.status === 'published' && row.publish_at <= new Date() && Object.keys(article.versions).length > 0;
  if (!visible) throw notFound();
  return article;
}

/** The sites the actor may write updates for, each with its sections; none at all reads "not found". */
export async function listWritableSites(db: Executor, actor: Actor): Promise<NewsroomSite[]> {
  const writable = await organizationsWhere(db, actor, 'write_articles');
  const sites = (await newsroomRepository.listNewsroomSites(db)).filter((site) => writable === 'all' || writable.has(site.organization_id));
  if (sites.length === 0) throw notFound();
  return Promise.all(sites.map((site) => newsroomSiteOf(db, site)));
}

/** The sites whose updates the actor sees in the newsroom, each with its sections (for the list's filters). */
export async function listReadableSites(db: Executor, actor: Actor): Promise<NewsroomSite[]> {
  const staff = await staffSiteIds(db, actor);
  const sites = (await newsroomRepository.listNewsroomSites(db)).filter((site) => staff === 'all' || staff.includes(site.id));
  return Promise.all(sites.map((site) => newsroomSiteOf(db, site)));
}

async function newsroomSiteOf(db: Executor, site: Awaited<ReturnType<typeof newsroomRepository.listNewsroomSites>>[number]): Promise<NewsroomSite> {
  const rows = await siteRepository.listSectionsOfSite(db, site.id);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const pathOf = (id: number, locale: Locale): string[] => {
    const names: string[] = [];
    for (let at = byId.get(id); at; at = at.parent_id === null ? undefined : byId.get(at.parent_id)) {
      names.unshift(locale === 'zh' ? at.name_zh : at.name_en);
    }
    return names;
  };
  // Depth first in navigation order: each section right after its parent.
  const ordered: number[] = [];
  const visit = (parentId: number | null) => {
    for (const row of rows.filter((candidate) => candidate.parent_id === parentId)) {
      ordered.push(row.id);
      visit(row.id);
    }
  };
  visit(null);
  return {
    id: site.id,
    slug: site.slug,
    organizationId: site.organization_id,
    timeZone: site.time_zone,
    allowSelfPublish: site.allow_self_publish,
    name: { zh: site.name_zh, en: site.name_en },
    sections: ordered.map((id) => ({ id, path: { zh: pathOf(id, 'zh'), en: pathOf(id, 'en') } })),
  };
}

/** Tells whether the actor may write updates for some site (to offer the "new" button). */
export async function mayWriteArticles(db: Executor, actor: Actor): Promise<boolean> {
  const writable = await organizationsWhere(db, actor, 'write_articles');
  return writable === 'all' || writable.size > 0;
}

async function withSlugCheck<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

/** Writes a new update as a draft, with its first revision and a "created" step; audited. */
export async function createArticle(db: Kysely<Database>, actor: Actor, input: ArticleInput): Promise<NewsroomArticle> {
  if (input.siteId === undefined) throw new DomainError(400, 'site_required', 'Choose the site the update is for.');
  const site = await newsroomRepository.findNewsroomSite(db, input.siteId);
  if (!site) throw notFound();
  await assertCan(db, actor, 'write_articles', [site.organization_id]);
  const issue = versionIssues(input)[0];
  if (issue) throw badRequest(issue.message, 'invalid_versions');
  const siteId = site.id;
  return withSlugCheck(() =>
    db.transaction().execute(async (tx) => {
      if (!(await newsroomRepository.isSectionOfSite(tx, siteId, input.sectionId))) throw badSection();
      const publishAt = resolvePublishAt(input.publishAt, site.time_zone);
      const versions = versionsOf(input, {});
      if (input.slug !== undefined && (await newsroomRepository.isSlugTaken(tx, siteId, input.slug))) throw slugTaken();
      const slug = input.slug ?? (await freeSlug(tx, siteId, publishAt, site.time_zone, versions.en?.title));
      const tags = input.tags ?? [];
      const coverMediaId = input.coverMediaId ?? null;
      await checkCover(tx, actor, siteId, coverMediaId);
      const id = await articleRepository.insertArticle(tx, {
        site_id: siteId,
        section_id: input.sectionId,
        slug,
        status: 'draft',
        publish_at: publishAt,
        tags,
        cover_media_id: coverMediaId,
      });
      await writeVersions(tx, id, {}, versions);
      const snapshot: RevisionSnapshot = {
        slug,
        sectionId: input.sectionId,
        tags,
        publishAt: publishAt.toISOString(),
        coverMediaId,
        translations: versions,
      };
      const number = await newsroomRepository.insertRevision(tx, id, actor.userId, snapshot);
      await newsroomRepository.insertArticleEvents(tx, [{ article_id: id, step: 'created', actor_user_id: actor.userId }]);
      await recordAudit(tx, actor, { action: 'create', entityType: 'article', entityId: id, after: { ...snapshot, status: 'draft', revision: number } });
      const row = await newsroomRepository.findNewsroomArticle(tx, id);
      if (!row) throw notFound();
      return toArticle(row, await loadVersions(tx, id));
    }),
  );
}

/**
 * Saves a change to an update as a new revision; audited. An archived update cannot change. An
 * approved one goes back to review (the approval was of other words); a published one moved into
 * the future is scheduled again. Changes to what readers see are announced, so every process drops
 * the site's cached pages and the edit shows at once.
 */
export async function updateArticle(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  patch: ArticlePatch,
  options: { restoredFrom?: number } = {},
): Promise<NewsroomArticle> {
  const found = await readableArticle(db, actor, id);
  await assertCan(db, actor, 'write_articles', [found.organization_id]);
  return withSlugCheck(() =>
    db.transaction().execute(async (tx) => {
      if (!(await newsroomRepository.lockArticle(tx, id))) throw notFound();
      const row = await newsroomRepository.findNewsroomArticle(tx, id);
      if (!row) throw notFound();
      if (row.status === 'archived') throw conflict('An archived update cannot be changed; reopen it first.');
      const current = toArticle(row, await loadVersions(tx, id));
      const before = snapshotOf(current);
      const versions = versionsOf(patch, before.translations);
      // Text sent for a version whose title is (now) empty is a mistake; text not sent goes with its version.
      const merged: Record<string, string | undefined> = {};
      for (const locale of locales) {
        const fields = versionFields(locale);
        merged[fields.title] = versions[locale]?.title;
        merged[fields.summary] = patch[fields.summary];
        merged[fields.body] = patch[fields.body];
      }
      const issue = versionIssues(merged)[0];
      if (issue) throw badRequest(issue.message, 'invalid_versions');
      const sectionId = patch.sectionId ?? row.section_id;
      if (sectionId !== row.section_id && !(await newsroomRepository.isSectionOfSite(tx, row.site_id, sectionId))) throw badSection();
      const slug = patch.slug ?? row.slug;
      if (slug !== row.slug && (await newsroomRepository.isSlugTaken(tx, row.site_id, slug, id))) throw slugTaken();
      const publishAt = patch.publishAt !== undefined ? resolvePublishAt(patch.publishAt, row.time_zone) : row.publish_at;
      const coverMediaId = patch.coverMediaId !== undefined ? patch.coverMediaId : row.cover_media_id;
      if (coverMediaId !== row.cover_media_id) await checkCover(tx, actor, row.site_id, coverMediaId);
      const after: RevisionSnapshot = {
        slug,
        sectionId,
        tags: patch.tags ?? row.tags,
        publishAt: publishAt.toISOString(),
        coverMediaId,
        translations: versions,
      };
      if (sameSnapshot(before, after)) return current;

      // Articles from before the newsroom have no revision yet: keep what they were as the first.
      if (!(await newsroomRepository.findLatestRevision(tx, id))) await newsroomRepository.insertRevision(tx, id, null, before);
      let status = row.status;
      const events: { step: ArticleStep; comment: string }[] = [];
      if (status === 'published' && publishAt > new Date()) {
        status = 'scheduled';
        events.push({ step: 'scheduled', comment: '' });
      } else if (status === 'approved') {
        status = 'submitted';
        events.push({ step: 'submitted', comment: 'Changed after approval: to be reviewed again.' });
      }
      await newsroomRepository.updateArticleRow(tx, id, {
        section_id: sectionId,
        slug,
        status,
        publish_at: publishAt,
        tags: after.tags,
        cover_media_id: coverMediaId,
      });
      await writeVersions(tx, id, current.versions, versions);
      const number = await newsroomRepository.insertRevision(tx, id, actor.userId, after);
      await newsroomRepository.insertArticleEvents(
        tx,
        events.map((event) => ({ article_id: id, step: event.step, actor_user_id: actor.userId, comment: event.comment })),
      );
      await recordAudit(tx, actor, {
        action: options.restoredFrom === undefined ? 'update' : 'restore',
        entityType: 'article',
        entityId: id,
        before: { ...before, status: row.status },
        after: { ...after, status, revision: number, restoredFrom: options.restoredFrom },
      });
      if (row.status === 'published' || status === 'published') await announceChange(tx, siteTopic(row.site_id));
      const saved = await newsroomRepository.findNewsroomArticle(tx, id);
      if (!saved) throw notFound();
      return toArticle(saved, await loadVersions(tx, id));
    }),
  );
}

/**
 * Takes a step of the workflow (submit, approve, send back, publish or schedule, unpublish, archive,
 * reopen) with who and when recorded; audited, and announced when readers' view changes.
 */
export async function transitionArticle(db: Kysely<Database>, actor: Actor, id: number, input: TransitionInput): Promise<NewsroomArticleDetail> {
  await readableArticle(db, actor, id);
  const comment = input.comment ?? '';
  await db.transaction().execute(async (tx) => {
    if (!(await newsroomRepository.lockArticle(tx, id))) throw notFound();
    const row = await newsroomRepository.findNewsroomArticle(tx, id);
    if (!row) throw notFound();
    const [versions, latest, capabilities] = await Promise.all([
      loadVersions(tx, id),
      newsroomRepository.findLatestRevision(tx, id),
      capabilitiesOn(tx, actor, row.organization_id),
    ]);
    const refusal = workflowRefusal(input.action, {
      status: row.status,
      allowSelfPublish: row.allow_self_publish,
      lastEditorId: latest?.author_user_id ?? null,
      hasReviewedVersion: versions.some((version) => version.status === 'reviewed'),
      capabilities,
      actorId: actor.userId,
      comment,
    });
    if (refusal) throw refusal;
    const target =
      input.action === 'publish'
        ? row.publish_at > new Date()
          ? ({ status: 'scheduled', step: 'scheduled' } as const)
          : ({ status: 'published', step: 'published' } as const)
        : targets[input.action];
    await newsroomRepository.setArticleStatus(tx, id, target.status);
    await newsroomRepository.insertArticleEvents(tx, [{ article_id: id, step: target.step, actor_user_id: actor.userId, comment }]);
    await recordAudit(tx, actor, {
      action: input.action,
      entityType: 'article',
      entityId: id,
      before: { status: row.status },
      after: { status: target.status, comment: comment || undefined },
    });
    if (row.status === 'published' || target.status === 'published') await announceChange(tx, siteTopic(row.site_id));
  });
  return getNewsroomArticle(db, actor, id);
}

/**
 * Publishes the scheduled updates whose time has come, records who (the scheduler: nobody) and when,
 * and announces the change for their sites. Safe to run in several processes at once: the UPDATE
 * hands each article to exactly one of them. Returns the ids this process published.
 */
export async function publishDueArticles(db: Kysely<Database>): Promise<number[]> {
  if (!(await newsroomRepository.hasDueArticles(db))) return [];
  return db.transaction().execute(async (tx) => {
    const published = await newsroomRepository.publishDueArticles(tx);
    if (published.length === 0) return [];
    await newsroomRepository.insertArticleEvents(
      tx,
      published.map((row) => ({ article_id: row.id, step: 'published' as const, actor_user_id: null })),
    );
    await recordAudits(
      tx,
      null,
      published.map((row) => ({ action: 'publish', entityType: 'article', entityId: row.id, before: { status: 'scheduled' }, after: { status: 'published' } })),
    );
    for (const siteId of new Set(published.map((row) => row.site_id))) await announceChange(tx, siteTopic(siteId));
    return published.map((row) => row.id);
  });
}

/** An update's revisions, newest first (staff of its site). */
export async function listArticleRevisions(db: Executor, actor: Actor, id: number): Promise<ArticleRevision[]> {
  await readableArticle(db, actor, id);
  const rows = await newsroomRepository.listRevisions(db, id);
  return rows.map((row) => ({
    number: row.number,
    authorUserId: row.author_user_id,
    authorName: row.author_name,
    createdAt: row.created_at,
    snapshot: row.snapshot,
  }));
}

/**
 * Puts an old revision's content back: a new revision with that content (the history keeps
 * everything in between). A section deleted since is left as it is now.
 */
export async function restoreRevision(db: Kysely<Database>, actor: Actor, id: number, number: number): Promise<NewsroomArticle> {
  const row = await readableArticle(db, actor, id);
  await assertCan(db, actor, 'write_articles', [row.organization_id]);
  const revision = await newsroomRepository.findRevision(db, id, number);
  if (!revision) throw notFound();
  const { snapshot } = revision;
  const patch: ArticlePatch = {
    slug: snapshot.slug,
    tags: snapshot.tags,
    publishAt: snapshot.publishAt,
    sectionId: (await newsroomRepository.isSectionOfSite(db, row.site_id, snapshot.sectionId)) ? snapshot.sectionId : row.section_id,
  };
  // A cover image deleted since is left out; a revision from before covers leaves the cover as it is.
  if (snapshot.coverMediaId !== undefined) {
    const cover = snapshot.coverMediaId === null ? undefined : (await mediaService.mediaForDisplay(db, [snapshot.coverMediaId])).get(snapshot.coverMediaId);
    patch.coverMediaId = cover && cover.siteId === row.site_id ? cover.id : null;
  }
  for (const locale of locales) {
    const fields = versionFields(locale);
    const version = snapshot.translations[locale];
    patch[fields.title] = version?.title ?? '';
    patch[fields.summary] = version?.summary ?? '';
    patch[fields.body] = version?.bodyMarkdown ?? '';
    patch[fields.status] = version?.status ?? 'draft';
  }
  return updateArticle(db, actor, id, patch, { restoredFrom: number });
}

/** The sites whose newsroom settings the actor may change (administrators of the site's organization). */
export async function listSitesWithSettings(db: Executor, actor: Actor): Promise<NewsroomSite[]> {
  const managed = await organizationsWhere(db, actor, 'manage_site');
  const sites = (await newsroomRepository.listNewsroomSites(db)).filter((site) => managed === 'all' || managed.has(site.organization_id));
  if (sites.length === 0) throw notFound();
  return Promise.all(sites.map((site) => newsroomSiteOf(db, site)));
}

/** Tells whether the actor administers some site (to offer the publishing settings). */
export async function mayChangePublishingSettings(db: Executor, actor: Actor): Promise<boolean> {
  const managed = await organizationsWhere(db, actor, 'manage_site');
  if (managed === 'all') return true;
  return (await newsroomRepository.listNewsroomSites(db)).some((site) => managed.has(site.organization_id));
}

/** Lets a site's editors publish their own updates without a second person, or stops them; audited. */
export async function setSelfPublishing(db: Kysely<Database>, actor: Actor, siteId: number, allow: boolean): Promise<void> {
  const site = await newsroomRepository.findNewsroomSite(db, siteId);
  if (!site) throw notFound();
  await assertCan(db, actor, 'manage_site', [site.organization_id]);
  if (site.allow_self_publish === allow) return;
  await db.transaction().execute(async (tx) => {
    await newsroomRepository.updateAllowSelfPublish(tx, siteId, allow);
    await recordAudit(tx, actor, {
      action: 'update',
      entityType: 'site',
      entityId: siteId,
      before: { allowSelfPublish: site.allow_self_publish },
      after: { allowSelfPublish: allow },
    });
  });
}
