import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateApiToken,
  authenticateSession,
  sessionPolicy,
  type CurrentSession,
  type NewSession,
} from '../domains/accounts/account.service.ts';
import { resolveHeldCapabilities, type Actor } from './access.ts';
import { DomainError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, once a guard has looked it up. */
    session: CurrentSession | undefined;
    /** Who is acting, once a guard has established it (session or API token). */
    actor: Actor | undefined;
  }
}

/** The session cookie's name: with the `__Host-` prefix over HTTPS (ASVS 3.4.4), plain over HTTP (development). */
export function sessionCookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? '__Host-halfsky_session' : 'halfsky_session';
}

/** Puts a new session's secret in the cookie: HttpOnly, SameSite=Lax, Secure over HTTPS, path `/`. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
  reply.setCookie(sessionCookieName(request), session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: sessionPolicy.absoluteHours * 3600,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(request), { path: '/', secure: request.protocol === 'https', httpOnly: true, sameSite: 'lax' });
}

/** Looks up the session the request's cookie opens, once per request. */
export async function loadSession(request: FastifyRequest): Promise<CurrentSession | undefined> {
  if (request.session) return request.session;
  const token = request.cookies[sessionCookieName(request)];
  if (!token) return undefined;
  const session = await authenticateSession(request.server.db, token, request.ip);
  request.session = session;
  request.actor = session?.actor;
  return session;
}

/** Compares two secrets in constant time; an empty secret matches nothing (not even another empty one). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected.length === 0) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function forbidden(message: string): DomainError {
  return new DomainError(403, 'csrf', message);
}

/**
 * Refuses a state-changing request from another site: its Origin must be ours (or, without an
 * Origin, the browser must not call it cross-site). Tokens do the rest.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin !== `${request.protocol}://${request.host}`) throw forbidden('This request came from another site.');
    return;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw forbidden('This request came from another site.');
}

/** Refuses a state-changing request whose CSRF token (form field `_csrf` or header `x-csrf-token`) is not the session's. */
export function assertCsrf(request: FastifyRequest, session: CurrentSession): void {
  assertSameOrigin(request);
  const body = request.body as Record<string, unknown> | undefined;
  const fromForm = typeof body?._csrf === 'string' ? body._csrf : undefined;
  const fromHeader = request.headers['x-csrf-token'];
  const given = fromForm ?? (typeof fromHeader === 'string' ? fromHeader : undefined);
  if (!sameSecret(given, session.csrfToken)) {
    throw forbidden('The form has expired or did not come from this site. Reload the page and try again.');
  }
}

/** Tells whether a request changes state (anything but GET, HEAD and OPTIONS). */
export function changesState(request: FastifyRequest): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
}

/**
 * Establishes the actor of an API request: a personal token (`Authorization: Bearer hsk_…`, no CSRF
 * needed), or a session cookie with the CSRF token on state-changing calls. Anything else is 401.
 */
export async function apiActor(request: FastifyRequest): Promise<Actor> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const actor = token ? await authenticateApiToken(request.server.db, token, request.ip) : undefined;
    if (!actor) throw new DomainError(401, 'unauthenticated', 'The API token is not valid, has expired or was revoked.');
    request.actor = actor;
    return actor;
  }
  const session = await loadSession(request);
  if (!session) throw new DomainError(401, 'unauthenticated', 'Sign in, or send a personal API token as a Bearer token.');
  if (changesState(request)) assertCsrf(request, session);
  return session.actor;
}

/**
 * Guards a calendar feed: a calendar token in the address (`?token=hsk_…`), since calendar clients
 * subscribe by address alone and send no header; without one, as the API (a Bearer token or a session).
 */
export async function requireFeedActor(request: FastifyRequest): Promise<void> {
  const token = (request.query as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string' || token === '') {
    await apiActor(request);
    return;
  }
  const actor = await authenticateApiToken(request.server.db, token, request.ip, 'calendar');
  if (!actor) throw new DomainError(401, 'unauthenticated', 'The calendar token is not valid, has expired or was revoked.');
  request.actor = actor;
}

/** Where to go after signing in: only a path inside the workspace, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/workspace(\/[\w\-./?=&%]*)?$/.test(next) && !next.includes('//') ? next : '/workspace';
}

/**
 * Guards every workspace route: no session sends the reader to sign in (and back afterwards);
 * a state-changing request must carry the session's CSRF token from our own origin.
 */
export async function requireWorkspaceSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const session = await loadSession(request);
  if (!session) {
    const next = request.method === 'GET' ? request.url : '/workspace';
    await reply.redirect(`/workspace/sign-in?next=${encodeURIComponent(safeNext(next))}`, 303);
    return;
  }
  if (changesState(request)) assertCsrf(request, session);
  // The navigation shows an area only to those who may use it (Sites: administrators).
  await resolveHeldCapabilities(request.server.db, session.actor);
}

/** The signed-in session of a guarded request. */
export function sessionOf(request: FastifyRequest): CurrentSession {
  if (!request.session) throw new DomainError(401, 'unauthenticated', 'Sign in first.');
  return request.session;
}

/** Guards every API route: a personal token, or a session (with its CSRF token on changes). */
export async function requireApiActor(request: FastifyRequest): Promise<void> {
  await apiActor(request);
}

/** The actor of a guarded request (API or workspace). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError(401, 'unauthenticated', 'Sign in first.');
  return request.actor;
}
