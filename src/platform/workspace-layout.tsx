import type { ComponentChildren, VNode } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Capability } from './access.ts';
import { assetHref } from './assets.ts';
import { CsrfField } from './forms.tsx';
import { renderDocument } from './html.tsx';
import { isLocale, negotiateLocale, t, type Locale, type MessageKey } from './i18n.ts';

/** The sections of the workspace, as its navigation names them. */
export type WorkspaceArea =
  | 'dashboard'
  | 'articles'
  | 'media'
  | 'organizations'
  | 'people'
  | 'places'
  | 'activities'
  | 'facilities'
  | 'agreements'
  | 'executiveMembers'
  | 'sites'
  | 'auditLog'
  | 'accounts'
  | 'myAccount';

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
  const areas: { area: WorkspaceArea; href: string; label: MessageKey; adminOnly?: boolean; needs?: Capability }[] = [
    { area: 'dashboard', href: '/workspace', label: 'dashboard' },
    { area: 'articles', href: '/workspace/articles', label: 'newsroom' },
    { area: 'media', href: '/workspace/media', label: 'media', needs: 'write_articles' },
    { area: 'organizations', href: '/workspace/organizations', label: 'organizations' },
    { area: 'people', href: '/workspace/people', label: 'people' },
    { area: 'places', href: '/workspace/places', label: 'places' },
    { area: 'activities', href: '/workspace/activities', label: 'activities' },
    { area: 'facilities', href: '/workspace/facilities', label: 'facilities' },
    { area: 'agreements', href: '/workspace/agreements', label: 'agreements' },
    { area: 'executiveMembers', href: '/workspace/executive-members', label: 'executiveMembers' },
    { area: 'sites', href: '/workspace/sites', label: 'sites', needs: 'manage_site' },
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
        <link rel="stylesheet" href={assetHref('workspace.css')} />
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
                    .filter((entry) => !entry.needs || actor.isPlatformAdmin || actor.heldCapabilities?.has(entry.needs))
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
