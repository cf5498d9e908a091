import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { demoAccounts } from '../src/db/demo/demo-people.ts';

/** A signed-in browser as the tests drive it: its cookie, its CSRF token, and helpers to make requests. */
export interface SignedInClient {
  cookie: string;
  csrfToken: string;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Posts a form with the session's CSRF token (unless `_csrf` is given) from our own origin. */
  post(url: string, fields?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Calls the JSON API with the session cookie and the CSRF header. */
  api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** The demo account's password for an email, for signing in in tests. */
export function demoPassword(email: string): string {
  const account = demoAccounts.find((candidate) => candidate.email === email);
  if (!account) throw new Error(`no demo account ${email}`);
  return account.password;
}

function hiddenCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the page carries no CSRF field');
  return match[1];
}

function cookieValue(response: LightMyRequestResponse, name: string): string | undefined {
  return response.cookies.find((cookie) => cookie.name === name)?.value;
}

/** Submits the sign-in form as a browser would; returns the response (303 on success). */
export async function submitSignIn(
  app: FastifyInstance,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const form = await app.inject({ url: '/workspace/sign-in', headers });
  const signInCsrf = cookieValue(form, 'halfsky_signin_csrf') ?? '';
  return app.inject({
    method: 'POST',
    url: '/workspace/sign-in',
    headers: { ...headers, cookie: `halfsky_signin_csrf=${signInCsrf}`, origin: 'http://localhost:80' },
    payload: { email, password, _csrf: hiddenCsrf(form.body) },
  });
}

/** Signs in with a demo account (or the given password) and returns a client for that session. */
export async function signIn(app: FastifyInstance, email: string, password = demoPassword(email)): Promise<SignedInClient> {
  const response = await submitSignIn(app, email, password);
  const session = cookieValue(response, 'halfsky_session');
  if (response.statusCode !== 303 || !session) throw new Error(`sign-in as ${email} failed with ${response.statusCode}`);
  const cookie = `halfsky_session=${session}`;
  const dashboard = await app.inject({ url: '/workspace', headers: { cookie } });
  const csrfToken = hiddenCsrf(dashboard.body);
  return {
    cookie,
    csrfToken,
    get: (url) => app.inject({ url, headers: { cookie } }),
    post: (url, fields = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie, origin: 'http://localhost:80' },
        payload: { _csrf: csrfToken, ...fields },
      }),
    api: (method, url, body) =>
      app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        payload: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}
