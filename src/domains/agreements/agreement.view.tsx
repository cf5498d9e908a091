import type { ComponentChildren, VNode } from 'preact';
import type { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { CsrfField, FormErrorSummary, formState, parseForm, type FormState, type SelectOption } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { textIn } from '../activities/activity.views.tsx';
import { inLocale } from '../places/place.rules.ts';
import { organizationName, organizationOptions } from '../organizations/organization.pages.tsx';
import { AgreementRuleError, commitmentStatusNames, documentKindNames, fieldMessage, type CommitmentStatus } from './agreement.rules.ts';
import type { Measure, MeasureChoices, OrganizationRef, Tag } from './agreement.service.ts';
import type { Commitment, CommitmentListItem, ProgressUpdate } from './commitment.service.ts';
import type { DocumentKind } from './document.table.ts';

export { inLocale };
// The activities' form helpers serve here too: record texts in the reader's language, lists of checked boxes
// and multiple choices joined for the schemas.
export { CheckboxesField, MultiSelectField, textIn, withLists as joinListFields } from '../activities/activity.views.tsx';

/** The address of the agreements area. */
export const agreementsHref = '/workspace/agreements';
/** The address of a document's page. */
export const documentHref = (id: number): string => `${agreementsHref}/${id}`;
/** The address of a measure's page. */
export const measureHref = (id: number): string => `${agreementsHref}/measures/${id}`;
/** The address of a commitment's page. */
export const commitmentHref = (id: number): string => `${agreementsHref}/commitments/${id}`;

/** The `lang` attribute of text shown by textIn(). */
export function langOf(locale: Locale, zh: string, en: string): 'zh-CN' | 'en' {
  return (locale === 'zh' ? zh !== '' || en === '' : en === '' && zh !== '') ? 'zh-CN' : 'en';
}

/** A document's title in the reader's language. */
export function documentTitle(locale: Locale, document: { titleZh: string; titleEn: string }): string {
  return textIn(locale, document.titleZh, document.titleEn);
}

/** A measure's number and title. */
export function measureLabel(locale: Locale, measure: { number: string; titleZh: string; titleEn: string }): string {
  return `${measure.number} ${textIn(locale, measure.titleZh, measure.titleEn)}`;
}

/** Measures to choose from as the options of a select, grouped by their documents. */
export function measureOptions(locale: Locale, choices: readonly MeasureChoices[]): SelectOption[] {
  return choices.flatMap((choice) =>
    choice.measures.map((measure) => ({ value: String(measure.id), label: measureLabel(locale, measure), group: documentTitle(locale, choice.document) })),
  );
}

/** An organization's name in the reader's language, after its federation's when it is a unit of one. */
export function organizationLabel(locale: Locale, organization: OrganizationRef): string {
  const name = organizationName(locale, organization);
  return organization.top ? `${organizationName(locale, organization.top)} › ${name}` : name;
}

/** The name of a kind of document. */
export function kindName(locale: Locale, kind: DocumentKind): string {
  return inLocale(locale, documentKindNames[kind]);
}

/** Progress as a bar and a figure; "no commitments" when nothing counts. */
export function ProgressBar(props: { locale: Locale; progress: number | null; label?: string }): VNode {
  if (props.progress === null) return <span class="muted">{localized(props.locale, '暂无承诺', 'No commitments yet')}</span>;
  const figure = `${Math.round(props.progress)}%`;
  return (
    <span class="progress">
      <progress max={100} value={props.progress} aria-label={props.label ?? localized(props.locale, '进度', 'Progress')}>
        {figure}
      </progress>{' '}
      <span>{figure}</span>
    </span>
  );
}

/** A commitment's status as shown; overdue stands out. */
export function StatusBadge(props: { locale: Locale; status: CommitmentStatus }): VNode {
  const name = inLocale(props.locale, commitmentStatusNames[props.status]);
  return <span class={`badge commitment-${props.status}`}>{props.status === 'overdue' ? <strong>{name}</strong> : name}</span>;
}

/** Plain text as paragraphs: empty lines separate them. */
export function Paragraphs(props: { text: string; lang?: string }): VNode | null {
  const paragraphs = props.text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  if (paragraphs.length === 0) return null;
  return (
    <div lang={props.lang}>
      {paragraphs.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
    </div>
  );
}

/** Options for choosing organizations: every one, each shown with its parent. */
export { organizationOptions };

/** Puts our own field messages in the reader's language. */
export function localizeForm(form: FormState, locale: Locale): FormState {
  const errors = Object.fromEntries(Object.entries(form.errors).map(([field, text]) => [field, inLocale(locale, fieldMessage(text))]));
  return { values: form.values, errors };
}

/** Puts a service's refusal of a form's content beside the field it concerns; undefined for a 404 or a failure. */
export function formWithServiceError(form: FormState, error: unknown, locale: Locale): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error instanceof AgreementRuleError ? error.field : '_form';
  const text = error instanceof AgreementRuleError ? inLocale(locale, error.text) : error.message;
  return { values: form.values, errors: { ...form.errors, [field]: text } };
}

/**
 * Checks a submitted form with its schema, then makes the change. A form that does not pass, or a change
 * the service refuses (400, 409), is shown again by `again` with the message beside its field and what was
 * typed kept; a 404 or a failure is thrown on.
 */
export async function submitForm<S extends z.ZodType, R, A>(
  locale: Locale,
  schema: S,
  body: Record<string, unknown>,
  change: (value: z.output<S>) => Promise<R>,
  again: (form: FormState, status: number) => Promise<A>,
): Promise<{ done: true; result: R } | { done: false; shown: A }> {
  const parsed = parseForm(schema, body, locale);
  if (!parsed.ok) return { done: false, shown: await again(localizeForm(parsed.form, locale), 400) };
  try {
    return { done: true, result: await change(parsed.value) };
  } catch (error) {
    const form = formWithServiceError(formState(stringValues(body)), error, locale);
    if (!form) throw error;
    return { done: false, shown: await again(form, (error as DomainError).status) };
  }
}

/** The page that asks before deleting a record, saying what goes with it. */
export function DeleteConfirmation(props: { frame: WorkspaceFrame; name: string; consequence?: string; action: string; back: string; error?: string }): VNode {
  const { locale } = props.frame;
  const question = t(locale, 'confirmDelete', { name: props.name });
  return (
    <ConfirmPage
      frame={props.frame}
      area="agreements"
      title={`${t(locale, 'delete')}: ${props.name}`}
      text={props.consequence ? `${question} ${props.consequence}` : question}
      action={props.action}
      back={props.back}
      button={t(locale, 'delete')}
      error={props.error}
    />
  );
}

/** Drops empty query values, which a GET form sends for every untouched field. */
export function submittedQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '' && value !== undefined));
}

