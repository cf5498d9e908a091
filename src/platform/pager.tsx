import type { VNode } from 'preact';
import { t, type Locale } from './i18n.ts';

/** Links to the previous and next page of a workspace list, with where the reader is. */
export function Pager(props: { locale: Locale; total: number; limit: number; offset: number; href: (offset: number) => string }): VNode | null {
  const { locale, total, limit, offset } = props;
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.ceil(total / limit);
  return (
    <nav class="actions" aria-label={t(locale, 'pagination')}>
      {offset > 0 ? <a href={props.href(Math.max(0, offset - limit))}>{t(locale, 'previousPage')}</a> : null}
      <span>{t(locale, 'pageOf', { page, pages })}</span>
      {offset + limit < total ? <a href={props.href(offset + limit)}>{t(locale, 'nextPage')}</a> : null}
    </nav>
  );
}

/** The address of one page of a filtered workspace list: the filters kept, the offset changed. */
export function listPageHref(path: string, filters: Record<string, string | number | undefined>, offset: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '' && key !== 'offset' && key !== 'limit') query.set(key, String(value));
  }
  if (offset > 0) query.set('offset', String(offset));
  const text = query.toString();
  return `${path}${text ? `?${text}` : ''}`;
}
