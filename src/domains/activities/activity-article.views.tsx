import type { VNode } from 'preact';
import { CsrfField, SelectField, type FormState } from '../../platform/forms.tsx';
import { localized, type Locale } from '../../platform/i18n.ts';
import { formatDateTime } from '../../platform/time.ts';
import type { WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { StatusBadge } from '../articles/newsroom.pages.tsx';
import type { ActivityArticles, ReportingArticle } from './activity-article.service.ts';
import type { ActivityVisibility } from './activity.table.ts';
import { textIn } from './activity.views.tsx';

const languageNames: Record<Locale, { zh: string; en: string }> = { zh: { zh: '中文', en: 'Chinese' }, en: { zh: '英文', en: 'English' } };

/** The "Draft an update" button; with a choice of site when the reader writes for more than one of the organizers' sites. */
function DraftForm(props: { frame: WorkspaceFrame; activityId: number; reports: ActivityArticles; form?: FormState }): VNode | null {
  const { frame, reports } = props;
  const { locale } = frame;
  const [only] = reports.draftSites;
  if (!only) return null;
  const form = props.form ?? { values: { siteId: String(only.id) }, errors: {} };
  const button = (
    <button class="primary" type="submit">
      {localized(locale, '据此起草新闻稿', 'Draft an update')}
    </button>
  );
  return (
    <form method="post" action={`/workspace/activities/${props.activityId}/draft-article`} class={reports.draftSites.length > 1 ? undefined : 'inline'}>
      <CsrfField token={frame.csrfToken} />
      {form.errors._form ? (
        <p class="error" role="alert">
          {form.errors._form}
        </p>
      ) : null}
      {reports.draftSites.length > 1 ? (
        <SelectField
          name="siteId"
          label={localized(locale, '发布网站', 'Site')}
          hint={localized(locale, '稿件写给哪个主办单位的网站。', "Which organizer's portal the update is for.")}
          form={form}
          options={reports.draftSites.map((site) => ({ value: String(site.id), label: site.name[locale] }))}
          required
        />
      ) : (
        <input type="hidden" name="siteId" value={String(only.id)} />
      )}
      {button}
    </form>
  );
}

function ReportingArticleItem(props: { locale: Locale; article: ReportingArticle }): VNode {
  const { locale, article } = props;
  const title = textIn(locale, article.titleZh, article.titleEn) || `#${article.articleId}`;
  const portalLinks = (['zh', 'en'] as const).flatMap((version) => {
    const href = article.portal[version];
    if (!href) return [];
    const language = languageNames[version];
    return [
      <a href={href} hrefLang={version === 'zh' ? 'zh-CN' : 'en'}>
        {localized(locale, `网站${language.zh}版`, `On the portal (${language.en})`)}
      </a>,
    ];
  });
  return (
    <li id={`reporting-article-${article.articleId}`}>
      {article.inNewsroom ? <a href={`/workspace/articles/${article.articleId}`}>{title}</a> : <span>{title}</span>} <StatusBadge locale={locale} status={article.status} />
      {article.status === 'published' || article.status === 'scheduled' ? (
        <span class="muted">
          {' '}
          · <time dateTime={article.publishAt.toISOString()}>{formatDateTime(article.publishAt, article.timeZone)}</time>
        </span>
      ) : null}
      {portalLinks.length > 0 ? (
        <span class="portal-links">
          {portalLinks.map((link) => (
            <>
              {' · '}
              {link}
            </>
          ))}
        </span>
      ) : null}
    </li>
  );
}

/**
 * The activity page's "Reported in" section: the updates reporting on the activity (the newsroom's
 * page for the staff of their site, the portal's pages once published), and the button that drafts one.
 */
export function ReportedInSection(props: {
  frame: WorkspaceFrame;
  activityId: number;
  visibility: ActivityVisibility;
  reports: ActivityArticles;
  form?: FormState;
}): VNode {
  const { frame, reports } = props;
  const { locale } = frame;
  return (
    <section aria-labelledby="reported-in">
      <h2 id="reported-in">{localized(locale, '新闻报道', 'Reported in')}</h2>
      {reports.draftSites.length > 0 && props.visibility !== 'public' ? (
        // A draft takes in the whole record, which readers of the portal do not see of this activity.
        <p class="hint" id="draft-caution">
          {localized(
            locale,
            '本活动不公开：据此起草的新闻稿会写入参加人员、纪要和调研发现，发布前请核对哪些内容可以公开。',
            'This activity is not public: a draft from it carries its attendees, minutes and findings. Check what may be published before it is.',
          )}
        </p>
      ) : null}
      <DraftForm frame={frame} activityId={props.activityId} reports={reports} form={props.form} />
      {reports.articles.length === 0 ? (
        <p class="muted">{localized(locale, '尚无新闻稿。', 'No update yet.')}</p>
      ) : (
        <ul class="reporting-articles">
          {reports.articles.map((article) => (
            <ReportingArticleItem locale={locale} article={article} />
          ))}
        </ul>
      )}
    </section>
  );
}
