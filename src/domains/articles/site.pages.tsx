import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, locales, t, translateMessage, type Locale } from '../../platform/i18n.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import * as siteService from './site.service.ts';
import type { ManagedSection, ManagedSite, SiteManagement } from './site.service.ts';
import {
  newSectionQuery,
  sectionInput,
  sectionMove,
  sectionPatch,
  siteParams,
  siteSectionParams,
  siteSettingsInput,
} from './site.schema.ts';

const sitesHref = '/workspace/sites';
const siteHref = (siteId: number) => `${sitesHref}/${siteId}`;
const sectionHref = (siteId: number, sectionId: number) => `${siteHref(siteId)}/sections/${sectionId}`;

function siteName(locale: Locale, site: ManagedSite): string {
  return site.name[locale];
}

/** Where the portal serves a site: its own host name, the root (default site) or /sites/<slug>/. */
function portalAddress(site: ManagedSite): string {
  if (site.host) return `https://${site.host}/`;
  return site.isDefault ? '/' : `/sites/${site.slug}/`;
}

/** Each language under its own name, as a language switch shows it. */
function languageOptions() {
  return locales.map((value) => ({ value, label: t(value, 'languageName') }));
}

/** Parent choices: the top level, then every section indented by depth, less the section being moved and those below it. */
function parentOptions(locale: Locale, flat: ManagedSection[], moving?: ManagedSection) {
  const excluded = new Set<number>();
  const exclude = (section: ManagedSection) => {
    excluded.add(section.id);
    section.children.forEach(exclude);
  };
  if (moving) exclude(moving);
  return [
    { value: '', label: localized(locale, '（顶级栏目）', '(top level)') },
    ...flat
      .filter((section) => !excluded.has(section.id))
      .map((section) => ({ value: String(section.id), label: `${'— '.repeat(section.depth + 1)}${section.name[locale]}` })),
  ];
}

function Crumbs(props: { locale: Locale; site?: ManagedSite }): VNode {
  const { locale, site } = props;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <a href={sitesHref}>{t(locale, 'sites')}</a>
      {site ? (
        <>
          {' › '}
          <a href={siteHref(site.id)}>{siteName(locale, site)}</a>
        </>
      ) : null}
    </nav>
  );
}

