import type { Executor } from '../../db/database.ts';
import { assertPlatformAdmin, type Actor } from '../../platform/access.ts';
import { instantFromWallClock } from '../../platform/time.ts';
import { findAccountByEmail } from '../accounts/account.repository.ts';
import { normalizeEmail } from '../accounts/account.service.ts';
import * as auditRepository from './audit.repository.ts';
import type { AuditFilter } from './audit.repository.ts';
import type { AuditQuery } from './audit.schema.ts';

/** The zone the audit log's days are counted in. */
export const auditTimeZone = 'Asia/Shanghai';

/** One field an event changed; null where the field was absent. Nested fields read "roles.bwf". */
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** The record an event concerns, as it is now, and where the workspace shows it. */
export interface AuditRecord {
  nameZh: string;
  nameEn: string;
  /** The workspace page of the record. */
  href: string;
}

/** One recorded change: who did what to which record, when, and what changed. */
export interface AuditEvent {
  id: string;
  at: Date;
  action: string;
  entityType: string;
  entityId: string;
  /** Null when the operator acted from the command line. */
  actor: { id: number; email: string; displayName: string } | null;
  ip: string;
  before: unknown;
  after: unknown;
  changes: AuditChange[];
  /** Null when the record no longer exists, or is of a kind the workspace has no page for. */
  record: AuditRecord | null;
}

/** A page of audit events. */
export interface AuditEventPage {
  items: AuditEvent[];
  total: number;
  limit: number;
  offset: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens nested objects into "a.b" paths; arrays and scalars are values. */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, value ?? null);
  }
  return into;
}

