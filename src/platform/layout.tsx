import type { ComponentChildren, VNode } from 'preact';
import { assetHref } from './assets.ts';
import { t, type Locale } from './i18n.ts';
import type { WithChildren } from './html.tsx';

/** A link in the site's main navigation. */
export interface NavigationLink {
  href: string;
  label: string;
  current: boolean;
}

/** The same page in another language. */
export interface AlternateLink {
  locale: Locale;
  href: string;
}

/** What the portal frame around every page needs. */
export interface PortalLayoutProps extends WithChildren {
  locale: Locale;
  siteName: string;
  homeHref: string;
  /** The document title, without the site name. */
  title?: string;
  description?: string;
  navigation: NavigationLink[];
  /** Every language version of this page, this one included; absolute URLs. */
  alternates: AlternateLink[];
  /** Where the language switch leads for each other language. */
  languageSwitch: AlternateLink[];
  /** More of the head: canonical link, feeds, Open Graph, structured data. */
  head?: ComponentChildren;
  /** Where the header's search box sends its query (GET, `q`), and the query to show in it. */
  search?: { action: string; query?: string };
}

/** Our languages as HTML and hreflang name them. */
export const htmlLang: Record<Locale, string> = { zh: 'zh-CN', en: 'en' };

/** The service directory of a site in one language: beside its home page, /<lang>/facilities. */
export function serviceDirectoryHref(homeHref: string): string {
  return `${homeHref.replace(/\/$/, '')}/facilities`;
}

/** The public calendar of a site's activities in one language: beside its home page, /<lang>/activities. */
export function activityCalendarHref(homeHref: string): string {
  return `${homeHref.replace(/\/$/, '')}/activities`;
}

/** Whether the page (its own address among the alternates) is a list (the directory, the calendar) or a page in it. */
function inServiceDirectory(props: PortalLayoutProps, directoryHref: string): boolean {
  const self = props.alternates.find((alternate) => alternate.locale === props.locale);
  if (!self) return false;
  const path = new URL(self.href, 'http://localhost').pathname;
  return path === directoryHref || path.startsWith(`${directoryHref}/`);
}


/** The frame of every portal page: header with the federation's name, navigation, footer. */
export function PortalLayout(props: PortalLayoutProps): VNode {
  const { locale } = props;
  const documentTitle = props.title ? `${props.title} - ${props.siteName}` : props.siteName;
  const directoryHref = serviceDirectoryHref(props.homeHref);
  const calendarHref = activityCalendarHref(props.homeHref);
  return (
    <html lang={htmlLang[locale]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{documentTitle}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.alternates.map((alternate) => (
          <link rel="alternate" hrefLang={htmlLang[alternate.locale]} href={alternate.href} />
        ))}
        {props.head}
        <link rel="stylesheet" href={assetHref('portal.css')} />
      </head>
      <body>
        <a class="skip" href="#content">
          {t(locale, 'skipToContent')}
        </a>
        <header class="site">
          <div class="wrap top">
            <a class="name" href={props.homeHref}>
              {props.siteName}
            </a>
            {props.search ? (
              <form class="search" role="search" action={props.search.action} method="get">
                <label for="site-search" class="visually-hidden">
                  {t(locale, 'searchLabel')}
                </label>
                <input id="site-search" type="search" name="q" value={props.search.query ?? ''} maxLength={200} />
                <button type="submit">{t(locale, 'search')}</button>
              </form>
            ) : null}
            <ul class="lang" aria-label={t(locale, 'switchLanguage')}>
              {props.languageSwitch.map((link) => (
                <li>
                  <a href={link.href} hrefLang={htmlLang[link.locale]} lang={htmlLang[link.locale]}>
                    {t(link.locale, 'languageName')}
                  </a>
                </li>
              ))}
            </ul>
          </div>
          <nav class="main" aria-label={t(locale, 'mainNavigation')}>
            <ul class="wrap">
              {props.navigation.map((link) => (
                <li>
                  <a href={link.href} aria-current={link.current ? 'page' : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
              <li>
                <a href={directoryHref} aria-current={inServiceDirectory(props, directoryHref) ? 'page' : undefined}>
                  {t(locale, 'serviceDirectory')}
                </a>
              </li>
              <li>
                <a href={calendarHref} aria-current={inServiceDirectory(props, calendarHref) ? 'page' : undefined}>
                  {t(locale, 'activities')}
                </a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="content" class="wrap">
          {props.children}
        </main>
        <footer class="site">
          <div class="wrap">
            © {props.siteName} · <a href={directoryHref}>{t(locale, 'serviceDirectory')}</a> · {t(locale, 'copyright')} ·{' '}
            {t(locale, 'poweredBy')}
          </div>
        </footer>
      </body>
    </html>
  );
}
