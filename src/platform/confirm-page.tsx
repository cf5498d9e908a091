import type { VNode } from 'preact';
import { CsrfField } from './forms.tsx';
import { t } from './i18n.ts';
import { WorkspaceLayout, type WorkspaceArea, type WorkspaceFrame } from './workspace-layout.tsx';

/** What a confirmation page asks, and where its answer goes. */
export interface ConfirmPageProps {
  frame: WorkspaceFrame;
  area: WorkspaceArea;
  title: string;
  /** The question, e.g. "Delete “Publicity Department”? This cannot be undone." */
  text: string;
  /** Where the confirming POST goes. */
  action: string;
  /** Where "Cancel" leads. */
  back: string;
  button: string;
  /** A destructive action gets the red button (the default). */
  danger?: boolean;
  /** Why the action was refused last time (e.g. "it still has units"). */
  error?: string;
  /** Hidden fields the POST carries besides the CSRF token. */
  fields?: Record<string, string>;
}

/** A page that asks before a destructive step: one POST button and a way back. */
export function ConfirmPage(props: ConfirmPageProps): VNode {
  const { frame } = props;
  return (
    <WorkspaceLayout frame={frame} area={props.area} title={props.title}>
      <h1>{props.title}</h1>
      {props.error ? (
        <div class="alert error" role="alert">
          {props.error}
        </div>
      ) : null}
      <p>{props.text}</p>
      <form method="post" action={props.action} class="actions">
        <CsrfField token={frame.csrfToken} />
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button class={props.danger === false ? 'primary' : 'danger'} type="submit">
          {props.button}
        </button>
        <a href={props.back}>{t(frame.locale, 'cancel')}</a>
      </form>
    </WorkspaceLayout>
  );
}
