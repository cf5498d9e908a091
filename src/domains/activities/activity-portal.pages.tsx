import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComponentChildren, VNode } from 'preact';
import { notFound } from '../../platform/errors.ts';
import { renderDocument } from '../../platform/html.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { formatDate } from '../../platform/time.ts';
import { activityCalendarHref, htmlLang } from '../../platform/layout.tsx';
import { Frame, portalContext, portalHref, type PortalContext } from '../articles/article.pages.tsx';
import { portalParams } from '../articles/article.schema.ts';
import { canonicalUrl, scriptJson } from '../articles/portal-meta.tsx';
import type { Bilingual } from '../places/place.rules.ts';
import { listPublicReportsOfActivity, type PublicReport } from './activity-article.service.ts';
import * as calendarService from './activity-calendar.service.ts';
import type { PublicActivity, PublicCalendar, PublicChoice } from './activity-calendar.service.ts';
import { activityFeedQuery, activityNumber, portalActivityParams, portalCalendarQuery } from './activity-calendar.schema.ts';
import { activityFeed } from './activity.ical.ts';
import { activityStatusNames, organizerRoleNames } from './activity.rules.ts';
import type { ActivityListItem, Taxon } from './activity.service.ts';
import { timeRange } from './activity.views.tsx';

/** The choices a calendar address carries; left out, a choice is "all". */
export interface CalendarLink {
  kind?: string | undefined;
  topic?: string | undefined;
  place?: number | undefined;
  organization?: number | undefined;
  page?: number | undefined;
}

function search(link: CalendarLink): string {
  const query = new URLSearchParams();
  if (link.kind) query.set('kind', link.kind);
  if (link.topic) query.set('topic', link.topic);
  if (link.place !== undefined) query.set('place', String(link.place));
  if (link.organization !== undefined) query.set('organization', String(link.organization));
  if (link.page !== undefined && link.page > 1) query.set('page', String(link.page));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** Addresses of the public calendar's pages and feed, relative to the host like portalHref's. */
export const calendarHref = {
  list: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, link: CalendarLink = {}): string =>
    `${activityCalendarHref(portalHref.home(ctx, locale))}${search(link)}`,
  activity: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, id: number): string => `${activityCalendarHref(portalHref.home(ctx, locale))}/${id}`,
  feed: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, link: CalendarLink = {}): string =>
    `${activityCalendarHref(portalHref.home(ctx, locale))}.ics${search({ ...link, page: undefined })}`,
};

const otherLocale = (locale: Locale): Locale => (locale === 'zh' ? 'en' : 'zh');

/** A bilingual text in the reader's language, marked with the other language when it had to fall back to it. */
function Text(props: { locale: Locale; text: Bilingual }): VNode {
  const own = props.text[props.locale].trim();
  if (own !== '') return <>{own}</>;
  const other = otherLocale(props.locale);
  return <span lang={htmlLang[other]}>{props.text[other].trim()}</span>;
}

const nameOf = (locale: Locale, text: Bilingual): string => text[locale].trim() || text[otherLocale(locale)].trim();
const taxonName = (taxon: Taxon): Bilingual => ({ zh: taxon.nameZh, en: taxon.nameEn });
const titleText = (activity: { titleZh: string; titleEn: string }): Bilingual => ({ zh: activity.titleZh, en: activity.titleEn });

function CalendarCrumbs(props: { ctx: PortalContext; activity?: ActivityListItem }): VNode {
  const { ctx, activity } = props;
  const { locale } = ctx;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <ol>
        <li>
          <a href={portalHref.home(ctx, locale)}>{t(locale, 'home')}</a>
        </li>
        <li>{activity ? <a href={calendarHref.list(ctx, locale)}>{t(locale, 'activities')}</a> : <span aria-current="page">{t(locale, 'activities')}</span>}</li>
        {activity ? (
          <li>
            <span aria-current="page">{nameOf(locale, titleText(activity))}</span>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

function Choice(props: { locale: Locale; name: string; label: string; options: { value: string; label: string }[]; chosen: string | undefined }): VNode {
  const id = `calendar-${props.name}`;
  return (
    <p>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">{t(props.locale, 'all')}</option>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.chosen}>
            {option.label}
          </option>
        ))}
      </select>
    </p>
  );
}

/** Choices with the one above them named ("Daxing WF › Guanyinsi WF"), so that like names read apart. */
function choiceOptions(locale: Locale, choices: readonly PublicChoice[]): { value: string; label: string }[] {
  const byId = new Map(choices.map((choice) => [choice.id, choice]));
  const label = (choice: PublicChoice, depth = 0): string => {
    const parent = choice.parentId === null || depth > 10 ? undefined : byId.get(choice.parentId);
    return parent ? `${label(parent, depth + 1)} › ${nameOf(locale, choice.name)}` : nameOf(locale, choice.name);
  };
  return choices.map((choice) => ({ value: String(choice.id), label: label(choice) }));
}