/**
 * The fields an event changed: for a change of an existing record (both sides given) only the
 * fields whose value differs; for a creation or deletion (one side given) every field.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const old = flatten(before, '', new Map());
  const now = flatten(after, '', new Map());
  const both = isPlainObject(before) && isPlainObject(after);
  const fields = [...new Set([...old.keys(), ...now.keys()])];
  return fields
    .map((field) => ({ field, before: old.get(field) ?? null, after: now.get(field) ?? null }))
    .filter((change) => !both || JSON.stringify(change.before) !== JSON.stringify(change.after));
}

const wholeNumber = /^\d{1,9}$/;

function numericIds(events: { entity_type: string; entity_id: string }[], entityType: string): number[] {
  const ids = events.filter((event) => event.entity_type === entityType && wholeNumber.test(event.entity_id)).map((event) => Number(event.entity_id));
  return [...new Set(ids)];
}

/** Looks up, in one query per kind, the records a page of events concerns that still exist. */
async function currentRecords(db: Executor, events: { entity_type: string; entity_id: string }[]): Promise<Map<string, AuditRecord>> {
  const [organizations, people, positions, accounts, articles, media, places, sites, sections, facilities, activities, documents, measures, commitments, progressUpdates] = await Promise.all([
    auditRepository.listOrganizationNames(db, numericIds(events, 'organization')),
    auditRepository.listPersonNames(db, numericIds(events, 'person')),
    auditRepository.listPositionTitles(db, numericIds(events, 'position')),
    auditRepository.listAccountNames(db, numericIds(events, 'user_account')),
    auditRepository.listArticleTitles(db, numericIds(events, 'article')),
    auditRepository.listMediaNames(db, numericIds(events, 'media')),
    auditRepository.listPlaceNames(db, numericIds(events, 'place')),
    auditRepository.listSiteNames(db, numericIds(events, 'site')),
    auditRepository.listSectionNames(db, numericIds(events, 'section')),
    auditRepository.listFacilityNames(db, numericIds(events, 'facility')),
    auditRepository.listActivityTitles(db, numericIds(events, 'activity')),
    auditRepository.listDocumentTitles(db, numericIds(events, 'document')),
    auditRepository.listMeasureTitles(db, numericIds(events, 'measure')),
    auditRepository.listCommitmentTexts(db, numericIds(events, 'commitment')),
    auditRepository.listProgressUpdates(db, numericIds(events, 'progress_update')),
  ]);
  const records = new Map<string, AuditRecord>();
  for (const row of organizations) {
    records.set(`organization:${row.id}`, { nameZh: row.name_zh, nameEn: row.name_en, href: `/workspace/organizations/${row.id}` });
  }
  for (const row of people) {
    records.set(`person:${row.id}`, { nameZh: row.name_zh, nameEn: row.name_en, href: `/workspace/people/${row.id}` });
  }
  // A post is shown on the page of the person who holds it.
  for (const row of positions) {
    records.set(`position:${row.id}`, { nameZh: row.title_zh, nameEn: row.title_en, href: `/workspace/people/${row.person_id}` });
  }
  for (const row of accounts) {
    const name = `${row.display_name} <${row.email}>`;
    records.set(`user_account:${row.id}`, { nameZh: name, nameEn: name, href: `/workspace/accounts/${row.id}` });
  }
  // An update's title in one language stands in for the other when only one version is written.
  for (const row of articles) {
    const zh = row.title_zh ?? row.title_en ?? '';
    const en = row.title_en ?? row.title_zh ?? '';
    records.set(`article:${row.id}`, { nameZh: zh, nameEn: en, href: `/workspace/articles/${row.id}` });
  }
  for (const row of media) {
    records.set(`media:${row.id}`, { nameZh: row.alt_zh, nameEn: row.alt_en, href: `/workspace/media/${row.id}` });
  }
  for (const row of places) {
    records.set(`place:${row.id}`, { nameZh: row.name_zh, nameEn: row.name_en || row.name_zh, href: `/workspace/places/${row.id}` });
  }
  for (const row of sites) {
    records.set(`site:${row.id}`, { nameZh: row.name_zh, nameEn: row.name_en, href: `/workspace/sites/${row.id}` });
  }
  // A section is managed on its site's page.
  for (const row of sections) {
    records.set(`section:${row.id}`, { nameZh: row.name_zh, nameEn: row.name_en, href: `/workspace/sites/${row.site_id}` });
  }
  for (const row of facilities) {
    records.set(`facility:${row.id}`, { nameZh: row.name_zh, nameEn: row.name_en || row.name_zh, href: `/workspace/facilities/${row.id}` });
  }
  // Activities and documents may be written in one language only: it stands in for the other.
  for (const row of activities) {
    records.set(`activity:${row.id}`, { nameZh: row.title_zh || row.title_en, nameEn: row.title_en || row.title_zh, href: `/workspace/activities/${row.id}` });
  }
  for (const row of documents) {
    records.set(`document:${row.id}`, { nameZh: row.title_zh || row.title_en, nameEn: row.title_en || row.title_zh, href: `/workspace/agreements/${row.id}` });
  }
  for (const row of measures) {
    records.set(`measure:${row.id}`, {
      nameZh: `${row.number} ${row.title_zh || row.title_en}`,
      nameEn: `${row.number} ${row.title_en || row.title_zh}`,
      href: `/workspace/agreements/measures/${row.id}`,
    });
  }
  for (const row of commitments) {
    records.set(`commitment:${row.id}`, { nameZh: row.what_zh, nameEn: row.what_en || row.what_zh, href: `/workspace/agreements/commitments/${row.id}` });
  }
  // A progress update is shown in its commitment's timeline.
  for (const row of progressUpdates) {
    records.set(`progress_update:${row.id}`, {
      nameZh: `${row.reported_on} · ${row.what_zh}`,
      nameEn: `${row.reported_on} · ${row.what_en || row.what_zh}`,
      href: `/workspace/agreements/commitments/${row.commitment_id}`,
    });
  }
  return records;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Turns the query's filters into stored terms; undefined when they can match nothing (an unknown email). */
async function auditFilter(db: Executor, query: AuditQuery): Promise<AuditFilter | undefined> {
  const filter: AuditFilter = {
    entityType: query.entityType || undefined,
    entityId: query.entityId || undefined,
    from: query.from ? instantFromWallClock(`${query.from} 00:00:00`, auditTimeZone) : undefined,
    until: query.to ? instantFromWallClock(`${nextDay(query.to)} 00:00:00`, auditTimeZone) : undefined,
  };
  const actor = query.actor?.trim();
  if (actor) {
    if (wholeNumber.test(actor)) {
      filter.actorUserId = Number(actor);
    } else {
      const account = await findAccountByEmail(db, normalizeEmail(actor));
      if (!account) return undefined;
      filter.actorUserId = account.id;
    }
  }
  return filter;
}

/** Lists a page of the audit log, newest first, with each event's changed fields. Platform administrators only. */
export async function listAuditEvents(db: Executor, actor: Actor, query: AuditQuery): Promise<AuditEventPage> {
  assertPlatformAdmin(actor);
  const filter = await auditFilter(db, query);
  if (!filter) return { items: [], total: 0, limit: query.limit, offset: query.offset };
  const [rows, total] = await Promise.all([
    auditRepository.listAuditEvents(db, filter, query),
    auditRepository.countAuditEvents(db, filter),
  ]);
  const records = await currentRecords(db, rows);
  const items = rows.map(
    (row): AuditEvent => ({
      id: row.id,
      at: row.at,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      actor:
        row.actor_user_id !== null && row.actor_email !== null && row.actor_display_name !== null
          ? { id: row.actor_user_id, email: row.actor_email, displayName: row.actor_display_name }
          : null,
      ip: row.ip,
      before: row.before ?? null,
      after: row.after ?? null,
      changes: auditChanges(row.before, row.after),
      record: records.get(`${row.entity_type}:${row.entity_id}`) ?? null,
    }),
  );
  return { items, total, limit: query.limit, offset: query.offset };
}
