import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertPlatformAdmin, type Actor, type Role } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { conflict, DomainError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import * as accountRepository from './account.repository.ts';
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

/** The account a personal API token stands for, if the token is live. */
export async function authenticateApiToken(db: Executor, token: string, ip: string): Promise<Actor | undefined> {
  const row = await accountRepository.findLiveApiToken(db, digest(token));
  if (!row) return undefined;
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
    await recordAudit(tx, actor, {
      action: 'create',
      entityType: 'user_account',
      entityId: id,
      after: { email, displayName: input.displayName, isPlatformAdmin: input.isPlatformAdmin ?? false, memberships: input.memberships ?? [] },
    });
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
  input: { name: string; days: number },
): Promise<{ id: number; token: string; expiresAt: Date }> {
  const token = `hsk_${newSecret()}`;
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  const id = await db.transaction().execute(async (tx) => {
    const tokenId = await accountRepository.insertApiToken(tx, {
      user_id: actor.userId,
      name: input.name,
      token_hash: digest(token),
      expires_at: expiresAt,
    });
    await recordAudit(tx, actor, { action: 'create', entityType: 'api_token', entityId: tokenId, after: { name: input.name, expiresAt } });
    return tokenId;
  });
  return { id, token, expiresAt };
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