function FilterForm(props: { ctx: PortalContext; data: PublicCalendar; current: CalendarLink }): VNode {
  const { ctx, data, current } = props;
  const { locale } = ctx;
  const filtered = current.kind !== undefined || current.topic !== undefined || current.place !== undefined || current.organization !== undefined;
  return (
    <form class="directory-filters" method="get" action={calendarHref.list(ctx, locale)} aria-label={t(locale, 'filter')}>
      <Choice
        locale={locale}
        name="kind"
        label={localized(locale, '活动类型', 'Kind')}
        options={data.kinds.map((kind) => ({ value: kind.code, label: nameOf(locale, taxonName(kind)) }))}
        chosen={current.kind}
      />
      <Choice
        locale={locale}
        name="topic"
        label={localized(locale, '主题', 'Topic')}
        options={data.topics.map((topic) => ({ value: topic.code, label: nameOf(locale, taxonName(topic)) }))}
        chosen={current.topic}
      />
      {data.places.length > 0 ? (
        <Choice locale={locale} name="place" label={localized(locale, '地区', 'Place')} options={choiceOptions(locale, data.places)} chosen={current.place?.toString()} />
      ) : null}
      <Choice
        locale={locale}
        name="organization"
        label={localized(locale, '主办单位', 'Organizer')}
        options={choiceOptions(locale, data.organizations)}
        chosen={current.organization?.toString()}
      />
      <p>
        <button type="submit">{t(locale, 'filter')}</button>
        {filtered ? <a href={calendarHref.list(ctx, locale)}>{localized(locale, '清除筛选', 'Clear filters')}</a> : null}
      </p>
    </form>
  );
}

/** Planned, held or cancelled, in words: a cancelled activity says so wherever it is listed. */
function StatusText(props: { locale: Locale; activity: ActivityListItem }): VNode {
  const name = nameOf(props.locale, activityStatusNames[props.activity.status]);
  return props.activity.status === 'cancelled' ? <strong class="badge badge-closed">{name}</strong> : <span class="badge">{name}</span>;
}

function ActivityItem(props: { ctx: PortalContext; activity: ActivityListItem }): VNode {
  const { ctx, activity } = props;
  const { locale } = ctx;
  return (
    <li>
      <h3>
        <a href={calendarHref.activity(ctx, locale, activity.id)}>
          <Text locale={locale} text={titleText(activity)} />
        </a>
      </h3>
      <p class="facility-line">
        <time dateTime={activity.startsAt.toISOString()}>{timeRange(activity.startsAt, activity.endsAt)}</time>
        <span>
          <Text locale={locale} text={taxonName(activity.kind)} />
        </span>
        <StatusText locale={locale} activity={activity} />
      </p>
      <p>
        {localized(locale, '主办单位：', 'Organized by: ')}
        {activity.organizers.map((organizer) => nameOf(locale, { zh: organizer.nameZh, en: organizer.nameEn })).join(localized(locale, '、', ', '))}
      </p>
    </li>
  );
}

