import type { ComponentChildren, VNode } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './access.ts';
import { CsrfField } from './forms.tsx';
import { renderDocument } from './html.tsx';
import { isLocale, negotiateLocale, t, type Locale, type MessageKey } from './i18n.ts';

/** The sections of the workspace, as its navigation names them. */
export type WorkspaceArea = 'dashboard' | 'organizations' | 'people' | 'executiveMembers' | 'auditLog' | 'accounts' | 'myAccount';

/** The cookie that remembers the workspace language chosen with the language switch. */
export const workspaceLocaleCookie = 'halfsky_lang';

/** The language of a workspace page: the one chosen with the switch, else the account's, else the browser's. */
export function workspaceLocale(request: FastifyRequest): Locale {
  const chosen = request.cookies[workspaceLocaleCookie];
  if (chosen && isLocale(chosen)) return chosen;
  const preferred = request.session?.preferredLocale;
  if (preferred) return preferred;
  return negotiateLocale(request.headers['accept-language'], 'zh');
}

/** What every workspace page needs to frame its content. */
export interface WorkspaceFrame {
  locale: Locale;
  /** Null on the sign-in page. */
  actor: Actor | null;
  csrfToken: string;
  /** The path of this page, so that the language switch can come back to it. */
  path: string;
}

const styles = `
:root{--brand:#a4161a;--ink:#1f1f1f;--muted:#595959;--line:#d9d9d9;--bg:#f6f6f4;--ok:#1b6b35;--bad:#b00020}
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:var(--bg)}
a{color:#7a0f12}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header.ws{background:#2b2b2b;color:#fff}
header.ws .bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;max-width:80rem;margin:0 auto;padding:.6rem 1rem}
header.ws a{color:#fff}header.ws .brand{font-weight:700;text-decoration:none}
header.ws nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.ws nav a{text-decoration:none}header.ws nav a[aria-current]{text-decoration:underline;text-underline-offset:.3em}
header.ws .who{display:flex;gap:.75rem;align-items:center}
header.ws form{margin:0}header.ws button{background:none;border:1px solid #fff;color:#fff;border-radius:3px;padding:.15rem .6rem;cursor:pointer;font:inherit}
main.ws{max-width:80rem;margin:1rem auto;padding:1rem 1.25rem;background:#fff;border:1px solid var(--line);border-radius:4px}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:#fafafa}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0 1rem}
.button,button.primary{display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:3px;padding:.4rem .9rem;text-decoration:none;font:inherit;cursor:pointer}
button.danger{background:var(--bad);color:#fff;border:0;border-radius:3px;padding:.4rem .9rem;font:inherit;cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin-bottom:1rem}
.filters .field{margin:0}
.field{margin:0 0 1rem;display:flex;flex-direction:column;gap:.2rem;max-width:36rem}
.field input,.field select,.field textarea{font:inherit;padding:.35rem .5rem;border:1px solid #8a8a8a;border-radius:3px}
.field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--bad)}
.hint{margin:0;color:var(--muted);font-size:.9rem}.error{margin:0;color:var(--bad);font-weight:600}
.alert{padding:.6rem .9rem;border-radius:3px;margin-bottom:1rem}.alert.error{background:#fdecee;color:var(--bad)}.alert.ok{background:#e8f5ec;color:var(--ok)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.muted{color:var(--muted)}
@media (max-width:40rem){main.ws{margin:.5rem;padding:.75rem}table{font-size:.9rem}}
`;

/** The frame of every workspace page: navigation, account, language switch. */
export function WorkspaceLayout(props: {
  frame: WorkspaceFrame;
  area?: WorkspaceArea;
  title: string;
  notice?: string;
  children: ComponentChildren;
}): VNode {
  const { locale, actor } = props.frame;
  const other: Locale = locale === 'zh' ? 'en' : 'zh';
  const areas: { area: WorkspaceArea; href: string; label: MessageKey; adminOnly?: boolean }[] = [
    { area: 'dashboard', href: '/workspace', label: 'dashboard' },
    { area: 'organizations', href: '/workspace/organizations', label: 'organizations' },
    { area: 'people', href: '/workspace/people', label: 'people' },
    { area: 'executiveMembers', href: '/workspace/executive-members', label: 'executiveMembers' },
    { area: 'auditLog', href: '/workspace/audit', label: 'auditLog', adminOnly: true },
    { area: 'accounts', href: '/workspace/accounts', label: 'accounts', adminOnly: true },
  ];
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} - Halfsky ${t(locale, 'workspace')}`}</title>
        <style dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body>
        <a class="skip" href="#content">
          {t(locale, 'skipToContent')}
        </a>
        <header class="ws">
          <div class="bar">
            <a class="brand" href="/workspace">
              Halfsky · {t(locale, 'workspace')}
            </a>
            {actor ? (
              <nav aria-label={t(locale, 'mainNavigation')}>
                <ul>
                  {areas
                    .filter((entry) => !entry.adminOnly || actor.isPlatformAdmin)
                    .map((entry) => (
                      <li>
                        <a href={entry.href} aria-current={entry.area === props.area ? 'page' : undefined}>
                          {t(locale, entry.label)}
                        </a>
                      </li>
                    ))}
                </ul>
              </nav>
            ) : null}
            <div class="who">
              <a href={`/workspace/language/${other}?next=${encodeURIComponent(props.frame.path)}`} lang={other === 'zh' ? 'zh-CN' : 'en'}>
                {t(other, 'languageName')}
              </a>
              {actor ? (
                <>
                  <a href="/workspace/account" aria-current={props.area === 'myAccount' ? 'page' : undefined}>
                    {actor.displayName}
                  </a>
                  <form method="post" action="/workspace/sign-out">
                    <CsrfField token={props.frame.csrfToken} />
                    <button type="submit">{t(locale, 'signOut')}</button>
                  </form>
                </>
              ) : null}
            </div>
          </div>
        </header>
        <main id="content" class="ws">
          {props.notice ? (
            <div class="alert ok" role="status">
              {props.notice}
            </div>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Sends a rendered workspace page; workspace pages are private and never cached. */
export function sendWorkspacePage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(renderDocument(page));
}

/** An error page inside the workspace frame, in the reader's language. */
export function WorkspaceErrorView(props: { frame: WorkspaceFrame; status: number }): VNode {
  const { locale } = props.frame;
  const [title, text]: [MessageKey, MessageKey] =
    props.status === 404
      ? ['notFoundTitle', 'notFoundText']
      : props.status === 403
        ? ['forbiddenTitle', 'forbiddenText']
        : props.status < 500
          ? ['badRequestTitle', 'badRequestText']
          : ['serverErrorTitle', 'serverErrorText'];
  return (
    <WorkspaceLayout frame={props.frame} title={t(locale, title)}>
      <h1>{t(locale, title)}</h1>
      <p>{t(locale, text)}</p>
      <p>
        <a href="/workspace">{t(locale, 'dashboard')}</a>
      </p>
    </WorkspaceLayout>
  );
}

/** The workspace error page for a request, framed for whoever is signed in (or nobody). */
export function workspaceErrorPage(request: FastifyRequest, status: number): VNode {
  const frame: WorkspaceFrame = {
    locale: workspaceLocale(request),
    actor: request.session?.actor ?? null,
    csrfToken: request.session?.csrfToken ?? '',
    path: request.url,
  };
  return <WorkspaceErrorView frame={frame} status={status} />;
}
