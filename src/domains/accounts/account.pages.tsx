import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import {
  assertSameOrigin,
  clearSessionCookie,
  loadSession,
  requireWorkspaceSession,
  safeNext,
  sameSecret,
  sessionOf,
  setSessionCookie,
} from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { formatDateTime } from '../../platform/time.ts';
import {
  sendWorkspacePage,
  workspaceLocale,
  workspaceLocaleCookie,
  WorkspaceLayout,
  type WorkspaceFrame,
} from '../../platform/workspace-layout.tsx';
import * as accountService from './account.service.ts';
import { apiTokenForm, apiTokenParams, changePasswordForm, languageParams, signInForm } from './account.schema.ts';
import { listMemberships } from './account.repository.ts';
import { apiTokenScopes, type ApiTokenScope } from './account.table.ts';

const signInCsrfCookie = 'halfsky_signin_csrf';
const timeZone = 'Asia/Shanghai';

/** The frame of a signed-in workspace page. */
export function workspaceFrame(request: FastifyRequest): WorkspaceFrame {
  const session = sessionOf(request);
  return { locale: workspaceLocale(request), actor: session.actor, csrfToken: session.csrfToken, path: request.url };
}

function SignInView(props: { locale: Locale; form: FormState; csrfToken: string; path: string }): VNode {
  const { locale, form } = props;
  return (
    <WorkspaceLayout frame={{ locale, actor: null, csrfToken: props.csrfToken, path: props.path }} title={t(locale, 'signIn')}>
      <h1>{t(locale, 'signIn')}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action="/workspace/sign-in" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="next" value={form.values.next ?? ''} />
        <TextField name="email" type="email" label={t(locale, 'email')} form={form} required autocomplete="username" />
        <TextField name="password" type="password" label={t(locale, 'password')} form={form} required autocomplete="current-password" />
        <button class="primary" type="submit">
          {t(locale, 'signIn')}
        </button>
      </form>
    </WorkspaceLayout>
  );
}

function sendSignIn(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number): FastifyReply {
  const csrfToken = accountService.newSecret();
  reply.setCookie(signInCsrfCookie, csrfToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/workspace/sign-in',
  });
  return sendWorkspacePage(
    reply,
    <SignInView locale={workspaceLocale(request)} form={form} csrfToken={csrfToken} path={request.url} />,
    status,
  );
}

/** A section another domain adds to the signed-in dashboard (the agreements domain adds what falls due). */
export type DashboardSection = (request: FastifyRequest, locale: Locale) => Promise<VNode | null>;

const dashboardSections: DashboardSection[] = [];

/** Lets another domain show something on the signed-in dashboard, after the reader's roles. */
export function addDashboardSection(section: DashboardSection): void {
  dashboardSections.push(section);
}

function DashboardView(props: {
  frame: WorkspaceFrame;
  memberships: Awaited<ReturnType<typeof listMemberships>>;
  extras: (VNode | null)[];
}): VNode {
  const { frame } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="dashboard" title={t(locale, 'dashboard')}>
      <h1>{t(locale, 'dashboard')}</h1>
      <p>
        {t(locale, 'signedInAs')}
        <strong>{frame.actor?.displayName}</strong>
      </p>
      <h2>{localized(locale, '我的角色', 'My roles')}</h2>
      {props.memberships.length > 0 || frame.actor?.isPlatformAdmin ? (
        <ul>
          {frame.actor?.isPlatformAdmin ? <li>{localized(locale, '平台管理员', 'Platform administrator')}</li> : null}
          {props.memberships.map((membership) => (
            <li>
              <a href={`/workspace/organizations/${membership.organization_id}`}>
                {localized(locale, membership.name_zh, membership.name_en)}
              </a>
              {' · '}
              {t(locale, `role_${membership.role}`)}
            </li>
          ))}
        </ul>
      ) : (
        <p>{localized(locale, '您还没有任何组织的角色，请联系管理员。', 'You hold no role in any organization yet; ask an administrator.')}</p>
      )}
      {props.extras}
      <h2>{localized(locale, '常用', 'Start here')}</h2>
      <ul>
        <li>
          <a href="/workspace/organizations">{t(locale, 'organizations')}</a>
        </li>
        <li>
          <a href="/workspace/people">{t(locale, 'people')}</a>
        </li>
        <li>
          <a href="/workspace/executive-members">{t(locale, 'executiveMembers')}</a>
        </li>
      </ul>
    </WorkspaceLayout>
  );
}