/** The public calendar: filters, what is coming, what is past (paged), and the feed to subscribe to. */
export function CalendarView(props: { ctx: PortalContext; data: PublicCalendar }): VNode {
  const { ctx, data } = props;
  const { locale } = ctx;
  const { filters } = data;
  const current: CalendarLink = { kind: filters.kind?.code, topic: filters.topic?.code, place: filters.place?.id, organization: filters.organization?.id };
  const pageHref = (page: number) => calendarHref.list(ctx, locale, { ...current, page });
  const heading = t(locale, 'activities');
  return (
    <Frame
      ctx={ctx}
      title={heading}
      description={localized(locale, '即将举行和已经举行的公开活动。', 'Public activities, coming and past.')}
      hrefIn={(l) => calendarHref.list(ctx, l, { ...current, page: l === locale ? filters.page : undefined })}
      meta={{ selfHref: pageHref(filters.page) }}
    >
      <CalendarCrumbs ctx={ctx} />
      <h1>{heading}</h1>
      <FilterForm ctx={ctx} data={data} current={current} />
      <p>
        <a href={calendarHref.feed(ctx, locale, current)} type="text/calendar">
          {localized(locale, '订阅日历（iCalendar）', 'Subscribe to this calendar (iCalendar)')}
        </a>
      </p>
      <section aria-labelledby="calendar-upcoming-title">
        <h2 id="calendar-upcoming-title">{localized(locale, '即将举行', 'Coming up')}</h2>
        {data.upcoming.items.length > 0 ? (
          <ol class="facilities">
            {data.upcoming.items.map((activity) => (
              <ActivityItem ctx={ctx} activity={activity} />
            ))}
          </ol>
        ) : (
          <p>{localized(locale, '暂无即将举行的活动。', 'Nothing is planned yet.')}</p>
        )}
        {data.upcoming.total > data.upcoming.items.length ? (
          <p>{localized(locale, `仅列出最近的 ${data.upcoming.items.length} 项。`, `The next ${data.upcoming.items.length} are listed.`)}</p>
        ) : null}
      </section>
      <section aria-labelledby="calendar-past-title">
        <h2 id="calendar-past-title">{localized(locale, '往期活动', 'Past activities')}</h2>
        <p role="status">
          {data.past.total === 0
            ? localized(locale, '没有符合条件的活动。', 'No activity matches.')
            : localized(locale, `共 ${data.past.total} 项`, data.past.total === 1 ? '1 activity' : `${data.past.total} activities`)}
        </p>
        {data.past.total > 0 && data.past.items.length === 0 ? <p>{localized(locale, '没有这么多页。', 'There are not that many pages.')}</p> : null}
        {data.past.items.length > 0 ? (
          <ol class="facilities">
            {data.past.items.map((activity) => (
              <ActivityItem ctx={ctx} activity={activity} />
            ))}
          </ol>
        ) : null}
        {data.past.pages > 1 ? (
          <nav class="pager" aria-label={t(locale, 'pagination')}>
            {filters.page > 1 ? <a href={pageHref(Math.min(filters.page - 1, data.past.pages))}>{t(locale, 'previousPage')}</a> : <span />}
            <span>{t(locale, 'pageOf', { page: filters.page, pages: data.past.pages })}</span>
            {filters.page < data.past.pages ? <a href={pageHref(filters.page + 1)}>{t(locale, 'nextPage')}</a> : <span />}
          </nav>
        ) : null}
      </section>
    </Frame>
  );
}

function Fact(props: { label: string; children: ComponentChildren }): VNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

const eventStatus = { planned: 'https://schema.org/EventScheduled', held: 'https://schema.org/EventScheduled', cancelled: 'https://schema.org/EventCancelled' };

/** schema.org Event of a public activity, for search engines. */
function activityJsonLd(locale: Locale, activity: PublicActivity, url: string): Record<string, unknown> {
  const first = activity.stops[0];
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: nameOf(locale, titleText(activity)),
    description: nameOf(locale, { zh: activity.summaryZh, en: activity.summaryEn }) || undefined,
    startDate: activity.startsAt.toISOString(),
    endDate: activity.endsAt.toISOString(),
    eventStatus: eventStatus[activity.status],
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    url,
    location: first
      ? { '@type': 'Place', name: nameOf(locale, first.facility ?? first.place ?? { zh: '', en: '' }), address: first.place ? nameOf(locale, first.place) : undefined }
      : undefined,
    organizer: activity.organizers.map((organizer) => ({ '@type': 'Organization', name: nameOf(locale, { zh: organizer.nameZh, en: organizer.nameEn }) })),
  };
}

