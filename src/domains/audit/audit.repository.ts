import type { Executor } from '../../db/database.ts';

/** What the audit log can be narrowed to. */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorUserId?: number;
  /** From this instant, inclusive. */
  from?: Date;
  /** Up to this instant, exclusive. */
  until?: Date;
}

function filtered(db: Executor, filter: AuditFilter) {
  return db
    .selectFrom('audit_event')
    .$if(filter.entityType !== undefined, (q) => q.where('audit_event.entity_type', '=', filter.entityType ?? ''))
    .$if(filter.entityId !== undefined, (q) => q.where('audit_event.entity_id', '=', filter.entityId ?? ''))
    .$if(filter.actorUserId !== undefined, (q) => q.where('audit_event.actor_user_id', '=', filter.actorUserId ?? 0))
    .$if(filter.from !== undefined, (q) => q.where('audit_event.at', '>=', filter.from ?? new Date(0)))
    .$if(filter.until !== undefined, (q) => q.where('audit_event.at', '<', filter.until ?? new Date(0)));
}

/** Lists a page of audit events, newest first, with the acting account's name and email. */
export async function listAuditEvents(db: Executor, filter: AuditFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter)
    .leftJoin('user_account', 'user_account.id', 'audit_event.actor_user_id')
    .select([
      'audit_event.id',
      'audit_event.at',
      'audit_event.action',
      'audit_event.entity_type',
      'audit_event.entity_id',
      'audit_event.before',
      'audit_event.after',
      'audit_event.ip',
      'audit_event.actor_user_id',
      'user_account.email as actor_email',
      'user_account.display_name as actor_display_name',
    ])
    .orderBy('audit_event.at', 'desc')
    .orderBy('audit_event.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Counts the audit events the filter matches. */
export async function countAuditEvents(db: Executor, filter: AuditFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Lists the organizations among these ids that still exist, with their names. */
export async function listOrganizationNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('organization').select(['id', 'name_zh', 'name_en']).where('id', 'in', ids).execute();
}

/** Lists the people among these ids that still exist, with their names. */
export async function listPersonNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('person').select(['id', 'name_zh', 'name_en']).where('id', 'in', ids).execute();
}

/** Lists the posts among these ids that still exist, with their titles and whose they are. */
export async function listPositionTitles(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('position').select(['id', 'person_id', 'title_zh', 'title_en']).where('id', 'in', ids).execute();
}

/** Lists the accounts among these ids that still exist, with their names. */
export async function listAccountNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('user_account').select(['id', 'email', 'display_name']).where('id', 'in', ids).execute();
}

/** Lists the updates among these ids that still exist, with their titles in both languages (empty when missing). */
export async function listArticleTitles(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('article')
    .leftJoin('article_translation as zh', (join) => join.onRef('zh.article_id', '=', 'article.id').on('zh.locale', '=', 'zh'))
    .leftJoin('article_translation as en', (join) => join.onRef('en.article_id', '=', 'article.id').on('en.locale', '=', 'en'))
    .select(['article.id', 'zh.title as title_zh', 'en.title as title_en'])
    .where('article.id', 'in', ids)
    .execute();
}

/** Lists the images among these ids that still exist, with their descriptions. */
export async function listMediaNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('media').select(['id', 'alt_zh', 'alt_en']).where('id', 'in', ids).execute();
}

/** Lists the places among these ids that still exist, with their names. */
export async function listPlaceNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('place').select(['id', 'name_zh', 'name_en']).where('id', 'in', ids).execute();
}

/** Lists the sites among these ids that still exist, with their federations' names. */
export async function listSiteNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select(['site.id', 'organization.name_zh', 'organization.name_en'])
    .where('site.id', 'in', ids)
    .execute();
}

/** Lists the sections among these ids that still exist, with their names and sites. */
export async function listSectionNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('section').select(['id', 'site_id', 'name_zh', 'name_en']).where('id', 'in', ids).execute();
}

/** Lists the facilities among these ids that still exist, with their names. */
export async function listFacilityNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('facility').select(['id', 'name_zh', 'name_en']).where('id', 'in', ids).execute();
}

/** Lists the activities among these ids that still exist, with their titles. */
export async function listActivityTitles(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('activity').select(['id', 'title_zh', 'title_en']).where('id', 'in', ids).execute();
}

/** Lists the agreements, circulars and plans among these ids that still exist, with their titles. */
export async function listDocumentTitles(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('document').select(['id', 'title_zh', 'title_en']).where('id', 'in', ids).execute();
}

/** Lists the measures among these ids that still exist, with their numbers and titles. */
export async function listMeasureTitles(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('measure').select(['id', 'number', 'title_zh', 'title_en']).where('id', 'in', ids).execute();
}

/** Lists the commitments among these ids that still exist, with what they undertake. */
export async function listCommitmentTexts(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('commitment').select(['id', 'what_zh', 'what_en']).where('id', 'in', ids).execute();
}

/** Lists the progress updates among these ids that still exist, with their day and their commitment. */
export async function listProgressUpdates(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('progress_update')
    .innerJoin('commitment', 'commitment.id', 'progress_update.commitment_id')
    .select(['progress_update.id', 'progress_update.reported_on', 'commitment.id as commitment_id', 'commitment.what_zh', 'commitment.what_en'])
    .where('progress_update.id', 'in', ids)
    .execute();
}
