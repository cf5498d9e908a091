/** The languages every Halfsky page and text exists in. */
export const locales = ['zh', 'en'] as const;
export type Locale = (typeof locales)[number];

/** Tells whether a path segment names one of our languages. */
export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}

/** Picks the reader's language from an Accept-Language header, honouring q-values; `fallback` when none matches. */
export function negotiateLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const entry of ranked) {
    if (isLocale(entry.language)) return entry.language;
  }
  return fallback;
}

const messages = {
  home: { zh: '首页', en: 'Home' },
  date: { zh: '发布时间：', en: 'Date:' },
  views: { zh: '浏览次数：', en: 'Views:' },
  previous: { zh: '上一篇', en: 'Previous' },
  next: { zh: '下一篇', en: 'Next' },
  labelSeparator: { zh: '：', en: ': ' },
  related: { zh: '相关动态', en: 'Related updates' },
  more: { zh: '更多', en: 'More' },
  latest: { zh: '最新动态', en: 'Latest updates' },
  noArticles: { zh: '本栏目暂无内容。', en: 'Nothing has been published in this section yet.' },
  pageOf: { zh: '第 {page} 页，共 {pages} 页', en: 'Page {page} of {pages}' },
  newer: { zh: '上一页', en: 'Newer' },
  older: { zh: '下一页', en: 'Older' },
  pagination: { zh: '分页', en: 'Pagination' },
  skipToContent: { zh: '跳到正文', en: 'Skip to content' },
  mainNavigation: { zh: '主导航', en: 'Main navigation' },
  breadcrumb: { zh: '当前位置', en: 'You are here' },
  languageName: { zh: '中文', en: 'English' },
  switchLanguage: { zh: '语言', en: 'Language' },
  notFoundTitle: { zh: '页面不存在', en: 'Page not found' },
  notFoundText: {
    zh: '您要找的页面不存在或已被移除。',
    en: 'The page you are looking for does not exist or has been removed.',
  },
  badRequestTitle: { zh: '请求有误', en: 'Bad request' },
  badRequestText: { zh: '链接中的参数无效。', en: 'A parameter in the address is not valid.' },
  serverErrorTitle: { zh: '服务暂时不可用', en: 'Something went wrong' },
  serverErrorText: {
    zh: '服务器出现问题，请稍后再试。',
    en: 'The server ran into a problem. Please try again later.',
  },
  backHome: { zh: '返回首页', en: 'Back to the home page' },
  copyright: { zh: '版权所有', en: 'All rights reserved' },
  poweredBy: { zh: '本站由 Halfsky 提供支持', en: 'Powered by Halfsky' },
} as const satisfies Record<string, Record<Locale, string>>;

/** The key of a translated interface text. */
export type MessageKey = keyof typeof messages;

/** The interface text `key` in `locale`, with `{name}` placeholders filled from `values`. */
export function t(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  const text: string = messages[key][locale];
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Picks the Chinese or English form of a bilingual record field. */
export function localized<T>(locale: Locale, zh: T, en: T): T {
  return locale === 'zh' ? zh : en;
}
