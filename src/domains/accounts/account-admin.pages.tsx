import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { roles } from '../../platform/access.ts';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { formatDateTime } from '../../platform/time.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { organizationOptions } from '../organizations/organization.pages.tsx';
import * as organizationService from '../organizations/organization.service.ts';
import { workspaceFrame } from './account.pages.tsx';
import * as accountService from './account.service.ts';
import type { Account, AccountMembership } from './account.service.ts';
import { accountParams, accountStatusForm, membershipForm, membershipParams, newAccountForm, resetPasswordForm } from './account.schema.ts';

const timeZone = 'Asia/Shanghai';

type Options = { value: string; label: string }[];

function roleOptions(locale: Locale, emptyLabel?: string): Options {
  const options = roles.map((role) => ({ value: role, label: t(locale, `role_${role}`) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

function statusLabel(locale: Locale, status: Account['status']): string {
  return status === 'active' ? localized(locale, '正常', 'Active') : localized(locale, '已停用', 'Disabled');
}

function membershipLabel(locale: Locale, membership: AccountMembership): string {
  return `${localized(locale, membership.nameZh, membership.nameEn)} · ${t(locale, `role_${membership.role}`)}`;
}

function yesNo(locale: Locale, value: boolean): string {
  return value ? localized(locale, '是', 'Yes') : localized(locale, '否', 'No');
}

function ListView(props: { frame: WorkspaceFrame; accounts: Account[] }): VNode {
  const { frame, accounts } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="accounts" title={t(locale, 'accounts')}>
      <h1>{t(locale, 'accounts')}</h1>
      <p class="actions">
        <a class="button" href="/workspace/accounts/new">
          {t(locale, 'create')}
        </a>
        <span class="muted">{localized(locale, `共 ${accounts.length} 个`, `${accounts.length} in all`)}</span>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t(locale, 'email')}</th>
            <th scope="col">{localized(locale, '姓名', 'Name')}</th>
            <th scope="col">{localized(locale, '状态', 'Status')}</th>
            <th scope="col">{localized(locale, '平台管理员', 'Platform administrator')}</th>
            <th scope="col">{localized(locale, '角色', 'Roles')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr>
              <td>
                <a href={`/workspace/accounts/${account.id}`}>{account.email}</a>
              </td>
              <td>{account.displayName}</td>
              <td>{statusLabel(locale, account.status)}</td>
              <td>{yesNo(locale, account.isPlatformAdmin)}</td>
              <td>{account.memberships.length > 0 ? account.memberships.map((m) => membershipLabel(locale, m)).join('; ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </WorkspaceLayout>
  );
}

function PlatformAdminCheckbox(props: { locale: Locale; form: FormState }): VNode {
  const checked = props.form.values.isPlatformAdmin === 'on' || props.form.values.isPlatformAdmin === 'true';
  return (
    <div class="field">
      <label for="isPlatformAdmin">
        <input id="isPlatformAdmin" name="isPlatformAdmin" type="checkbox" checked={checked} aria-describedby="isPlatformAdmin-hint" />{' '}
        {localized(props.locale, '平台管理员', 'Platform administrator')}
      </label>
      <p class="hint" id="isPlatformAdmin-hint">
        {localized(props.locale, '可管理所有妇联的全部记录、账户和操作日志。', 'May manage every federation’s records, the accounts and the audit log.')}
      </p>
    </div>
  );
}

function NewAccountView(props: { frame: WorkspaceFrame; form: FormState; organizations: Options }): VNode {
  const { frame, form } = props;
  const { locale } = frame;
  const title = localized(locale, '新建账户', 'New account');
  return (
    <WorkspaceLayout frame={frame} area="accounts" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/accounts">{t(locale, 'accounts')}</a>
      </nav>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action="/workspace/accounts" novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="email" type="email" label={t(locale, 'email')} form={form} required autocomplete="off" />
        <TextField name="displayName" label={localized(locale, '显示名称', 'Display name')} form={form} required autocomplete="off" />
        <TextField
          name="password"
          type="password"
          label={localized(locale, '初始密码', 'Initial password')}
          hint={localized(locale, '至少 12 个字符；请通过安全渠道告知本人。', 'At least 12 characters; give it to the person by a safe channel.')}
          form={form}
          required
          autocomplete="new-password"
        />
        <PlatformAdminCheckbox locale={locale} form={form} />
        <SelectField name="organizationId" label={t(locale, 'organization')} form={form} options={props.organizations} />
        <SelectField name="role" label={localized(locale, '角色', 'Role')} form={form} options={roleOptions(locale, t(locale, 'none'))} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'create')}
          </button>
          <a href="/workspace/accounts">{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

/** The forms of the account page, each with what was typed and its messages when it did not pass. */
interface DetailForms {
  membershipForm?: FormState;
  passwordForm?: FormState;
  notice?: string;
  error?: string;
}

function MembershipRow(props: { frame: WorkspaceFrame; account: Account; membership: AccountMembership }): VNode {
  const { frame, account, membership } = props;
  const { locale } = frame;
  const name = localized(locale, membership.nameZh, membership.nameEn);
  const selectId = `role-${membership.organizationId}`;
  return (
    <tr>
      <td>
        <a href={`/workspace/organizations/${membership.organizationId}`}>{name}</a>
      </td>
      <td>
        <form method="post" action={`/workspace/accounts/${account.id}/memberships`} class="actions">
          <CsrfField token={frame.csrfToken} />
          <input type="hidden" name="organizationId" value={String(membership.organizationId)} />
          <select id={selectId} name="role" aria-label={localized(locale, `在“${name}”的角色`, `Role on ${name}`)}>
            {roleOptions(locale).map((option) => (
              <option value={option.value} selected={option.value === membership.role}>
                {option.label}
              </option>
            ))}
          </select>
          <button type="submit">{localized(locale, '更改', 'Change')}</button>
        </form>
      </td>
      <td>
        <a href={`/workspace/accounts/${account.id}/memberships/${membership.organizationId}/remove`}>{localized(locale, '移除', 'Remove')}</a>
      </td>
    </tr>
  );
}

function DetailView(props: { frame: WorkspaceFrame; account: Account; organizations: Options } & DetailForms): VNode {
  const { frame, account } = props;
  const { locale } = frame;
  const when = (date: Date) => formatDateTime(date, timeZone);
  const membershipForm = props.membershipForm ?? formState({ role: 'viewer' });
  const passwordForm = props.passwordForm ?? formState();
  return (
    <WorkspaceLayout frame={frame} area="accounts" title={account.displayName} notice={props.notice}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/accounts">{t(locale, 'accounts')}</a>
      </nav>
      <h1>{account.displayName}</h1>
      {props.error ? (
        <div class="alert error" role="alert">
          {props.error}
        </div>
      ) : null}
      <dl class="facts">
        <dt>{t(locale, 'email')}</dt>
        <dd>{account.email}</dd>
        <dt>{localized(locale, '状态', 'Status')}</dt>
        <dd>{statusLabel(locale, account.status)}</dd>
        <dt>{localized(locale, '平台管理员', 'Platform administrator')}</dt>
        <dd>{yesNo(locale, account.isPlatformAdmin)}</dd>
        <dt>{localized(locale, '创建时间', 'Created')}</dt>
        <dd>{when(account.createdAt)}</dd>
        <dt>{localized(locale, '密码设置时间', 'Password set')}</dt>
        <dd>{when(account.passwordChangedAt)}</dd>
      </dl>
      <p class="actions">
        <a href={`/workspace/audit?actor=${account.id}`}>{localized(locale, '此账户的操作', 'What this account did')}</a>
        <a href={`/workspace/audit?entityType=user_account&entityId=${account.id}`}>{t(locale, 'history')}</a>
      </p>

      <h2 id="roles">{localized(locale, '角色', 'Roles')}</h2>
      {account.memberships.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(locale, 'organization')}</th>
              <th scope="col">{localized(locale, '角色', 'Role')}</th>
              <th scope="col">{t(locale, 'action')}</th>
            </tr>
          </thead>
          <tbody>
            {account.memberships.map((membership) => (
              <MembershipRow frame={frame} account={account} membership={membership} />
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{localized(locale, '尚无任何组织的角色。', 'No role in any organization yet.')}</p>
      )}
      <h3>{localized(locale, '添加或更改角色', 'Add or change a role')}</h3>
      <FormErrorSummary form={membershipForm} locale={locale} />
      <form method="post" action={`/workspace/accounts/${account.id}/memberships`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <SelectField name="organizationId" label={t(locale, 'organization')} form={membershipForm} options={props.organizations} required />
        <SelectField name="role" label={localized(locale, '角色', 'Role')} form={membershipForm} options={roleOptions(locale)} required />
        <button class="primary" type="submit">
          {t(locale, 'save')}
        </button>
      </form>

      <h2 id="status">{localized(locale, '账户状态', 'Account status')}</h2>
      {account.status === 'active' ? (
        <p class="actions">
          <a class="button" href={`/workspace/accounts/${account.id}/disable`}>
            {localized(locale, '停用账户', 'Disable the account')}
          </a>
          <span class="muted">{localized(locale, '停用后其所有会话立即结束。', 'Disabling ends all its sessions at once.')}</span>
        </p>
      ) : (
        <form method="post" action={`/workspace/accounts/${account.id}/status`} class="actions">
          <CsrfField token={frame.csrfToken} />
          <input type="hidden" name="status" value="active" />
          <button class="primary" type="submit">
            {localized(locale, '启用账户', 'Enable the account')}
          </button>
        </form>
      )}

      <h2 id="password">{localized(locale, '重置密码', 'Reset the password')}</h2>
      <p class="muted">{localized(locale, '重置后该账户的所有会话立即结束。', 'Resetting ends all the account’s sessions at once.')}</p>
      <FormErrorSummary form={passwordForm} locale={locale} />
      <form method="post" action={`/workspace/accounts/${account.id}/password`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField
          name="password"
          type="password"
          label={localized(locale, '新密码', 'New password')}
          hint={localized(locale, '至少 12 个字符。', 'At least 12 characters.')}
          form={passwordForm}
          required
          autocomplete="new-password"
        />
        <TextField name="repeatPassword" type="password" label={localized(locale, '再次输入新密码', 'New password again')} form={passwordForm} required autocomplete="new-password" />
        <button class="primary" type="submit">
          {localized(locale, '重置密码', 'Reset the password')}
        </button>
      </form>
    </WorkspaceLayout>
  );
}

function ConfirmView(props: { frame: WorkspaceFrame; account: Account; title: string; text: string; action: string; fields?: Record<string, string> }): VNode {
  const { frame, account } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="accounts" title={props.title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/accounts">{t(locale, 'accounts')}</a>
        {' › '}
        <a href={`/workspace/accounts/${account.id}`}>{account.displayName}</a>
      </nav>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <form method="post" action={props.action} class="actions">
        <CsrfField token={frame.csrfToken} />
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button class="danger" type="submit">
          {props.title}
        </button>
        <a href={`/workspace/accounts/${account.id}`}>{t(locale, 'cancel')}</a>
      </form>
    </WorkspaceLayout>
  );
}

/** Puts a service's refusal of a form's content beside the field it concerns; undefined for anything else. */
function formWithServiceError(form: FormState, error: unknown): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error.code === 'conflict' ? 'email' : error.code === 'unknown_organization' ? 'organizationId' : '_form';
  return { values: form.values, errors: { ...form.errors, [field]: error.message } };
}

/** The workspace pages where platform administrators manage accounts; anyone else is told "not found". */
export const accountAdminPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);
  app.addHook('preHandler', async (request) => {
    // Without a session the first hook has sent the reader to sign in.
    if (request.actor && !request.actor.isPlatformAdmin) throw notFound();
  });

  async function organizationChoices(request: FastifyRequest, emptyLabel?: string): Promise<Options> {
    const choices = await organizationService.listOrganizationChoices(app.db, actorOf(request));
    return organizationOptions(workspaceFrame(request).locale, choices, emptyLabel);
  }

  async function sendNewForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number) {
    const frame = workspaceFrame(request);
    const organizations = await organizationChoices(request, t(frame.locale, 'none'));
    return sendWorkspacePage(reply, <NewAccountView frame={frame} form={form} organizations={organizations} />, status);
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, forms: DetailForms = {}, status = 200) {
    const frame = workspaceFrame(request);
    const [account, organizations] = await Promise.all([
      accountService.getAccount(app.db, actorOf(request), id),
      organizationChoices(request, localized(frame.locale, '请选择', 'Choose…')),
    ]);
    return sendWorkspacePage(reply, <DetailView frame={frame} account={account} organizations={organizations} {...forms} />, status);
  }

  app.get('/workspace/accounts', async (request, reply) => {
    const accounts = await accountService.listAccounts(app.db, actorOf(request));
    return sendWorkspacePage(reply, <ListView frame={workspaceFrame(request)} accounts={accounts} />);
  });

  app.get('/workspace/accounts/new', async (request, reply) => sendNewForm(request, reply, formState(), 200));

  app.post('/workspace/accounts', async (request, reply) => {
    const parsed = parseForm(newAccountForm, request.body, workspaceFrame(request).locale);
    if (!parsed.ok) return sendNewForm(request, reply, parsed.form, 400);
    const { organizationId, role, ...account } = parsed.value;
    try {
      const id = await accountService.createAccount(app.db, actorOf(request), {
        ...account,
        memberships: organizationId !== undefined && role !== undefined ? [{ organizationId, role }] : [],
      });
      return reply.redirect(`/workspace/accounts/${id}`, 303);
    } catch (error) {
      const form = formWithServiceError(formState({ ...parsed.value, isPlatformAdmin: parsed.value.isPlatformAdmin ? 'on' : '', password: '' }), error);
      if (!form) throw error;
      return sendNewForm(request, reply, form, (error as DomainError).status);
    }
  });

  app.get('/workspace/accounts/:id', { schema: { params: accountParams } }, async (request, reply) =>
    sendDetail(request, reply, request.params.id),
  );

  app.post('/workspace/accounts/:id/memberships', { schema: { params: accountParams } }, async (request, reply) => {
    const { id } = request.params;
    const locale = workspaceFrame(request).locale;
    const parsed = parseForm(membershipForm, request.body, locale);
    if (!parsed.ok) return sendDetail(request, reply, id, { membershipForm: parsed.form }, 400);
    try {
      const changed = await accountService.setMembership(app.db, actorOf(request), id, parsed.value);
      return sendDetail(request, reply, id, { notice: changed ? t(locale, 'saved') : localized(locale, '没有变化。', 'Nothing changed.') });
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error);
      if (!form) throw error;
      return sendDetail(request, reply, id, { membershipForm: form }, (error as DomainError).status);
    }
  });

  app.get('/workspace/accounts/:id/memberships/:organizationId/remove', { schema: { params: membershipParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const account = await accountService.getAccount(app.db, actorOf(request), request.params.id);
    const membership = account.memberships.find((m) => m.organizationId === request.params.organizationId);
    if (!membership) throw notFound();
    const title = localized(locale, '移除角色', 'Remove the role');
    const text = localized(
      locale,
      `确定要移除“${account.displayName}”在“${membership.nameZh}”的角色（${t(locale, `role_${membership.role}`)}）吗？`,
      `Remove ${account.displayName}’s role (${t(locale, `role_${membership.role}`)}) on ${membership.nameEn}?`,
    );
    const action = `/workspace/accounts/${account.id}/memberships/${membership.organizationId}/remove`;
    return sendWorkspacePage(reply, <ConfirmView frame={frame} account={account} title={title} text={text} action={action} />);
  });

  app.post('/workspace/accounts/:id/memberships/:organizationId/remove', { schema: { params: membershipParams } }, async (request, reply) => {
    const { id, organizationId } = request.params;
    await accountService.removeMembership(app.db, actorOf(request), id, organizationId);
    return sendDetail(request, reply, id, { notice: localized(workspaceFrame(request).locale, '角色已移除。', 'The role was removed.') });
  });

  app.get('/workspace/accounts/:id/disable', { schema: { params: accountParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const account = await accountService.getAccount(app.db, actorOf(request), request.params.id);
    const title = localized(locale, '停用账户', 'Disable the account');
    const text = localized(
      locale,
      `确定要停用“${account.displayName}”（${account.email}）吗？其所有会话将立即结束，之后无法登录，直到重新启用。`,
      `Disable ${account.displayName} (${account.email})? All its sessions end at once, and it cannot sign in until enabled again.`,
    );
    const action = `/workspace/accounts/${account.id}/status`;
    return sendWorkspacePage(reply, <ConfirmView frame={frame} account={account} title={title} text={text} action={action} fields={{ status: 'disabled' }} />);
  });

  app.post('/workspace/accounts/:id/status', { schema: { params: accountParams } }, async (request, reply) => {
    const { id } = request.params;
    const locale = workspaceFrame(request).locale;
    const parsed = parseForm(accountStatusForm, request.body, locale);
    if (!parsed.ok) throw new DomainError(400, 'invalid_request', 'status: invalid value');
    try {
      await accountService.setAccountStatus(app.db, actorOf(request), id, parsed.value.status);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'own_account') {
        return sendDetail(request, reply, id, { error: localized(locale, '不能停用自己的账户。', error.message) }, 400);
      }
      throw error;
    }
    const notice =
      parsed.value.status === 'disabled'
        ? localized(locale, '账户已停用，其会话已结束。', 'The account was disabled and its sessions ended.')
        : localized(locale, '账户已启用。', 'The account was enabled.');
    return sendDetail(request, reply, id, { notice });
  });

  app.post('/workspace/accounts/:id/password', { schema: { params: accountParams } }, async (request, reply) => {
    const { id } = request.params;
    const locale = workspaceFrame(request).locale;
    const actor = actorOf(request);
    const parsed = parseForm(resetPasswordForm, request.body, locale);
    if (!parsed.ok) return sendDetail(request, reply, id, { passwordForm: parsed.form }, 400);
    const account = await accountService.getAccount(app.db, actor, id);
    await accountService.resetPassword(app.db, actor, account.email, parsed.value.password);
    return sendDetail(request, reply, id, {
      notice: localized(locale, '密码已重置，该账户的会话已结束。', 'The password was reset and the account’s sessions ended.'),
    });
  });
};
