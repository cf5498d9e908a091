import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { notFound } from './errors.ts';

/** The roles an account can hold on an organization; a role on a federation applies to the units below it. */
export const roles = ['administrator', 'editor', 'reviewer', 'organizer', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** What an actor may do to records that belong to an organization. */
export type Capability =
  /** See the network's records in the workspace. */
  | 'read'
  /** Create, change and delete organizations, people and posts. */
  | 'edit_records'
  /** Give and take roles on the organization. */
  | 'manage_members'
  /** Manage the organization's portal site: its host name, default language and section tree. */
  | 'manage_site'
  /** Write and change the updates of the organization's site, and submit them for review. */
  | 'write_articles'
  /** Approve a submitted update, or send it back with a comment. */
  | 'review_articles'
  /** Publish, schedule, unpublish and archive updates. */
  | 'publish_articles';

const capabilitiesOf: Record<Role, readonly Capability[]> = {
  administrator: ['read', 'edit_records', 'manage_members', 'manage_site', 'write_articles', 'review_articles', 'publish_articles'],
  editor: ['read', 'edit_records', 'write_articles'],
  reviewer: ['read', 'review_articles'],
  organizer: ['read'],
  viewer: ['read'],
};

/** Who is acting: a signed-in account (through a session or an API token). */
export interface Actor {
  userId: number;
  email: string;
  displayName: string;
  isPlatformAdmin: boolean;
  /** The address the request came from, for the audit log. */
  ip: string;
  /** Roles that apply per organization id, own and inherited; read once per request. */
  scopes?: Promise<Map<number, Set<Role>>>;
  /** The capabilities held on at least one organization, once resolveHeldCapabilities() ran (for the navigation). */
  heldCapabilities?: ReadonlySet<Capability>;
}

async function loadScopes(db: Executor, userId: number): Promise<Map<number, Set<Role>>> {
  const result = await sql<{ id: number; role: Role }>`
    with recursive scope(id, role) as (
      select organization_id, role from membership where user_id = ${userId}
      union
      select organization.id, scope.role from organization join scope on organization.parent_id = scope.id
    )
    select id, role from scope`.execute(db);
  const scopes = new Map<number, Set<Role>>();
  for (const row of result.rows) {
    const held = scopes.get(row.id) ?? new Set<Role>();
    held.add(row.role);
    scopes.set(row.id, held);
  }
  return scopes;
}

function scopesOf(db: Executor, actor: Actor): Promise<Map<number, Set<Role>>> {
  actor.scopes ??= loadScopes(db, actor.userId);
  return actor.scopes;
}

/** The ids of the organizations where the actor has `capability`, or "all" for a platform administrator. */
export async function organizationsWhere(db: Executor, actor: Actor, capability: Capability): Promise<Set<number> | 'all'> {
  if (actor.isPlatformAdmin) return 'all';
  const ids = new Set<number>();
  for (const [id, held] of await scopesOf(db, actor)) {
    if ([...held].some((role) => capabilitiesOf[role].includes(capability))) ids.add(id);
  }
  return ids;
}

/**
 * Works out which capabilities the actor holds on at least one organization and keeps them on the
 * actor, so that synchronous code (the workspace navigation) can show only what may be used.
 */
export async function resolveHeldCapabilities(db: Executor, actor: Actor): Promise<ReadonlySet<Capability>> {
  if (actor.heldCapabilities) return actor.heldCapabilities;
  const heldRoles = actor.isPlatformAdmin ? [...roles] : [...(await scopesOf(db, actor)).values()].flatMap((held) => [...held]);
  const held = new Set(heldRoles.flatMap((role) => capabilitiesOf[role]));
  actor.heldCapabilities = held;
  return held;
}

/** Tells whether the actor has `capability` on every one of the organizations. */
export async function can(db: Executor, actor: Actor, capability: Capability, organizationIds: readonly number[]): Promise<boolean> {
  const allowed = await organizationsWhere(db, actor, capability);
  return allowed === 'all' || organizationIds.every((id) => allowed.has(id));
}

/**
 * Refuses unless the actor has `capability` on every one of the organizations. A refusal reads
 * "not found", so that nobody learns of a record they may not touch.
 */
export async function assertCan(
  db: Executor,
  actor: Actor,
  capability: Capability,
  organizationIds: readonly number[],
): Promise<void> {
  if (!(await can(db, actor, capability, organizationIds))) throw notFound();
}

/**
 * Refuses unless the actor may read the network's records: a platform administrator, or anyone
 * holding a role somewhere. Records of the whole network are readable by its staff.
 */
export async function assertCanRead(db: Executor, actor: Actor): Promise<void> {
  if (actor.isPlatformAdmin) return;
  if ((await scopesOf(db, actor)).size === 0) throw notFound();
}

/** Refuses unless the actor is a platform administrator. */
export function assertPlatformAdmin(actor: Actor): void {
  if (!actor.isPlatformAdmin) throw notFound();
}
