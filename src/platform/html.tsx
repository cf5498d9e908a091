import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a page component to a complete HTML document; text and attributes are escaped by Preact. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

/** Marks HTML that has already been sanitized so that it may be inserted as is. */
export function TrustedHtml(props: { html: string; class?: string }): VNode {
  return <div class={props.class} dangerouslySetInnerHTML={{ __html: props.html }} />;
}

/** Props shared by components that wrap other markup. */
export interface WithChildren {
  children?: ComponentChildren;
}
