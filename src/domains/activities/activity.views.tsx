import type { ComponentChildren, VNode } from 'preact';
import { DomainError } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { formatDate, formatDateTime } from '../../platform/time.ts';
import { WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { inLocale, type Bilingual } from '../places/place.rules.ts';
import { ActivityRuleError, activityTimeZone, fieldMessage } from './activity.rules.ts';

/** An option of a choice field. */
export type Option = { value: string; label: string };

/** Picks the reader's language of a record's two texts, the other one when hers is empty. */
export function textIn(locale: Locale, zh: string, en: string): string {
  return localized(locale, zh || en, en || zh);
}

/** An activity's (or a session's) title in the reader's language. */
export function titleOf(locale: Locale, record: { titleZh: string; titleEn: string }): string {
  return textIn(locale, record.titleZh, record.titleEn);
}

/** "2024-03-25 08:30" on the Asia/Shanghai clock: how times are shown and typed. */
export function wallClock(instant: Date): string {
  return `${formatDate(instant, activityTimeZone)} ${formatDateTime(instant, activityTimeZone).slice(-8, -3)}`;
}

/** "2024-03-25 08:30–12:30", or both days when it runs over more than one. */
export function timeRange(startsAt: Date | null, endsAt: Date | null): string {
  if (!startsAt) return '';
  const start = wallClock(startsAt);
  if (!endsAt) return start;
  const end = wallClock(endsAt);
  return end.slice(0, 10) === start.slice(0, 10) ? `${start}–${end.slice(11)}` : `${start} – ${end}`;
}

/** A label from a bilingual map of names. */
export function nameOf<K extends string>(locale: Locale, names: Record<K, Bilingual>, key: K): string {
  return inLocale(locale, names[key]);
}

/** Options from a bilingual map of names, in its order. */
export function namedOptions<K extends string>(locale: Locale, names: Record<K, Bilingual>, emptyLabel?: string): Option[] {
  const options = (Object.keys(names) as K[]).map((key) => ({ value: key, label: inLocale(locale, names[key]) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

/** Options from a list of codes with names (kinds, topics). */
export function taxonOptions(locale: Locale, taxa: readonly { code: string; nameZh: string; nameEn: string }[], emptyLabel?: string): Option[] {
  const options = taxa.map((taxon) => ({ value: taxon.code, label: localized(locale, taxon.nameZh, taxon.nameEn) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

/** A form body with its repeated fields (checkboxes, a multiple choice) joined by commas, as the schemas read lists. */
export function withLists(body: unknown, names: readonly string[]): Record<string, unknown> {
  const fields = body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  for (const name of names) {
    const value = fields[name];
    fields[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  return fields;
}

/** A submitted form's values as typed (lists already joined), to show it again with a message. */
export function submittedValues(body: Record<string, unknown>): FormState {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (key !== '_csrf') values[key] = String(value ?? '');
  return { values, errors: {} };
}

/** Puts our own field messages in the reader's language. */
export function localizeForm(form: FormState, locale: Locale): FormState {
  const errors = Object.fromEntries(Object.entries(form.errors).map(([field, text]) => [field, inLocale(locale, fieldMessage(text))]));
  return { values: form.values, errors };
}

/**
 * Puts a service's refusal of a form's content beside the field it concerns (`renames` maps the
 * service's field to the form's, e.g. placeId → place); a 404 stays a 404.
 */
export function formWithServiceError(form: FormState, error: unknown, locale: Locale, renames: Record<string, string> = {}): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error instanceof ActivityRuleError ? (renames[error.field] ?? error.field) : '_form';
  const text = error instanceof ActivityRuleError ? inLocale(locale, error.text) : error.message;
  return { values: form.values, errors: { ...form.errors, [field]: text } };
}

/** The refusal of a removal, in the reader's language, for the confirmation page; undefined for anything else. */
export function refusalText(error: unknown, locale: Locale): string | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  return error instanceof ActivityRuleError ? inLocale(locale, error.text) : error.message;
}

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** Checkboxes for choosing several of a few options (topics); the values travel as a list. */
export function CheckboxesField(props: { name: string; label: string; form: FormState; options: Option[]; hint?: string }): VNode {
  const chosen = new Set((props.form.values[props.name] ?? '').split(',').filter(Boolean));
  const error = props.form.errors[props.name];
  return (
    <fieldset class={error ? 'field invalid' : 'field'} aria-describedby={describedBy(props.name, props.hint, error)}>
      <legend>{props.label}</legend>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.options.map((option) => (
        <label>
          <input type="checkbox" name={props.name} value={option.value} checked={chosen.has(option.value)} /> {option.label}
        </label>
      ))}
      {error ? (
        <p class="error" id={`${props.name}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A choice of several among many options (the hosts of a stop); the values travel as a list. */
export function MultiSelectField(props: { name: string; label: string; form: FormState; options: Option[]; hint?: string }): VNode {
  const chosen = new Set((props.form.values[props.name] ?? '').split(',').filter(Boolean));
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <select id={props.name} name={props.name} multiple size={8} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(props.name, props.hint, error)}>
        {props.options.map((option) => (
          <option value={option.value} selected={chosen.has(option.value)}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p class="error" id={`${props.name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The breadcrumb of the activity pages: the list, and the activity when there is one. */
export function ActivityCrumbs(props: { locale: Locale; activity?: { id: number; titleZh: string; titleEn: string } }): VNode {
  const { locale, activity } = props;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <a href="/workspace/activities">{t(locale, 'activities')}</a>
      {activity ? (
        <>
          {' › '}
          <a href={`/workspace/activities/${activity.id}`}>{titleOf(locale, activity)}</a>
        </>
      ) : null}
    </nav>
  );
}

/** The frame of every activity form: breadcrumb, title, the summary of what is wrong, CSRF, save and cancel. */
export function ActivityFormPage(props: {
  frame: WorkspaceFrame;
  title: string;
  form: FormState;
  action: string;
  back: string;
  activity?: { id: number; titleZh: string; titleEn: string };
  /** Above the form: a search that narrows a choice, say. */
  before?: ComponentChildren;
  children: ComponentChildren;
}): VNode {
  const { frame, form } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="activities" title={props.title}>
      <ActivityCrumbs locale={locale} activity={props.activity} />
      <h1>{props.title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      {props.before}
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

/** The hint of a date-time field. */
export function dateTimeHint(locale: Locale, optional = false): string {
  return localized(
    locale,
    `北京时间，如 2024-03-25 09:30${optional ? '；不详可留空' : ''}。`,
    `Beijing time (Asia/Shanghai), e.g. 2024-03-25 09:30${optional ? '; empty when not known' : ''}.`,
  );
}

/** Text of several lines, as typed. */
export function Paragraphs(props: { text: string; lang?: string }): VNode | null {
  if (!props.text) return null;
  return (
    <p style="white-space:pre-line" lang={props.lang}>
      {props.text}
    </p>
  );
}

/** Both language versions of a text: the reader's first, the other after it (when it differs and is there). */
export function BothLanguages(props: { locale: Locale; zh: string; en: string }): VNode | null {
  const { locale, zh, en } = props;
  const first = locale === 'zh' ? zh : en;
  const second = locale === 'zh' ? en : zh;
  return (
    <>
      <Paragraphs text={first} lang={locale === 'zh' ? 'zh-CN' : 'en'} />
      {second && second !== first ? (
        <div class="muted">
          <Paragraphs text={second} lang={locale === 'zh' ? 'en' : 'zh-CN'} />
        </div>
      ) : null}
    </>
  );
}

/** The up / down / edit / remove controls of a row of an ordered list. */
export function RowActions(props: { locale: Locale; csrfToken: string; base: string; first: boolean; last: boolean; label: string }): VNode {
  const { locale, base } = props;
  return (
    <span class="actions">
      <a href={`${base}/edit`} aria-label={`${t(locale, 'edit')}: ${props.label}`}>
        {t(locale, 'edit')}
      </a>
      {props.first ? null : <MoveButton locale={locale} csrfToken={props.csrfToken} action={`${base}/move`} direction="up" label={props.label} />}
      {props.last ? null : <MoveButton locale={locale} csrfToken={props.csrfToken} action={`${base}/move`} direction="down" label={props.label} />}
      <a href={`${base}/delete`} aria-label={`${t(locale, 'delete')}: ${props.label}`}>
        {t(locale, 'delete')}
      </a>
    </span>
  );
}

/** A small form that moves a row one place up or down. */
export function MoveButton(props: { locale: Locale; csrfToken: string; action: string; direction: 'up' | 'down'; label: string }): VNode {
  const text = props.direction === 'up' ? localized(props.locale, '上移', 'Move up') : localized(props.locale, '下移', 'Move down');
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="direction" value={props.direction} />
      <button type="submit" aria-label={`${text}: ${props.label}`}>
        {props.direction === 'up' ? '↑' : '↓'}
      </button>
    </form>
  );
}

/** A section's button to add a part. */
export function AddButton(props: { href: string; label: string }): VNode {
  return (
    <p class="actions">
      <a class="button" href={props.href}>
        {props.label}
      </a>
    </p>
  );
}

/** What a section without entries says. */
export function Nothing(props: { locale: Locale }): VNode {
  return <p class="muted">{localized(props.locale, '暂无。', 'None yet.')}</p>;
}
