import { z } from 'zod';

// A filter form sends "" for a filter left empty; a date is a calendar day in Asia/Shanghai.
const optionalDay = z.union([z.literal(''), z.iso.date()]).optional();

/** Filters and page of the audit log: by record, by who acted, by day. */
export const auditQuery = z.object({
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(50).optional(),
  /** An account id or email. */
  actor: z.string().trim().max(254).optional(),
  /** The first day, inclusive (YYYY-MM-DD). */
  from: optionalDay,
  /** The last day, inclusive (YYYY-MM-DD). */
  to: optionalDay,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AuditQuery = z.infer<typeof auditQuery>;

/** One changed field of an audit event: null where the field was absent. */
export const auditChangeOutput = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

/** An audit event as the API returns it. */
export const auditEventOutput = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  /** Null when the operator acted from the command line. */
  actor: z.object({ id: z.number().int(), email: z.string(), displayName: z.string() }).nullable(),
  ip: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  changes: z.array(auditChangeOutput),
});

/** A page of audit events as the API returns it. */
export const auditEventListOutput = z.object({
  items: z.array(auditEventOutput),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
