import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertPlatformAdmin, type Actor, type Role } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { badRequest, conflict, DomainError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import * as accountRepository from './account.repository.ts';
import type { ApiTokenScope } from './account.table.ts';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './password.ts';
import { clearSignInFailures, recordSignInFailure, signInWait } from './sign-in-throttle.ts';

/** How long a staff session lasts (ASVS 3.3.2, level 2): 30 minutes idle, 12 hours in all. */
export const sessionPolicy = { idleMinutes: 30, absoluteHours: 12 };

// A session is marked as used at most once a minute, so that browsing does not write on every page.
const touchEverySeconds = 60;

/** A new session: the secret for the cookie, and the CSRF token its forms carry. */
export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** A signed-in request's session: whose it is and the CSRF token it expects. */
export interface CurrentSession {
  actor: Actor;
  idHash: string;
  csrfToken: string;
  preferredLocale: Locale | null;
}

/** A random secret of 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 of a secret, as stored: the secret itself is never kept. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Normalizes an email for lookup and storage. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Refused sign-in: the same answer whether the account exists or the password is wrong. */
export function invalidCredentials(): DomainError {
  return new DomainError(401, 'invalid_credentials', 'The email or the password is not right.');
}

/** Refused sign-in while throttled; says how long to wait. */
export class TooManyAttempts extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`);
  }
}

/**
 * Signs in with email and password and opens a new session (a new id every time, ASVS 3.2.1).
 * Throttled per account and per address; an unknown email is answered as a wrong password, in the same time.
 */
export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; ip: string; userAgent: string },
): Promise<NewSession> {
  const email = normalizeEmail(input.email);
  const wait = await signInWait(db, email, input.ip);
  if (wait > 0) throw new TooManyAttempts(wait);
  const account = await accountRepository.findAccountByEmail(db, email);
  const valid = account
    ? account.status === 'active' && (await verifyPassword(account.password_hash, input.password))
    : await verifyAgainstDecoy(input.password);
  if (!account || !valid) {
    await recordSignInFailure(db, email, input.ip);
    throw invalidCredentials();
  }
  const session: NewSession = {
    token: newSecret(),
    csrfToken: newSecret(),
    expiresAt: new Date(Date.now() + sessionPolicy.absoluteHours * 3600_000),
  };
  await db.transaction().execute(async (tx) => {
    await accountRepository.insertSession(tx, {
      id_hash: digest(session.token),
      user_id: account.id,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 300),
    });
    await clearSignInFailures(tx, email);
    await recordAudit(tx, { userId: account.id, email, displayName: account.display_name, isPlatformAdmin: false, ip: input.ip }, {
      action: 'sign_in',
      entityType: 'user_account',
      entityId: account.id,
    });
  });
  return session;
}

/** The session a cookie's secret opens, if it is live; marks it as used. */
export async function authenticateSession(db: Executor, token: string, ip: string): Promise<CurrentSession | undefined> {
  const idHash = digest(token);
  const idleSince = new Date(Date.now() - sessionPolicy.idleMinutes * 60_000);
  const row = await accountRepository.findLiveSession(db, idHash, idleSince);
  if (!row) return undefined;
  if (Date.now() - row.last_seen_at.getTime() > touchEverySeconds * 1000) {
    await accountRepository.touchSession(db, idHash);
  }
  return {
    actor: { userId: row.user_id, email: row.email, displayName: row.display_name, isPlatformAdmin: row.is_platform_admin, ip },
    idHash,
    csrfToken: row.csrf_token,
    preferredLocale: row.preferred_locale,
  };
}

/**
 * The account a personal token stands for, if the token is live and made for this use: a calendar
 * token never calls the API, and an API token is never accepted in an address.
 */
export async function authenticateApiToken(db: Executor, token: string, ip: string, scope: ApiTokenScope = 'api'): Promise<Actor | undefined> {
  const row = await accountRepository.findLiveApiToken(db, digest(token));
  if (!row || row.scope !== scope) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > touchEverySeconds * 1000) {
    await accountRepository.touchApiToken(db, row.id);
  }
  return { userId: row.user_id, email: row.email, displayName: row.display_name, isPlatformAdmin: row.is_platform_admin, ip };
}

/** Ends a session. */
export async function signOut(db: Executor, session: CurrentSession): Promise<void> {
  await accountRepository.deleteSession(db, session.idHash);
}

/** Lists the actor's open sessions, marking the current one. */
export async function listMySessions(db: Executor, session: CurrentSession) {
  const rows = await accountRepository.listSessions(db, session.actor.userId);
  return rows.map((row) => ({ ...row, current: row.id_hash === session.idHash, id: row.id_hash.slice(0, 12) }));
}

/** Ends every session of the actor but this one (ASVS 3.3.4); returns how many ended. */
export async function signOutEverywhereElse(db: Kysely<Database>, session: CurrentSession): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const ended = await accountRepository.deleteSessionsOf(tx, session.actor.userId, session.idHash);
    await recordAudit(tx, session.actor, {
      action: 'sign_out_elsewhere',
      entityType: 'user_account',
      entityId: session.actor.userId,
      after: { sessionsEnded: ended },
    });
    return ended;
  });
}

/** Changes the actor's password after checking the current one; ends their other sessions (ASVS 3.3.3). */
export async function changePassword(
  db: Kysely<Database>,
  session: CurrentSession,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const account = await accountRepository.findAccountById(db, session.actor.userId);
  if (!account) throw notFound();
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) {
    throw new DomainError(400, 'wrong_password', 'The current password is not right.');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (tx) => {
    await accountRepository.updatePasswordHash(tx, account.id, passwordHash);
    await accountRepository.deleteSessionsOf(tx, account.id, session.idHash);
    await recordAudit(tx, session.actor, { action: 'change_password', entityType: 'user_account', entityId: account.id });
  });
}

/** Stores the language the actor works in. */
export async function choosePreferredLocale(db: Executor, actor: Actor, locale: Locale): Promise<void> {
  await accountRepository.updatePreferredLocale(db, actor.userId, locale);
}

/** What a new account needs. */
export interface NewAccount {
  email: string;
  displayName: string;
  password: string;
  isPlatformAdmin?: boolean;
  personId?: number | null;
  memberships?: { organizationId: number; role: Role }[];
}

/**
 * Creates an account. Only a platform administrator may, or the operator's CLI (actor null).
 */
export async function createAccount(db: Kysely<Database>, actor: Actor | null, input: NewAccount): Promise<number> {
  if (actor) assertPlatformAdmin(actor);
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    if (await accountRepository.findAccountByEmail(tx, email)) throw conflict('An account with this email exists already.');
    for (const membership of input.memberships ?? []) {
      if (!(await organizationRepository.findOrganizationById(tx, membership.organizationId))) throw unknownOrganization();
    }
    const id = await accountRepository.insertAccount(tx, {
      email,
      display_name: input.displayName,
      password_hash: passwordHash,
      is_platform_admin: input.isPlatformAdmin ?? false,
      person_id: input.personId ?? null,
    });
    for (const membership of input.memberships ?? []) {
      await accountRepository.upsertMembership(tx, id, membership.organizationId, membership.role);
    }
    await recordAudit(tx, actor, { action: 'create', entityType: 'user_account', entityId: id, after: await accountSnapshot(tx, id) });
    return id;
  });
}

/** Sets a new password for an account and ends all its sessions. Platform administrators or the CLI only. */
export async function resetPassword(db: Kysely<Database>, actor: Actor | null, email: string, password: string): Promise<void> {
  if (actor) assertPlatformAdmin(actor);
  const account = await accountRepository.findAccountByEmail(db, normalizeEmail(email));
  if (!account) throw notFound('No account has this email.');
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    await accountRepository.updatePasswordHash(tx, account.id, passwordHash);
    await accountRepository.deleteSessionsOf(tx, account.id);
    await recordAudit(tx, actor, { action: 'reset_password', entityType: 'user_account', entityId: account.id });
  });
}

/** Creates a personal API token; the secret is returned once and only its digest is kept. */
export async function createApiToken(
  db: Kysely<Database>,
  actor: Actor,
  input: { name: string; days: number; scope?: ApiTokenScope },
): Promise<{ id: number; token: string; expiresAt: Date; scope: ApiTokenScope }> {
  const scope = input.scope ?? 'api';
  const token = `hsk_${newSecret()}`;
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  const id = await db.transaction().execute(async (tx) => {
    const tokenId = await accountRepository.insertApiToken(tx, {
      user_id: actor.userId,
      name: input.name,
      token_hash: digest(token),
      scope,
      expires_at: expiresAt,
    });
    await recordAudit(tx, actor, { action: 'create', entityType: 'api_token', entityId: tokenId, after: { name: input.name, scope, expiresAt } });
    return tokenId;
  });
  return { id, token, expiresAt, scope };
}

/** Lists the actor's API tokens. */
export async function listMyApiTokens(db: Executor, actor: Actor) {
  return accountRepository.listApiTokens(db, actor.userId);
}

/** Revokes one of the actor's API tokens; someone else's is "not found". */
export async function revokeApiToken(db: Kysely<Database>, actor: Actor, tokenId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (!(await accountRepository.revokeApiToken(tx, actor.userId, tokenId))) throw notFound();
    await recordAudit(tx, actor, { action: 'revoke', entityType: 'api_token', entityId: tokenId });
  });
}

/** An account's role on one organization. */
export interface AccountMembership {
  organizationId: number;
  organizationSlug: string;
  nameZh: string;
  nameEn: string;
  role: Role;
}

/** An account as administrators see it: never its password. */
export interface Account {
  id: number;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
  isPlatformAdmin: boolean;
  createdAt: Date;
  passwordChangedAt: Date;
  memberships: AccountMembership[];
}

/** What the audit log keeps of an account before and after a change: roles keyed by organization slug. */
interface AccountSnapshot {
  email: string;
  displayName: string;
  isPlatformAdmin: boolean;
  status: 'active' | 'disabled';
  roles: Record<string, Role>;
}

async function accountSnapshot(db: Executor, userId: number): Promise<AccountSnapshot | undefined> {
  const [row, memberships] = await Promise.all([
    accountRepository.findAccountById(db, userId),
    accountRepository.listMemberships(db, userId),
  ]);
  if (!row) return undefined;
  return {
    email: row.email,
    displayName: row.display_name,
    isPlatformAdmin: row.is_platform_admin,
    status: row.status,
    roles: Object.fromEntries(memberships.map((membership) => [membership.slug, membership.role])),
  };
}

function unknownOrganization(): DomainError {
  return badRequest('No organization has this id.', 'unknown_organization');
}

/** The id of the organization with this short name (slug), for the operator's CLI. */
export async function organizationIdForSlug(db: Executor, slug: string): Promise<number> {
  const row = await organizationRepository.findOrganizationBySlug(db, slug.trim().toLowerCase());
  if (!row) throw notFound(`No organization has the short name "${slug}".`);
  return row.id;
}

type MembershipRow = Awaited<ReturnType<typeof accountRepository.listAllMemberships>>[number];
type AccountRow = NonNullable<Awaited<ReturnType<typeof accountRepository.findAccountById>>>;

function membershipRowToMembership(row: Omit<MembershipRow, 'user_id'>): AccountMembership {
  return { organizationId: row.organization_id, organizationSlug: row.slug, nameZh: row.name_zh, nameEn: row.name_en, role: row.role };
}

/** Maps a stored account and its memberships to the domain type, leaving the password hash behind. */
export function accountRowToAccount(
  row: Pick<AccountRow, 'id' | 'email' | 'display_name' | 'status' | 'is_platform_admin' | 'created_at' | 'password_changed_at'>,
  memberships: AccountMembership[]): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    isPlatformAdmin: row.is_platform_admin,
    createdAt: row.created_at,
    passwordChangedAt: row.password_changed_at,
    memberships,
  };
}

/** Lists every account with its roles. Platform administrators only. */
export async function listAccounts(db: Executor, actor: Actor): Promise<Account[]> {
  assertPlatformAdmin(actor);
  const [rows, memberships] = await Promise.all([accountRepository.listAccounts(db), accountRepository.listAllMemberships(db)]);
  const byAccount = new Map<number, AccountMembership[]>();
  for (const row of memberships) {
    const list = byAccount.get(row.user_id) ?? [];
    list.push(membershipRowToMembership(row));
    byAccount.set(row.user_id, list);
  }
  return rows.map((row) => accountRowToAccount(row, byAccount.get(row.id) ?? []));
}

/** Reads one account with its roles. Platform administrators only. */
export async function getAccount(db: Executor, actor: Actor, id: number): Promise<Account> {
  assertPlatformAdmin(actor);
  const [row, memberships] = await Promise.all([accountRepository.findAccountById(db, id), accountRepository.listMemberships(db, id)]);
  if (!row) throw notFound();
  return accountRowToAccount(row, memberships.map(membershipRowToMembership));
}

/**
 * Gives an account a role on an organization, or changes the role it holds there.
 * Platform administrators only; returns false when the account held that role already.
 */
export async function setMembership(
  db: Kysely<Database>,
  actor: Actor,
  userId: number,
  membership: { organizationId: number; role: Role },
): Promise<boolean> {
  assertPlatformAdmin(actor);
  return db.transaction().execute(async (tx) => {
    const before = await accountSnapshot(tx, userId);
    if (!before) throw notFound();
    if (!(await organizationRepository.findOrganizationById(tx, membership.organizationId))) throw unknownOrganization();
    await accountRepository.upsertMembership(tx, userId, membership.organizationId, membership.role);
    const after = await accountSnapshot(tx, userId);
    if (JSON.stringify(before) === JSON.stringify(after)) return false;
    await recordAudit(tx, actor, { action: 'set_role', entityType: 'user_account', entityId: userId, before, after });
    return true;
  });
}

/** Takes an account's role on an organization away. Platform administrators only. */
export async function removeMembership(db: Kysely<Database>, actor: Actor, userId: number, organizationId: number): Promise<void> {
  assertPlatformAdmin(actor);
  await db.transaction().execute(async (tx) => {
    const before = await accountSnapshot(tx, userId);
    if (!before) throw notFound();
    if (!(await accountRepository.deleteMembership(tx, userId, organizationId))) throw notFound();
    await recordAudit(tx, actor, {
      action: 'remove_role',
      entityType: 'user_account',
      entityId: userId,
      before,
      after: await accountSnapshot(tx, userId),
    });
  });
}

/**
 * Disables an account, ending its sessions at once (its API tokens stop working with it), or
 * enables it again. Platform administrators only, and not on their own account.
 */
export async function setAccountStatus(
  db: Kysely<Database>,
  actor: Actor,
  userId: number,
  status: 'active' | 'disabled',
): Promise<void> {
  assertPlatformAdmin(actor);
  if (userId === actor.userId && status === 'disabled') {
    throw badRequest('You cannot disable your own account.', 'own_account');
  }
  await db.transaction().execute(async (tx) => {
    const before = await accountSnapshot(tx, userId);
    if (!before) throw notFound();
    if (before.status === status) return;
    await accountRepository.updateAccountStatus(tx, userId, status);
    if (status === 'disabled') await accountRepository.deleteSessionsOf(tx, userId);
    await recordAudit(tx, actor, {
      action: status === 'disabled' ? 'disable' : 'enable',
      entityType: 'user_account',
      entityId: userId,
      before,
      after: await accountSnapshot(tx, userId),
    });
  });
}
