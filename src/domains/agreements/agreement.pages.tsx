import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextAreaField, TextField, type FormState } from '../../platform/forms.tsx';
import { TrustedHtml } from '../../platform/html.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { formatDate } from '../../platform/time.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { listActivitiesOfMeasure, type ImplementingActivity } from '../activities/activity-measure.service.ts';
import { activityTimeZone } from '../activities/activity.rules.ts';
import { documentInput, documentKinds, documentQuery, idParams, measureInput, workDimensionInput } from './agreement.schema.ts';
import * as agreementService from './agreement.service.ts';
import type { AgreementDocument, DocumentDetail, DocumentListItem, Measure, MeasureDetail, MeasureNode, Tag, WorkDimension } from './agreement.service.ts';
import {
  agreementsHref,
  CheckboxesField,
  CommitmentRows,
  Crumbs,
  DeleteConfirmation,
  documentHref,
  documentTitle,
  FormPage,
  formWithServiceError,
  joinListFields,
  kindName,
  langOf,
  localizeForm,
  measureHref,
  measureLabel,
  MultiSelectField,
  organizationLabel,
  organizationOptions,
  Paragraphs,
  ProgressBar,
  submitForm,
  submittedQuery,
  Tags,
  textIn,
  Timeline,
} from './agreement.view.tsx';
import * as commitmentService from './commitment.service.ts';
import { DocumentFilesSection } from './document-file.pages.tsx';
import * as documentFileService from './document-file.service.ts';
import type { DocumentFile } from './document-file.service.ts';
import type { Commitment, ProgressUpdate } from './commitment.service.ts';

const pageSize = 50;
type Organizations = Awaited<ReturnType<typeof commitmentService.listOrganizationChoices>>;

