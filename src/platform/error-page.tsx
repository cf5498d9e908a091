import { renderDocument } from './html.tsx';
import { negotiateLocale, t, type Locale } from './i18n.ts';

/** The language an error page without a site should speak: the address's, else the browser's. */
export function errorLocale(url: string, acceptLanguage: string | undefined): Locale {
  const fromPath = /^(?:\/sites\/[a-z0-9-]+)?\/(zh|en)(?:\/|$|\?)/.exec(url)?.[1];
  return fromPath === 'zh' || fromPath === 'en' ? fromPath : negotiateLocale(acceptLanguage, 'zh');
}

/** A bare error page for when no site can frame it (the database is down, say). */
export function plainErrorPage(locale: Locale, status: number): string {
  const [title, text] =
    status === 404
      ? [t(locale, 'notFoundTitle'), t(locale, 'notFoundText')]
      : status < 500
        ? [t(locale, 'badRequestTitle'), t(locale, 'badRequestText')]
        : [t(locale, 'serverErrorTitle'), t(locale, 'serverErrorText')];
  return renderDocument(
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          <p>{text}</p>
        </main>
      </body>
    </html>,
  );
}
