import type { Generated, Selectable } from 'kysely';

/** The audit_event table: one change, who made it, when, and the record before and after. */
export interface AuditEventTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor_user_id: number | null;
  /** create, update, delete, or a domain verb such as sign_in. */
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  ip: Generated<string>;
}

export type AuditEventRow = Selectable<AuditEventTable>;