/** A submitted form's fields as the strings it showed (the CSRF token left out; several values joined by commas). */
function stringValues(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([key]) => key !== '_csrf')
      .map(([key, value]) => [key, Array.isArray(value) ? value.map(String).join(',') : String(value ?? '')]),
  );
}

/** The breadcrumb above a document's, measure's or commitment's page. */
export function Crumbs(props: { locale: Locale; document?: { id: number; titleZh: string; titleEn: string }; measures?: Measure[] }): VNode {
  const { locale } = props;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <a href={agreementsHref}>{t(locale, 'agreements')}</a>
      {props.document ? (
        <>
          {' › '}
          <a href={documentHref(props.document.id)}>{documentTitle(locale, props.document)}</a>
        </>
      ) : null}
      {(props.measures ?? []).map((measure) => (
        <>
          {' › '}
          <a href={measureHref(measure.id)}>{measureLabel(locale, measure)}</a>
        </>
      ))}
    </nav>
  );
}

/** The frame of every agreements form: breadcrumb, title, the summary of what is wrong, CSRF, save and cancel. */
export function FormPage(props: {
  frame: WorkspaceFrame;
  title: string;
  form: FormState;
  action: string;
  back: string;
  document?: { id: number; titleZh: string; titleEn: string };
  measures?: Measure[];
  /** Between the title and the form. */
  before?: ComponentChildren;
  children: ComponentChildren;
}): VNode {
  const { frame, form } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={props.title}>
      <Crumbs locale={locale} document={props.document} measures={props.measures} />
      <h1>{props.title}</h1>
      {props.before}
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={frame.csrfToken} />
        {props.children}
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={props.back}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

/** Work dimensions or topics as badges. */
export function Tags(props: { locale: Locale; tags: Tag[] }): VNode | null {
  if (props.tags.length === 0) return null;
  return (
    <span class="tags">
      {props.tags.map((tag) => (
        <>
          {' '}
          <span class="badge">{textIn(props.locale, tag.nameZh, tag.nameEn)}</span>
        </>
      ))}
    </span>
  );
}


/** Commitments as a table: what, who, by when, status, progress, weight. */
export function CommitmentRows(props: {
  locale: Locale;
  /** With their document and measure, a column names them (lists across documents). */
  commitments: (Commitment & { document?: { id: number; titleZh: string; titleEn: string }; measure?: Measure | CommitmentListItem['measure'] })[];
}): VNode {
  const { locale } = props;
  const placed = props.commitments.some((commitment) => commitment.document && commitment.measure);
  return (
    <table class="commitments">
      <thead>
        <tr>
          <th scope="col">{localized(locale, '承诺事项', 'Commitment')}</th>
          {placed ? <th scope="col">{localized(locale, '文件 / 措施', 'Document / measure')}</th> : null}
          <th scope="col">{localized(locale, '责任单位', 'Responsible')}</th>
          <th scope="col">{localized(locale, '完成期限', 'Due')}</th>
          <th scope="col">{localized(locale, '状态', 'Status')}</th>
          <th scope="col">{localized(locale, '进度', 'Progress')}</th>
          <th scope="col">{localized(locale, '权重', 'Weight')}</th>
        </tr>
      </thead>
      <tbody>
        {props.commitments.map((commitment) => (
          <tr>
            <td>
              <a href={commitmentHref(commitment.id)} lang={langOf(locale, commitment.whatZh, commitment.whatEn)}>
                {textIn(locale, commitment.whatZh, commitment.whatEn)}
              </a>
            </td>
            {placed ? (
              <td>
                {commitment.document ? <a href={documentHref(commitment.document.id)}>{documentTitle(locale, commitment.document)}</a> : null}
                {' › '}
                {commitment.measure ? <a href={measureHref(commitment.measure.id)}>{measureLabel(locale, commitment.measure)}</a> : null}
              </td>
            ) : null}
            <td>{organizationLabel(locale, commitment.responsibleOrganization)}</td>
            <td>{commitment.dueOn ?? <span class="muted">{localized(locale, '长期', 'Ongoing')}</span>}</td>
            <td>
              <StatusBadge locale={locale} status={commitment.status} />
            </td>
            <td>{commitment.status === 'dropped' ? <span class="muted">{localized(locale, '不计入', 'Not counted')}</span> : `${commitment.progress}%`}</td>
            <td>{commitment.weight}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a progress update's article evidence is read: the portal, in the reader's language when it has that version. */
function articleHref(locale: Locale, article: { siteSlug: string; slug: string; titleZh: string; titleEn: string }): string {
  const version = (locale === 'zh' ? article.titleZh : article.titleEn) ? locale : locale === 'zh' ? 'en' : 'zh';
  return `/sites/${article.siteSlug}/${version}/articles/${article.slug}`;
}

/** What a progress update set, in words. */
function setText(locale: Locale, update: ProgressUpdate): string | null {
  const parts: string[] = [];
  if (update.progress !== null) parts.push(localized(locale, `进度 ${update.progress}%`, `progress ${update.progress}%`));
  if (update.status !== null) parts.push(inLocale(locale, commitmentStatusNames[update.status]));
  return parts.length > 0 ? localized(locale, `更新为：${parts.join('，')}`, `Set to: ${parts.join(', ')}`) : null;
}

/** Progress updates in date order, with what they set and links to their evidence. */
export function Timeline(props: { locale: Locale; updates: ProgressUpdate[]; showCommitment?: boolean; editable?: boolean }): VNode {
  const { locale } = props;
  if (props.updates.length === 0) return <p class="muted">{localized(locale, '尚无进展记录。', 'No progress updates yet.')}</p>;
  return (
    <ol class="timeline">
      {props.updates.map((update) => {
        const { activity, article, media } = update.evidence;
        const set = setText(locale, update);
        return (
          <li id={`update-${update.id}`}>
            <p>
              <time dateTime={update.reportedOn}>
                <strong>{update.reportedOn}</strong>
              </time>
              {props.showCommitment ? (
                <>
                  {' · '}
                  <a href={commitmentHref(update.commitmentId)}>{textIn(locale, update.commitment.whatZh, update.commitment.whatEn)}</a>
                </>
              ) : null}
            </p>
            <p lang={langOf(locale, update.noteZh, update.noteEn)}>{textIn(locale, update.noteZh, update.noteEn)}</p>
            {set ? <p class="muted">{set}</p> : null}
            {activity || article || media ? (
              <p>
                {localized(locale, '佐证：', 'Evidence: ')}
                {activity ? (
                  <a href={`/workspace/activities/${activity.id}`}>
                    {localized(locale, '活动', 'Activity')} “{textIn(locale, activity.titleZh, activity.titleEn)}”
                  </a>
                ) : null}
                {activity && (article || media) ? ' · ' : null}
                {article ? (
                  <a href={articleHref(locale, article)}>
                    {localized(locale, '动态', 'Update')} “{textIn(locale, article.titleZh, article.titleEn)}”
                  </a>
                ) : null}
                {article && media ? ' · ' : null}
                {media ? (
                  <a href={`/workspace/media/${media.id}`}>
                    {localized(locale, '图片', 'Image')} “{textIn(locale, media.altZh, media.altEn)}”
                  </a>
                ) : null}
              </p>
            ) : null}
            {props.editable ? (
              <p class="actions">
                <a href={`${agreementsHref}/updates/${update.id}/edit`}>{t(locale, 'edit')}</a>
                <a href={`${agreementsHref}/updates/${update.id}/delete`}>{t(locale, 'delete')}</a>
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