/** A public activity's page: when, what, who organized it, its topics and itinerary. */
export function PublicActivityView(props: { ctx: PortalContext; activity: PublicActivity; reports: PublicReport[] }): VNode {
  const { ctx, activity } = props;
  const { locale } = ctx;
  const title = nameOf(locale, titleText(activity));
  const other = otherLocale(locale);
  const otherTitle = (other === 'zh' ? activity.titleZh : activity.titleEn).trim();
  const summary: Bilingual = { zh: activity.summaryZh, en: activity.summaryEn };
  const href = calendarHref.activity(ctx, locale, activity.id);
  return (
    <Frame ctx={ctx} title={title} description={nameOf(locale, summary) || undefined} hrefIn={(l) => calendarHref.activity(ctx, l, activity.id)}>
      <CalendarCrumbs ctx={ctx} activity={activity} />
      <article class="facility">
        <h1>{title}</h1>
        {otherTitle !== '' && otherTitle !== title ? (
          <p class="other-name" lang={htmlLang[other]}>
            {otherTitle}
          </p>
        ) : null}
        {activity.status === 'cancelled' ? (
          <p class="notice" role="status">
            <strong>{localized(locale, '本活动已取消。', 'This activity has been cancelled.')}</strong>
          </p>
        ) : null}
        {nameOf(locale, summary) !== '' ? (
          <p>
            <Text locale={locale} text={summary} />
          </p>
        ) : null}
        <dl class="facts">
          <Fact label={localized(locale, '时间', 'When')}>
            <time dateTime={activity.startsAt.toISOString()}>{timeRange(activity.startsAt, activity.endsAt)}</time>
            {localized(locale, '（北京时间）', ' (Beijing time)')}
          </Fact>
          <Fact label={localized(locale, '活动类型', 'Kind')}>
            <Text locale={locale} text={taxonName(activity.kind)} />
          </Fact>
          <Fact label={localized(locale, '状态', 'Status')}>{nameOf(locale, activityStatusNames[activity.status])}</Fact>
          <Fact label={localized(locale, '主办单位', 'Organized by')}>
            <ul class="services">
              {activity.organizers.map((organizer) => (
                <li>
                  <Text locale={locale} text={{ zh: organizer.nameZh, en: organizer.nameEn }} />
                  {localized(locale, '（', ' (')}
                  {nameOf(locale, organizerRoleNames[organizer.role])}
                  {localized(locale, '）', ')')}
                </li>
              ))}
            </ul>
          </Fact>
          {activity.topics.length > 0 ? (
            <Fact label={localized(locale, '主题', 'Topics')}>
              <ul class="services">
                {activity.topics.map((topic) => (
                  <li>
                    <a href={calendarHref.list(ctx, locale, { topic: topic.code })}>{nameOf(locale, taxonName(topic))}</a>
                  </li>
                ))}
              </ul>
            </Fact>
          ) : null}
        </dl>
        {activity.stops.length > 0 ? (
          <section aria-labelledby="activity-stops-title">
            <h2 id="activity-stops-title">{localized(locale, '行程', 'Itinerary')}</h2>
            <ol class="facilities">
              {activity.stops.map((stop) => (
                <li>
                  <h3>{stop.facility ? <Text locale={locale} text={stop.facility} /> : stop.place ? <Text locale={locale} text={stop.place} /> : null}</h3>
                  {stop.startsAt ? (
                    <p>
                      <time dateTime={stop.startsAt.toISOString()}>{timeRange(stop.startsAt, stop.endsAt)}</time>
                    </p>
                  ) : null}
                  {stop.facility && stop.place ? (
                    <p>
                      {localized(locale, '所在地区：', 'Place: ')}
                      <Text locale={locale} text={stop.place} />
                    </p>
                  ) : null}
                  {stop.topic ? (
                    <p>
                      {localized(locale, '主题：', 'Topic: ')}
                      {nameOf(locale, taxonName(stop.topic))}
                    </p>
                  ) : null}
                  {nameOf(locale, stop.purpose) !== '' ? (
                    <p>
                      <Text locale={locale} text={stop.purpose} />
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {props.reports.length > 0 ? (
          <section aria-labelledby="activity-reports-title">
            <h2 id="activity-reports-title">{localized(locale, '相关报道', 'Reported in')}</h2>
            <ul>
              {props.reports.map((report) => (
                <li>
                  <a href={portalHref.article(ctx, locale, report.slug)}>{report.title}</a>{' '}
                  <time dateTime={report.publishAt.toISOString()}>{formatDate(report.publishAt, report.timeZone)}</time>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </article>
      <p>
        <a href={calendarHref.list(ctx, locale)}>{localized(locale, '返回活动日历', 'Back to the activities')}</a>
      </p>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptJson(activityJsonLd(locale, activity, canonicalUrl(ctx, href))) }} />
    </Frame>
  );
}

function sendHtml(reply: FastifyReply, html: string): FastifyReply {
  return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/**
 * /:lang/activities, /:lang/activities/:id and /:lang/activities.ics on every site: the site's public
 * activities only. Not in the page cache: what is coming and what is past changes with the clock.
 */
export const activityPortalPages: FastifyPluginAsync = async (app) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/:lang/activities', { schema: { params: portalParams, querystring: portalCalendarQuery } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const data = await calendarService.readPublicCalendar(app.db, ctx.site.id, request.query, new Date());
    return sendHtml(reply, renderDocument(<CalendarView ctx={ctx} data={data} />));
  });

  routes.get('/:lang/activities.ics', { schema: { params: portalParams, querystring: activityFeedQuery } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const activities = await calendarService.listPublicFeed(app.db, ctx.site.id, request.query);
    const feed = activityFeed(activities, {
      name: `${ctx.site.name[ctx.locale]} · ${t(ctx.locale, 'activities')}`,
      host: new URL(canonicalUrl(ctx, ctx.basePath)).hostname,
      locale: ctx.locale,
      urlOf: (id) => canonicalUrl(ctx, calendarHref.activity(ctx, ctx.locale, id)),
    });
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="activities.ics"')
      .header('cache-control', 'no-cache')
      .send(feed);
  });

  routes.get('/:lang/activities/:id', { schema: { params: portalActivityParams } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    if (!activityNumber.test(request.params.id)) throw notFound('No public activity of this site has this number.');
    const activity = await calendarService.readPublicActivity(app.db, ctx.site.id, Number(request.params.id));
    const reports = await listPublicReportsOfActivity(app.db, ctx.site.id, activity.id, ctx.locale);
    return sendHtml(reply, renderDocument(<PublicActivityView ctx={ctx} activity={activity} reports={reports} />));
  });
};
