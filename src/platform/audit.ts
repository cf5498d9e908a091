import type { Executor } from '../db/database.ts';
import type { Actor } from './access.ts';

/** One change to record: what was done to which record, and the record before and after. */
export interface AuditEntry {
  action: 'create' | 'update' | 'delete' | (string & {});
  entityType: string;
  entityId: number | string;
  before?: object | null;
  after?: object | null;
}

function plain(value: object | null | undefined): unknown {
  // Dates and the like become their JSON form; undefined fields vanish.
  return value == null ? null : JSON.parse(JSON.stringify(value));
}

/** Writes an audit event in the caller's transaction, so that the change and its record stand or fall together. */
export async function recordAudit(db: Executor, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor_user_id: actor?.userId ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      before: JSON.stringify(plain(entry.before)),
      after: JSON.stringify(plain(entry.after)),
      ip: actor?.ip ?? '',
    })
    .execute();
}

/** Writes many audit events in the caller's transaction, a thousand to a statement (a CSV import's changes). */
export async function recordAudits(db: Executor, actor: Actor | null, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 1000) {
    await db
      .insertInto('audit_event')
      .values(
        entries.slice(start, start + 1000).map((entry) => ({
          actor_user_id: actor?.userId ?? null,
          action: entry.action,
          entity_type: entry.entityType,
          entity_id: String(entry.entityId),
          before: JSON.stringify(plain(entry.before)),
          after: JSON.stringify(plain(entry.after)),
          ip: actor?.ip ?? '',
        })),
      )
      .execute();
  }
}
