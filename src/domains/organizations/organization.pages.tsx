import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import * as organizationService from './organization.service.ts';
import type { Organization, OrganizationDetail } from './organization.service.ts';
import { organizationInput, organizationKinds, organizationParams, organizationQuery } from './organization.schema.ts';

const pageSize = 50;

/** The organization's name in the reader's language. */
export function organizationName(locale: Locale, organization: { nameZh: string; nameEn: string } | { name_zh: string; name_en: string }): string {
  return 'nameZh' in organization
    ? localized(locale, organization.nameZh, organization.nameEn)
    : localized(locale, organization.name_zh, organization.name_en);
}

/** Options for choosing an organization, each shown with its parent so that "党组" under BWF and under TWF differ. */
export function organizationOptions(
  locale: Locale,
  choices: { id: number; name_zh: string; name_en: string; parent_id: number | null }[],
  emptyLabel?: string,
): { value: string; label: string }[] {
  const byId = new Map(choices.map((choice) => [choice.id, choice]));
  const label = (choice: (typeof choices)[number]): string => {
    const parent = choice.parent_id === null ? undefined : byId.get(choice.parent_id);
    const name = organizationName(locale, choice);
    return parent ? `${label(parent)} › ${name}` : name;
  };
  const options = choices.map((choice) => ({ value: String(choice.id), label: label(choice) })).sort((a, b) => a.label.localeCompare(b.label, locale));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

function kindOptions(locale: Locale, emptyLabel?: string) {
  const options = organizationKinds.map((kind) => ({ value: kind, label: t(locale, `kind_${kind}`) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

function ListView(props: {
  frame: WorkspaceFrame;
  page: Awaited<ReturnType<typeof organizationService.listOrganizations>>;
  filters: FormState;
  notice?: string;
}): VNode {
  const { frame, page } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="organizations" title={t(locale, 'organizations')} notice={props.notice}>
      <h1>{t(locale, 'organizations')}</h1>
      <form method="get" action="/workspace/organizations" class="filters" role="search">
        <TextField name="q" type="search" label={t(locale, 'search')} form={props.filters} />
        <SelectField name="kind" label={t(locale, 'kind')} form={props.filters} options={kindOptions(locale, t(locale, 'all'))} />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="actions">
        <a class="button" href="/workspace/organizations/new">
          {t(locale, 'create')}
        </a>
        <span class="muted">{localized(locale, `共 ${page.total} 个`, `${page.total} in all`)}</span>
      </p>
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(locale, 'organization')}</th>
              <th scope="col">{t(locale, 'kind')}</th>
              <th scope="col">{localized(locale, '英文名称', 'Other language')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((organization) => (
              <tr>
                <td>
                  <a href={`/workspace/organizations/${organization.id}`}>{organizationName(locale, organization)}</a>
                </td>
                <td>{t(locale, `kind_${organization.kind}`)}</td>
                <td>{locale === 'zh' ? organization.nameEn : organization.nameZh}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => listHref(props.filters, offset)} />
    </WorkspaceLayout>
  );
}

function listHref(filters: FormState, offset: number): string {
  return listPageHref('/workspace/organizations', filters.values, offset);
}

/** A section another domain adds to the organization page (the people domain adds the posts held there). */
export type OrganizationPageSection = (request: FastifyRequest, organization: OrganizationDetail, locale: Locale) => Promise<VNode | null>;

const extraSections: OrganizationPageSection[] = [];

/** Lets another domain show its records about an organization on the organization's page. */
export function addOrganizationPageSection(section: OrganizationPageSection): void {
  extraSections.push(section);
}

function DetailView(props: { frame: WorkspaceFrame; organization: OrganizationDetail; extras: (VNode | null)[]; notice?: string }): VNode {
  const { frame, organization } = props;
  const { locale } = frame;
  const name = organizationName(locale, organization);
  return (
    <WorkspaceLayout frame={frame} area="organizations" title={name} notice={props.notice}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/organizations">{t(locale, 'organizations')}</a>
        {organization.ancestors.map((ancestor) => (
          <>
            {' › '}
            <a href={`/workspace/organizations/${ancestor.id}`}>{organizationName(locale, ancestor)}</a>
          </>
        ))}
      </nav>
      <h1>{name}</h1>
      <dl class="facts">
        <dt>{t(locale, 'nameZh')}</dt>
        <dd lang="zh-CN">{organization.nameZh}</dd>
        <dt>{t(locale, 'nameEn')}</dt>
        <dd lang="en">{organization.nameEn}</dd>
        <dt>{t(locale, 'kind')}</dt>
        <dd>{t(locale, `kind_${organization.kind}`)}</dd>
        <dt>{localized(locale, '简称', 'Short name')}</dt>
        <dd>
          <code>{organization.slug}</code>
        </dd>
      </dl>
      {organization.editable ? (
        <p class="actions">
          <a class="button" href={`/workspace/organizations/${organization.id}/edit`}>
            {t(locale, 'edit')}
          </a>
          <a class="button" href={`/workspace/organizations/new?parentId=${organization.id}`}>
            {localized(locale, '新建下属单位', 'Add a unit below')}
          </a>
          <a href={`/workspace/organizations/${organization.id}/delete`}>{t(locale, 'delete')}</a>
        </p>
      ) : null}
      <h2>{t(locale, 'units')}</h2>
      {organization.children.length > 0 ? (
        <ul>
          {organization.children.map((child) => (
            <li>
              <a href={`/workspace/organizations/${child.id}`}>{organizationName(locale, child)}</a>
              <span class="muted"> · {t(locale, `kind_${child.kind}`)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
      {props.extras}
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=organization&entityId=${organization.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}

function FormView(props: {
  frame: WorkspaceFrame;
  form: FormState;
  organization?: Organization;
  parents: { value: string; label: string }[];
}): VNode {
  const { frame, form, organization } = props;
  const { locale } = frame;
  const title = organization
    ? `${t(locale, 'edit')}: ${organizationName(locale, organization)}`
    : localized(locale, '新建组织', 'New organization');
  return (
    <WorkspaceLayout frame={frame} area="organizations" title={title}>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={organization ? `/workspace/organizations/${organization.id}` : '/workspace/organizations'} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
        <TextField name="nameEn" label={t(locale, 'nameEn')} form={form} required />
        <TextField
          name="slug"
          label={localized(locale, '简称', 'Short name')}
          hint={localized(locale, '小写字母、数字和连字符，如 bwf-publicity。', 'Lower-case letters, digits and hyphens, e.g. bwf-publicity.')}
          form={form}
          required
        />
        <SelectField name="kind" label={t(locale, 'kind')} form={form} options={kindOptions(locale)} required />
        <SelectField name="parentId" label={t(locale, 'parent')} form={form} options={props.parents} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={organization ? `/workspace/organizations/${organization.id}` : '/workspace/organizations'}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function DeleteView(props: { frame: WorkspaceFrame; organization: Organization; error?: string }): VNode {
  const { frame, organization } = props;
  const name = organizationName(frame.locale, organization);
  return (
    <ConfirmPage
      frame={frame}
      area="organizations"
      title={`${t(frame.locale, 'delete')}: ${name}`}
      text={t(frame.locale, 'confirmDelete', { name })}
      action={`/workspace/organizations/${organization.id}/delete`}
      back={`/workspace/organizations/${organization.id}`}
      button={t(frame.locale, 'delete')}
      error={props.error}
    />
  );
}

function formValues(organization: Organization): FormState {
  return formState({
    nameZh: organization.nameZh,
    nameEn: organization.nameEn,
    slug: organization.slug,
    kind: organization.kind,
    parentId: organization.parentId,
  });
}

/** Puts a service's refusal of a form's content beside the field it concerns. */
function formWithServiceError(form: FormState, error: unknown): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error.code === 'conflict' ? 'slug' : error.code === 'cycle' ? 'parentId' : '_form';
  return { values: form.values, errors: { ...form.errors, [field]: error.message } };
}

/** The workspace pages of the organization network. */
export const organizationPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function sendForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, organization?: Organization) {
    const frame = workspaceFrame(request);
    const choices = await organizationService.listOrganizationChoices(app.db, actorOf(request));
    const parents = organizationOptions(frame.locale, choices.filter((choice) => choice.id !== organization?.id), t(frame.locale, 'none'));
    return sendWorkspacePage(reply, <FormView frame={frame} form={form} organization={organization} parents={parents} />, status);
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const frame = workspaceFrame(request);
    const organization = await organizationService.getOrganizationDetail(app.db, actorOf(request), id);
    const extras = await Promise.all(extraSections.map((section) => section(request, organization, frame.locale)));
    return sendWorkspacePage(reply, <DetailView frame={frame} organization={organization} extras={extras} notice={notice} />);
  }

  app.get('/workspace/organizations', { schema: { querystring: organizationQuery.extend({ kind: z.string().optional() }) } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const kind = organizationKinds.find((k) => k === request.query.kind);
    const page = await organizationService.listOrganizations(app.db, actorOf(request), { ...request.query, kind, limit: pageSize });
    const filters = formState({ q: request.query.q, kind });
    return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={filters} />);
  });

  app.get('/workspace/organizations/new', { schema: { querystring: z.object({ parentId: z.coerce.number().int().positive().optional() }) } }, async (request, reply) => {
    // Only someone who may add an organization somewhere gets the form.
    if (!(await organizationService.mayCreateOrganizations(app.db, actorOf(request)))) throw notFound();
    return sendForm(request, reply, formState({ parentId: request.query.parentId, kind: 'department' }), 200);
  });

  app.post('/workspace/organizations', async (request, reply) => {
    const parsed = parseForm(organizationInput, request.body, workspaceFrame(request).locale);
    if (!parsed.ok) return sendForm(request, reply, parsed.form, 400);
    try {
      const created = await organizationService.createOrganization(app.db, actorOf(request), parsed.value);
      return reply.redirect(`/workspace/organizations/${created.id}`, 303);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status);
    }
  });

  app.get('/workspace/organizations/:id', { schema: { params: organizationParams } }, async (request, reply) =>
    sendDetail(request, reply, request.params.id),
  );

  app.get('/workspace/organizations/:id/edit', { schema: { params: organizationParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const organization = await organizationService.getOrganization(app.db, actor, request.params.id);
    if (!(await organizationService.mayEditOrganization(app.db, actor, organization.id))) throw notFound();
    return sendForm(request, reply, formValues(organization), 200, organization);
  });

  app.post('/workspace/organizations/:id', { schema: { params: organizationParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const organization = await organizationService.getOrganization(app.db, actor, request.params.id);
    // Refuse before looking at the form, so that a reader cannot tell an editable record from another.
    if (!(await organizationService.mayEditOrganization(app.db, actor, organization.id))) throw notFound();
    const parsed = parseForm(organizationInput, request.body, workspaceFrame(request).locale);
    if (!parsed.ok) return sendForm(request, reply, parsed.form, 400, organization);
    try {
      await organizationService.updateOrganization(app.db, actor, organization.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status, organization);
    }
    return sendDetail(request, reply, organization.id, t(workspaceFrame(request).locale, 'saved'));
  });

  app.get('/workspace/organizations/:id/delete', { schema: { params: organizationParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const organization = await organizationService.getOrganization(app.db, actor, request.params.id);
    if (!(await organizationService.mayEditOrganization(app.db, actor, organization.id))) throw notFound();
    return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} organization={organization} />);
  });

  app.post('/workspace/organizations/:id/delete', { schema: { params: organizationParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const organization = await organizationService.getOrganization(app.db, actor, request.params.id);
    try {
      await organizationService.deleteOrganization(app.db, actor, organization.id);
    } catch (error) {
      if (error instanceof DomainError && error.status === 409) {
        return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} organization={organization} error={error.message} />, 409);
      }
      throw error;
    }
    return reply.redirect('/workspace/organizations', 303);
  });
};
