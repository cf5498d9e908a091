import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextAreaField, TextField, type FormState } from '../../platform/forms.tsx';
import { TrustedHtml } from '../../platform/html.tsx';
import { locales, localized, t, translateMessage, type Locale } from '../../platform/i18n.ts';
import { Pager } from '../../platform/pager.tsx';
import { formatDateTime } from '../../platform/time.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { renderArticleMarkdown } from './article-markdown.ts';
import { articleStatuses, type ArticleStatus } from './article.table.ts';
import * as mediaService from '../media/media.service.ts';
import type { Media } from '../media/media.service.ts';
import * as newsroomService from './newsroom.service.ts';
import type { ArticleRevision, NewsroomArticle, NewsroomArticleDetail, NewsroomSite } from './newsroom.service.ts';
import {
  articleIdParams,
  articleInput,
  articleQuery,
  revisionCompareQuery,
  revisionParams,
  tagLimits,
  transitionInput,
  translationStatuses,
  versionFields,
  versionIssues,
  workflowActions,
  type WorkflowAction,
} from './newsroom.schema.ts';
import type { ArticleStep } from './newsroom.table.ts';
import { compareSnapshots, type FieldDiff } from './revision-diff.ts';
import { listReportedActivities, type ReportedActivity } from '../activities/activity-article.service.ts';

const pageSize = 50;

type Pair = readonly [zh: string, en: string];

const statusLabels: Record<ArticleStatus, Pair> = {
  draft: ['草稿', 'Draft'],
  submitted: ['待审核', 'Submitted'],
  approved: ['审核通过', 'Approved'],
  scheduled: ['定时发布', 'Scheduled'],
  published: ['已发布', 'Published'],
  unpublished: ['已撤下', 'Unpublished'],
  archived: ['已归档', 'Archived'],
};

const versionStatusLabels: Record<(typeof translationStatuses)[number], Pair> = {
  missing: ['缺失', 'Missing'],
  draft: ['草稿', 'Draft'],
  reviewed: ['已审校', 'Reviewed'],
};

const stepLabels: Record<ArticleStep, Pair> = {
  created: ['创建', 'Created'],
  submitted: ['提交审核', 'Submitted for review'],
  approved: ['审核通过', 'Approved'],
  sent_back: ['退回修改', 'Sent back'],
  scheduled: ['定时发布', 'Scheduled'],
  published: ['发布', 'Published'],
  unpublished: ['撤下', 'Unpublished'],
  archived: ['归档', 'Archived'],
  reopened: ['重新打开', 'Reopened'],
};

const actionLabels: Record<WorkflowAction, Pair> = {
  submit: ['提交审核', 'Submit for review'],
  approve: ['审核通过', 'Approve'],
  send_back: ['退回修改', 'Send back'],
  publish: ['发布', 'Publish now'],
  unpublish: ['撤下', 'Unpublish'],
  archive: ['归档', 'Archive'],
  reopen: ['重新打开', 'Reopen'],
};

/** Steps that take an update away from readers or from its editor: each asks for a confirmation first. */
const confirmedActions: readonly WorkflowAction[] = ['send_back', 'unpublish', 'archive'];

const languageNames: Record<Locale, Pair> = { zh: ['中文', 'Chinese'], en: ['英文', 'English'] };

function label(locale: Locale, pair: Pair): string {
  return localized(locale, pair[0], pair[1]);
}

function htmlLang(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en';
}

/** The update's title in the reader's language, else in the other. */
function titleOf(locale: Locale, article: NewsroomArticle): string {
  const other: Locale = locale === 'zh' ? 'en' : 'zh';
  return article.versions[locale]?.title ?? article.versions[other]?.title ?? article.slug;
}

