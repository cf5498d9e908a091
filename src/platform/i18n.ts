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
  notInLanguageTitle: { zh: '本动态暂无中文版', en: 'Not available in English' },
  notInLanguageText: { zh: '这条动态尚未发布中文版本。', en: 'This update has not been published in English.' },
  readInThisLanguage: { zh: '阅读本动态的中文版', en: 'Read this update in English' },
  copyright: { zh: '版权所有', en: 'All rights reserved' },
  poweredBy: { zh: '本站由 Halfsky 提供支持', en: 'Powered by Halfsky' },
  serviceDirectory: { zh: '服务阵地', en: 'Service directory' },
  // Workspace
  workspace: { zh: '工作台', en: 'Workspace' },
  dashboard: { zh: '概览', en: 'Dashboard' },
  organizations: { zh: '组织', en: 'Organizations' },
  organization: { zh: '组织', en: 'Organization' },
  people: { zh: '人员', en: 'People' },
  places: { zh: '地点', en: 'Places' },
  activities: { zh: '活动', en: 'Activities' },
  facilities: { zh: '服务阵地', en: 'Facilities' },
  agreements: { zh: '协议与措施', en: 'Agreements' },
  person: { zh: '人员', en: 'Person' },
  positions: { zh: '职务', en: 'Posts' },
  executiveMembers: { zh: '执委', en: 'Executive members' },
  auditLog: { zh: '操作日志', en: 'Audit log' },
  sites: { zh: '网站', en: 'Sites' },
  newsroom: { zh: '新闻稿件', en: 'Newsroom' },
  media: { zh: '图片库', en: 'Media' },
  accounts: { zh: '账户', en: 'Accounts' },
  myAccount: { zh: '我的账户', en: 'My account' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出', en: 'Sign out' },
  email: { zh: '电子邮箱', en: 'Email' },
  password: { zh: '密码', en: 'Password' },
  signedInAs: { zh: '当前用户：', en: 'Signed in as ' },
  search: { zh: '搜索', en: 'Search' },
  searchLabel: { zh: '搜索本站', en: 'Search this site' },
  searchResults: { zh: '搜索结果', en: 'Search results' },
  searchPrompt: { zh: '请输入要搜索的词语。', en: 'Type the words to look for.' },
  searchCount: { zh: '找到 {count} 条与“{query}”相关的结果', en: '{count} results for “{query}”' },
  searchCountOne: { zh: '找到 1 条与“{query}”相关的结果', en: '1 result for “{query}”' },
  searchCountMore: { zh: '与“{query}”相关的结果超过 {count} 条，以下按相关度列出最新的 {count} 条', en: 'More than {count} results for “{query}”: the newest {count}, most relevant first' },
  searchNoResults: { zh: '没有找到与“{query}”相关的内容。', en: 'Nothing matches “{query}”.' },
  searchNoMorePages: { zh: '结果没有这么多页。', en: 'There are not that many pages of results.' },
  searchOtherLanguage: { zh: '英文版中有 {count} 条结果', en: 'The Chinese version has {count} result(s)' },
  filter: { zh: '筛选', en: 'Filter' },
  all: { zh: '全部', en: 'All' },
  save: { zh: '保存', en: 'Save' },
  create: { zh: '新建', en: 'Create' },
  edit: { zh: '编辑', en: 'Edit' },
  delete: { zh: '删除', en: 'Delete' },
  cancel: { zh: '取消', en: 'Cancel' },
  confirmDelete: { zh: '确定要删除“{name}”吗？此操作无法撤销。', en: 'Delete “{name}”? This cannot be undone.' },
  nameZh: { zh: '中文名称', en: 'Name in Chinese' },
  nameEn: { zh: '英文名称', en: 'Name in English' },
  kind: { zh: '类型', en: 'Kind' },
  parent: { zh: '上级组织', en: 'Parent organization' },
  none: { zh: '（无）', en: '(none)' },
  noResults: { zh: '没有符合条件的记录。', en: 'Nothing matches.' },
  formHasErrors: { zh: '表单有误，请检查标出的字段。', en: 'Some fields need attention; see the messages beside them.' },
  saved: { zh: '已保存。', en: 'Saved.' },
  deleted: { zh: '已删除。', en: 'Deleted.' },
  units: { zh: '下属单位', en: 'Units below' },
  details: { zh: '详情', en: 'Details' },
  history: { zh: '变更记录', en: 'History' },
  when: { zh: '时间', en: 'When' },
  who: { zh: '操作人', en: 'Who' },
  action: { zh: '操作', en: 'Action' },
  record: { zh: '记录', en: 'Record' },
  changes: { zh: '变更', en: 'Changes' },
  before: { zh: '变更前', en: 'Before' },
  after: { zh: '变更后', en: 'After' },
  previousPage: { zh: '上一页', en: 'Previous page' },
  nextPage: { zh: '下一页', en: 'Next page' },
  tooManyAttempts: { zh: '登录失败次数过多，请 {minutes} 分钟后再试。', en: 'Too many failed sign-ins. Try again in {minutes} minute(s).' },
  invalidCredentials: { zh: '邮箱或密码不正确。', en: 'The email or the password is not right.' },
  forbiddenTitle: { zh: '请求被拒绝', en: 'Request refused' },
  forbiddenText: {
    zh: '表单已过期或并非来自本站。请刷新页面后重试。',
    en: 'The form has expired or did not come from this site. Reload the page and try again.',
  },
  kind_federation: { zh: '妇联', en: 'Federation' },
  kind_leadership_body: { zh: '领导机构', en: 'Leadership body' },
  kind_department: { zh: '部门', en: 'Department' },
  kind_grassroots_federation: { zh: '基层妇联', en: 'Grassroots federation' },
  kind_partner: { zh: '合作单位', en: 'Partner organization' },
  role_administrator: { zh: '管理员', en: 'Administrator' },
  role_editor: { zh: '编辑', en: 'Editor' },
  role_reviewer: { zh: '审核', en: 'Reviewer' },
  role_organizer: { zh: '活动组织', en: 'Organizer' },
  role_viewer: { zh: '只读', en: 'Viewer' },
  postKind_leader: { zh: '领导职务', en: 'Leader' },
  postKind_member: { zh: '成员', en: 'Member' },
  postKind_executive_member: { zh: '执委', en: 'Executive committee member' },
  postKind_staff: { zh: '工作人员', en: 'Staff' },
  postTitle: { zh: '职务名称', en: 'Title' },
  startsOn: { zh: '起始日期', en: 'From' },
  endsOn: { zh: '终止日期', en: 'To' },
  onDate: { zh: '日期', en: 'On date' },
  dateNotKnown: { zh: '不详', en: 'not known' },
  stillHeld: { zh: '至今', en: 'present' },
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

// Messages our schemas and services give in English (the API's language), and what a Chinese form shows instead.
const chineseOfMessages: Record<string, string> = {
  'The two new passwords differ.': '两次输入的新密码不一致。',
  'The two passwords differ.': '两次输入的密码不一致。',
  'Choose the role the account holds on the organization.': '请选择该账户在此组织中的角色。',
  'Choose the organization the role is held on.': '请选择角色所在的组织。',
  'use 2–63 lower-case letters, digits and hyphens': '请使用 2–63 个小写字母、数字或连字符。',
  'The end date comes before the start date.': '终止日期早于起始日期。',
  'The current password is not right.': '当前密码不正确。',
  // Sites and sections
  'Enter a host name such as portal.example.org: no http://, port or path.': '请输入域名，如 portal.example.org，不含 http://、端口或路径。',
  'use 1–63 lower-case letters, digits and hyphens': '请使用 1–63 个小写字母、数字或连字符。',
  'Another site is served at this host name already.': '已有其他网站使用此域名。',
  'A section beside it has this short name already.': '同级栏目中已有此简称。',
  "This short name is part of the portal's own addresses; choose another.": '此简称已被门户网址占用，请另选一个。',
  'A section cannot be placed under itself or one of its own subsections.': '栏目不能移到自身或其下级栏目之下。',
  'Choose a section of this site as the parent.': '请选择本站的栏目作为上级栏目。',
  'This section, or one below it, still has articles; move or delete them first.': '该栏目或其下级栏目中仍有文章，请先移走或删除这些文章。',
  // Newsroom
  'Give a date and time such as 2024-03-25 14:33.': '请填写日期和时间，如 2024-03-25 14:33。',
  'use lower-case letters, digits and hyphens': '请使用小写字母、数字或连字符。',
  'Give this language version a title, or clear its text.': '请为该语言版本填写标题，或清空其内容。',
  'Write at least one language version: a title in Chinese or in English.': '请至少填写一个语言版本：中文或英文标题。',
  'A tag has at most 40 characters.': '每个标签最多 40 个字符。',
  'An update has at most 20 tags.': '最多 20 个标签。',
  'Choose a section of this site.': '请选择本站的栏目。',
  "Choose an image of this site's media library.": '请选择本站媒体库中的图片。',
  'Choose the site the update is for.': '请选择稿件所属网站。',
  'Another update of this site has this address already.': '本站已有其他稿件使用此网址。',
  'An archived update cannot be changed; reopen it first.': '已归档的稿件不能修改，请先重新打开。',
  'Only a draft or an unpublished update can be submitted for review.': '只有草稿或已撤下的稿件可以提交审核。',
  'Only a submitted update can be approved.': '只有已提交的稿件可以审核通过。',
  'Only a submitted or approved update can be sent back.': '只有已提交或已通过的稿件可以退回。',
  'Only an approved update can be published.': '只有审核通过的稿件可以发布。',
  'Only a published or scheduled update can be unpublished.': '只有已发布或定时发布的稿件可以撤下。',
  'Only a draft, a published or an unpublished update can be archived.': '只有草稿、已发布或已撤下的稿件可以归档。',
  'Only an archived update can be reopened.': '只有已归档的稿件可以重新打开。',
  'You made the last change to this update: another reviewer must approve it.': '该稿件最后一次修改由您完成，须由其他审核人审核。',
  'Say what needs to change: sending an update back needs a comment.': '退回稿件须填写意见，说明需要修改之处。',
  'Without a review, only the person who made the last change may publish an update.': '未经审核时，只有最后修改稿件的人可以发布。',
  'An update needs at least one reviewed language version before it is published.': '稿件至少要有一个已审校的语言版本才能发布。',
  'This organization still has units, people, posts, a site, facilities, activities, documents or commitments; move or delete them first.':
    '该组织仍有下级单位、人员、职务、网站、服务阵地、活动、文件或任务，请先移走或删除。',
  'Other records still refer to this one; remove those references first.': '仍有其他记录引用此记录，请先解除引用。',
  // Media library
  'Describe the image for readers who cannot see it.': '请为看不到图片的读者描述图片内容。',
  'An image description has at most 500 characters.': '图片说明最多 500 个字符。',
  'Choose the site the image is for.': '请选择图片所属网站。',
};

/** A field message in the reader's language: our own English messages have a Chinese form. */
export function translateMessage(locale: Locale, message: string): string {
  return locale === 'zh' ? (chineseOfMessages[message] ?? message) : message;
}