function ListView(props: { frame: WorkspaceFrame; sites: ManagedSite[] }): VNode {
  const { frame, sites } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="sites" title={t(locale, 'sites')}>
      <h1>{t(locale, 'sites')}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{localized(locale, '网站', 'Site')}</th>
            <th scope="col">{localized(locale, '访问地址', 'Address')}</th>
            <th scope="col">{localized(locale, '默认语言', 'Default language')}</th>
          </tr>
        </thead>
        <tbody>
          {sites.map((site) => (
            <tr>
              <td>
                <a href={siteHref(site.id)}>{siteName(locale, site)}</a>
              </td>
              <td>
                <code>{portalAddress(site)}</code>
              </td>
              <td>{t(site.defaultLocale, 'languageName')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </WorkspaceLayout>
  );
}

function SectionRows(props: { frame: WorkspaceFrame; site: ManagedSite; flat: ManagedSection[] }): VNode {
  const { frame, site, flat } = props;
  const { locale } = frame;
  const other: Locale = locale === 'zh' ? 'en' : 'zh';
  const isFirst = (section: ManagedSection) => flat.find((s) => s.parentId === section.parentId)?.id === section.id;
  const isLast = (section: ManagedSection) => flat.findLast((s) => s.parentId === section.parentId)?.id === section.id;
  return (
    <table class="tree">
      <thead>
        <tr>
          <th scope="col">{localized(locale, '栏目', 'Section')}</th>
          <th scope="col">{localized(locale, '地址', 'Address')}</th>
          <th scope="col">{localized(locale, '顺序', 'Order')}</th>
          <th scope="col">{t(locale, 'action')}</th>
        </tr>
      </thead>
      <tbody>
        {flat.map((section) => {
          const name = section.name[locale];
          return (
            <tr>
              <td style={`padding-left:${0.5 + section.depth * 1.5}rem`}>
                {section.depth > 0 ? <span aria-hidden="true">└ </span> : null}
                {name} <span class="muted" lang={other === 'zh' ? 'zh-CN' : 'en'}>· {section.name[other]}</span>
              </td>
              <td>
                <code>/{site.defaultLocale}/{section.path}</code>
              </td>
              <td>
                <form method="post" action={`${sectionHref(site.id, section.id)}/move`} class="inline">
                  <CsrfField token={frame.csrfToken} />
                  <button type="submit" name="direction" value="up" disabled={isFirst(section)} aria-label={localized(locale, `上移“${name}”`, `Move “${name}” up`)}>
                    ↑
                  </button>
                  <button type="submit" name="direction" value="down" disabled={isLast(section)} aria-label={localized(locale, `下移“${name}”`, `Move “${name}” down`)}>
                    ↓
                  </button>
                </form>
              </td>
              <td>
                <div class="inline">
                <a href={`${sectionHref(site.id, section.id)}/edit`} aria-label={localized(locale, `编辑“${name}”`, `Edit “${name}”`)}>
                  {t(locale, 'edit')}
                </a>
                <a href={`${siteHref(site.id)}/sections/new?parentId=${section.id}`} aria-label={localized(locale, `在“${name}”下新建栏目`, `Add a section below “${name}”`)}>
                  {localized(locale, '新建下级', 'Add below')}
                </a>
                <a href={`${sectionHref(site.id, section.id)}/delete`} aria-label={localized(locale, `删除“${name}”`, `Delete “${name}”`)}>
                  {t(locale, 'delete')}
                </a>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SiteView(props: { frame: WorkspaceFrame; management: SiteManagement; form: FormState; notice?: string; status?: number }): VNode {
  const { frame, management, form } = props;
  const { site, flat } = management;
  const { locale } = frame;
  const name = siteName(locale, site);
  return (
    <WorkspaceLayout frame={frame} area="sites" title={name} notice={props.notice}>
      <Crumbs locale={locale} />
      <h1>{name}</h1>
      <dl class="facts">
        <dt>{localized(locale, '简称', 'Short name')}</dt>
        <dd>
          <code>{site.slug}</code>
        </dd>
        <dt>{localized(locale, '门户地址', 'Portal address')}</dt>
        <dd>
          <a href={portalAddress(site)}>{portalAddress(site)}</a>
          {site.isDefault ? <span class="muted"> · {localized(locale, '默认网站：未匹配域名的访问都显示本站', 'default site: shown for any host name no other site has')}</span> : null}
        </dd>
      </dl>
      <h2>{localized(locale, '网站设置', 'Settings')}</h2>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={siteHref(site.id)} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField
          name="host"
          label={localized(locale, '域名', 'Host name')}
          hint={localized(
            locale,
            '本站独立的域名，如 portal.example.org（小写，不含 https:// 和路径）。留空则只在 /sites/' + site.slug + '/ 下访问。',
            `The site's own domain name, e.g. portal.example.org (no https:// or path). Leave empty to serve it under /sites/${site.slug}/ only.`,
          )}
          form={form}
        />
        <SelectField name="defaultLocale" label={localized(locale, '默认语言', 'Default language')} form={form} options={languageOptions()} required />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
        </p>
      </form>
      <h2>{localized(locale, '栏目', 'Sections')}</h2>
      <p class="actions">
        <a class="button" href={`${siteHref(site.id)}/sections/new`}>
          {localized(locale, '新建栏目', 'Add a section')}
        </a>
      </p>
      {flat.length > 0 ? <SectionRows frame={frame} site={site} flat={flat} /> : <p class="muted">{t(locale, 'noResults')}</p>}
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=site&entityId=${site.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}

function SectionFormView(props: {
  frame: WorkspaceFrame;
  management: SiteManagement;
  form: FormState;
  section?: ManagedSection;
}): VNode {
  const { frame, management, form, section } = props;
  const { site, flat } = management;
  const { locale } = frame;
  const title = section ? `${t(locale, 'edit')}: ${section.name[locale]}` : localized(locale, '新建栏目', 'New section');
  return (
    <WorkspaceLayout frame={frame} area="sites" title={title}>
      <Crumbs locale={locale} site={site} />
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={section ? sectionHref(site.id, section.id) : `${siteHref(site.id)}/sections`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
        <TextField name="nameEn" label={t(locale, 'nameEn')} form={form} required />
        {section ? (
          <p>
            {localized(locale, '简称（地址的一部分，不能修改）：', 'Short name (part of the address; it stays): ')}
            <code>{section.slug}</code>
          </p>
        ) : (
          <TextField
            name="slug"
            label={localized(locale, '简称', 'Short name')}
            hint={localized(locale, '用于网址的小写字母、数字和连字符，如 notices；创建后不能修改。', 'Lower-case letters, digits and hyphens for the address, e.g. notices; it cannot be changed later.')}
            form={form}
            required
          />
        )}
        <SelectField name="parentId" label={localized(locale, '上级栏目', 'Parent section')} form={form} options={parentOptions(locale, flat, section)} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={siteHref(site.id)}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function DeleteView(props: { frame: WorkspaceFrame; site: ManagedSite; section: ManagedSection; error?: string }): VNode {
  const { frame, site, section } = props;
  const { locale } = frame;
  const name = section.name[locale];
  const below = section.children.length;
  return (
    <WorkspaceLayout frame={frame} area="sites" title={`${t(locale, 'delete')}: ${name}`}>
      <Crumbs locale={locale} site={site} />
      <h1>
        {t(locale, 'delete')}: {name}
      </h1>
      {props.error ? (
        <div class="alert error" role="alert">
          {props.error}
        </div>
      ) : null}
      <p>{t(locale, 'confirmDelete', { name })}</p>
      {below > 0 ? (
        <p>{localized(locale, `其下的 ${below} 个下级栏目（及更下级）也将一并删除。`, `The ${below} section(s) below it (and theirs) go with it.`)}</p>
      ) : null}
      <form method="post" action={`${sectionHref(site.id, section.id)}/delete`} class="actions">
        <CsrfField token={frame.csrfToken} />
        <button class="danger" type="submit">
          {t(locale, 'delete')}
        </button>
        <a href={siteHref(site.id)}>{t(locale, 'cancel')}</a>
      </form>
    </WorkspaceLayout>
  );
}

/** Puts a service's refusal beside the field it concerns, in the reader's language; anything else is rethrown. */
function formWithServiceError(form: FormState, error: unknown, locale: Locale): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const fields: Record<string, string> = { host_taken: 'host', slug_taken: 'slug', slug_reserved: 'slug', cycle: 'parentId', bad_parent: 'parentId' };
  const field = fields[error.code] ?? '_form';
  return { values: form.values, errors: { ...form.errors, [field]: translateMessage(locale, error.message) } };
}

function settingsForm(site: ManagedSite): FormState {
  return formState({ host: site.host, defaultLocale: site.defaultLocale });
}

/**
 * Drops this process's portal caches at once, so that the next page shows the change; the
 * announcement (NOTIFY) does the same in every process, this one included, a moment later.
 */
function dropPortalCaches(app: FastifyInstance, topic: string): void {
  app.sites.invalidate();
  app.pageCache.invalidate(topic);
}

/** The workspace pages of sites and their section trees: administrators of the site's organization only. */
export const sitePages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function sendSite(request: FastifyRequest, reply: FastifyReply, siteId: number, extra: { form?: FormState; notice?: string; status?: number } = {}) {
    const management = await siteService.getSiteManagement(app.db, actorOf(request), siteId);
    const form = extra.form ?? settingsForm(management.site);
    return sendWorkspacePage(reply, <SiteView frame={workspaceFrame(request)} management={management} form={form} notice={extra.notice} />, extra.status);
  }

  async function sendSectionForm(request: FastifyRequest, reply: FastifyReply, siteId: number, form: FormState, status: number, sectionId?: number) {
    const actor = actorOf(request);
    const { section, ...management } =
      sectionId === undefined
        ? { ...(await siteService.getSiteManagement(app.db, actor, siteId)), section: undefined }
        : await siteService.getManagedSection(app.db, actor, siteId, sectionId);
    return sendWorkspacePage(reply, <SectionFormView frame={workspaceFrame(request)} management={management} form={form} section={section} />, status);
  }

  app.get(sitesHref, async (request, reply) => {
    const sites = await siteService.listManageableSites(app.db, actorOf(request));
    return sendWorkspacePage(reply, <ListView frame={workspaceFrame(request)} sites={sites} />);
  });

  app.get(`${sitesHref}/:id`, { schema: { params: siteParams } }, async (request, reply) => sendSite(request, reply, request.params.id));

  app.post(`${sitesHref}/:id`, { schema: { params: siteParams } }, async (request, reply) => {
    const actor = actorOf(request);
    // Refuse before looking at the form, so that nobody learns what a site they may not manage would accept.
    const { site } = await siteService.getSiteManagement(app.db, actor, request.params.id);
    const locale = workspaceFrame(request).locale;
    const parsed = parseForm(siteSettingsInput, request.body, locale);
    if (!parsed.ok) return sendSite(request, reply, site.id, { form: parsed.form, status: 400 });
    try {
      await siteService.updateSiteSettings(app.db, actor, site.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState({ host: parsed.value.host, defaultLocale: parsed.value.defaultLocale }), error, locale);
      if (!form) throw error;
      return sendSite(request, reply, site.id, { form, status: (error as DomainError).status });
    }
    dropPortalCaches(app, '*');
    return sendSite(request, reply, site.id, { notice: t(locale, 'saved') });
  });

  app.get(`${sitesHref}/:id/sections/new`, { schema: { params: siteParams, querystring: newSectionQuery } }, async (request, reply) =>
    sendSectionForm(request, reply, request.params.id, formState({ parentId: request.query.parentId }), 200),
  );

  app.post(`${sitesHref}/:id/sections`, { schema: { params: siteParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { site } = await siteService.getSiteManagement(app.db, actor, request.params.id);
    const locale = workspaceFrame(request).locale;
    const parsed = parseForm(sectionInput, request.body, locale);
    if (!parsed.ok) return sendSectionForm(request, reply, site.id, parsed.form, 400);
    try {
      await siteService.createSection(app.db, actor, site.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendSectionForm(request, reply, site.id, form, (error as DomainError).status);
    }
    dropPortalCaches(app, siteService.siteTopic(site.id));
    return reply.redirect(siteHref(site.id), 303);
  });

  app.get(`${sitesHref}/:id/sections/:sectionId/edit`, { schema: { params: siteSectionParams } }, async (request, reply) => {
    const { section } = await siteService.getManagedSection(app.db, actorOf(request), request.params.id, request.params.sectionId);
    const form = formState({ nameZh: section.name.zh, nameEn: section.name.en, parentId: section.parentId });
    return sendSectionForm(request, reply, request.params.id, form, 200, section.id);
  });

  app.post(`${sitesHref}/:id/sections/:sectionId`, { schema: { params: siteSectionParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { site, section } = await siteService.getManagedSection(app.db, actor, request.params.id, request.params.sectionId);
    const locale = workspaceFrame(request).locale;
    const parsed = parseForm(sectionPatch, request.body, locale);
    if (!parsed.ok) return sendSectionForm(request, reply, site.id, parsed.form, 400, section.id);
    try {
      await siteService.updateSection(app.db, actor, site.id, section.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendSectionForm(request, reply, site.id, form, (error as DomainError).status, section.id);
    }
    dropPortalCaches(app, siteService.siteTopic(site.id));
    return sendSite(request, reply, site.id, { notice: t(locale, 'saved') });
  });

  app.post(`${sitesHref}/:id/sections/:sectionId/move`, { schema: { params: siteSectionParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { site, section } = await siteService.getManagedSection(app.db, actor, request.params.id, request.params.sectionId);
    const parsed = sectionMove.safeParse(request.body);
    if (!parsed.success) return sendSite(request, reply, site.id, { status: 400 });
    await siteService.moveSection(app.db, actor, site.id, section.id, parsed.data.direction);
    dropPortalCaches(app, siteService.siteTopic(site.id));
    return reply.redirect(siteHref(site.id), 303);
  });

  app.get(`${sitesHref}/:id/sections/:sectionId/delete`, { schema: { params: siteSectionParams } }, async (request, reply) => {
    const { site, section } = await siteService.getManagedSection(app.db, actorOf(request), request.params.id, request.params.sectionId);
    return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} site={site} section={section} />);
  });

  app.post(`${sitesHref}/:id/sections/:sectionId/delete`, { schema: { params: siteSectionParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { site, section } = await siteService.getManagedSection(app.db, actor, request.params.id, request.params.sectionId);
    try {
      await siteService.deleteSection(app.db, actor, site.id, section.id);
    } catch (error) {
      if (error instanceof DomainError && error.status === 409) {
        const message = translateMessage(workspaceFrame(request).locale, error.message);
        return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} site={site} section={section} error={message} />, 409);
      }
      throw error;
    }
    dropPortalCaches(app, siteService.siteTopic(site.id));
    return reply.redirect(siteHref(site.id), 303);
  });
};