/** "2024-03-25T14:33:38": an instant as the site's wall clock, for a datetime-local field. */
function wallClockValue(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

function sectionLabel(locale: Locale, site: NewsroomSite, sectionId: number): string {
  const section = site.sections.find((candidate) => candidate.id === sectionId);
  return section ? section.path[locale].join(' › ') : `#${sectionId}`;
}

function sectionOptions(locale: Locale, site: NewsroomSite, emptyLabel?: string): { value: string; label: string }[] {
  const options = site.sections.map((section) => ({
    value: String(section.id),
    label: `${'— '.repeat(section.path[locale].length - 1)}${section.path[locale].at(-1) ?? ''}`,
  }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

/** An update's step of the workflow as a badge. */
export function StatusBadge(props: { locale: Locale; status: ArticleStatus }): VNode {
  return <span class={`badge status-${props.status}`}>{label(props.locale, statusLabels[props.status])}</span>;
}

function versionStatusOf(article: NewsroomArticle, locale: Locale): (typeof translationStatuses)[number] {
  return article.versions[locale]?.status ?? 'missing';
}

// ---------------------------------------------------------------------------------------------
// The list

function listHref(filters: FormState, offset: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters.values)) if (value && key !== 'offset') query.set(key, value);
  if (offset > 0) query.set('offset', String(offset));
  const text = query.toString();
  return `/workspace/articles${text ? `?${text}` : ''}`;
}

function ListView(props: {
  frame: WorkspaceFrame;
  page: Awaited<ReturnType<typeof newsroomService.listNewsroomArticles>>;
  sites: NewsroomSite[];
  filters: FormState;
  mayWrite: boolean;
  mayManage: boolean;
}): VNode {
  const { frame, page, sites } = props;
  const { locale } = frame;
  const siteById = new Map(sites.map((site) => [site.id, site]));
  const chosenSite = siteById.get(Number(props.filters.values.siteId));
  const all = t(locale, 'all');
  return (
    <WorkspaceLayout frame={frame} area="articles" title={t(locale, 'newsroom')}>
      <h1>{t(locale, 'newsroom')}</h1>
      <form method="get" action="/workspace/articles" class="filters" role="search">
        <TextField name="q" type="search" label={localized(locale, '标题', 'Title')} form={props.filters} />
        <SelectField
          name="siteId"
          label={localized(locale, '网站', 'Site')}
          form={props.filters}
          options={[{ value: '', label: all }, ...sites.map((site) => ({ value: String(site.id), label: site.name[locale] }))]}
        />
        {chosenSite ? (
          <SelectField name="sectionId" label={localized(locale, '栏目', 'Section')} form={props.filters} options={sectionOptions(locale, chosenSite, all)} />
        ) : null}
        <SelectField
          name="status"
          label={localized(locale, '状态', 'Status')}
          form={props.filters}
          options={[{ value: '', label: all }, ...articleStatuses.map((status) => ({ value: status, label: label(locale, statusLabels[status]) }))]}
        />
        <SelectField
          name="language"
          label={localized(locale, '语言', 'Language')}
          form={props.filters}
          options={[{ value: '', label: localized(locale, '任一语言', 'Either language') }, ...locales.map((l) => ({ value: l, label: label(locale, languageNames[l]) }))]}
        />
        <SelectField
          name="languageStatus"
          label={localized(locale, '语言版本状态', 'Language version')}
          form={props.filters}
          options={[{ value: '', label: all }, ...translationStatuses.map((status) => ({ value: status, label: label(locale, versionStatusLabels[status]) }))]}
        />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="actions">
        {props.mayWrite ? (
          <a class="button" href="/workspace/articles/new">
            {localized(locale, '新建稿件', 'New update')}
          </a>
        ) : null}
        {props.mayManage ? <a href="/workspace/articles/settings">{localized(locale, '发布设置', 'Publishing settings')}</a> : null}
        <span class="muted">{localized(locale, `共 ${page.total} 篇`, `${page.total} in all`)}</span>
      </p>
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '标题', 'Title')}</th>
              <th scope="col">{localized(locale, '网站 · 栏目', 'Site · section')}</th>
              <th scope="col">{localized(locale, '状态', 'Status')}</th>
              <th scope="col">{localized(locale, '中文版', 'Chinese')}</th>
              <th scope="col">{localized(locale, '英文版', 'English')}</th>
              <th scope="col">{localized(locale, '发布时间', 'Publish time')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((article) => {
              const site = siteById.get(article.siteId);
              return (
                <tr>
                  <td>
                    <a href={`/workspace/articles/${article.id}`}>{titleOf(locale, article)}</a>
                    {article.tags.length > 0 ? <div class="muted">{article.tags.join(' · ')}</div> : null}
                  </td>
                  <td>
                    {site ? `${site.name[locale]} · ${sectionLabel(locale, site, article.sectionId)}` : article.siteSlug}
                  </td>
                  <td>
                    <StatusBadge locale={locale} status={article.status} />
                  </td>
                  {locales.map((l) => (
                    <td>{label(locale, versionStatusLabels[versionStatusOf(article, l)])}</td>
                  ))}
                  <td>{formatDateTime(article.publishAt, article.timeZone)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => listHref(props.filters, offset)} />
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// The form: shared fields, then the Chinese and English versions side by side

function DateTimeField(props: { name: string; label: string; hint: string; form: FormState }): VNode {
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={props.name}>
        {props.label}
        <span aria-hidden="true"> *</span>
      </label>
      <p class="hint" id={`${props.name}-hint`}>
        {props.hint}
      </p>
      <input
        id={props.name}
        name={props.name}
        type="datetime-local"
        step={1}
        value={props.form.values[props.name] ?? ''}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${props.name}-hint ${props.name}-error` : `${props.name}-hint`}
      />
      {error ? (
        <p class="error" id={`${props.name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function VersionColumn(props: { locale: Locale; version: Locale; form: FormState; preview?: string }): VNode {
  const { locale, version, form } = props;
  const fields = versionFields(version);
  const language = label(locale, languageNames[version]);
  return (
    <fieldset class="version" lang={htmlLang(version)}>
      <legend>{localized(locale, `${language}版`, `${language} version`)}</legend>
      <TextField
        name={fields.title}
        label={localized(locale, '标题', 'Title')}
        hint={localized(locale, '标题留空表示没有此语言版本。', 'Leave the title empty when there is no version in this language.')}
        form={form}
      />
      <TextAreaField name={fields.summary} label={localized(locale, '摘要', 'Summary')} form={form} rows={3} />
      <TextAreaField
        name={fields.body}
        label={localized(locale, '正文（Markdown）', 'Body (Markdown)')}
        hint={localized(locale, '用 # 标题、**粗体**、- 列表、[链接](https://…)。', 'Use # headings, **bold**, - lists, [links](https://…).')}
        form={form}
        rows={16}
      />
      <SelectField
        name={fields.status}
        label={localized(locale, '此版本状态', 'This version is')}
        hint={localized(locale, '只有已审校的版本会在网站上显示。', 'Only a reviewed version is shown on the portal.')}
        form={form}
        options={(['draft', 'reviewed'] as const).map((status) => ({ value: status, label: label(locale, versionStatusLabels[status]) }))}
      />
      {props.preview !== undefined ? (
        <section class="preview" aria-label={localized(locale, `${language}版预览`, `Preview of the ${language} version`)}>
          <h3>{localized(locale, '预览', 'Preview')}</h3>
          <TrustedHtml class="body" html={props.preview} />
        </section>
      ) : null}
    </fieldset>
  );
}

/** The cover image's choice: the site's media by their description, with a way to upload another. */
function CoverField(props: { locale: Locale; form: FormState; media: readonly Media[] }): VNode {
  const { locale, form } = props;
  return (
    <div class="cover-field">
      <SelectField
        name="coverMediaId"
        label={localized(locale, '封面图片', 'Cover image')}
        hint={localized(locale, '显示在正文上方，也用于分享链接的预览。', 'Shown above the body, and in previews of shared links.')}
        form={form}
        options={[
          { value: '', label: localized(locale, '（无封面图片）', '(No cover image)') },
          ...props.media.map((media) => ({ value: String(media.id), label: `${media.alt[locale]} · ${media.originalName}` })),
        ]}
      />
      <p>
        <a href="/workspace/media">{localized(locale, '上传图片', 'Upload an image')}</a>
      </p>
    </div>
  );
}

/** The "Reports on" line: the activities an update reports on, linked to their workspace pages. */
function ReportsOn(props: { locale: Locale; activities: readonly ReportedActivity[] | undefined }): VNode | null {
  const { locale, activities } = props;
  if (!activities || activities.length === 0) return null;
  return (
    <p class="reports-on">
      {localized(locale, '报道活动：', 'Reports on: ')}
      {activities.map((activity, index) => (
        <>
          {index > 0 ? localized(locale, '、', ', ') : null}
          <a href={`/workspace/activities/${activity.id}`}>{localized(locale, activity.titleZh || activity.titleEn, activity.titleEn || activity.titleZh)}</a>
        </>
      ))}
    </p>
  );
}

function FormView(props: {
  frame: WorkspaceFrame;
  form: FormState;
  site: NewsroomSite;
  media: readonly Media[];
  article?: NewsroomArticle;
  previews?: Partial<Record<Locale, string>>;
  reportsOn?: readonly ReportedActivity[];
}): VNode {
  const { frame, form, site, article } = props;
  const { locale } = frame;
  const title = article
    ? `${t(locale, 'edit')}: ${titleOf(locale, article)}`
    : localized(locale, `新建稿件 · ${site.name.zh}`, `New update · ${site.name.en}`);
  const action = article ? `/workspace/articles/${article.id}` : '/workspace/articles';
  return (
    <WorkspaceLayout frame={frame} area="articles" title={title}>
      <h1>{title}</h1>
      <ReportsOn locale={locale} activities={props.reportsOn} />
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={action} novalidate>
        <CsrfField token={frame.csrfToken} />
        {article ? null : <input type="hidden" name="siteId" value={String(site.id)} />}
        <div class="columns">
          <SelectField name="sectionId" label={localized(locale, '栏目', 'Section')} form={form} options={sectionOptions(locale, site)} required />
          <DateTimeField
            name="publishAt"
            label={localized(locale, '发布时间', 'Publish time')}
            hint={localized(locale, `${site.timeZone} 时间；晚于发布操作时则定时发布。`, `${site.timeZone} time; a later time schedules the update.`)}
            form={form}
          />
          <TextField
            name="tags"
            label={localized(locale, '标签', 'Tags')}
            hint={localized(
              locale,
              `用逗号分隔，最多 ${tagLimits.count} 个，每个不超过 ${tagLimits.length} 个字符。`,
              `Separated by commas; up to ${tagLimits.count}, each up to ${tagLimits.length} characters.`,
            )}
            form={form}
          />
          <TextField
            name="slug"
            label={localized(locale, '网址', 'Address')}
            hint={localized(locale, '小写字母、数字和连字符；留空则按日期和英文标题生成。', 'Lower-case letters, digits and hyphens; left empty, made from the date and English title.')}
            form={form}
          />
          <CoverField locale={locale} form={form} media={props.media} />
        </div>
        <div class="columns versions">
          {locales.map((version) => (
            <VersionColumn locale={locale} version={version} form={form} preview={props.previews?.[version]} />
          ))}
        </div>
        <p class="actions">
          <button class="primary" type="submit" name="intent" value="save">
            {t(locale, 'save')}
          </button>
          <button type="submit" name="intent" value="preview">
            {localized(locale, '预览', 'Preview')}
          </button>
          <a href={article ? `/workspace/articles/${article.id}` : '/workspace/articles'}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function SiteChoiceView(props: { frame: WorkspaceFrame; sites: NewsroomSite[] }): VNode {
  const { locale } = props.frame;
  const title = localized(locale, '新建稿件', 'New update');
  return (
    <WorkspaceLayout frame={props.frame} area="articles" title={title}>
      <h1>{title}</h1>
      <p>{localized(locale, '稿件发布到哪个网站？', 'Which site is the update for?')}</p>
      <ul>
        {props.sites.map((site) => (
          <li>
            <a href={`/workspace/articles/new?siteId=${site.id}`}>{site.name[locale]}</a>
          </li>
        ))}
      </ul>
    </WorkspaceLayout>
  );
}

function formValues(article: NewsroomArticle): FormState {
  const values: Record<string, string> = {
    sectionId: String(article.sectionId),
    slug: article.slug,
    publishAt: wallClockValue(article.publishAt, article.timeZone),
    tags: article.tags.join(', '),
    coverMediaId: article.coverMediaId === null ? '' : String(article.coverMediaId),
  };
  for (const locale of locales) {
    const fields = versionFields(locale);
    const version = article.versions[locale];
    values[fields.title] = version?.title ?? '';
    values[fields.summary] = version?.summary ?? '';
    values[fields.body] = version ? (version.bodyMarkdown ?? version.bodyHtml) : '';
    values[fields.status] = version?.status ?? 'draft';
  }
  return formState(values);
}

/** The form's fields as typed, for showing the form again. */
function submittedValues(body: unknown): FormState {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) if (key !== '_csrf' && typeof value === 'string') values[key] = value;
  }
  return formState(values);
}

function previewsOf(form: FormState): Partial<Record<Locale, string>> {
  const previews: Partial<Record<Locale, string>> = {};
  for (const locale of locales) previews[locale] = renderArticleMarkdown(form.values[versionFields(locale).body] ?? '');
  return previews;
}

/**
 * Adds the messages about the language versions to a form that failed on other fields too (the
 * schema only looks at the versions as a whole once every field is valid), so all show at once.
 */
function withVersionIssues(form: FormState, locale: Locale): FormState {
  const errors = { ...form.errors };
  for (const issue of versionIssues(form.values)) errors[issue.field] ??= translateMessage(locale, issue.message);
  return { values: form.values, errors };
}

const serviceErrorFields: Record<string, string> = {
  slug_taken: 'slug',
  bad_cover: 'coverMediaId',
  bad_section: 'sectionId',
  site_required: 'siteId',
  invalid_versions: 'titleZh',
};

/** Puts a service's refusal of a form's content beside the field it concerns. */
function formWithServiceError(form: FormState, error: unknown, locale: Locale): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = serviceErrorFields[error.code] ?? '_form';
  return { values: form.values, errors: { ...form.errors, [field]: translateMessage(locale, error.message) } };
}

// ---------------------------------------------------------------------------------------------
// The article's page: where it is, who did what, what may be done now

function ActionButton(props: { frame: WorkspaceFrame; article: NewsroomArticleDetail; action: WorkflowAction }): VNode {
  const { frame, article, action } = props;
  const { locale } = frame;
  if (confirmedActions.includes(action)) {
    return (
      <a class="button" href={`/workspace/articles/${article.id}/steps/${action}`}>
        {label(locale, actionLabels[action])}
      </a>
    );
  }
  const scheduled = action === 'publish' && article.publishAt > new Date();
  const text = scheduled
    ? localized(
        locale,
        `定时发布（${formatDateTime(article.publishAt, article.timeZone)}）`,
        `Schedule for ${formatDateTime(article.publishAt, article.timeZone)}`,
      )
    : label(locale, actionLabels[action]);
  return (
    <form method="post" action={`/workspace/articles/${article.id}/steps`} class="inline">
      <CsrfField token={frame.csrfToken} />
      <input type="hidden" name="action" value={action} />
      {action === 'approve' ? (
        <input name="comment" aria-label={localized(locale, '审核意见（可选）', 'Comment (optional)')} placeholder={localized(locale, '审核意见（可选）', 'Comment (optional)')} />
      ) : null}
      <button class="primary" type="submit">
        {text}
      </button>
    </form>
  );
}

function DetailView(props: {
  frame: WorkspaceFrame;
  article: NewsroomArticleDetail;
  site: NewsroomSite | undefined;
  notice?: string;
  error?: string;
  reportsOn?: readonly ReportedActivity[];
}): VNode {
  const { frame, article, site } = props;
  const { locale } = frame;
  const title = titleOf(locale, article);
  const lastEditor = article.lastEditorId === null ? undefined : article.events.find((event) => event.actorUserId === article.lastEditorId);
  const portalPath = (version: Locale) => `/sites/${article.siteSlug}/${version}/articles/${article.slug}`;
  return (
    <WorkspaceLayout frame={frame} area="articles" title={title} notice={props.notice}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/articles">{t(locale, 'newsroom')}</a>
      </nav>
      <h1>{title}</h1>
      {props.error ? (
        <div class="alert error" role="alert">
          {props.error}
        </div>
      ) : null}
      <ReportsOn locale={locale} activities={props.reportsOn} />
      <dl class="facts">
        <dt>{localized(locale, '状态', 'Status')}</dt>
        <dd>
          <StatusBadge locale={locale} status={article.status} />
        </dd>
        <dt>{localized(locale, '网站 · 栏目', 'Site · section')}</dt>
        <dd>{site ? `${site.name[locale]} · ${sectionLabel(locale, site, article.sectionId)}` : article.siteSlug}</dd>
        <dt>{localized(locale, '发布时间', 'Publish time')}</dt>
        <dd>
          <time dateTime={article.publishAt.toISOString()}>{formatDateTime(article.publishAt, article.timeZone)}</time>{' '}
          <span class="muted">({article.timeZone})</span>
        </dd>
        <dt>{localized(locale, '网址', 'Address')}</dt>
        <dd>
          <code>{article.slug}</code>
        </dd>
        <dt>{localized(locale, '标签', 'Tags')}</dt>
        <dd>{article.tags.length > 0 ? article.tags.join(' · ') : '—'}</dd>
        {locales.map((version) => (
          <>
            <dt>{localized(locale, `${label(locale, languageNames[version])}版`, `${label(locale, languageNames[version])} version`)}</dt>
            <dd>
              {label(locale, versionStatusLabels[versionStatusOf(article, version)])}
              {article.status === 'published' && article.versions[version]?.status === 'reviewed' ? (
                <>
                  {' · '}
                  <a href={portalPath(version)}>{localized(locale, '在网站上查看', 'View on the portal')}</a>
                </>
              ) : null}
            </dd>
          </>
        ))}
        <dt>{localized(locale, '最后修改', 'Last changed by')}</dt>
        <dd>{lastEditor?.actorName ?? (article.lastEditorId === null ? '—' : `#${article.lastEditorId}`)}</dd>
        <dt>{localized(locale, '浏览次数', 'Views')}</dt>
        <dd>{article.viewCount}</dd>
      </dl>
      <p class="actions">
        {article.actions.map((action) => (
          <ActionButton frame={frame} article={article} action={action} />
        ))}
        {article.editable ? <a href={`/workspace/articles/${article.id}/edit`}>{t(locale, 'edit')}</a> : null}
        <a href={`/workspace/articles/${article.id}/revisions`}>{localized(locale, '修订记录', 'Revisions')}</a>
        {frame.actor?.isPlatformAdmin ? <a href={`/workspace/audit?entityType=article&entityId=${article.id}`}>{t(locale, 'history')}</a> : null}
      </p>
      <h2>{localized(locale, '流程记录', 'Workflow')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{localized(locale, '步骤', 'Step')}</th>
            <th scope="col">{t(locale, 'who')}</th>
            <th scope="col">{t(locale, 'when')}</th>
            <th scope="col">{localized(locale, '意见', 'Comment')}</th>
          </tr>
        </thead>
        <tbody>
          {article.events.map((event) => (
            <tr>
              <td>{label(locale, stepLabels[event.step])}</td>
              <td>{event.actorName ?? (event.actorUserId === null ? localized(locale, '系统（定时发布）', 'System (schedule)') : '—')}</td>
              <td>
                <time dateTime={event.at.toISOString()}>{formatDateTime(event.at, article.timeZone)}</time>
              </td>
              <td>{event.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {locales.map((version) => {
        const content = article.versions[version];
        const language = label(locale, languageNames[version]);
        return (
          <section lang={htmlLang(version)} aria-label={localized(locale, `${language}版`, `${language} version`)}>
            <h2>
              {localized(locale, `${language}版`, `${language} version`)}{' '}
              <span class="muted">({label(locale, versionStatusLabels[versionStatusOf(article, version)])})</span>
            </h2>
            {content ? (
              <>
                <h3>{content.title}</h3>
                {content.summary ? <p class="muted">{content.summary}</p> : null}
                <TrustedHtml class="body" html={content.bodyHtml} />
              </>
            ) : (
              <p class="muted">{localized(locale, '尚无此语言版本。', 'Not written in this language yet.')}</p>
            )}
          </section>
        );
      })}
    </WorkspaceLayout>
  );
}

function ConfirmStepView(props: { frame: WorkspaceFrame; article: NewsroomArticleDetail; action: WorkflowAction; form: FormState }): VNode {
  const { frame, article, action, form } = props;
  const { locale } = frame;
  const title = `${label(locale, actionLabels[action])}: ${titleOf(locale, article)}`;
  const question: Record<string, Pair> = {
    send_back: ['退回后稿件回到草稿状态，编辑可按意见修改后重新提交。', 'The update goes back to its editor as a draft, with your comment.'],
    unpublish: ['撤下后读者将无法在网站上看到此稿件。', 'Readers will no longer see this update on the portal.'],
    archive: ['归档后稿件不再显示，也不能再修改，除非重新打开。', 'An archived update is not shown and cannot be changed unless it is reopened.'],
  };
  const text = question[action];
  return (
    <WorkspaceLayout frame={frame} area="articles" title={title}>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      {text ? <p>{label(locale, text)}</p> : null}
      <form method="post" action={`/workspace/articles/${article.id}/steps`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <input type="hidden" name="action" value={action} />
        <TextAreaField
          name="comment"
          label={action === 'send_back' ? localized(locale, '修改意见', 'What needs to change') : localized(locale, '说明（可选）', 'Comment (optional)')}
          form={form}
          required={action === 'send_back'}
        />
        <p class="actions">
          <button class="danger" type="submit">
            {label(locale, actionLabels[action])}
          </button>
          <a href={`/workspace/articles/${article.id}`}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Revisions: the list, a comparison of any two, and restoring one

const diffFieldLabels: Record<FieldDiff['field'], Pair> = {
  title: ['标题', 'Title'],
  summary: ['摘要', 'Summary'],
  body: ['正文', 'Body'],
  status: ['版本状态', 'Version status'],
  slug: ['网址', 'Address'],
  section: ['栏目', 'Section'],
  tags: ['标签', 'Tags'],
  publishAt: ['发布时间', 'Publish time'],
};

function DiffView(props: { locale: Locale; diffs: FieldDiff[] }): VNode {
  const { locale } = props;
  const changed = props.diffs.filter((diff) => diff.changed);
  if (changed.length === 0) return <p class="muted">{localized(locale, '两个修订版本内容相同。', 'The two revisions are the same.')}</p>;
  return (
    <div class="diffs">
      {changed.map((diff) => (
        <section>
          <h3>
            {label(locale, diffFieldLabels[diff.field])}
            {diff.locale ? ` · ${label(locale, languageNames[diff.locale])}` : ''}
          </h3>
          <div class="diff" lang={diff.locale ? htmlLang(diff.locale) : undefined}>
            {diff.parts.map((part) =>
              part.change === 'added' ? <ins>{part.value}</ins> : part.change === 'removed' ? <del>{part.value}</del> : <span>{part.value}</span>,
            )}
          </div>
        </section>
      ))}
    </div>
  );
}

function RevisionsView(props: {
  frame: WorkspaceFrame;
  article: NewsroomArticleDetail;
  site: NewsroomSite | undefined;
  revisions: ArticleRevision[];
  from: number | undefined;
  to: number | undefined;
}): VNode {
  const { frame, article, site, revisions } = props;
  const { locale } = frame;
  const title = `${localized(locale, '修订记录', 'Revisions')}: ${titleOf(locale, article)}`;
  const older = revisions.find((revision) => revision.number === props.from);
  const newer = revisions.find((revision) => revision.number === props.to);
  const newest = revisions[0]?.number;
  const options = revisions.map((revision) => ({
    value: String(revision.number),
    label: `#${revision.number} · ${formatDateTime(revision.createdAt, article.timeZone)} · ${revision.authorName ?? '—'}`,
  }));
  const describe = {
    section: (id: number) => (site ? sectionLabel(locale, site, id) : `#${id}`),
    publishAt: (iso: string) => formatDateTime(new Date(iso), article.timeZone),
    status: (status: string) => label(locale, versionStatusLabels[status as keyof typeof versionStatusLabels] ?? [status, status]),
  };
  return (
    <WorkspaceLayout frame={frame} area="articles" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/articles">{t(locale, 'newsroom')}</a>
        {' › '}
        <a href={`/workspace/articles/${article.id}`}>{titleOf(locale, article)}</a>
      </nav>
      <h1>{title}</h1>
      {revisions.length > 0 ? (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t(locale, 'who')}</th>
                <th scope="col">{t(locale, 'when')}</th>
                <th scope="col">{t(locale, 'action')}</th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((revision) => (
                <tr>
                  <td>{revision.number}</td>
                  <td>{revision.authorName ?? localized(locale, '（导入的内容）', '(content from before the newsroom)')}</td>
                  <td>{formatDateTime(revision.createdAt, article.timeZone)}</td>
                  <td class="inline">
                    {revision.number > 1 ? (
                      <a href={`/workspace/articles/${article.id}/revisions?from=${revision.number - 1}&to=${revision.number}`}>
                        {localized(locale, '与上一版比较', 'Compare with the one before')}
                      </a>
                    ) : null}
                    {article.editable && revision.number !== newest ? (
                      <a href={`/workspace/articles/${article.id}/revisions/${revision.number}/restore`}>{localized(locale, '恢复此版本', 'Restore')}</a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{localized(locale, '比较', 'Compare')}</h2>
          <form method="get" action={`/workspace/articles/${article.id}/revisions`} class="filters">
            <SelectField name="from" label={localized(locale, '旧版本', 'Older')} form={formState({ from: props.from })} options={options} />
            <SelectField name="to" label={localized(locale, '新版本', 'Newer')} form={formState({ to: props.to })} options={options} />
            <button class="primary" type="submit">
              {localized(locale, '比较', 'Compare')}
            </button>
          </form>
          {older && newer ? (
            <>
              <p class="muted">
                {localized(locale, `#${older.number} → #${newer.number}：`, `#${older.number} → #${newer.number}: `)}
                <del>{localized(locale, '删除', 'removed')}</del> <ins>{localized(locale, '新增', 'added')}</ins>
              </p>
              <DiffView locale={locale} diffs={compareSnapshots(older.snapshot, newer.snapshot, locale, describe)} />
            </>
          ) : null}
        </>
      ) : (
        <p class="muted">{localized(locale, '尚无修订记录。', 'No revisions yet.')}</p>
      )}
    </WorkspaceLayout>
  );
}

function RestoreView(props: { frame: WorkspaceFrame; article: NewsroomArticleDetail; revision: ArticleRevision }): VNode {
  const { frame, article, revision } = props;
  const { locale } = frame;
  const title = localized(locale, `恢复修订版本 #${revision.number}`, `Restore revision #${revision.number}`);
  return (
    <WorkspaceLayout frame={frame} area="articles" title={title}>
      <h1>{title}</h1>
      <p>
        {localized(
          locale,
          `稿件内容将恢复为 ${formatDateTime(revision.createdAt, article.timeZone)} 的版本，作为一个新的修订版本保存；之后的修订记录仍会保留。`,
          `The update's content goes back to what it was on ${formatDateTime(revision.createdAt, article.timeZone)}, saved as a new revision; the revisions since are kept.`,
        )}
        {article.status === 'published' ? localized(locale, '稿件已发布，恢复后读者立即看到旧内容。', ' The update is published: readers see the old content at once.') : ''}
      </p>
      <form method="post" action={`/workspace/articles/${article.id}/revisions/${revision.number}/restore`} class="actions">
        <CsrfField token={frame.csrfToken} />
        <button class="danger" type="submit">
          {localized(locale, '恢复', 'Restore')}
        </button>
        <a href={`/workspace/articles/${article.id}/revisions`}>{t(locale, 'cancel')}</a>
      </form>
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Publishing settings of the sites the reader administers

function SettingsView(props: { frame: WorkspaceFrame; sites: NewsroomSite[]; notice?: string }): VNode {
  const { frame } = props;
  const { locale } = frame;
  const title = localized(locale, '发布设置', 'Publishing settings');
  return (
    <WorkspaceLayout frame={frame} area="articles" title={title} notice={props.notice}>
      <h1>{title}</h1>
      <p>
        {localized(
          locale,
          '默认情况下，稿件须由编辑以外的审核人审核通过，之后编辑或管理员即可发布。小型妇联可允许编辑自行审核和发布自己的稿件。',
          'By default an update is approved by a reviewer other than its editor; once approved, its editor or an administrator publishes it. A small federation may let one person write, approve and publish.',
        )}
      </p>
      {props.sites.map((site) => (
        <form method="post" action={`/workspace/articles/settings/${site.id}`} class="actions">
          <CsrfField token={frame.csrfToken} />
          <strong>{site.name[locale]}</strong>
          <label>
            <input type="checkbox" name="allowSelfPublish" value="on" checked={site.allowSelfPublish} />{' '}
            {localized(locale, '允许编辑自行发布自己的稿件', 'Editors may publish their own updates without a review')}
          </label>
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
        </form>
      ))}
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------

const newQuery = z.object({ siteId: z.coerce.number().int().positive().optional() });
const stepParams = articleIdParams.extend({ action: z.string() });
const siteParams = z.object({ siteId: z.coerce.number().int().positive() });

/** The newsroom in the workspace: list, forms, the workflow's buttons, revisions. */
export const newsroomPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function siteOf(request: FastifyRequest, siteId: number): Promise<NewsroomSite | undefined> {
    const sites = await newsroomService.listReadableSites(app.db, actorOf(request));
    return sites.find((site) => site.id === siteId);
  }

  async function writableSite(request: FastifyRequest, siteId: number): Promise<NewsroomSite> {
    const site = (await newsroomService.listWritableSites(app.db, actorOf(request))).find((candidate) => candidate.id === siteId);
    if (!site) throw notFound();
    return site;
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, extra: { notice?: string; error?: string; status?: number } = {}) {
    const article = await newsroomService.getNewsroomArticle(app.db, actorOf(request), id);
    const [site, reportsOn] = await Promise.all([siteOf(request, article.siteId), listReportedActivities(app.db, actorOf(request), id)]);
    return sendWorkspacePage(
      reply,
      <DetailView frame={workspaceFrame(request)} article={article} site={site} notice={extra.notice} error={extra.error} reportsOn={reportsOn} />,
      extra.status,
    );
  }

  async function sendForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status: number,
    site: NewsroomSite,
    article?: NewsroomArticle,
    previews?: Partial<Record<Locale, string>>,
  ) {
    // The site's images for the cover image's choice, newest first.
    const [{ items: media }, reportsOn] = await Promise.all([
      mediaService.listMedia(app.db, actorOf(request), { siteId: site.id, limit: 200, offset: 0 }),
      article ? listReportedActivities(app.db, actorOf(request), article.id) : undefined,
    ]);
    return sendWorkspacePage(
      reply,
      <FormView frame={workspaceFrame(request)} form={form} site={site} media={media} article={article} previews={previews} reportsOn={reportsOn} />,
      status,
    );
  }

  app.get('/workspace/articles', { schema: { querystring: z.record(z.string(), z.string()) } }, async (request, reply) => {
    const actor = actorOf(request);
    // A bad filter value (an old link, a hand-made address) is dropped rather than refused.
    const parsed = articleQuery.safeParse(request.query);
    const query = parsed.success ? parsed.data : articleQuery.parse({ q: request.query.q?.slice(0, 100) });
    const page = await newsroomService.listNewsroomArticles(app.db, actor, { ...query, limit: pageSize });
    const [sites, mayWrite, mayManage] = await Promise.all([
      newsroomService.listReadableSites(app.db, actor),
      newsroomService.mayWriteArticles(app.db, actor),
      newsroomService.mayChangePublishingSettings(app.db, actor),
    ]);
    const filters = formState({
      q: query.q,
      siteId: query.siteId,
      sectionId: query.sectionId,
      status: query.status,
      language: query.language,
      languageStatus: query.languageStatus,
    });
    return sendWorkspacePage(
      reply,
      <ListView frame={workspaceFrame(request)} page={page} sites={sites} filters={filters} mayWrite={mayWrite} mayManage={mayManage} />,
    );
  });

  app.get('/workspace/articles/new', { schema: { querystring: newQuery } }, async (request, reply) => {
    const sites = await newsroomService.listWritableSites(app.db, actorOf(request));
    const only = sites.length === 1 ? sites[0] : undefined;
    const site = request.query.siteId === undefined ? only : sites.find((candidate) => candidate.id === request.query.siteId);
    if (!site) {
      if (request.query.siteId !== undefined) throw notFound();
      return sendWorkspacePage(reply, <SiteChoiceView frame={workspaceFrame(request)} sites={sites} />);
    }
    const form = formState({
      sectionId: site.sections[0]?.id,
      publishAt: wallClockValue(new Date(), site.timeZone).replace(/:\d{2}$/, ':00'),
      statusZh: 'draft',
      statusEn: 'draft',
    });
    return sendForm(request, reply, form, 200, site);
  });

  app.post('/workspace/articles', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const site = await writableSite(request, Number(body.siteId));
    const locale = workspaceFrame(request).locale;
    if (body.intent === 'preview') {
      const form = submittedValues(body);
      return sendForm(request, reply, form, 200, site, undefined, previewsOf(form));
    }
    const parsed = parseForm(articleInput, body, locale);
    if (!parsed.ok) return sendForm(request, reply, withVersionIssues(parsed.form, locale), 400, site);
    try {
      const created = await newsroomService.createArticle(app.db, actorOf(request), { ...parsed.value, siteId: site.id });
      return reply.redirect(`/workspace/articles/${created.id}`, 303);
    } catch (error) {
      const form = formWithServiceError(submittedValues(body), error, locale);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status, site);
    }
  });

  app.get('/workspace/articles/settings', async (request, reply) => {
    const sites = await newsroomService.listSitesWithSettings(app.db, actorOf(request));
    return sendWorkspacePage(reply, <SettingsView frame={workspaceFrame(request)} sites={sites} />);
  });

  app.post('/workspace/articles/settings/:siteId', { schema: { params: siteParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const allow = (request.body as Record<string, unknown> | undefined)?.allowSelfPublish === 'on';
    await newsroomService.setSelfPublishing(app.db, actor, request.params.siteId, allow);
    const sites = await newsroomService.listSitesWithSettings(app.db, actor);
    return sendWorkspacePage(reply, <SettingsView frame={workspaceFrame(request)} sites={sites} notice={t(workspaceFrame(request).locale, 'saved')} />);
  });

  app.get('/workspace/articles/:id', { schema: { params: articleIdParams } }, async (request, reply) => sendDetail(request, reply, request.params.id));

  app.get('/workspace/articles/:id/edit', { schema: { params: articleIdParams } }, async (request, reply) => {
    const article = await newsroomService.getNewsroomArticle(app.db, actorOf(request), request.params.id);
    if (!article.editable) throw notFound();
    const site = await writableSite(request, article.siteId);
    return sendForm(request, reply, formValues(article), 200, site, article);
  });

  app.post('/workspace/articles/:id', { schema: { params: articleIdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const article = await newsroomService.getNewsroomArticle(app.db, actor, request.params.id);
    // Refuse before looking at the form, so that a reader cannot tell an editable update from another.
    if (!article.editable) throw notFound();
    const site = await writableSite(request, article.siteId);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const locale = workspaceFrame(request).locale;
    if (body.intent === 'preview') {
      const form = submittedValues(body);
      return sendForm(request, reply, form, 200, site, article, previewsOf(form));
    }
    const parsed = parseForm(articleInput, body, locale);
    if (!parsed.ok) return sendForm(request, reply, withVersionIssues(parsed.form, locale), 400, site, article);
    try {
      const { siteId: _siteId, ...patch } = parsed.value;
      // Every language field is sent by the form: an empty one means "none", not "unchanged".
      await newsroomService.updateArticle(app.db, actor, article.id, { ...patch, slug: patch.slug ?? article.slug, tags: patch.tags ?? [] });
    } catch (error) {
      const form = formWithServiceError(submittedValues(body), error, locale);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status, site, article);
    }
    return sendDetail(request, reply, article.id, { notice: t(locale, 'saved') });
  });

  app.get('/workspace/articles/:id/steps/:action', { schema: { params: stepParams } }, async (request, reply) => {
    const action = workflowActions.find((candidate) => candidate === request.params.action);
    if (!action) throw notFound();
    const article = await newsroomService.getNewsroomArticle(app.db, actorOf(request), request.params.id);
    if (!article.actions.includes(action)) throw notFound();
    return sendWorkspacePage(reply, <ConfirmStepView frame={workspaceFrame(request)} article={article} action={action} form={formState()} />);
  });

  app.post('/workspace/articles/:id/steps', { schema: { params: articleIdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const locale = workspaceFrame(request).locale;
    const parsed = parseForm(transitionInput, request.body, locale);
    if (!parsed.ok) throw new DomainError(400, 'bad_request', 'Choose a step of the workflow.');
    try {
      const article = await newsroomService.transitionArticle(app.db, actor, request.params.id, parsed.value);
      const done = label(locale, stepLabels[article.events.at(-1)?.step ?? 'created']);
      return sendDetail(request, reply, article.id, { notice: localized(locale, `已${done}。`, `${done}.`) });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status === 404 || error.status >= 500) throw error;
      const message = translateMessage(locale, error.message);
      if (error.code === 'comment_required') {
        const article = await newsroomService.getNewsroomArticle(app.db, actor, request.params.id);
        const form: FormState = { values: { comment: '' }, errors: { comment: message } };
        return sendWorkspacePage(reply, <ConfirmStepView frame={workspaceFrame(request)} article={article} action={parsed.value.action} form={form} />, 400);
      }
      return sendDetail(request, reply, request.params.id, { error: message, status: error.status });
    }
  });

  app.get('/workspace/articles/:id/revisions', { schema: { params: articleIdParams, querystring: revisionCompareQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const article = await newsroomService.getNewsroomArticle(app.db, actor, request.params.id);
    const revisions = await newsroomService.listArticleRevisions(app.db, actor, article.id);
    const newest = revisions[0]?.number;
    const to = request.query.to ?? newest;
    const from = request.query.from ?? (to !== undefined && to > 1 ? to - 1 : undefined);
    const site = await siteOf(request, article.siteId);
    return sendWorkspacePage(
      reply,
      <RevisionsView frame={workspaceFrame(request)} article={article} site={site} revisions={revisions} from={from} to={to} />,
    );
  });

  app.get('/workspace/articles/:id/revisions/:number/restore', { schema: { params: revisionParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const article = await newsroomService.getNewsroomArticle(app.db, actor, request.params.id);
    if (!article.editable) throw notFound();
    const revision = (await newsroomService.listArticleRevisions(app.db, actor, article.id)).find((candidate) => candidate.number === request.params.number);
    if (!revision) throw notFound();
    return sendWorkspacePage(reply, <RestoreView frame={workspaceFrame(request)} article={article} revision={revision} />);
  });

  app.post('/workspace/articles/:id/revisions/:number/restore', { schema: { params: revisionParams } }, async (request, reply) => {
    const locale = workspaceFrame(request).locale;
    try {
      await newsroomService.restoreRevision(app.db, actorOf(request), request.params.id, request.params.number);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status === 404 || error.status >= 500) throw error;
      return sendDetail(request, reply, request.params.id, { error: translateMessage(locale, error.message), status: error.status });
    }
    return sendDetail(request, reply, request.params.id, {
      notice: localized(locale, `已恢复修订版本 #${request.params.number}。`, `Revision #${request.params.number} restored.`),
    });
  });
};
