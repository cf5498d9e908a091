import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { notFound } from '../../platform/errors.ts';
import { FormErrorSummary, formState, parseForm, SelectField, TextAreaField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { today } from '../people/person.service.ts';
import { commitmentStatusNames } from './agreement.rules.ts';
import {
  commitmentInput,
  commitmentQuery,
  commitmentStatuses,
  followUpCommitmentQuery,
  idParams,
  optionalId,
  progressUpdateInput,
  progressUpdatePatch,
  storedCommitmentStatuses,
} from './agreement.schema.ts';
import * as agreementService from './agreement.service.ts';
import type { AgreementDocument, MeasureChoices, MeasureNode, WorkDimension } from './agreement.service.ts';
import {
  agreementsHref,
  commitmentHref,
  CommitmentRows,
  Crumbs,
  DeleteConfirmation,
  documentTitle,
  FormPage,
  inLocale,
  joinListFields,
  langOf,
  localizeForm,
  measureHref,
  measureLabel,
  measureOptions,
  MultiSelectField,
  organizationLabel,
  organizationOptions,
  ProgressBar,
  StatusBadge,
  submitForm,
  submittedQuery,
  textIn,
  Timeline,
} from './agreement.view.tsx';
import * as commitmentService from './commitment.service.ts';
import type { Commitment, CommitmentDetail, CommitmentListItem, FollowUpDraft, FollowUpOrigin } from './commitment.service.ts';
import type { ProgressUpdateRow } from './commitment.table.ts';

const pageSize = 50;
const commitmentsHref = `${agreementsHref}/commitments`;

type Organizations = Awaited<ReturnType<typeof commitmentService.listOrganizationChoices>>;

function statusOptions(locale: Locale, statuses: readonly (typeof commitmentStatuses)[number][], emptyLabel?: string) {
  const options = statuses.map((status) => ({ value: status, label: inLocale(locale, commitmentStatusNames[status]) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

// ---------------------------------------------------------------------------------------------
// Views

/** The evidence a progress update may point to, each named by the number in its page's address. */
const evidenceFields = [
  {
    name: 'activityId',
    label: { zh: '活动编号', en: 'Activity number' },
    hint: { zh: '活动页面地址中的数字，如 /workspace/activities/12 中的 12。', en: 'The number in the activity page’s address: 12 in /workspace/activities/12.' },
  },
  {
    name: 'articleId',
    label: { zh: '已发布动态的编号', en: 'Published update number' },
    hint: { zh: '稿件页面地址中的数字，如 /workspace/articles/34 中的 34。', en: 'The number in the update’s newsroom address: 34 in /workspace/articles/34.' },
  },
  {
    name: 'mediaId',
    label: { zh: '图片库编号', en: 'Media number' },
    hint: { zh: '图片页面地址中的数字，如 /workspace/media/5 中的 5。', en: 'The number in the image page’s address: 5 in /workspace/media/5.' },
  },
] as const;

function ListView(props: {
  frame: WorkspaceFrame;
  page: { items: CommitmentListItem[]; total: number; limit: number; offset: number };
  filters: FormState;
  documents: { id: number; titleZh: string; titleEn: string }[];
  organizations: Organizations;
  dimensions: WorkDimension[];
}): VNode {
  const { frame, page } = props;
  const { locale } = frame;
  const title = localized(locale, '承诺', 'Commitments');
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <Crumbs locale={locale} />
      <h1>{title}</h1>
      <FormErrorSummary form={props.filters} locale={locale} />
      <form method="get" action={commitmentsHref} class="filters" role="search">
        <SelectField
          name="documentId"
          label={localized(locale, '文件', 'Document')}
          form={props.filters}
          options={[{ value: '', label: t(locale, 'all') }, ...props.documents.map((document) => ({ value: String(document.id), label: documentTitle(locale, document) }))]}
        />
        <SelectField
          name="organizationId"
          label={localized(locale, '责任单位（含下属）', 'Responsible (with units below)')}
          form={props.filters}
          options={organizationOptions(locale, props.organizations, t(locale, 'all'))}
        />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={props.filters} options={statusOptions(locale, commitmentStatuses, t(locale, 'all'))} />
        <SelectField
          name="dimensionId"
          label={localized(locale, '工作维度', 'Work dimension')}
          form={props.filters}
          options={[{ value: '', label: t(locale, 'all') }, ...props.dimensions.map((dimension) => ({ value: String(dimension.id), label: textIn(locale, dimension.nameZh, dimension.nameEn) }))]}
        />
        <TextField name="dueFrom" type="date" label={localized(locale, '期限自', 'Due from')} form={props.filters} />
        <TextField name="dueTo" type="date" label={localized(locale, '期限至', 'Due until')} form={props.filters} />
        {props.filters.values.measureId ? <input type="hidden" name="measureId" value={props.filters.values.measureId} /> : null}
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="muted">{localized(locale, `共 ${page.total} 项`, `${page.total} in all`)}</p>
      {page.items.length > 0 ? (
        <CommitmentRows locale={locale} commitments={page.items} />
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => listPageHref(commitmentsHref, props.filters.values, offset)} />
    </WorkspaceLayout>
  );
}

/** The follow-up a commitment was made from: its activity, linked to the follow-up's row there. */
function OriginLink(props: { locale: Locale; origin: FollowUpOrigin }): VNode {
  const { locale, origin } = props;
  const activity = textIn(locale, origin.activityTitleZh, origin.activityTitleEn);
  return (
    <>
      <a href={`/workspace/activities/${origin.activityId}#follow-up-${origin.followUpId}`}>{activity}</a>
      <span class="muted">
        {localized(locale, ' 的后续事项：', ', follow-up: ')}
        {textIn(locale, origin.actionZh, origin.actionEn)}
      </span>
    </>
  );
}

/** The first step of making a follow-up a commitment: which measure of which document it comes under. */
function MeasureChoiceView(props: { frame: WorkspaceFrame; draft: FollowUpDraft; choices: MeasureChoices[] }): VNode {
  const { frame, draft, choices } = props;
  const { locale } = frame;
  const title = localized(locale, '将后续事项列为承诺', 'Make a follow-up a commitment');
  const options = measureOptions(locale, choices);
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <h1>{title}</h1>
      <p>
        <OriginLink locale={locale} origin={draft.origin} />
      </p>
      {options.length === 0 ? (
        <p>
          {localized(
            locale,
            '负责这项后续事项的单位不是任何协议的签约方，也没有可承担的通知或方案。',
            'No agreement names the follow-up’s owner as a party, and there is no circular or plan with measures to take it.',
          )}{' '}
          <a href={agreementsHref}>{localized(locale, '协议与通知', 'Agreements and circulars')}</a>
        </p>
      ) : (
        <>
          <form method="get" action={`${commitmentsHref}/new`} novalidate>
            <input type="hidden" name="followUpId" value={String(draft.origin.followUpId)} />
            <SelectField
              name="measureId"
              label={localized(locale, '所属措施', 'Measure')}
              hint={localized(locale, '承诺列在哪份文件的哪项措施之下。', 'The measure, and so the document, the commitment comes under.')}
              form={formState()}
              options={options}
              required
            />
            <p class="actions">
              <button class="primary" type="submit">
                {localized(locale, '下一步', 'Next')}
              </button>
              <a href={`/workspace/activities/${draft.origin.activityId}#follow-up-${draft.origin.followUpId}`}>{t(locale, 'cancel')}</a>
            </p>
          </form>
        </>
      )}
    </WorkspaceLayout>
  );
}

function CommitmentView(props: { frame: WorkspaceFrame; commitment: CommitmentDetail; ancestors: agreementService.Measure[]; notice?: string }): VNode {
  const { frame, commitment } = props;
  const { locale } = frame;
  const title = textIn(locale, commitment.whatZh, commitment.whatEn);
  const other = locale === 'zh' ? commitment.whatEn : commitment.whatZh;
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title} notice={props.notice}>
      <Crumbs locale={locale} document={commitment.document} measures={[...props.ancestors, commitment.measure]} />
      <h1 lang={langOf(locale, commitment.whatZh, commitment.whatEn)}>{title}</h1>
      {other && other !== title ? (
        <p class="muted" lang={locale === 'zh' ? 'en' : 'zh-CN'}>
          {other}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{localized(locale, '责任单位', 'Responsible')}</dt>
        <dd>
          <a href={`/workspace/organizations/${commitment.responsibleOrganization.id}`}>{organizationLabel(locale, commitment.responsibleOrganization)}</a>
        </dd>
        <dt>{localized(locale, '协作单位', 'Partners')}</dt>
        <dd>
          {commitment.partners.length > 0
            ? commitment.partners.map((partner, index) => (
                <>
                  {index > 0 ? localized(locale, '、', ', ') : null}
                  <a href={`/workspace/organizations/${partner.id}`}>{organizationLabel(locale, partner)}</a>
                </>
              ))
            : t(locale, 'none')}
        </dd>
        <dt>{localized(locale, '完成期限', 'Due')}</dt>
        <dd>{commitment.dueOn ?? localized(locale, '长期', 'Ongoing')}</dd>
        <dt>{localized(locale, '状态', 'Status')}</dt>
        <dd>
          <StatusBadge locale={locale} status={commitment.status} />
        </dd>
        <dt>{localized(locale, '进度', 'Progress')}</dt>
        <dd>
          <ProgressBar locale={locale} progress={commitment.progress} />
        </dd>
        <dt>{localized(locale, '权重', 'Weight')}</dt>
        <dd>
          {commitment.weight}
          {commitment.status === 'dropped' ? <span class="muted">{localized(locale, '（已取消，不计入进度）', ' (dropped: not counted in progress)')}</span> : null}
        </dd>
        {commitment.origin ? (
          <>
            <dt>{localized(locale, '来源', 'Agreed at')}</dt>
            <dd>
              <OriginLink locale={locale} origin={commitment.origin} />
            </dd>
          </>
        ) : null}
      </dl>
      {commitment.editable ? (
        <p class="actions">
          <a class="button" href={`${commitmentHref(commitment.id)}/updates/new`}>
            {localized(locale, '报告进展', 'Report progress')}
          </a>
          <a class="button" href={`${commitmentHref(commitment.id)}/edit`}>
            {t(locale, 'edit')}
          </a>
          <a href={`${commitmentHref(commitment.id)}/delete`}>{t(locale, 'delete')}</a>
        </p>
      ) : null}
      <h2>{localized(locale, '进展', 'Timeline')}</h2>
      <Timeline locale={locale} updates={commitment.timeline} editable={commitment.editable} />
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=commitment&entityId=${commitment.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}

function CommitmentFormView(props: {
  frame: WorkspaceFrame;
  form: FormState;
  document: AgreementDocument;
  measure: agreementService.Measure;
  measures: MeasureNode[];
  responsible: Organizations;
  organizations: Organizations;
  commitment?: Commitment;
  /** The follow-up a new commitment is made from. */
  origin?: FollowUpOrigin;
}): VNode {
  const { frame, form, document, commitment, origin } = props;
  const { locale } = frame;
  const title = commitment
    ? `${t(locale, 'edit')}: ${textIn(locale, commitment.whatZh, commitment.whatEn)}`
    : localized(locale, `新增承诺 · ${measureLabel(locale, props.measure)}`, `New commitment · ${measureLabel(locale, props.measure)}`);
  const action = commitment ? commitmentHref(commitment.id) : `${measureHref(props.measure.id)}/commitments`;
  const hint =
    document.kind === 'agreement'
      ? localized(locale, '协议的签约方或其下属单位。', "One of the agreement's parties, or a unit below one.")
      : localized(locale, '通知和方案可由网络中的任何组织承担。', 'Any organization of the network may carry out a circular or plan.');
  return (
    <FormPage
      frame={frame}
      title={title}
      form={form}
      action={action}
      back={commitment ? commitmentHref(commitment.id) : measureHref(props.measure.id)}
      document={document}
      measures={[props.measure]}
      before={
        origin ? (
          <p>
            {localized(locale, '来自 ', 'From ')}
            <OriginLink locale={locale} origin={origin} />
          </p>
        ) : undefined
      }
    >
      {origin ? <input type="hidden" name="followUpId" value={String(origin.followUpId)} /> : null}
      {form.errors.followUpId ? (
        <p class="error" role="alert">
          {form.errors.followUpId}
        </p>
      ) : null}
      <div class="columns">
        <TextAreaField name="whatZh" label={localized(locale, '承诺事项（中文）', 'What (Chinese)')} form={form} rows={3} required />
        <TextAreaField name="whatEn" label={localized(locale, '承诺事项（英文）', 'What (English)')} form={form} rows={3} />
      </div>
      <div class="columns">
        {commitment ? (
          <SelectField
            name="measureId"
            label={localized(locale, '所属措施', 'Measure')}
            form={form}
            options={props.measures.map((candidate) => ({ value: String(candidate.id), label: measureLabel(locale, candidate) }))}
          />
        ) : (
          <input type="hidden" name="measureId" value={String(props.measure.id)} />
        )}
        <SelectField
          name="responsibleOrganizationId"
          label={localized(locale, '责任单位', 'Responsible organization')}
          hint={hint}
          form={form}
          options={organizationOptions(locale, props.responsible, '')}
          required
        />
        <MultiSelectField name="partnerIds" label={localized(locale, '协作单位', 'Partners')} form={form} options={organizationOptions(locale, props.organizations)} />
      </div>
      <div class="columns">
        <TextField
          name="dueOn"
          type="date"
          label={localized(locale, '完成期限', 'Due date')}
          hint={localized(locale, `不早于文件日期 ${document.signedOn}；长期事项留空。`, `Not before the document's date, ${document.signedOn}; empty when ongoing.`)}
          form={form}
        />
        <TextField
          name="weight"
          label={localized(locale, '权重', 'Weight')}
          hint={localized(locale, '正数，决定在措施和文件进度中所占比重；默认 1。', "A positive number: how much it counts in its measure's and document's progress; 1 when empty.")}
          form={form}
        />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={form} options={statusOptions(locale, storedCommitmentStatuses)} />
        <TextField
          name="progress"
          label={localized(locale, '进度（%）', 'Progress (%)')}
          hint={localized(locale, '0 至 100 的整数；已完成为 100，未开始为 0。', 'A whole number from 0 to 100; 100 when done, 0 when not started.')}
          form={form}
        />
      </div>
      <p class="muted">{localized(locale, '“已逾期”不必设置：过了完成期限仍未完成的承诺会自动显示为已逾期。', 'No need to set "overdue": an open commitment past its due date shows as overdue by itself.')}</p>
    </FormPage>
  );
}

function commitmentFormValues(commitment: Commitment): FormState {
  return formState({
    measureId: commitment.measureId,
    whatZh: commitment.whatZh,
    whatEn: commitment.whatEn,
    responsibleOrganizationId: commitment.responsibleOrganization.id,
    partnerIds: commitment.partners.map((partner) => partner.id).join(','),
    dueOn: commitment.dueOn,
    weight: commitment.weight,
    status: commitment.storedStatus,
    progress: commitment.progress,
  });
}

function ProgressUpdateFormView(props: { frame: WorkspaceFrame; form: FormState; commitment: CommitmentDetail; update?: ProgressUpdateRow }): VNode {
  const { frame, form, commitment, update } = props;
  const { locale } = frame;
  const what = textIn(locale, commitment.whatZh, commitment.whatEn);
  const title = update ? `${t(locale, 'edit')}: ${localized(locale, '进展', 'Progress update')} ${update.reported_on}` : localized(locale, `报告进展 · ${what}`, `Report progress · ${what}`);
  return (
    <FormPage
      frame={frame}
      title={title}
      form={form}
      action={update ? `${agreementsHref}/updates/${update.id}` : `${commitmentHref(commitment.id)}/updates`}
      back={commitmentHref(commitment.id)}
      document={commitment.document}
      measures={[commitment.measure]}
      before={
        <p>
          <a href={commitmentHref(commitment.id)}>{what}</a> · <StatusBadge locale={locale} status={commitment.status} /> · {commitment.progress}%
        </p>
      }
    >
      <TextField name="reportedOn" type="date" label={localized(locale, '日期', 'Date')} form={form} required />
      <div class="columns">
        <TextAreaField name="noteZh" label={localized(locale, '进展说明（中文）', 'Note (Chinese)')} form={form} rows={4} />
        <TextAreaField name="noteEn" label={localized(locale, '进展说明（英文）', 'Note (English)')} form={form} rows={4} />
      </div>
      {update ? (
        <p class="muted">{localized(locale, '进展记录设置的进度和状态保持原样；如需更正，请修改承诺本身。', 'What this update set stays as reported; to correct it, change the commitment itself.')}</p>
      ) : (
        <div class="columns">
          <TextField
            name="progress"
            label={localized(locale, '新进度（%）', 'New progress (%)')}
            hint={localized(locale, '留空则不改变进度。', 'Empty: the progress stays as it is.')}
            form={form}
          />
          <SelectField
            name="status"
            label={localized(locale, '新状态', 'New status')}
            form={form}
            options={statusOptions(locale, storedCommitmentStatuses, localized(locale, '（不改变）', '(unchanged)'))}
          />
        </div>
      )}
      <fieldset class="field">
        <legend>{localized(locale, '佐证', 'Evidence')}</legend>
        <div class="columns">
          {evidenceFields.map((field) => (
            <TextField name={field.name} label={inLocale(locale, field.label)} hint={inLocale(locale, field.hint)} form={form} />
          ))}
        </div>
      </fieldset>
    </FormPage>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The workspace pages of commitments and their progress updates, and the filtered list of commitments. */
export const commitmentPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function sendCommitment(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const actor = actorOf(request);
    const commitment = await commitmentService.getCommitmentDetail(app.db, actor, id);
    const measure = await agreementService.getMeasureDetail(app.db, actor, commitment.measureId);
    return sendWorkspacePage(reply, <CommitmentView frame={workspaceFrame(request)} commitment={commitment} ancestors={measure.ancestors} notice={notice} />);
  }

  async function sendCommitmentForm(request: FastifyRequest, reply: FastifyReply, measureId: number, form: FormState, status: number, commitment?: Commitment) {
    const actor = actorOf(request);
    const measure = await agreementService.getMeasureDetail(app.db, actor, measureId);
    const followUpId = commitment ? undefined : optionalId.safeParse(form.values.followUpId).data;
    const [measures, responsible, organizations, draft] = await Promise.all([
      agreementService.listMeasuresOf(app.db, actor, measure.documentId),
      commitmentService.listResponsibleChoices(app.db, actor, measure.document),
      commitmentService.listOrganizationChoices(app.db, actor),
      // A follow-up gone or out of sight since is left out; the form says why when it is sent.
      followUpId == null ? undefined : commitmentService.draftCommitmentFromFollowUp(app.db, actor, followUpId).catch(() => undefined),
    ]);
    return sendWorkspacePage(
      reply,
      <CommitmentFormView
        frame={workspaceFrame(request)}
        form={form}
        document={measure.document}
        measure={measure}
        measures={measures}
        responsible={responsible}
        organizations={organizations}
        commitment={commitment}
        origin={draft?.origin}
      />,
      status,
    );
  }

  async function sendUpdateForm(request: FastifyRequest, reply: FastifyReply, commitmentId: number, form: FormState, status: number, update?: ProgressUpdateRow) {
    const commitment = await commitmentService.getCommitmentDetail(app.db, actorOf(request), commitmentId);
    return sendWorkspacePage(reply, <ProgressUpdateFormView frame={workspaceFrame(request)} form={form} commitment={commitment} update={update} />, status);
  }

  /** The commitment, refused as "not found" unless the actor may change it. */
  async function editableCommitment(request: FastifyRequest, id: number): Promise<Commitment> {
    const commitment = await commitmentService.getCommitment(app.db, actorOf(request), id);
    if (!commitment.editable) throw notFound();
    return commitment;
  }

  app.get(commitmentsHref, async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const [documents, organizations, dimensions] = await Promise.all([
      agreementService.listDocumentChoices(app.db, actor),
      commitmentService.listOrganizationChoices(app.db, actor),
      agreementService.listWorkDimensions(app.db, actor),
    ]);
    const parsed = parseForm(commitmentQuery, submittedQuery(request.query), locale);
    const choices = { documents, organizations, dimensions };
    if (!parsed.ok) {
      const page = { items: [], total: 0, limit: pageSize, offset: 0 };
      return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={localizeForm(parsed.form, locale)} {...choices} />, 400);
    }
    const query = { ...parsed.value, limit: pageSize };
    const page = await commitmentService.listCommitments(app.db, actor, query);
    const { limit: _limit, offset: _offset, ...filters } = query;
    return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={formState(filters)} {...choices} />);
  });

  // A follow-up of an activity becomes a commitment in two steps: the measure it comes under, then the
  // commitment's form filled in from the follow-up (its action, owner, due date and status).
  app.get(`${commitmentsHref}/new`, { schema: { querystring: followUpCommitmentQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const frame = workspaceFrame(request);
    const draft = await commitmentService.draftCommitmentFromFollowUp(app.db, actor, request.query.followUpId);
    if (draft.commitmentId !== null) return reply.redirect(commitmentHref(draft.commitmentId), 303);
    const measureId = request.query.measureId;
    if (measureId == null) {
      const choices = await agreementService.listMeasureChoices(app.db, actor, draft.values.responsibleOrganizationId);
      return sendWorkspacePage(reply, <MeasureChoiceView frame={frame} draft={draft} choices={choices} />);
    }
    await responsibleChoicesUnder(request, measureId);
    return sendCommitmentForm(request, reply, measureId, formState({ ...draft.values, measureId, weight: 1, progress: '' }), 200);
  });

  /** The organizations the actor may record a commitment for under the measure; "not found" when none. */
  async function responsibleChoicesUnder(request: FastifyRequest, measureId: number) {
    const actor = actorOf(request);
    const measure = await agreementService.getMeasureDetail(app.db, actor, measureId);
    const choices = await commitmentService.listResponsibleChoices(app.db, actor, measure.document);
    const [first] = choices;
    if (!first) throw notFound();
    return { measure, first };
  }

  app.get(`${agreementsHref}/measures/:id/commitments/new`, { schema: { params: idParams } }, async (request, reply) => {
    const { measure, first } = await responsibleChoicesUnder(request, request.params.id);
    return sendCommitmentForm(
      request,
      reply,
      measure.id,
      formState({ measureId: measure.id, responsibleOrganizationId: first.id, weight: 1, status: 'not_started', progress: 0 }),
      200,
    );
  });

  app.post(`${agreementsHref}/measures/:id/commitments`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const measure = await agreementService.getMeasure(app.db, actor, request.params.id);
    const submitted = await submitForm(
      locale,
      commitmentInput,
      { ...joinListFields(request.body, ['partnerIds']), measureId: String(measure.id) },
      (value) => commitmentService.createCommitment(app.db, actor, value),
      (form, status) => sendCommitmentForm(request, reply, measure.id, form, status),
    );
    return submitted.done ? reply.redirect(commitmentHref(submitted.result.id), 303) : submitted.shown;
  });

  app.get(`${commitmentsHref}/:id`, { schema: { params: idParams } }, async (request, reply) => sendCommitment(request, reply, request.params.id));

  app.get(`${commitmentsHref}/:id/edit`, { schema: { params: idParams } }, async (request, reply) => {
    const commitment = await editableCommitment(request, request.params.id);
    return sendCommitmentForm(request, reply, commitment.measureId, commitmentFormValues(commitment), 200, commitment);
  });

  app.post(`${commitmentsHref}/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    // Refuse before looking at the form, so that a reader cannot tell an editable record from another.
    const commitment = await editableCommitment(request, request.params.id);
    const submitted = await submitForm(
      locale,
      commitmentInput,
      joinListFields(request.body, ['partnerIds']),
      // An emptied progress field: 100 for done, 0 for not started, else as it was.
      ({ progress, ...changes }) => commitmentService.updateCommitment(app.db, actor, commitment.id, { ...changes, progress: progress ?? undefined }),
      (form, status) => sendCommitmentForm(request, reply, commitment.measureId, form, status, commitment),
    );
    return submitted.done ? sendCommitment(request, reply, commitment.id, t(locale, 'saved')) : submitted.shown;
  });

  app.get(`${commitmentsHref}/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const commitment = await editableCommitment(request, request.params.id);
    const name = textIn(frame.locale, commitment.whatZh, commitment.whatEn);
    return sendWorkspacePage(
      reply,
      <DeleteConfirmation
        frame={frame}
        name={name}
        consequence={localized(frame.locale, '其进展记录将一并删除。', 'Its progress updates go with it.')}
        action={`${commitmentHref(commitment.id)}/delete`}
        back={commitmentHref(commitment.id)}
      />,
    );
  });

  app.post(`${commitmentsHref}/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const commitment = await commitmentService.getCommitment(app.db, actor, request.params.id);
    await commitmentService.deleteCommitment(app.db, actor, commitment.id);
    return reply.redirect(measureHref(commitment.measureId), 303);
  });

  app.get(`${commitmentsHref}/:id/updates/new`, { schema: { params: idParams } }, async (request, reply) => {
    const commitment = await editableCommitment(request, request.params.id);
    return sendUpdateForm(request, reply, commitment.id, formState({ reportedOn: today() }), 200);
  });

  app.post(`${commitmentsHref}/:id/updates`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const commitment = await editableCommitment(request, request.params.id);
    const submitted = await submitForm(
      locale,
      progressUpdateInput,
      joinListFields(request.body, []),
      (value) => commitmentService.reportProgress(app.db, actor, commitment.id, value),
      (form, status) => sendUpdateForm(request, reply, commitment.id, form, status),
    );
    return submitted.done ? reply.redirect(commitmentHref(commitment.id), 303) : submitted.shown;
  });

  /** A progress update the actor may change, with its commitment; "not found" otherwise. */
  async function editableUpdate(request: FastifyRequest, id: number) {
    const update = await commitmentService.getProgressUpdate(app.db, actorOf(request), id);
    const commitment = await editableCommitment(request, update.commitment_id);
    return { update, commitment };
  }

  app.get(`${agreementsHref}/updates/:id/edit`, { schema: { params: idParams } }, async (request, reply) => {
    const { update, commitment } = await editableUpdate(request, request.params.id);
    const form = formState({
      reportedOn: update.reported_on,
      noteZh: update.note_zh,
      noteEn: update.note_en,
      activityId: update.activity_id,
      articleId: update.article_id,
      mediaId: update.media_id,
    });
    return sendUpdateForm(request, reply, commitment.id, form, 200, update);
  });

  app.post(`${agreementsHref}/updates/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const { update, commitment } = await editableUpdate(request, request.params.id);
    const submitted = await submitForm(
      locale,
      progressUpdatePatch,
      // An emptied evidence field removes that evidence.
      joinListFields(request.body, ['activityId', 'articleId', 'mediaId']),
      (value) => commitmentService.updateProgressUpdate(app.db, actor, update.id, value),
      (form, status) => sendUpdateForm(request, reply, commitment.id, form, status, update),
    );
    return submitted.done ? reply.redirect(commitmentHref(commitment.id), 303) : submitted.shown;
  });

  app.get(`${agreementsHref}/updates/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { update, commitment } = await editableUpdate(request, request.params.id);
    const name = localized(frame.locale, `${update.reported_on} 的进展`, `the progress update of ${update.reported_on}`);
    return sendWorkspacePage(
      reply,
      <DeleteConfirmation
        frame={frame}
        name={name}
        consequence={localized(frame.locale, '承诺的进度和状态保持不变。', "The commitment's progress and status stay as they are.")}
        action={`${agreementsHref}/updates/${update.id}/delete`}
        back={commitmentHref(commitment.id)}
      />,
    );
  });

  app.post(`${agreementsHref}/updates/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const { commitmentId } = await commitmentService.deleteProgressUpdate(app.db, actorOf(request), request.params.id);
    return reply.redirect(commitmentHref(commitmentId), 303);
  });
};
