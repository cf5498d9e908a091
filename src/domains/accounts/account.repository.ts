import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Role } from '../../platform/access.ts';
import type { ApiTokenScope, NewUserAccountRow } from './account.table.ts';

/** Finds an account by its (lower-case) email. */
export async function findAccountByEmail(db: Executor, email: string) {
  return db.selectFrom('user_account').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Finds an account by id. */
export async function findAccountById(db: Executor, id: number) {
  return db.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Lists every account, by email. */
export async function listAccounts(db: Executor) {
  return db
    .selectFrom('user_account')
    .select(['id', 'email', 'display_name', 'is_platform_admin', 'status', 'person_id', 'created_at', 'password_changed_at'])
    .orderBy('email')
    .execute();
}

/** Inserts an account and returns its id. */
export async function insertAccount(db: Executor, row: NewUserAccountRow): Promise<number> {
  const { id } = await db.insertInto('user_account').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Stores a new password hash. */
export async function updatePasswordHash(db: Executor, userId: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('user_account')
    .set({ password_hash: passwordHash, password_changed_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

/** Stores the account's preferred language. */
export async function updatePreferredLocale(db: Executor, userId: number, locale: 'zh' | 'en'): Promise<void> {
  await db.updateTable('user_account').set({ preferred_locale: locale }).where('id', '=', userId).execute();
}

/** Lists an account's memberships with the organizations' names. */
export async function listMemberships(db: Executor, userId: number) {
  return db
    .selectFrom('membership')
    .innerJoin('organization', 'organization.id', 'membership.organization_id')
    .where('membership.user_id', '=', userId)
    .select(['membership.id', 'membership.role', 'organization.id as organization_id', 'organization.slug', 'organization.name_zh', 'organization.name_en'])
    .orderBy('organization.id')
    .execute();
}

/** Gives an account a role on an organization, replacing the role it had there. */
export async function upsertMembership(db: Executor, userId: number, organizationId: number, role: Role): Promise<void> {
  await db
    .insertInto('membership')
    .values({ user_id: userId, organization_id: organizationId, role })
    .onConflict((oc) => oc.columns(['user_id', 'organization_id']).doUpdateSet({ role }))
    .execute();
}

/** Inserts a session. */
export async function insertSession(
  db: Executor,
  row: { id_hash: string; user_id: number; csrf_token: string; expires_at: Date; ip: string; user_agent: string },
): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

/** Finds a live session and its account: not past its absolute end, not idle too long, account active. */
export async function findLiveSession(db: Executor, idHash: string, idleSince: Date) {
  return db
    .selectFrom('session')
    .innerJoin('user_account', 'user_account.id', 'session.user_id')
    .where('session.id_hash', '=', idHash)
    .where('session.expires_at', '>', sql<Date>`now()`)
    .where('session.last_seen_at', '>', idleSince)
    .where('user_account.status', '=', 'active')
    .select([
      'session.id_hash',
      'session.csrf_token',
      'session.last_seen_at',
      'session.created_at',
      'user_account.id as user_id',
      'user_account.email',
      'user_account.display_name',
      'user_account.is_platform_admin',
      'user_account.preferred_locale',
    ])
    .executeTakeFirst();
}

/** Marks a session as used now. */
export async function touchSession(db: Executor, idHash: string): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: new Date() }).where('id_hash', '=', idHash).execute();
}

/** Lists an account's sessions that have not ended, newest first. */
export async function listSessions(db: Executor, userId: number) {
  return db
    .selectFrom('session')
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Deletes one session. */
export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

/** Deletes every session of an account but the one kept (none kept when undefined); returns how many. */
export async function deleteSessionsOf(db: Executor, userId: number, keepIdHash?: string): Promise<number> {
  const result = await db
    .deleteFrom('session')
    .where('user_id', '=', userId)
    .$if(keepIdHash !== undefined, (q) => q.where('id_hash', '<>', keepIdHash ?? ''))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions that ended more than a day ago. */
export async function deleteEndedSessions(db: Executor): Promise<void> {
  await db.deleteFrom('session').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/** Inserts an API token and returns its id. */
export async function insertApiToken(
  db: Executor,
  row: { user_id: number; name: string; token_hash: string; scope: ApiTokenScope; expires_at: Date },
): Promise<number> {
  const { id } = await db.insertInto('api_token').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Finds a usable API token (not revoked, not expired) and its active account. */
export async function findLiveApiToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_token')
    .innerJoin('user_account', 'user_account.id', 'api_token.user_id')
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .where('api_token.expires_at', '>', sql<Date>`now()`)
    .where('user_account.status', '=', 'active')
    .select([
      'api_token.id',
      'api_token.scope',
      'api_token.last_used_at',
      'user_account.id as user_id',
      'user_account.email',
      'user_account.display_name',
      'user_account.is_platform_admin',
    ])
    .executeTakeFirst();
}

/** Marks an API token as used now. */
export async function touchApiToken(db: Executor, id: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

/** Lists an account's API tokens, newest first. */
export async function listApiTokens(db: Executor, userId: number) {
  return db
    .selectFrom('api_token')
    .where('user_id', '=', userId)
    .select(['id', 'name', 'scope', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .orderBy('id', 'desc')
    .execute();
}

/** Revokes one of an account's API tokens; returns whether there was one to revoke. */
export async function revokeApiToken(db: Executor, userId: number, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Lists every membership of every account with the organization's names, for the accounts list. */
export async function listAllMemberships(db: Executor) {
  return db
    .selectFrom('membership')
    .innerJoin('organization', 'organization.id', 'membership.organization_id')
    .select(['membership.user_id', 'membership.role', 'organization.id as organization_id', 'organization.slug', 'organization.name_zh', 'organization.name_en'])
    .orderBy('organization.id')
    .execute();
}

/** Removes an account's role on an organization; returns whether it held one. */
export async function deleteMembership(db: Executor, userId: number, organizationId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('membership')
    .where('user_id', '=', userId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Marks an account active or disabled. */
export async function updateAccountStatus(db: Executor, userId: number, status: 'active' | 'disabled'): Promise<void> {
  await db.updateTable('user_account').set({ status }).where('id', '=', userId).execute();
}
