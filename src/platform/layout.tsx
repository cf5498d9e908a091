import type { VNode } from 'preact';
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
}

const htmlLang: Record<Locale, string> = { zh: 'zh-CN', en: 'en' };

const styles = `
:root{--brand:#a4161a;--brand-dark:#7a0f12;--ink:#1f1f1f;--muted:#595959;--line:#e3e3e3;--bg:#faf8f6}
*{box-sizing:border-box}
body{margin:0;font:16px/1.7 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand-dark)}a:hover,a:focus{color:var(--brand)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
.wrap{max-width:68rem;margin:0 auto;padding:0 1rem}
header.site{background:var(--brand);color:#fff}
header.site .top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:1rem}
header.site .name{color:#fff;text-decoration:none;font-size:1.5rem;font-weight:700;letter-spacing:.02em}
.lang{display:flex;gap:.75rem;list-style:none;margin:0;padding:0}.lang a{color:#fff}
nav.main{background:var(--brand-dark)}
nav.main ul{display:flex;flex-wrap:wrap;list-style:none;margin:0 auto;padding:0}
nav.main a{display:block;color:#fff;text-decoration:none;padding:.6rem 1rem}
nav.main a[aria-current]{background:rgba(255,255,255,.18)}nav.main a:hover,nav.main a:focus{background:rgba(255,255,255,.12);color:#fff}
main.wrap{background:#fff;margin:1.5rem auto;padding:1.5rem;border:1px solid var(--line);border-radius:4px}
.crumbs ol{display:flex;flex-wrap:wrap;list-style:none;margin:0 0 1rem;padding:0;color:var(--muted);font-size:.95rem}
.crumbs li+li::before{content:">";margin:0 .5rem}
h1{font-size:1.7rem;line-height:1.35;margin:.25rem 0 .75rem}
.meta{color:var(--muted);font-size:.95rem;display:flex;flex-wrap:wrap;gap:1.5rem;border-bottom:1px solid var(--line);padding-bottom:.75rem}
.body{font-size:1.05rem}.body p{margin:0 0 1rem}
.list{list-style:none;margin:0;padding:0}.list li{display:flex;justify-content:space-between;gap:1rem;padding:.55rem 0;border-bottom:1px dashed var(--line)}
.list time{color:var(--muted);white-space:nowrap}
.blocks{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1.5rem}
.blocks h2{font-size:1.2rem;border-bottom:2px solid var(--brand);padding-bottom:.25rem;display:flex;justify-content:space-between}
.blocks h2 a{font-size:.9rem;font-weight:400}
.lead{border-bottom:1px solid var(--line);margin-bottom:1.5rem;padding-bottom:1rem}
.pager{display:flex;justify-content:space-between;align-items:center;margin-top:1.5rem}
.neighbours{display:grid;gap:.25rem;border-top:1px solid var(--line);margin-top:1.5rem;padding-top:1rem}
footer.site{color:var(--muted);font-size:.9rem;padding:1rem 0 2rem;text-align:center}
@media (max-width:40rem){main.wrap{padding:1rem;margin:.75rem .5rem}.list li{flex-direction:column;gap:0}h1{font-size:1.4rem}}
`;

/** The frame of every portal page: header with the federation's name, navigation, footer. */
export function PortalLayout(props: PortalLayoutProps): VNode {
  const { locale } = props;
  const documentTitle = props.title ? `${props.title} - ${props.siteName}` : props.siteName;
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
        <style dangerouslySetInnerHTML={{ __html: styles }} />
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
            </ul>
          </nav>
        </header>
        <main id="content" class="wrap">
          {props.children}
        </main>
        <footer class="site">
          <div class="wrap">
            © {props.siteName} · {t(locale, 'copyright')} · {t(locale, 'poweredBy')}
          </div>
        </footer>
      </body>
    </html>
  );
}