function kindOptions(locale: Locale, emptyLabel?: string) {
  const options = documentKinds.map((kind) => ({ value: kind, label: kindName(locale, kind) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

/** Who a document belongs to: its parties, or its issuer. */
function Owners(props: { locale: Locale; document: Pick<AgreementDocument, 'issuer' | 'parties'> }): VNode {
  const { locale, document } = props;
  const names = document.issuer ? [document.issuer] : document.parties;
  return (
    <>
      {names.map((organization, index) => (
        <>
          {index > 0 ? localized(locale, '、', ', ') : null}
          <a href={`/workspace/organizations/${organization.id}`}>{organizationLabel(locale, organization)}</a>
        </>
      ))}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Views: documents

function ListView(props: {
  frame: WorkspaceFrame;
  page: { items: DocumentListItem[]; total: number; limit: number; offset: number };
  filters: FormState;
  organizations: Organizations;
  mayCreate: boolean;
}): VNode {
  const { frame, page } = props;
  const { locale } = frame;
  const title = t(locale, 'agreements');
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <h1>{title}</h1>
      <FormErrorSummary form={props.filters} locale={locale} />
      <form method="get" action={agreementsHref} class="filters" role="search">
        <TextField name="q" type="search" label={localized(locale, '标题或文号', 'Title or number')} form={props.filters} />
        <SelectField name="kind" label={t(locale, 'kind')} form={props.filters} options={kindOptions(locale, t(locale, 'all'))} />
        <SelectField
          name="partyId"
          label={localized(locale, '签约方或发文单位', 'Party or issuer')}
          form={props.filters}
          options={organizationOptions(locale, props.organizations, t(locale, 'all'))}
        />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="actions">
        {props.mayCreate ? (
          <a class="button" href={`${agreementsHref}/new`}>
            {t(locale, 'create')}
          </a>
        ) : null}
        <a href={`${agreementsHref}/commitments`}>{localized(locale, '全部承诺', 'All commitments')}</a>
        <a href={`${agreementsHref}/dashboard`}>{localized(locale, '进展看板', 'Dashboards')}</a>
        {frame.actor?.isPlatformAdmin ? <a href={`${agreementsHref}/dimensions`}>{localized(locale, '工作维度', 'Work dimensions')}</a> : null}
        <span class="muted">{localized(locale, `共 ${page.total} 份`, `${page.total} in all`)}</span>
      </p>
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '文件', 'Document')}</th>
              <th scope="col">{t(locale, 'kind')}</th>
              <th scope="col">{localized(locale, '日期', 'Date')}</th>
              <th scope="col">{localized(locale, '签约方 / 发文单位', 'Parties / issuer')}</th>
              <th scope="col">{localized(locale, '进度', 'Progress')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((document) => (
              <tr>
                <td>
                  <a href={documentHref(document.id)} lang={langOf(locale, document.titleZh, document.titleEn)}>
                    {documentTitle(locale, document)}
                  </a>
                  {document.docNumber ? <div class="muted">{document.docNumber}</div> : null}
                </td>
                <td>{kindName(locale, document.kind)}</td>
                <td>{document.signedOn}</td>
                <td>
                  <Owners locale={locale} document={document} />
                </td>
                <td>
                  <ProgressBar locale={locale} progress={document.progress} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => listPageHref(agreementsHref, props.filters.values, offset)} />
    </WorkspaceLayout>
  );
}

function MeasureItem(props: { locale: Locale; measure: MeasureNode; commitments: Map<number, Commitment[]>; editable: boolean; mayRecord: boolean }): VNode {
  const { locale, measure } = props;
  const own = props.commitments.get(measure.id) ?? [];
  return (
    <li class="measure" id={`measure-${measure.id}`}>
      <h3>
        <a href={measureHref(measure.id)}>{measureLabel(locale, measure)}</a>
        <Tags locale={locale} tags={measure.dimensions} />
      </h3>
      <p>
        <ProgressBar locale={locale} progress={measure.progress} label={localized(locale, `措施 ${measure.number} 的进度`, `Progress of measure ${measure.number}`)} />
      </p>
      {own.length > 0 ? <CommitmentRows locale={locale} commitments={own} /> : null}
      {props.editable || props.mayRecord ? (
        <p class="actions">
          {props.mayRecord ? <a href={`${measureHref(measure.id)}/commitments/new`}>{localized(locale, '新增承诺', 'Add a commitment')}</a> : null}
          {props.editable ? (
            <a href={`${documentHref(measure.documentId)}/measures/new?parentId=${measure.id}`}>{localized(locale, '新增下级措施', 'Add a measure below')}</a>
          ) : null}
        </p>
      ) : null}
      {measure.children.length > 0 ? (
        <ul class="measures">
          {measure.children.map((child) => (
            <MeasureItem locale={locale} measure={child} commitments={props.commitments} editable={props.editable} mayRecord={props.mayRecord} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function DocumentView(props: {
  frame: WorkspaceFrame;
  document: DocumentDetail;
  commitments: Commitment[];
  files: DocumentFile[];
  mayRecord: boolean;
  notice?: string;
}): VNode {
  const { frame, document } = props;
  const { locale } = frame;
  const title = documentTitle(locale, document);
  const other = locale === 'zh' ? document.titleEn : document.titleZh;
  const body = textIn(locale, document.bodyHtmlZh, document.bodyHtmlEn);
  const byMeasure = new Map<number, Commitment[]>();
  for (const commitment of props.commitments) byMeasure.set(commitment.measureId, [...(byMeasure.get(commitment.measureId) ?? []), commitment]);
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title} notice={props.notice}>
      <Crumbs locale={locale} />
      <h1 lang={langOf(locale, document.titleZh, document.titleEn)}>{title}</h1>
      {other && other !== title ? (
        <p class="muted" lang={locale === 'zh' ? 'en' : 'zh-CN'}>
          {other}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t(locale, 'kind')}</dt>
        <dd>{kindName(locale, document.kind)}</dd>
        {document.docNumber ? (
          <>
            <dt>{localized(locale, '文号', 'Number')}</dt>
            <dd>{document.docNumber}</dd>
          </>
        ) : null}
        <dt>{document.kind === 'agreement' ? localized(locale, '签订日期', 'Signed on') : localized(locale, '印发日期', 'Issued on')}</dt>
        <dd>{document.signedOn}</dd>
        {document.kind === 'agreement' ? (
          <>
            <dt>{localized(locale, '签约方', 'Parties')}</dt>
            <dd>
              <Owners locale={locale} document={document} />
            </dd>
            <dt>{localized(locale, '期限', 'Term')}</dt>
            <dd>
              {document.startsOn ?? t(locale, 'dateNotKnown')} – {document.endsOn ?? t(locale, 'dateNotKnown')}
            </dd>
          </>
        ) : (
          <>
            <dt>{localized(locale, '发文单位', 'Issuer')}</dt>
            <dd>
              <Owners locale={locale} document={document} />
            </dd>
          </>
        )}
        <dt>{localized(locale, '公开', 'Public')}</dt>
        <dd>{document.isPublic ? localized(locale, '在公开页面列出', 'Listed on the public transparency page') : localized(locale, '不公开', 'Not public')}</dd>
        <dt>{localized(locale, '总体进度', 'Overall progress')}</dt>
        <dd>
          <ProgressBar locale={locale} progress={document.progress} label={localized(locale, '总体进度', 'Overall progress')} />{' '}
          <span class="muted">{localized(locale, `（${document.commitmentCount} 项承诺，按权重计）`, `(${document.commitmentCount} commitments, by weight)`)}</span>{' '}
          <a href={`${documentHref(document.id)}/dashboard`}>{localized(locale, '进展看板', 'Progress dashboard')}</a>
        </dd>
      </dl>
      {document.editable ? (
        <p class="actions">
          <a class="button" href={`${documentHref(document.id)}/edit`}>
            {t(locale, 'edit')}
          </a>
          <a class="button" href={`${documentHref(document.id)}/measures/new`}>
            {localized(locale, '新增措施', 'Add a measure')}
          </a>
          <a href={`${documentHref(document.id)}/delete`}>{t(locale, 'delete')}</a>
        </p>
      ) : null}
      {body ? <TrustedHtml class="body" html={body} /> : null}
      <DocumentFilesSection locale={locale} documentId={document.id} files={props.files} editable={document.editable} />
      {document.attachmentMedia.length > 0 ? (
        <>
          <h2>{localized(locale, '附件', 'Attachments')}</h2>
          <ul>
            {document.attachmentMedia.map((media) => (
              <li>
                <a href={`/workspace/media/${media.id}`}>{textIn(locale, media.altZh, media.altEn)}</a>
                <span class="muted"> · {media.locale === 'zh' ? localized(locale, '中文版', 'Chinese version') : localized(locale, '英文版', 'English version')}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{localized(locale, '措施', 'Measures')}</h2>
      {document.measures.length > 0 ? (
        <ul class="measures">
          {document.measures.map((measure) => (
            <MeasureItem locale={locale} measure={measure} commitments={byMeasure} editable={document.editable} mayRecord={props.mayRecord} />
          ))}
        </ul>
      ) : (
        <p class="muted">{localized(locale, '尚未录入措施。', 'No measures recorded yet.')}</p>
      )}
      <p>
        <a href={`${agreementsHref}/commitments?documentId=${document.id}`}>{localized(locale, '筛选本文件的承诺', 'Filter the commitments of this document')}</a>
        {' · '}
        <a href={`${documentHref(document.id)}/import`}>{localized(locale, '导入 / 导出 CSV', 'Import / Export CSV')}</a>
        {frame.actor?.isPlatformAdmin ? (
          <>
            {' · '}
            <a href={`/workspace/audit?entityType=document&entityId=${document.id}`}>{t(locale, 'history')}</a>
          </>
        ) : null}
      </p>
    </WorkspaceLayout>
  );
}

function DocumentFormView(props: { frame: WorkspaceFrame; form: FormState; organizations: Organizations; document?: AgreementDocument }): VNode {
  const { frame, form, document } = props;
  const { locale } = frame;
  const title = document ? `${t(locale, 'edit')}: ${documentTitle(locale, document)}` : localized(locale, '新建文件', 'New document');
  const options = organizationOptions(locale, props.organizations);
  return (
    <FormPage
      frame={frame}
      title={title}
      form={form}
      action={document ? documentHref(document.id) : agreementsHref}
      back={document ? documentHref(document.id) : agreementsHref}
      document={document}
    >
      <div class="columns">
        <SelectField name="kind" label={t(locale, 'kind')} form={form} options={kindOptions(locale)} required />
        <TextField
          name="docNumber"
          label={localized(locale, '文号', 'Document number')}
          hint={localized(locale, '按原文填写，如 京妇发〔2024〕3号；没有时留空。', 'As printed, e.g. 京妇发〔2024〕3号; empty when there is none.')}
          form={form}
        />
        <TextField
          name="signedOn"
          type="date"
          label={localized(locale, '签订或印发日期', 'Signed or issued on')}
          hint={localized(locale, '协议的签订日期，或通知、方案的印发日期。', "An agreement's signing day, or the day a circular or plan was issued.")}
          form={form}
          required
        />
      </div>
      <div class="columns">
        <TextField name="titleZh" label={localized(locale, '中文标题', 'Title in Chinese')} form={form} required />
        <TextField name="titleEn" label={localized(locale, '英文标题', 'Title in English')} form={form} />
      </div>
      <div class="columns">
        <MultiSelectField
          name="partyIds"
          label={localized(locale, '签约方（协议）', 'Parties (agreements)')}
          hint={localized(locale, '协议至少两方；通知和方案不填。', 'At least two for an agreement; none for a circular or plan.')}
          form={form}
          options={options}
        />
        <div>
          <SelectField
            name="issuerId"
            label={localized(locale, '发文单位（通知、方案）', 'Issuer (circulars and plans)')}
            hint={localized(locale, '协议不填。', 'Empty for an agreement.')}
            form={form}
            options={[{ value: '', label: t(locale, 'none') }, ...options]}
          />
          <TextField name="startsOn" type="date" label={localized(locale, '协议期限起始', 'Term starts')} form={form} />
          <TextField name="endsOn" type="date" label={localized(locale, '协议期限终止', 'Term ends')} form={form} />
        </div>
      </div>
      <div class="columns versions">
        <fieldset class="version" lang="zh-CN">
          <legend>{localized(locale, '中文版', 'Chinese version')}</legend>
          <TextAreaField
            name="bodyZh"
            label={localized(locale, '正文（Markdown）', 'Text (Markdown)')}
            hint={localized(locale, '用 # 标题、**粗体**、- 列表。', 'Use # headings, **bold**, - lists.')}
            form={form}
            rows={12}
          />
          <TextField
            name="attachmentsZh"
            label={localized(locale, '附件（图片库编号）', 'Attachments (media numbers)')}
            hint={localized(locale, '图片库中图片的编号，以逗号分隔。', 'Numbers of media library images, separated by commas.')}
            form={form}
          />
        </fieldset>
        <fieldset class="version" lang="en">
          <legend>{localized(locale, '英文版', 'English version')}</legend>
          <TextAreaField name="bodyEn" label={localized(locale, '正文（Markdown）', 'Text (Markdown)')} form={form} rows={12} />
          <TextField name="attachmentsEn" label={localized(locale, '附件（图片库编号）', 'Attachments (media numbers)')} form={form} />
        </fieldset>
      </div>
      <div class="field">
        <label>
          <input type="checkbox" name="isPublic" value="on" checked={form.values.isPublic === 'on' || form.values.isPublic === 'true'} />{' '}
          {localized(locale, '在公开页面列出', 'List on the public transparency page')}
        </label>
      </div>
    </FormPage>
  );
}

function documentFormValues(document: AgreementDocument): FormState {
  return formState({
    kind: document.kind,
    titleZh: document.titleZh,
    titleEn: document.titleEn,
    docNumber: document.docNumber,
    signedOn: document.signedOn,
    startsOn: document.startsOn,
    endsOn: document.endsOn,
    issuerId: document.issuer?.id,
    partyIds: document.parties.map((party) => party.id).join(','),
    bodyZh: document.bodyZh,
    bodyEn: document.bodyEn,
    attachmentsZh: document.attachments.zh.join(', '),
    attachmentsEn: document.attachments.en.join(', '),
    isPublic: document.isPublic ? 'on' : '',
  });
}

// ---------------------------------------------------------------------------------------------
// Views: measures

function MeasureView(props: {
  frame: WorkspaceFrame;
  measure: MeasureDetail;
  commitments: Commitment[];
  timeline: ProgressUpdate[];
  activities: ImplementingActivity[];
  mayRecord: boolean;
  notice?: string;
}): VNode {
  const { frame, measure } = props;
  const { locale } = frame;
  const title = measureLabel(locale, measure);
  const own = props.commitments.filter((commitment) => commitment.measureId === measure.id);
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title} notice={props.notice}>
      <Crumbs locale={locale} document={measure.document} measures={measure.ancestors} />
      <h1 lang={langOf(locale, measure.titleZh, measure.titleEn)}>{title}</h1>
      <Paragraphs text={textIn(locale, measure.bodyZh, measure.bodyEn)} lang={langOf(locale, measure.bodyZh, measure.bodyEn)} />
      <dl class="facts">
        <dt>{localized(locale, '工作维度', 'Work dimensions')}</dt>
        <dd>{measure.dimensions.length > 0 ? <Tags locale={locale} tags={measure.dimensions} /> : t(locale, 'none')}</dd>
        <dt>{localized(locale, '主题', 'Topics')}</dt>
        <dd>{measure.topics.length > 0 ? <Tags locale={locale} tags={measure.topics} /> : t(locale, 'none')}</dd>
        <dt>{localized(locale, '进度', 'Progress')}</dt>
        <dd>
          <ProgressBar locale={locale} progress={measure.progress} />{' '}
          <span class="muted">{localized(locale, `（含下级措施，${measure.commitmentCount} 项承诺）`, `(with the measures below, ${measure.commitmentCount} commitments)`)}</span>
        </dd>
      </dl>
      <p class="actions">
        {measure.editable ? (
          <>
            <a class="button" href={`${measureHref(measure.id)}/edit`}>
              {t(locale, 'edit')}
            </a>
            <a href={`${documentHref(measure.documentId)}/measures/new?parentId=${measure.id}`}>{localized(locale, '新增下级措施', 'Add a measure below')}</a>
          </>
        ) : null}
        {props.mayRecord ? <a href={`${measureHref(measure.id)}/commitments/new`}>{localized(locale, '新增承诺', 'Add a commitment')}</a> : null}
        {measure.editable ? <a href={`${measureHref(measure.id)}/delete`}>{t(locale, 'delete')}</a> : null}
      </p>
      {measure.children.length > 0 ? (
        <>
          <h2>{localized(locale, '下级措施', 'Measures below')}</h2>
          <ul>
            {measure.children.map((child) => (
              <li>
                <a href={measureHref(child.id)}>{measureLabel(locale, child)}</a> <ProgressBar locale={locale} progress={child.progress} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{localized(locale, '承诺', 'Commitments')}</h2>
      {own.length > 0 ? <CommitmentRows locale={locale} commitments={own} /> : <p class="muted">{t(locale, 'noResults')}</p>}
      <h2>{localized(locale, '进展', 'Timeline')}</h2>
      <Timeline locale={locale} updates={props.timeline} showCommitment />
      <h2>{localized(locale, '落实这项措施的活动', 'Activities carrying it out')}</h2>
      {props.activities.length > 0 ? (
        <ul>
          {props.activities.map((activity) => (
            <li>
              <a href={`/workspace/activities/${activity.id}`}>{textIn(locale, activity.titleZh, activity.titleEn)}</a>{' '}
              <span class="muted">
                <time dateTime={activity.startsAt.toISOString()}>{formatDate(activity.startsAt, activityTimeZone)}</time>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
    </WorkspaceLayout>
  );
}

function MeasureFormView(props: {
  frame: WorkspaceFrame;
  form: FormState;
  document: AgreementDocument;
  measures: MeasureNode[];
  dimensions: WorkDimension[];
  topics: Tag[];
  measure?: Measure;
}): VNode {
  const { frame, form, document, measure } = props;
  const { locale } = frame;
  const title = measure ? `${t(locale, 'edit')}: ${measureLabel(locale, measure)}` : localized(locale, '新增措施', 'New measure');
  const action = measure ? measureHref(measure.id) : `${documentHref(document.id)}/measures`;
  // A measure cannot go under itself or a measure below it: those are the ones after it in reading order, deeper than it.
  const own = measure ? props.measures.findIndex((candidate) => candidate.id === measure.id) : -1;
  const ownDepth = props.measures[own]?.depth ?? 0;
  const below = own < 0 ? -1 : props.measures.findIndex((candidate, index) => index > own && candidate.depth <= ownDepth);
  const parents = own < 0 ? props.measures : [...props.measures.slice(0, own), ...(below < 0 ? [] : props.measures.slice(below))];
  return (
    <FormPage frame={frame} title={title} form={form} action={action} back={measure ? measureHref(measure.id) : documentHref(document.id)} document={document}>
      <div class="columns">
        <TextField
          name="number"
          label={localized(locale, '编号', 'Number')}
          hint={localized(locale, '按文件中的编号，如 3 或 3.2。', 'As numbered in the document, e.g. 3 or 3.2.')}
          form={form}
          required
        />
        <SelectField
          name="parentId"
          label={localized(locale, '上级措施', 'Parent measure')}
          form={form}
          options={[
            { value: '', label: localized(locale, '（无，顶层措施）', '(none: at the top)') },
            ...parents.map((candidate) => ({ value: String(candidate.id), label: `${'\u00a0\u00a0'.repeat(candidate.depth)}${measureLabel(locale, candidate)}` })),
          ]}
        />
        <TextField
          name="position"
          label={localized(locale, '排序', 'Order')}
          hint={localized(locale, '同级措施按此数字排列；留空则排在最后。', 'Measures beside each other are ordered by it; empty: last.')}
          form={form}
        />
      </div>
      <div class="columns versions">
        <fieldset class="version" lang="zh-CN">
          <legend>{localized(locale, '中文版', 'Chinese version')}</legend>
          <TextField name="titleZh" label={localized(locale, '标题', 'Title')} form={form} required />
          <TextAreaField name="bodyZh" label={localized(locale, '内容', 'Text')} hint={localized(locale, '空行分段。', 'An empty line between paragraphs.')} form={form} rows={6} />
        </fieldset>
        <fieldset class="version" lang="en">
          <legend>{localized(locale, '英文版', 'English version')}</legend>
          <TextField name="titleEn" label={localized(locale, '标题', 'Title')} form={form} />
          <TextAreaField name="bodyEn" label={localized(locale, '内容', 'Text')} form={form} rows={6} />
        </fieldset>
      </div>
      <CheckboxesField
        name="dimensionIds"
        label={localized(locale, '工作维度', 'Work dimensions')}
        form={form}
        options={props.dimensions.map((dimension) => ({ value: String(dimension.id), label: textIn(locale, dimension.nameZh, dimension.nameEn) }))}
      />
      <CheckboxesField
        name="topicIds"
        label={localized(locale, '主题', 'Topics')}
        hint={localized(locale, '与活动共用的主题。', 'The topics activities use too.')}
        form={form}
        options={props.topics.map((topic) => ({ value: String(topic.id), label: textIn(locale, topic.nameZh, topic.nameEn) }))}
      />
    </FormPage>
  );
}

function measureFormValues(measure: Measure): FormState {
  return formState({
    number: measure.number,
    parentId: measure.parentId,
    position: measure.position,
    titleZh: measure.titleZh,
    titleEn: measure.titleEn,
    bodyZh: measure.bodyZh,
    bodyEn: measure.bodyEn,
    dimensionIds: measure.dimensions.map((dimension) => dimension.id).join(','),
    topicIds: measure.topics.map((topic) => topic.id).join(','),
  });
}

// ---------------------------------------------------------------------------------------------
// Views: work dimensions

function DimensionsView(props: { frame: WorkspaceFrame; dimensions: WorkDimension[]; form: FormState; editing?: WorkDimension; notice?: string }): VNode {
  const { frame, form, editing } = props;
  const { locale } = frame;
  const title = localized(locale, '工作维度', 'Work dimensions');
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title} notice={props.notice}>
      <Crumbs locale={locale} />
      <h1>{title}</h1>
      <p>{localized(locale, '措施按工作维度标记；本列表可按需修改。', 'Measures are tagged with work dimensions; this list can be changed to suit.')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{localized(locale, '代码', 'Code')}</th>
            <th scope="col">{t(locale, 'nameZh')}</th>
            <th scope="col">{t(locale, 'nameEn')}</th>
            <th scope="col">{localized(locale, '排序', 'Order')}</th>
            <th scope="col">{t(locale, 'action')}</th>
          </tr>
        </thead>
        <tbody>
          {props.dimensions.map((dimension) => (
            <tr>
              <td>
                <code>{dimension.code}</code>
              </td>
              <td lang="zh-CN">{dimension.nameZh}</td>
              <td lang="en">{dimension.nameEn}</td>
              <td>{dimension.position}</td>
              <td>
                <a href={`${agreementsHref}/dimensions/${dimension.id}/edit`}>{t(locale, 'edit')}</a>{' '}
                <a href={`${agreementsHref}/dimensions/${dimension.id}/delete`}>{t(locale, 'delete')}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{editing ? `${t(locale, 'edit')}: ${textIn(locale, editing.nameZh, editing.nameEn)}` : localized(locale, '新增工作维度', 'Add a work dimension')}</h2>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={editing ? `${agreementsHref}/dimensions/${editing.id}` : `${agreementsHref}/dimensions`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <div class="columns">
          <TextField name="code" label={localized(locale, '代码', 'Code')} hint={localized(locale, '如 political。', 'E.g. political.')} form={form} required />
          <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
          <TextField name="nameEn" label={t(locale, 'nameEn')} form={form} required />
          <TextField name="position" label={localized(locale, '排序', 'Order')} form={form} />
        </div>
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          {editing ? <a href={`${agreementsHref}/dimensions`}>{t(locale, 'cancel')}</a> : null}
        </p>
      </form>
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The workspace pages of agreements, circulars and plans, their measures, and the work dimensions. */
export const agreementPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function sendDocumentForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, document?: AgreementDocument) {
    const organizations = await commitmentService.listOrganizationChoices(app.db, actorOf(request));
    return sendWorkspacePage(reply, <DocumentFormView frame={workspaceFrame(request)} form={form} organizations={organizations} document={document} />, status);
  }

  async function sendDocument(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const actor = actorOf(request);
    const document = await agreementService.getDocumentDetail(app.db, actor, id);
    const [commitments, choices, files] = await Promise.all([
      commitmentService.listCommitmentsOfDocument(app.db, actor, document),
      commitmentService.listResponsibleChoices(app.db, actor, document),
      documentFileService.listDocumentFiles(app.db, actor, document.id),
    ]);
    return sendWorkspacePage(
      reply,
      <DocumentView frame={workspaceFrame(request)} document={document} commitments={commitments} files={files} mayRecord={choices.length > 0} notice={notice} />,
    );
  }

  async function sendMeasureForm(request: FastifyRequest, reply: FastifyReply, documentId: number, form: FormState, status: number, measure?: Measure) {
    const actor = actorOf(request);
    const [document, measures, dimensions, topics] = await Promise.all([
      agreementService.getDocument(app.db, actor, documentId),
      agreementService.listMeasuresOf(app.db, actor, documentId),
      agreementService.listWorkDimensions(app.db, actor),
      agreementService.listTopics(app.db, actor),
    ]);
    return sendWorkspacePage(
      reply,
      <MeasureFormView frame={workspaceFrame(request)} form={form} document={document} measures={measures} dimensions={dimensions} topics={topics} measure={measure} />,
      status,
    );
  }

  /** The document, refused as "not found" unless the actor may change it. */
  async function editableDocument(request: FastifyRequest, id: number): Promise<AgreementDocument> {
    const actor = actorOf(request);
    const document = await agreementService.getDocument(app.db, actor, id);
    if (!(await agreementService.mayEditDocumentOf(app.db, actor, document))) throw notFound();
    return document;
  }

  async function sendDimensions(request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200, editing?: WorkDimension, notice?: string) {
    const dimensions = await agreementService.listWorkDimensions(app.db, actorOf(request));
    return sendWorkspacePage(reply, <DimensionsView frame={workspaceFrame(request)} dimensions={dimensions} form={form} editing={editing} notice={notice} />, status);
  }

  app.get(agreementsHref, async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const parsed = parseForm(documentQuery, submittedQuery(request.query), locale);
    const organizations = await commitmentService.listOrganizationChoices(app.db, actor);
    const mayCreate = (await agreementService.mayCreateDocuments(app.db, actor)) === true;
    if (!parsed.ok) {
      const page = { items: [], total: 0, limit: pageSize, offset: 0 };
      return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={localizeForm(parsed.form, locale)} organizations={organizations} mayCreate={mayCreate} />, 400);
    }
    const query = { ...parsed.value, limit: pageSize };
    const page = await agreementService.listDocuments(app.db, actor, query);
    const filters = formState({ q: query.q, kind: query.kind, partyId: query.partyId });
    return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={filters} organizations={organizations} mayCreate={mayCreate} />);
  });

  app.get(`${agreementsHref}/new`, { schema: { querystring: z.object({ kind: z.enum(documentKinds).optional() }) } }, async (request, reply) => {
    if (!(await agreementService.mayCreateDocuments(app.db, actorOf(request)))) throw notFound();
    return sendDocumentForm(request, reply, formState({ kind: request.query.kind ?? 'agreement' }), 200);
  });

  app.post(agreementsHref, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    if (!(await agreementService.mayCreateDocuments(app.db, actor))) throw notFound();
    const submitted = await submitForm(
      locale,
      documentInput,
      joinListFields(request.body, ['partyIds']),
      (value) => agreementService.createDocument(app.db, actor, value),
      (form, status) => sendDocumentForm(request, reply, form, status),
    );
    return submitted.done ? reply.redirect(documentHref(submitted.result.id), 303) : submitted.shown;
  });

  app.get(`${agreementsHref}/measures/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const measure = await agreementService.getMeasureDetail(app.db, actor, request.params.id);
    const [commitments, timeline, choices, activities] = await Promise.all([
      commitmentService.listCommitmentsOfDocument(app.db, actor, measure.document),
      commitmentService.listProgressUpdates(app.db, actor, { measureId: measure.id }),
      commitmentService.listResponsibleChoices(app.db, actor, measure.document),
      listActivitiesOfMeasure(app.db, actor, measure.id),
    ]);
    return sendWorkspacePage(
      reply,
      <MeasureView
        frame={workspaceFrame(request)}
        measure={measure}
        commitments={commitments}
        timeline={timeline}
        activities={activities}
        mayRecord={choices.length > 0}
      />,
    );
  });

  app.get(`${agreementsHref}/measures/:id/edit`, { schema: { params: idParams } }, async (request, reply) => {
    const measure = await agreementService.getMeasureDetail(app.db, actorOf(request), request.params.id);
    if (!measure.editable) throw notFound();
    return sendMeasureForm(request, reply, measure.documentId, measureFormValues(measure), 200, measure);
  });

  app.post(`${agreementsHref}/measures/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const measure = await agreementService.getMeasureDetail(app.db, actor, request.params.id);
    // Refuse before looking at the form, so that a reader cannot tell an editable record from another.
    if (!measure.editable) throw notFound();
    const submitted = await submitForm(
      locale,
      measureInput,
      joinListFields(request.body, ['dimensionIds', 'topicIds']),
      (value) => agreementService.updateMeasure(app.db, actor, measure.id, value),
      (form, status) => sendMeasureForm(request, reply, measure.documentId, form, status, measure),
    );
    return submitted.done ? reply.redirect(measureHref(measure.id), 303) : submitted.shown;
  });

  app.get(`${agreementsHref}/measures/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const frame = workspaceFrame(request);
    const measure = await agreementService.getMeasureDetail(app.db, actor, request.params.id);
    if (!measure.editable) throw notFound();
    const dependents = await agreementService.countMeasureDependents(app.db, actor, measure.id);
    const name = measureLabel(frame.locale, measure);
    const consequence = localized(
      frame.locale,
      `其下 ${dependents.measures} 项下级措施和 ${dependents.commitments} 项承诺（连同进展记录）将一并删除。`,
      `Its ${dependents.measures} measure(s) below and ${dependents.commitments} commitment(s), with their progress updates, go with it.`,
    );
    return sendWorkspacePage(
      reply,
      <DeleteConfirmation
        frame={frame}
        name={name}
        consequence={consequence}
        action={`${measureHref(measure.id)}/delete`}
        back={measureHref(measure.id)}
      />,
    );
  });

  app.post(`${agreementsHref}/measures/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const measure = await agreementService.getMeasure(app.db, actor, request.params.id);
    await agreementService.deleteMeasure(app.db, actor, measure.id);
    return reply.redirect(documentHref(measure.documentId), 303);
  });

  app.get(`${agreementsHref}/dimensions`, async (request, reply) => {
    if (!actorOf(request).isPlatformAdmin) throw notFound();
    return sendDimensions(request, reply, formState({ position: '' }));
  });

  app.post(`${agreementsHref}/dimensions`, async (request, reply) => {
    const actor = actorOf(request);
    if (!actor.isPlatformAdmin) throw notFound();
    const { locale } = workspaceFrame(request);
    const submitted = await submitForm(
      locale,
      workDimensionInput,
      joinListFields(request.body, []),
      (value) => agreementService.createWorkDimension(app.db, actor, value),
      (form, status) => sendDimensions(request, reply, form, status),
    );
    return submitted.done ? reply.redirect(`${agreementsHref}/dimensions`, 303) : submitted.shown;
  });

  app.get(`${agreementsHref}/dimensions/:id/edit`, { schema: { params: idParams } }, async (request, reply) => {
    const dimension = await agreementService.getWorkDimension(app.db, actorOf(request), request.params.id);
    return sendDimensions(request, reply, formState({ ...dimension }), 200, dimension);
  });

  app.post(`${agreementsHref}/dimensions/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const dimension = await agreementService.getWorkDimension(app.db, actor, request.params.id);
    const submitted = await submitForm(
      locale,
      workDimensionInput,
      joinListFields(request.body, []),
      (value) => agreementService.updateWorkDimension(app.db, actor, dimension.id, value),
      (form, status) => sendDimensions(request, reply, form, status, dimension),
    );
    return submitted.done ? reply.redirect(`${agreementsHref}/dimensions`, 303) : submitted.shown;
  });

  function dimensionDeletePage(frame: WorkspaceFrame, dimension: WorkDimension, error?: string): VNode {
    const name = textIn(frame.locale, dimension.nameZh, dimension.nameEn);
    return (
      <DeleteConfirmation
        frame={frame}
        name={name}
        action={`${agreementsHref}/dimensions/${dimension.id}/delete`}
        back={`${agreementsHref}/dimensions`}
        error={error}
      />
    );
  }

  app.get(`${agreementsHref}/dimensions/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const dimension = await agreementService.getWorkDimension(app.db, actorOf(request), request.params.id);
    return sendWorkspacePage(reply, dimensionDeletePage(workspaceFrame(request), dimension));
  });

  app.post(`${agreementsHref}/dimensions/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const frame = workspaceFrame(request);
    const dimension = await agreementService.getWorkDimension(app.db, actor, request.params.id);
    try {
      await agreementService.deleteWorkDimension(app.db, actor, dimension.id);
    } catch (error) {
      const form = formWithServiceError(formState(), error, frame.locale);
      if (!form) throw error;
      return sendWorkspacePage(reply, dimensionDeletePage(frame, dimension, form.errors._form), (error as DomainError).status);
    }
    return reply.redirect(`${agreementsHref}/dimensions`, 303);
  });

  app.get(`${agreementsHref}/:id`, { schema: { params: idParams } }, async (request, reply) => sendDocument(request, reply, request.params.id));

  app.get(`${agreementsHref}/:id/edit`, { schema: { params: idParams } }, async (request, reply) => {
    const document = await editableDocument(request, request.params.id);
    return sendDocumentForm(request, reply, documentFormValues(document), 200, document);
  });

  app.post(`${agreementsHref}/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const document = await editableDocument(request, request.params.id);
    const submitted = await submitForm(
      locale,
      documentInput,
      joinListFields(request.body, ['partyIds']),
      (value) => agreementService.updateDocument(app.db, actor, document.id, value),
      (form, status) => sendDocumentForm(request, reply, form, status, document),
    );
    return submitted.done ? sendDocument(request, reply, document.id, t(locale, 'saved')) : submitted.shown;
  });

  app.get(`${agreementsHref}/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const document = await editableDocument(request, request.params.id);
    const name = documentTitle(frame.locale, document);
    const consequence = localized(frame.locale, '其措施、承诺和进展记录将一并删除。', 'Its measures, commitments and progress updates go with it.');
    return sendWorkspacePage(
      reply,
      <DeleteConfirmation
        frame={frame}
        name={name}
        consequence={consequence}
        action={`${documentHref(document.id)}/delete`}
        back={documentHref(document.id)}
      />,
    );
  });

  app.post(`${agreementsHref}/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    await agreementService.deleteDocument(app.db, actorOf(request), request.params.id);
    return reply.redirect(agreementsHref, 303);
  });

  app.get(
    `${agreementsHref}/:id/measures/new`,
    { schema: { params: idParams, querystring: z.object({ parentId: z.coerce.number().int().positive().optional() }) } },
    async (request, reply) => {
      const document = await editableDocument(request, request.params.id);
      return sendMeasureForm(request, reply, document.id, formState({ parentId: request.query.parentId }), 200);
    },
  );

  app.post(`${agreementsHref}/:id/measures`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const document = await editableDocument(request, request.params.id);
    const submitted = await submitForm(
      locale,
      measureInput,
      joinListFields(request.body, ['dimensionIds', 'topicIds']),
      (value) => agreementService.createMeasure(app.db, actor, document.id, value),
      (form, status) => sendMeasureForm(request, reply, document.id, form, status),
    );
    return submitted.done ? reply.redirect(measureHref(submitted.result.id), 303) : submitted.shown;
  });
};
