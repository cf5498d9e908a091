import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import type { Actor } from '../../platform/access.ts';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { organizationName, organizationOptions } from '../organizations/organization.pages.tsx';
import { listOrganizationChoices } from '../organizations/organization.service.ts';
import { inLocale, PlaceRuleError } from '../places/place.rules.ts';
import { resolveParentReference } from '../places/place.service.ts';
import * as calendarService from './activity-calendar.service.ts';
import type { CalendarFilter, CalendarList, MonthView, WorkspaceCalendar } from './activity-calendar.service.ts';
import { calendarQuery } from './activity-calendar.schema.ts';
import { activityStatusNames, activityTimeZone } from './activity.rules.ts';
import * as activityService from './activity.service.ts';
import type { ActivityListItem, Taxon } from './activity.service.ts';
import { localizeForm, nameOf, taxonOptions, timeRange, titleOf, wallClock, type Option } from './activity.views.tsx';
import { formatDate } from '../../platform/time.ts';

interface CalendarChoices {
  kinds: Taxon[];
  topics: Taxon[];
  organizations: Option[];
}

/** "2024年3月" / "March 2024". */
function monthName(locale: Locale, month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, index - 1, 1)));
}

/** "3月25日 星期一" / "Monday 25 March": a day of the month as its heading reads. */
function dayName(locale: Locale, day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** The time of an activity on one day of the month: its hours, or that it goes on from an earlier day or to a later one. */
function timeOnDay(locale: Locale, entry: { activity: ActivityListItem; beginsThatDay: boolean; endsThatDay: boolean }): string {
  const start = wallClock(entry.activity.startsAt).slice(11);
  const end = wallClock(entry.activity.endsAt).slice(11);
  if (entry.beginsThatDay && entry.endsThatDay) return `${start}–${end}`;
  if (entry.beginsThatDay) return localized(locale, `${start} 起`, `from ${start}`);
  if (entry.endsThatDay) return localized(locale, `至 ${end}`, `until ${end}`);
  return localized(locale, '全天', 'all day');
}

function organizersOf(locale: Locale, activity: ActivityListItem): string {
  return activity.organizers.map((organizer) => organizationName(locale, organizer)).join(localized(locale, '、', ', '));
}

function MonthTable(props: { locale: Locale; view: MonthView }): VNode {
  const { locale, view } = props;
  if (view.days.length === 0) return <p>{localized(locale, '本月没有符合条件的活动。', 'No activity this month matches.')}</p>;
  return (
    <table class="calendar">
      <caption>{localized(locale, `${monthName(locale, view.month)}的活动，按日期排列`, `Activities in ${monthName(locale, view.month)}, day by day`)}</caption>
      <thead>
        <tr>
          <th scope="col">{localized(locale, '日期', 'Day')}</th>
          <th scope="col">{localized(locale, '时间', 'Time')}</th>
          <th scope="col">{localized(locale, '活动', 'Activity')}</th>
          <th scope="col">{localized(locale, '主办单位', 'Organizers')}</th>
          <th scope="col">{localized(locale, '状态', 'Status')}</th>
        </tr>
      </thead>
      {view.days.map((day) => (
        <tbody id={`day-${day.day}`}>
          {day.entries.map((entry, index) => (
            <tr>
              {index === 0 ? (
                <th scope="rowgroup" rowSpan={day.entries.length}>
                  <time dateTime={day.day}>{dayName(locale, day.day)}</time>
                </th>
              ) : null}
              <td>{timeOnDay(locale, entry)}</td>
              <td>
                <a href={`/workspace/activities/${entry.activity.id}`}>{titleOf(locale, entry.activity)}</a>
                <span class="muted"> · {localized(locale, entry.activity.kind.nameZh, entry.activity.kind.nameEn)}</span>
              </td>
              <td>{organizersOf(locale, entry.activity)}</td>
              <td>{nameOf(locale, activityStatusNames, entry.activity.status)}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

function ActivityList(props: { locale: Locale; list: CalendarList; id: string; title: string; more: string }): VNode {
  const { locale, list } = props;
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {list.items.length > 0 ? (
        <ul>
          {list.items.map((activity) => (
            <li>
              <time dateTime={activity.startsAt.toISOString()}>{timeRange(activity.startsAt, activity.endsAt)}</time>{' '}
              <a href={`/workspace/activities/${activity.id}`}>{titleOf(locale, activity)}</a>
              <span class="muted">
                {' '}
                · {organizersOf(locale, activity)} · {nameOf(locale, activityStatusNames, activity.status)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
      {list.total > list.items.length ? (
        <p>
          <a href={props.more}>{localized(locale, `查看全部 ${list.total} 项`, `All ${list.total}`)}</a>
        </p>
      ) : null}
    </section>
  );
}

function CalendarView(props: {
  frame: WorkspaceFrame;
  filters: FormState;
  choices: CalendarChoices;
  calendar: WorkspaceCalendar | undefined;
  feedHref: string;
  today: string;
}): VNode {
  const { frame, filters, choices, calendar } = props;
  const { locale } = frame;
  const all = t(locale, 'all');
  const title = localized(locale, '活动日历', 'Activity calendar');
  const monthHref = (month: string) => listPageHref('/workspace/activities/calendar', { ...filters.values, month }, 0);
  const listFilters = { kind: filters.values.kind, topic: filters.values.topic, organizationId: filters.values.organizationId, place: filters.values.place };
  const tokenPart = `${props.feedHref.includes('?') ? '&' : '?'}token=…`;
  return (
    <WorkspaceLayout frame={frame} area="activities" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/activities">{t(locale, 'activities')}</a>
      </nav>
      <h1>{title}</h1>
      <FormErrorSummary form={filters} locale={locale} />
      <form method="get" action="/workspace/activities/calendar" class="filters" role="search">
        <TextField name="month" label={localized(locale, '月份', 'Month')} hint={localized(locale, '如 2024-03', 'E.g. 2024-03')} form={filters} />
        <SelectField name="kind" label={t(locale, 'kind')} form={filters} options={taxonOptions(locale, choices.kinds, all)} />
        <SelectField name="topic" label={localized(locale, '主题', 'Topic')} form={filters} options={taxonOptions(locale, choices.topics, all)} />
        <SelectField name="organizationId" label={localized(locale, '主办单位', 'Organizer')} form={filters} options={choices.organizations} />
        <TextField
          name="place"
          label={localized(locale, '地点（代码或路径）', 'Place (code or path)')}
          hint={localized(locale, '如 110115 或 110115/观音寺街道', 'E.g. 110115 or 110115/观音寺街道')}
          form={filters}
        />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      {calendar ? (
        <>
          <p class="actions">
            <a href={props.feedHref} type="text/calendar">
              {localized(locale, '订阅日历（iCalendar）', 'Subscribe (iCalendar)')}
            </a>
            <a href={listPageHref('/workspace/activities', listFilters, 0)}>{localized(locale, '列表', 'List')}</a>
          </p>
          <p class="muted">
            {localized(locale, '在日历软件中订阅：先在', 'To subscribe in a calendar app, make a calendar token under ')}
            <a href="/workspace/account#tokens">{localized(locale, '我的账户', 'My account')}</a>
            {localized(locale, `创建日历令牌，再把它以 ${tokenPart} 加在上面的地址后。`, ` and add it to the address above as ${tokenPart}.`)}
          </p>
          <section aria-labelledby="calendar-month">
            <h2 id="calendar-month">{monthName(locale, calendar.month.month)}</h2>
            <nav class="actions" aria-label={localized(locale, '月份', 'Months')}>
              <a href={monthHref(calendar.month.previous)} rel="prev">
                {localized(locale, `← ${monthName(locale, calendar.month.previous)}`, `← ${monthName(locale, calendar.month.previous)}`)}
              </a>
              <a href={monthHref(props.today.slice(0, 7))}>{localized(locale, '本月', 'This month')}</a>
              <a href={monthHref(calendar.month.next)} rel="next">
                {`${monthName(locale, calendar.month.next)} →`}
              </a>
            </nav>
            {calendar.month.total > calendar.month.shown ? (
              <p class="alert" role="status">
                {localized(
                  locale,
                  `本月共 ${calendar.month.total} 项活动，仅显示前 ${calendar.month.shown} 项；请用筛选缩小范围。`,
                  `${calendar.month.total} activities this month; the first ${calendar.month.shown} are shown. Narrow them with the filters.`,
                )}
              </p>
            ) : null}
            <MonthTable locale={locale} view={calendar.month} />
          </section>
          <ActivityList
            locale={locale}
            list={calendar.upcoming}
            id="calendar-upcoming"
            title={localized(locale, '进行中和即将举行', 'Going on and coming up')}
            more={listPageHref('/workspace/activities', { ...listFilters, from: props.today }, 0)}
          />
          <ActivityList
            locale={locale}
            list={calendar.past}
            id="calendar-past"
            title={localized(locale, '已结束', 'Past')}
            more={listPageHref('/workspace/activities', { ...listFilters, to: props.today }, 0)}
          />
        </>
      ) : null}
    </WorkspaceLayout>
  );
}

/** The address of the staff feed with the calendar's filters (a place by id, once resolved). */
function feedHref(filter: CalendarFilter): string {
  return listPageHref('/api/v1/activities.ics', { kind: filter.kind, topic: filter.topic, organization: filter.organizationId, place: filter.placeId }, 0);
}

async function calendarChoices(db: Parameters<typeof listOrganizationChoices>[0], actor: Actor, locale: Locale): Promise<CalendarChoices> {
  const [kinds, topics, organizations] = await Promise.all([
    activityService.listKinds(db, actor),
    activityService.listTopics(db, actor),
    listOrganizationChoices(db, actor),
  ]);
  return { kinds, topics, organizations: organizationOptions(locale, organizations, t(locale, 'all')) };
}

/** /workspace/activities/calendar: a month by day, with what is going on or coming and what is past, under the list's filters. */
export const activityCalendarPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  app.get('/workspace/activities/calendar', async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const now = new Date();
    const today = formatDate(now, activityTimeZone);
    const choices = await calendarChoices(app.db, actor, locale);
    const send = (filters: FormState, calendar: WorkspaceCalendar | undefined, filter: CalendarFilter, status = 200) =>
      sendWorkspacePage(
        reply,
        <CalendarView frame={frame} filters={filters} choices={choices} calendar={calendar} feedHref={feedHref(filter)} today={today} />,
        status,
      );
    const parsed = parseForm(calendarQuery, request.query, locale);
    if (!parsed.ok) {
      const form = localizeForm(parsed.form, locale);
      if (form.errors.month) form.errors.month = localized(locale, '请按“年-月”填写月份，如 2024-03。', 'Give a month as YYYY-MM, e.g. 2024-03.');
      return send(form, undefined, {}, 400);
    }
    const { place, month, ...rest } = parsed.value;
    const filters = formState({ ...rest, place, month: month ?? calendarService.monthOf(now) });
    let placeId: number | undefined;
    if (place !== undefined) {
      try {
        placeId = (await resolveParentReference(app.db, actor, place)) ?? undefined;
      } catch (error) {
        if (!(error instanceof PlaceRuleError)) throw error;
        return send({ values: filters.values, errors: { place: inLocale(locale, error.text) } }, undefined, {}, 400);
      }
    }
    const filter: CalendarFilter = { ...rest, placeId };
    const calendar = await calendarService.readWorkspaceCalendar(app.db, actor, filter, month ?? calendarService.monthOf(now), now);
    return send(filters, calendar, filter);
  });
};