function scopeLabel(locale: Locale, scope: ApiTokenScope): string {
  return scope === 'calendar' ? localized(locale, '订阅活动日历', 'Subscribing to the activities’ calendar') : localized(locale, 'JSON API', 'The JSON API');
}

function AccountView(props: {
  frame: WorkspaceFrame;
  sessions: Awaited<ReturnType<typeof accountService.listMySessions>>;
  tokens: Awaited<ReturnType<typeof accountService.listMyApiTokens>>;
  passwordForm: FormState;
  tokenForm: FormState;
  /** A token just made, shown once: for a calendar token, the feed's address that carries it. */
  newToken?: { token: string; scope: ApiTokenScope; feedUrl: string };
  notice?: string;
}): VNode {
  const { frame } = props;
  const { locale } = frame;
  const when = (date: Date | null) => (date ? formatDateTime(date, timeZone) : '—');
  return (
    <WorkspaceLayout frame={frame} area="myAccount" title={t(locale, 'myAccount')} notice={props.notice}>
      <h1>{t(locale, 'myAccount')}</h1>
      <h2 id="sessions">{localized(locale, '登录会话', 'Sessions')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{localized(locale, '设备', 'Device')}</th>
            <th scope="col">{localized(locale, '地址', 'Address')}</th>
            <th scope="col">{localized(locale, '登录时间', 'Signed in')}</th>
            <th scope="col">{localized(locale, '最近活动', 'Last active')}</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((session) => (
            <tr>
              <td>
                {session.user_agent || '—'}
                {session.current ? <strong> ({localized(locale, '当前', 'this one')})</strong> : null}
              </td>
              <td>{session.ip}</td>
              <td>{when(session.created_at)}</td>
              <td>{when(session.last_seen_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/workspace/account/sign-out-others" class="actions">
        <CsrfField token={frame.csrfToken} />
        <button class="primary" type="submit">
          {localized(locale, '退出其他所有会话', 'Sign out everywhere else')}
        </button>
      </form>

      <h2 id="password">{localized(locale, '修改密码', 'Change password')}</h2>
      <FormErrorSummary form={props.passwordForm} locale={locale} />
      <form method="post" action="/workspace/account/password" novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="currentPassword" type="password" label={localized(locale, '当前密码', 'Current password')} form={props.passwordForm} required autocomplete="current-password" />
        <TextField
          name="newPassword"
          type="password"
          label={localized(locale, '新密码', 'New password')}
          hint={localized(locale, '至少 12 个字符。', 'At least 12 characters.')}
          form={props.passwordForm}
          required
          autocomplete="new-password"
        />
        <TextField name="repeatPassword" type="password" label={localized(locale, '再次输入新密码', 'New password again')} form={props.passwordForm} required autocomplete="new-password" />
        <button class="primary" type="submit">
          {localized(locale, '修改密码', 'Change password')}
        </button>
      </form>

      <h2 id="tokens">{localized(locale, 'API 令牌', 'API tokens')}</h2>
      <p class="muted">
        {localized(
          locale,
          '供外部系统调用 JSON API：请求头 Authorization: Bearer <令牌>。日历令牌只用于在日历软件中订阅活动日历，它写在订阅地址里，除此之外什么也不能读。令牌只显示一次。',
          'For integrations calling the JSON API: send Authorization: Bearer <token>. A calendar token is for subscribing to the activities’ calendar in a calendar app: it goes in the feed’s address and reads nothing else. A token is shown once only.',
        )}
      </p>
      {props.newToken ? (
        <div class="alert ok" role="status">
          {props.newToken.scope === 'calendar' ? (
            <>
              {localized(locale, '日历订阅地址（请立即复制到日历软件）：', 'Calendar address (copy it into your calendar app now): ')}
              <code>{props.newToken.feedUrl}</code>
            </>
          ) : (
            <>
              {localized(locale, '新令牌（请立即复制）：', 'New token (copy it now): ')}
              <code>{props.newToken.token}</code>
            </>
          )}
        </div>
      ) : null}
      {props.tokens.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '名称', 'Name')}</th>
              <th scope="col">{localized(locale, '用途', 'For')}</th>
              <th scope="col">{localized(locale, '到期', 'Expires')}</th>
              <th scope="col">{localized(locale, '最近使用', 'Last used')}</th>
              <th scope="col">{t(locale, 'action')}</th>
            </tr>
          </thead>
          <tbody>
            {props.tokens.map((token) => (
              <tr>
                <td>{token.name}</td>
                <td>{scopeLabel(locale, token.scope)}</td>
                <td>{when(token.expires_at)}</td>
                <td>{when(token.last_used_at)}</td>
                <td>
                  {token.revoked_at ? (
                    localized(locale, '已撤销', 'Revoked')
                  ) : (
                    <form method="post" action={`/workspace/account/tokens/${token.id}/revoke`}>
                      <CsrfField token={frame.csrfToken} />
                      <button class="danger" type="submit">
                        {localized(locale, '撤销', 'Revoke')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <FormErrorSummary form={props.tokenForm} locale={locale} />
      <form method="post" action="/workspace/account/tokens" novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="name" label={localized(locale, '令牌名称', 'Token name')} form={props.tokenForm} required />
        <SelectField
          name="days"
          label={localized(locale, '有效期', 'Valid for')}
          form={props.tokenForm}
          options={[30, 90, 365].map((days) => ({ value: String(days), label: localized(locale, `${days} 天`, `${days} days`) }))}
        />
        <SelectField
          name="scope"
          label={localized(locale, '用途', 'For')}
          form={props.tokenForm}
          options={apiTokenScopes.map((scope) => ({ value: scope, label: scopeLabel(locale, scope) }))}
        />
        <button class="primary" type="submit">
          {localized(locale, '创建令牌', 'Create token')}
        </button>
      </form>
    </WorkspaceLayout>
  );
}

async function sendAccountPage(
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { passwordForm?: FormState; tokenForm?: FormState; newToken?: { token: string; scope: ApiTokenScope; feedUrl: string }; notice?: string; status?: number } = {},
): Promise<FastifyReply> {
  const session = sessionOf(request);
  const [sessions, tokens] = await Promise.all([
    accountService.listMySessions(request.server.db, session),
    accountService.listMyApiTokens(request.server.db, session.actor),
  ]);
  return sendWorkspacePage(
    reply,
    <AccountView
      frame={workspaceFrame(request)}
      sessions={sessions}
      tokens={tokens}
      passwordForm={extra.passwordForm ?? formState()}
      tokenForm={extra.tokenForm ?? formState({ days: 90, scope: 'api' })}
      newToken={extra.newToken}
      notice={extra.notice}
    />,
    extra.status,
  );
}

/** Sign-in, sign-out, the language switch, the dashboard and the account's own page. */
export const accountPages: FastifyPluginAsync = async (app) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/workspace/sign-in', async (request, reply) => {
    if (await loadSession(request)) return reply.redirect('/workspace', 303);
    const next = (request.query as Record<string, unknown>).next;
    return sendSignIn(request, reply, formState({ next: safeNext(next) }), 200);
  });

  routes.post('/workspace/sign-in', async (request, reply) => {
    assertSameOrigin(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!sameSecret(typeof body._csrf === 'string' ? body._csrf : undefined, request.cookies[signInCsrfCookie] ?? '')) {
      throw new DomainError(403, 'csrf', 'The form has expired or did not come from this site. Reload the page and try again.');
    }
    const locale = workspaceLocale(request);
    const parsed = parseForm(signInForm, body, locale);
    if (!parsed.ok) return sendSignIn(request, reply, parsed.form, 400);
    try {
      const session = await accountService.signIn(app.db, {
        email: parsed.value.email,
        password: parsed.value.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      // Signing in again from a signed-in browser replaces the session rather than leaving the old one open.
      const previous = await loadSession(request);
      if (previous) await accountService.signOut(app.db, previous);
      setSessionCookie(request, reply, session);
      reply.clearCookie(signInCsrfCookie, { path: '/workspace/sign-in' });
      return reply.redirect(safeNext(parsed.value.next), 303);
    } catch (error) {
      const form: FormState = { values: { email: parsed.value.email, next: safeNext(parsed.value.next) }, errors: {} };
      if (error instanceof accountService.TooManyAttempts) {
        form.errors._form = t(locale, 'tooManyAttempts', { minutes: Math.ceil(error.retryAfterSeconds / 60) });
        reply.header('retry-after', String(error.retryAfterSeconds));
        return sendSignIn(request, reply, form, 429);
      }
      if (error instanceof DomainError && error.code === 'invalid_credentials') {
        form.errors._form = t(locale, 'invalidCredentials');
        return sendSignIn(request, reply, form, 401);
      }
      throw error;
    }
  });

  routes.get('/workspace/language/:locale', { schema: { params: languageParams } }, async (request, reply) => {
    reply.setCookie(workspaceLocaleCookie, request.params.locale, {
      path: '/workspace',
      sameSite: 'lax',
      httpOnly: true,
      secure: request.protocol === 'https',
      maxAge: 365 * 86_400,
    });
    return reply.redirect(safeNext((request.query as Record<string, unknown>).next), 303);
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireWorkspaceSession);
    const guarded = signedIn.withTypeProvider<ZodTypeProvider>();

    guarded.post('/workspace/sign-out', async (request, reply) => {
      await accountService.signOut(app.db, sessionOf(request));
      clearSessionCookie(request, reply);
      return reply.redirect('/workspace/sign-in', 303);
    });

    guarded.get('/workspace', async (request, reply) => {
      const frame = workspaceFrame(request);
      const [memberships, extras] = await Promise.all([
        listMemberships(app.db, sessionOf(request).actor.userId),
        Promise.all(dashboardSections.map((section) => section(request, frame.locale))),
      ]);
      return sendWorkspacePage(reply, <DashboardView frame={frame} memberships={memberships} extras={extras} />);
    });

    guarded.get('/workspace/account', async (request, reply) => sendAccountPage(request, reply));

    guarded.post('/workspace/account/sign-out-others', async (request, reply) => {
      const ended = await accountService.signOutEverywhereElse(app.db, sessionOf(request));
      const locale = workspaceLocale(request);
      return sendAccountPage(request, reply, {
        notice: localized(locale, `已退出其他 ${ended} 个会话。`, `Signed out of ${ended} other session(s).`),
      });
    });

    guarded.post('/workspace/account/password', async (request, reply) => {
      const locale = workspaceLocale(request);
      const parsed = parseForm(changePasswordForm, request.body, locale);
      if (!parsed.ok) return sendAccountPage(request, reply, { passwordForm: parsed.form, status: 400 });
      try {
        await accountService.changePassword(app.db, sessionOf(request), parsed.value);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'wrong_password') {
          const form = formState();
          form.errors.currentPassword = localized(locale, '当前密码不正确。', 'The current password is not right.');
          return sendAccountPage(request, reply, { passwordForm: form, status: 400 });
        }
        throw error;
      }
      return sendAccountPage(request, reply, {
        notice: localized(locale, '密码已修改，其他会话已退出。', 'Password changed; your other sessions were signed out.'),
      });
    });

    guarded.post('/workspace/account/tokens', async (request, reply) => {
      const parsed = parseForm(apiTokenForm, request.body, workspaceLocale(request));
      if (!parsed.ok) return sendAccountPage(request, reply, { tokenForm: parsed.form, status: 400 });
      const created = await accountService.createApiToken(app.db, sessionOf(request).actor, parsed.value);
      const feedUrl = `${request.protocol}://${request.host}/api/v1/activities.ics?token=${encodeURIComponent(created.token)}`;
      return sendAccountPage(request, reply, { newToken: { token: created.token, scope: created.scope, feedUrl } });
    });

    guarded.post('/workspace/account/tokens/:id/revoke', { schema: { params: apiTokenParams } }, async (request, reply) => {
      await accountService.revokeApiToken(app.db, sessionOf(request).actor, request.params.id);
      return reply.redirect('/workspace/account#tokens', 303);
    });
  });
};
