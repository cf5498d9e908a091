import type { ComponentChildren, VNode } from 'preact';
import { z } from 'zod';
import { t, translateMessage, type Locale } from './i18n.ts';

/** Messages per form field, by field name; `_form` for the form as a whole. */
export type FieldErrors = Record<string, string>;

/** What a form shows: the values as typed (kept on error) and a message beside each wrong field. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
}

/** An empty form, or one filled with a record's values. */
export function formState(values: Record<string, string | number | null | undefined> = {}): FormState {
  return {
    values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value == null ? '' : String(value)])),
    errors: {},
  };
}

const zodLocales = { zh: z.locales.zhCN().localeError, en: z.locales.en().localeError };

/**
 * Validates a submitted form with its schema, in the reader's language. Returns the parsed value,
 * or the form state to render again: what was typed, and a message per field.
 */
export function parseForm<T extends z.ZodType>(
  schema: T,
  body: unknown,
  locale: Locale,
): { ok: true; value: z.output<T> } | { ok: false; form: FormState } {
  const submitted: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key !== '_csrf') submitted[key] = Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
    }
  }
  const parsed = schema.safeParse(submitted, { error: zodLocales[locale] });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    errors[field] ??= translateMessage(locale, issue.message);
  }
  return { ok: false, form: { values: submitted, errors } };
}

/** The hidden field that carries the session's CSRF token in every form. */
export function CsrfField(props: { token: string }): VNode {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

interface FieldProps {
  name: string;
  label: string;
  form: FormState;
  required?: boolean;
  hint?: string;
}

function describedBy(props: FieldProps): string | undefined {
  const ids = [props.hint ? `${props.name}-hint` : '', props.form.errors[props.name] ? `${props.name}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FieldFrame(props: FieldProps & { children: ComponentChildren }): VNode {
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={props.name}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {error ? (
        <p class="error" id={`${props.name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled text input with its error message. */
export function TextField(props: FieldProps & { type?: 'text' | 'email' | 'password' | 'date' | 'search'; autocomplete?: string }): VNode {
  return (
    <FieldFrame {...props}>
      <input
        id={props.name}
        name={props.name}
        // Preact types each input kind apart; the runtime attribute is all that matters here.
        type={(props.type ?? 'text') as 'text'}
        value={props.type === 'password' ? '' : (props.form.values[props.name] ?? '')}
        required={props.required}
        autocomplete={props.autocomplete}
        aria-invalid={props.form.errors[props.name] ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      />
    </FieldFrame>
  );
}

/** A labelled multi-line text input with its error message. */
export function TextAreaField(props: FieldProps & { rows?: number }): VNode {
  return (
    <FieldFrame {...props}>
      <textarea
        id={props.name}
        name={props.name}
        rows={props.rows ?? 4}
        aria-invalid={props.form.errors[props.name] ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      >
        {props.form.values[props.name] ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** One choice of a select; options that follow each other with the same `group` are shown under it. */
export interface SelectOption {
  value: string;
  label: string;
  group?: string;
}

/** Options in runs of the same group, in order; a run without a group stands alone. */
function optionRuns(options: readonly SelectOption[]): { group?: string; options: SelectOption[] }[] {
  const runs: { group?: string; options: SelectOption[] }[] = [];
  for (const option of options) {
    const last = runs.at(-1);
    if (last && last.group === option.group) last.options.push(option);
    else runs.push({ group: option.group, options: [option] });
  }
  return runs;
}

/** A labelled choice among options (grouped where they name a group), with its error message. */
export function SelectField(props: FieldProps & { options: SelectOption[] }): VNode {
  const current = props.form.values[props.name] ?? '';
  const optionsOf = (options: SelectOption[]) =>
    options.map((option) => (
      <option value={option.value} selected={option.value === current}>
        {option.label}
      </option>
    ));
  return (
    <FieldFrame {...props}>
      <select
        id={props.name}
        name={props.name}
        required={props.required}
        aria-invalid={props.form.errors[props.name] ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      >
        {optionRuns(props.options).map((run) => (run.group === undefined ? optionsOf(run.options) : <optgroup label={run.group}>{optionsOf(run.options)}</optgroup>))}
      </select>
    </FieldFrame>
  );
}

/** The summary at the top of a form that did not pass, naming the problem for screen readers first. */
export function FormErrorSummary(props: { form: FormState; locale: Locale }): VNode | null {
  const count = Object.keys(props.form.errors).length;
  if (count === 0) return null;
  return (
    <div class="alert error" role="alert">
      <p>{props.form.errors._form ?? t(props.locale, 'formHasErrors')}</p>
    </div>
  );
}
