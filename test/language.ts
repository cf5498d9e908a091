import type { FastifyInstance } from 'fastify';
import type { Locale } from '../src/platform/i18n.ts';
import type { SignedInClient } from './workspace.ts';

/** The same signed-in browser with the workspace language switched to `locale` (the language cookie). */
export function inLanguage(app: FastifyInstance, client: SignedInClient, locale: Locale): SignedInClient {
  const cookie = `${client.cookie.replace(/; halfsky_lang=\w+/, '')}; halfsky_lang=${locale}`;
  return {
    cookie,
    csrfToken: client.csrfToken,
    get: (url) => app.inject({ url, headers: { cookie } }),
    post: (url, fields = {}) =>
      app.inject({ method: 'POST', url, headers: { cookie, origin: 'http://localhost:80' }, payload: { _csrf: client.csrfToken, ...fields } }),
    api: client.api,
  };
}
