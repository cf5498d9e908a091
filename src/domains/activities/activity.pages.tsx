import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { DomainError, notFound } from '../../platform/errors.ts';
import { FormErrorSummary, formState, parseForm, SelectField, TextAreaField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { listMedia } from '../media/media.service.ts';
import { addOrganizationPageSection, organizationName, organizationOptions } from '../organizations/organization.pages.tsx';
import { listOrganizationChoices } from '../organizations/organization.service.ts';
import { resolveParentReference } from '../places/place.service.ts';
import { PlaceRuleError, inLocale } from '../places/place.rules.ts';
import { ActivityDetailView } from './activity.detail.tsx';
import { listActivityArticles } from './activity-article.service.ts';
import { listMeasuresOfActivity } from './activity-measure.service.ts';
import { activityStatusNames, organizerRoleNames, visibilityNames } from './activity.rules.ts';
import { activityForm, activityParams, activityQuery, moveForm, newActivityForm, organizerForm, organizerParams, photoForm } from './activity.schema.ts';
import * as activityService from './activity.service.ts';
import type { ActivityListItem, Taxon } from './activity.service.ts';
import {
  ActivityFormPage,
  CheckboxesField,
  dateTimeHint,
  formWithServiceError,
  localizeForm,
  nameOf,
  namedOptions,
  refusalText,
  taxonOptions,
  timeRange,
  titleOf,
  wallClock,
  withLists,
  type Option,
} from './activity.views.tsx';

const pageSize = 50;

/** The list's filters: the API's, and a place named by code or path ("110115/观音寺街道") as the places pages name one. */
export const listFilters = activityQuery.extend({
  place: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().max(1000).optional()),
});

interface ListChoices {
  kinds: Taxon[];
  topics: Taxon[];
  organizations: Option[];
  facilities: Option[];
}

function ListView(props: {
  frame: WorkspaceFrame;
  page: { items: ActivityListItem[]; total: number; limit: number; offset: number };
  filters: FormState;
  choices: ListChoices;
  mayCreate: boolean;
}): VNode {
  const { frame, page, filters, choices } = props;
  const { locale } = frame;
  const all = t(locale, 'all');
  return (
    <WorkspaceLayout frame={frame} area="activities" title={t(locale, 'activities')}>
      <h1>{t(locale, 'activities')}</h1>
      <FormErrorSummary form={filters} locale={locale} />
      <form method="get" action="/workspace/activities" class="filters" role="search">
        <TextField name="q" type="search" label={localized(locale, '标题', 'Title')} form={filters} />
        <SelectField name="kind" label={t(locale, 'kind')} form={filters} options={taxonOptions(locale, choices.kinds, all)} />
        <SelectField name="topic" label={localized(locale, '主题', 'Topic')} form={filters} options={taxonOptions(locale, choices.topics, all)} />
        <SelectField name="organizationId" label={localized(locale, '主办单位', 'Organizer')} form={filters} options={choices.organizations} />
        <TextField
          name="place"
          label={localized(locale, '地点（代码或路径）', 'Place (code or path)')}
          hint={localized(locale, '如 110115 或 110115/观音寺街道', 'E.g. 110115 or 110115/观音寺街道')}
          form={filters}
        />
        <SelectField name="facilityId" label={localized(locale, '服务阵地', 'Facility')} form={filters} options={choices.facilities} />
        <TextField name="from" type="date" label={localized(locale, '起始日期', 'From')} form={filters} />
        <TextField name="to" type="date" label={localized(locale, '截止日期', 'To')} form={filters} />
        <SelectField name="visibility" label={localized(locale, '可见范围', 'Visibility')} form={filters} options={namedOptions(locale, visibilityNames, all)} />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={filters} options={namedOptions(locale, activityStatusNames, all)} />
        {filters.values.personId ? <input type="hidden" name="personId" value={filters.values.personId} /> : null}
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="actions">
        {props.mayCreate ? (
          <a class="button" href="/workspace/activities/new">
            {t(locale, 'create')}
          </a>
        ) : null}
        <a href={listPageHref('/workspace/activities/calendar', { kind: filters.values.kind, topic: filters.values.topic, organizationId: filters.values.organizationId, place: filters.values.place }, 0)}>
          {localized(locale, '日历', 'Calendar')}
        </a>
        <span class="muted">{localized(locale, `共 ${page.total} 项`, `${page.total} in all`)}</span>
      </p>
      <p class="actions">
        {localized(locale, '按当前筛选导出：', 'Export with these filters: ')}
        <a href={listPageHref('/workspace/activities/export.csv', filters.values, 0)}>{localized(locale, '活动 CSV', 'Activities CSV')}</a>
        <a href={listPageHref('/workspace/activities/export.xlsx', filters.values, 0)}>{localized(locale, '活动 XLSX', 'Activities XLSX')}</a>
        <a href={listPageHref('/workspace/activities/attendees.csv', filters.values, 0)}>{localized(locale, '参加人员 CSV', 'Attendees CSV')}</a>
        <a href={listPageHref('/workspace/activities/attendees.xlsx', filters.values, 0)}>{localized(locale, '参加人员 XLSX', 'Attendees XLSX')}</a>
      </p>
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '时间', 'Time')}</th>
              <th scope="col">{localized(locale, '活动', 'Activity')}</th>
              <th scope="col">{localized(locale, '主办单位', 'Organizers')}</th>
              <th scope="col">{localized(locale, '状态', 'Status')}</th>
              <th scope="col">{localized(locale, '可见范围', 'Visibility')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((activity) => (
              <tr>
                <td>
                  <time datetime={activity.startsAt.toISOString()}>{timeRange(activity.startsAt, activity.endsAt)}</time>
                </td>
                <td>
                  <a href={`/workspace/activities/${activity.id}`}>{titleOf(locale, activity)}</a>
                  <span class="muted"> · {localized(locale, activity.kind.nameZh, activity.kind.nameEn)}</span>
                </td>
                <td>{activity.organizers.map((organizer) => organizationName(locale, organizer)).join(localized(locale, '、', ', '))}</td>
                <td>{nameOf(locale, activityStatusNames, activity.status)}</td>
                <td>{nameOf(locale, visibilityNames, activity.visibility)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager
        locale={locale}
        total={page.total}
        limit={page.limit}
        offset={page.offset}
        href={(offset) => listPageHref('/workspace/activities', filters.values, offset)}
      />
    </WorkspaceLayout>
  );
}

interface FormChoices {
  kinds: Taxon[];
  topics: Taxon[];
  /** For a new activity: the organizations the actor may organize for, and every organization. */
  organizers?: Option[];
  organizations?: Option[];
}

function ActivityFormView(props: { frame: WorkspaceFrame; form: FormState; activity?: ActivityListItem; choices: FormChoices }): VNode {
  const { frame, form, activity, choices } = props;
  const { locale } = frame;
  const title = activity ? `${t(locale, 'edit')}: ${titleOf(locale, activity)}` : localized(locale, '新建活动', 'New activity');
  return (
    <ActivityFormPage
      frame={frame}
      title={title}
      form={form}
      action={activity ? `/workspace/activities/${activity.id}` : '/workspace/activities'}
      back={activity ? `/workspace/activities/${activity.id}` : '/workspace/activities'}
      activity={activity}
    >
      <SelectField name="kind" label={t(locale, 'kind')} form={form} options={taxonOptions(locale, choices.kinds)} required />
      <div class="columns">
        <TextField name="titleZh" label={localized(locale, '中文标题', 'Title in Chinese')} form={form} />
        <TextField name="titleEn" label={localized(locale, '英文标题', 'Title in English')} form={form} />
        <TextAreaField name="summaryZh" label={localized(locale, '中文概要', 'Summary in Chinese')} form={form} />
        <TextAreaField name="summaryEn" label={localized(locale, '英文概要', 'Summary in English')} form={form} />
        <TextField name="startsAt" label={localized(locale, '开始时间', 'Starts')} hint={dateTimeHint(locale)} form={form} required />
        <TextField name="endsAt" label={localized(locale, '结束时间', 'Ends')} hint={dateTimeHint(locale)} form={form} required />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={form} options={namedOptions(locale, activityStatusNames)} required />
        <SelectField
          name="visibility"
          label={localized(locale, '可见范围', 'Visibility')}
          hint={localized(
            locale,
            '公开、网络内可见：全体工作人员可见；仅主办方：只有主办单位的工作人员可见。',
            'Public and Network: every member of staff reads it; Internal: only the staff of its organizers.',
          )}
          form={form}
          options={namedOptions(locale, visibilityNames)}
          required
        />
      </div>
      <CheckboxesField name="topics" label={localized(locale, '主题', 'Topics')} form={form} options={taxonOptions(locale, choices.topics)} />
      {choices.organizers ? (
        <>
          <SelectField name="organizationId" label={localized(locale, '主办单位', 'Organizer')} form={form} options={choices.organizers} required />
          <SelectField
            name="coOrganizationId"
            label={localized(locale, '联办单位', 'Co-organizer')}
            hint={localized(locale, '可选；以后可在活动页面添加更多主办单位。', 'Optional; more organizers can be added on the activity’s page.')}
            form={form}
            options={choices.organizations ?? []}
          />
        </>
      ) : null}
    </ActivityFormPage>
  );
}

function activityValues(activity: activityService.ActivityDetail): FormState {
  return formState({
    kind: activity.kind.code,
    titleZh: activity.titleZh,
    titleEn: activity.titleEn,
    summaryZh: activity.summaryZh,
    summaryEn: activity.summaryEn,
    startsAt: wallClock(activity.startsAt),
    endsAt: wallClock(activity.endsAt),
    status: activity.status,
    visibility: activity.visibility,
    topics: activity.topics.map((topic) => topic.code).join(','),
  });
}

function OrganizerFormView(props: { frame: WorkspaceFrame; form: FormState; activity: ActivityListItem; organizations?: Option[]; organizer?: ActivityListItem['organizers'][number] }): VNode {
  const { frame, form, activity, organizer } = props;
  const { locale } = frame;
  const base = `/workspace/activities/${activity.id}`;
  const title = organizer
    ? `${localized(locale, '修改角色', 'Change role')}: ${organizationName(locale, organizer)}`
    : localized(locale, '添加主办单位', 'Add an organizer');
  return (
    <ActivityFormPage
      frame={frame}
      title={title}
      form={form}
      action={organizer ? `${base}/organizers/${organizer.id}` : `${base}/organizers`}
      back={`${base}#organizers`}
      activity={activity}
    >
      {organizer ? (
        <input type="hidden" name="organizationId" value={String(organizer.id)} />
      ) : (
        <SelectField name="organizationId" label={t(locale, 'organization')} form={form} options={props.organizations ?? []} required />
      )}
      <SelectField
        name="role"
        label={localized(locale, '角色', 'Role')}
        hint={localized(locale, '每个主办单位都可以编辑活动；至少要有一个“主办”。', 'Every organizer may edit the activity; at least one must be an Organizer.')}
        form={form}
        options={namedOptions(locale, organizerRoleNames)}
        required
      />
    </ActivityFormPage>
  );
}

function PhotoFormView(props: { frame: WorkspaceFrame; form: FormState; activity: ActivityListItem; media: Option[] }): VNode {
  const { frame, form, activity } = props;
  const { locale } = frame;
  const base = `/workspace/activities/${activity.id}`;
  return (
    <ActivityFormPage
      frame={frame}
      title={localized(locale, '添加照片', 'Add a photo')}
      form={form}
      action={`${base}/photos`}
      back={`${base}#photos`}
      activity={activity}
      before={
        props.media.length === 0 ? (
          <p>
            {localized(locale, '您可使用的图片库中没有图片。', 'There is no image in a media library you use.')}{' '}
            <a href="/workspace/media">{t(locale, 'media')}</a>
          </p>
        ) : null
      }
    >
      <SelectField
        name="mediaId"
        label={localized(locale, '图片', 'Image')}
        hint={localized(locale, '图片库中最新的 100 张图片。', 'The newest 100 images of your media libraries.')}
        form={form}
        options={props.media}
        required
      />
    </ActivityFormPage>
  );
}

function OrganizerDeleteView(props: { frame: WorkspaceFrame; activity: ActivityListItem; organizer: ActivityListItem['organizers'][number]; error?: string }): VNode {
  const { frame, activity, organizer } = props;
  const name = organizationName(frame.locale, organizer);
  const base = `/workspace/activities/${activity.id}`;
  return (
    <ConfirmPage
      frame={frame}
      area="activities"
      title={`${t(frame.locale, 'delete')}: ${name}`}
      text={localized(frame.locale, `将“${name}”从“${titleOf(frame.locale, activity)}”的主办单位中移除？`, `Remove ${name} from the organizers of “${titleOf(frame.locale, activity)}”?`)}
      action={`${base}/organizers/${organizer.id}/delete`}
      back={`${base}#organizers`}
      button={t(frame.locale, 'delete')}
      error={props.error}
    />
  );
}

function confirmText(locale: Locale, name: string, extra = ''): string {
  return `${t(locale, 'confirmDelete', { name })}${extra}`;
}

/** How many of an organization's activities its page lists before pointing to the full list. */
const organizationPageLimit = 10;

// The organization page shows the latest activities it (or a unit below it) organized.
addOrganizationPageSection(async (request, organization, locale) => {
  const page = await activityService.listActivities(request.server.db, actorOf(request), { organizationId: organization.id, limit: organizationPageLimit, offset: 0 });
  return (
    <section aria-labelledby="organized-activities">
      <h2 id="organized-activities">{localized(locale, '主办的活动', 'Activities organized')}</h2>
      {page.items.length > 0 ? (
        <ul>
          {page.items.map((activity) => (
            <li>
              <a href={`/workspace/activities/${activity.id}`}>{titleOf(locale, activity)}</a>
              <span class="muted"> · {timeRange(activity.startsAt, activity.endsAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
      {page.total > page.items.length ? (
        <p>
          <a href={`/workspace/activities?organizationId=${organization.id}`}>{localized(locale, `查看全部 ${page.total} 项`, `All ${page.total}`)}</a>
        </p>
      ) : null}
    </section>
  );
});

/** The workspace pages of activities: list, page, the activity's form, organizers, photos and deletion. */
export const activityPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function organizationChoices(request: FastifyRequest, emptyLabel?: string): Promise<Option[]> {
    const tree = await listOrganizationChoices(app.db, actorOf(request));
    return organizationOptions(workspaceFrame(request).locale, tree, emptyLabel);
  }

  async function formChoices(request: FastifyRequest, isNew: boolean): Promise<FormChoices> {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const [kinds, topics] = await Promise.all([activityService.listKinds(app.db, actor), activityService.listTopics(app.db, actor)]);
    if (!isNew) return { kinds, topics };
    const { tree, editableIds } = await activityService.listOrganizerChoices(app.db, actor);
    const all = organizationOptions(locale, tree, t(locale, 'none'));
    return { kinds, topics, organizers: all.filter((option) => editableIds.has(Number(option.value))), organizations: all };
  }

  async function sendActivityForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, activity?: ActivityListItem) {
    const choices = await formChoices(request, activity === undefined);
    return sendWorkspacePage(reply, <ActivityFormView frame={workspaceFrame(request)} form={form} activity={activity} choices={choices} />, status);
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const [activity, reports, measures] = await Promise.all([
      activityService.getActivityDetail(app.db, actorOf(request), id),
      listActivityArticles(app.db, actorOf(request), id),
      listMeasuresOfActivity(app.db, actorOf(request), id),
    ]);
    return sendWorkspacePage(reply, <ActivityDetailView frame={workspaceFrame(request)} activity={activity} reports={reports} measures={measures} notice={notice} />);
  }

  /** The activity named in the address, refused as "not found" unless the actor may change it. */
  async function editableActivity(request: FastifyRequest, id: number): Promise<ActivityListItem> {
    const activity = await activityService.getActivity(app.db, actorOf(request), id);
    await activityService.assertMayEditActivity(app.db, actorOf(request), activity);
    return activity;
  }

  app.get('/workspace/activities', async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const [kinds, topics, organizations, facilities, mayCreate] = await Promise.all([
      activityService.listKinds(app.db, actor),
      activityService.listTopics(app.db, actor),
      organizationChoices(request, t(locale, 'all')),
      activityService.listFacilityChoices(app.db, actor),
      activityService.mayCreateActivities(app.db, actor),
    ]);
    const choices: ListChoices = {
      kinds,
      topics,
      organizations,
      facilities: [
        { value: '', label: t(locale, 'all') },
        ...facilities.map((facility) => ({
          value: String(facility.id),
          label: `${localized(locale, facility.name_zh, facility.name_en || facility.name_zh)} · ${localized(locale, facility.place_name_zh, facility.place_name_en || facility.place_name_zh)}`,
        })),
      ],
    };
    const empty = { items: [], total: 0, limit: pageSize, offset: 0 };
    const parsed = parseForm(listFilters, request.query, locale);
    if (!parsed.ok) {
      // A hand-made address with a wrong value: say which, and list nothing rather than guess.
      return sendWorkspacePage(reply, <ListView frame={frame} page={empty} filters={localizeForm(parsed.form, locale)} choices={choices} mayCreate={mayCreate} />, 400);
    }
    const { place, ...query } = parsed.value;
    const filters = formState({ ...query, limit: undefined, offset: undefined, place });
    let placeId = query.placeId;
    if (place !== undefined) {
      try {
        placeId = (await resolveParentReference(app.db, actor, place)) ?? undefined;
      } catch (error) {
        if (!(error instanceof PlaceRuleError)) throw error;
        const form = { values: filters.values, errors: { place: inLocale(locale, error.text) } };
        return sendWorkspacePage(reply, <ListView frame={frame} page={empty} filters={form} choices={choices} mayCreate={mayCreate} />, 400);
      }
    }
    const page = await activityService.listActivities(app.db, actor, { ...query, placeId, limit: pageSize });
    return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={filters} choices={choices} mayCreate={mayCreate} />);
  });

  app.get('/workspace/activities/new', async (request, reply) => {
    const choices = await formChoices(request, true);
    const first = choices.organizers?.[0];
    // Only someone who may organize for some organization gets the form.
    if (!first) throw notFound();
    const startsAt = `${activityService.activityDay({ startsAt: new Date() })} 09:00`;
    const form = formState({ kind: 'meeting', status: 'planned', visibility: 'network', startsAt, endsAt: startsAt.replace('09:00', '11:00'), organizationId: first.value });
    return sendActivityForm(request, reply, form, 200);
  });

  app.post('/workspace/activities', async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const parsed = parseForm(newActivityForm, withLists(request.body, ['topics']), locale);
    if (!parsed.ok) return sendActivityForm(request, reply, localizeForm(parsed.form, locale), 400);
    const { organizationId, coOrganizationId, ...fields } = parsed.value;
    const organizers = [
      { organizationId, role: 'organizer' as const },
      ...(coOrganizationId === null ? [] : [{ organizationId: coOrganizationId, role: 'co_organizer' as const }]),
    ];
    try {
      const id = await activityService.createActivity(app.db, actor, { ...fields, organizers });
      return reply.redirect(`/workspace/activities/${id}`, 303);
    } catch (error) {
      const form = formWithServiceError(formState({ ...parsed.value, topics: fields.topics.join(',') }), error, locale);
      if (!form) throw error;
      return sendActivityForm(request, reply, form, (error as DomainError).status);
    }
  });

  app.get('/workspace/activities/:id', { schema: { params: activityParams } }, async (request, reply) => sendDetail(request, reply, request.params.id));

  app.get('/workspace/activities/:id/edit', { schema: { params: activityParams } }, async (request, reply) => {
    const activity = await activityService.getActivityDetail(app.db, actorOf(request), request.params.id);
    await activityService.assertMayEditActivity(app.db, actorOf(request), activity);
    return sendActivityForm(request, reply, activityValues(activity), 200, activity);
  });

  app.post('/workspace/activities/:id', { schema: { params: activityParams } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const activity = await editableActivity(request, request.params.id);
    const parsed = parseForm(activityForm, withLists(request.body, ['topics']), locale);
    if (!parsed.ok) return sendActivityForm(request, reply, localizeForm(parsed.form, locale), 400, activity);
    try {
      await activityService.updateActivity(app.db, actorOf(request), activity.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState({ ...parsed.value, topics: parsed.value.topics.join(',') }), error, locale);
      if (!form) throw error;
      return sendActivityForm(request, reply, form, (error as DomainError).status, activity);
    }
    return sendDetail(request, reply, activity.id, t(locale, 'saved'));
  });

  app.get('/workspace/activities/:id/delete', { schema: { params: activityParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const activity = await activityService.getActivityDetail(app.db, actorOf(request), request.params.id);
    await activityService.assertMayEditActivity(app.db, actorOf(request), activity);
    const name = titleOf(locale, activity);
    const parts = activity.stops.length + activity.sessions.length + activity.attendees.length + activity.followUps.length;
    const extra = parts > 0 ? localized(locale, ` 其行程、会议、参加人员和后续事项将一并删除。`, ' Its stops, sessions, attendees and follow-ups go with it.') : '';
    return sendWorkspacePage(
      reply,
      <ConfirmPage
        frame={frame}
        area="activities"
        title={`${t(locale, 'delete')}: ${name}`}
        text={confirmText(locale, name, extra)}
        action={`/workspace/activities/${activity.id}/delete`}
        back={`/workspace/activities/${activity.id}`}
        button={t(locale, 'delete')}
      />,
    );
  });

  app.post('/workspace/activities/:id/delete', { schema: { params: activityParams } }, async (request, reply) => {
    await activityService.deleteActivity(app.db, actorOf(request), request.params.id);
    return reply.redirect('/workspace/activities', 303);
  });

  // Organizers

  async function sendOrganizerForm(request: FastifyRequest, reply: FastifyReply, activity: ActivityListItem, form: FormState, status: number, organizationId?: number) {
    const organizer = activity.organizers.find((entry) => entry.id === organizationId);
    const organizations = organizer ? undefined : await organizationChoices(request);
    return sendWorkspacePage(
      reply,
      <OrganizerFormView frame={workspaceFrame(request)} form={form} activity={activity} organizations={organizations} organizer={organizer} />,
      status,
    );
  }

  async function saveOrganizer(request: FastifyRequest, reply: FastifyReply, activityId: number, organizationId?: number) {
    const { locale } = workspaceFrame(request);
    const activity = await editableActivity(request, activityId);
    const parsed = parseForm(organizerForm, request.body, locale);
    if (!parsed.ok) return sendOrganizerForm(request, reply, activity, localizeForm(parsed.form, locale), 400, organizationId);
    const input = { ...parsed.value, organizationId: organizationId ?? parsed.value.organizationId };
    try {
      await activityService.setOrganizer(app.db, actorOf(request), activity.id, input);
    } catch (error) {
      const form = formWithServiceError(formState(input), error, locale);
      if (!form) throw error;
      return sendOrganizerForm(request, reply, activity, form, (error as DomainError).status, organizationId);
    }
    return reply.redirect(`/workspace/activities/${activity.id}#organizers`, 303);
  }

  app.get('/workspace/activities/:id/organizers/new', { schema: { params: activityParams } }, async (request, reply) => {
    const activity = await editableActivity(request, request.params.id);
    return sendOrganizerForm(request, reply, activity, formState({ role: 'co_organizer' }), 200);
  });

  app.post('/workspace/activities/:id/organizers', { schema: { params: activityParams } }, async (request, reply) => saveOrganizer(request, reply, request.params.id));

  app.get('/workspace/activities/:id/organizers/:organizationId/edit', { schema: { params: organizerParams } }, async (request, reply) => {
    const activity = await editableActivity(request, request.params.id);
    const organizer = activity.organizers.find((entry) => entry.id === request.params.organizationId);
    if (!organizer) throw notFound();
    return sendOrganizerForm(request, reply, activity, formState({ organizationId: organizer.id, role: organizer.role }), 200, organizer.id);
  });

  app.post('/workspace/activities/:id/organizers/:organizationId', { schema: { params: organizerParams } }, async (request, reply) =>
    saveOrganizer(request, reply, request.params.id, request.params.organizationId),
  );

  async function organizerOf(request: FastifyRequest, params: { id: number; organizationId: number }) {
    const activity = await editableActivity(request, params.id);
    const organizer = activity.organizers.find((entry) => entry.id === params.organizationId);
    if (!organizer) throw notFound();
    return { activity, organizer };
  }

  app.get('/workspace/activities/:id/organizers/:organizationId/delete', { schema: { params: organizerParams } }, async (request, reply) => {
    const { activity, organizer } = await organizerOf(request, request.params);
    return sendWorkspacePage(reply, <OrganizerDeleteView frame={workspaceFrame(request)} activity={activity} organizer={organizer} />);
  });

  app.post('/workspace/activities/:id/organizers/:organizationId/delete', { schema: { params: organizerParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { activity, organizer } = await organizerOf(request, request.params);
    try {
      await activityService.removeOrganizer(app.db, actorOf(request), activity.id, organizer.id);
    } catch (error) {
      const text = refusalText(error, frame.locale);
      if (text === undefined) throw error;
      return sendWorkspacePage(reply, <OrganizerDeleteView frame={frame} activity={activity} organizer={organizer} error={text} />, (error as DomainError).status);
    }
    return reply.redirect(`/workspace/activities/${activity.id}#organizers`, 303);
  });

  // Photos

  async function sendPhotoForm(request: FastifyRequest, reply: FastifyReply, activity: ActivityListItem, form: FormState, status: number) {
    const { locale } = workspaceFrame(request);
    const images = await listMedia(app.db, actorOf(request), { limit: 100, offset: 0 }).catch((error: unknown) => {
      if (error instanceof DomainError && error.status === 404) return { items: [] };
      throw error;
    });
    const media = images.items.map((image) => ({ value: String(image.id), label: `${image.alt[locale] || image.originalName} (#${image.id})` }));
    return sendWorkspacePage(reply, <PhotoFormView frame={workspaceFrame(request)} form={form} activity={activity} media={media} />, status);
  }

  app.get('/workspace/activities/:id/photos/new', { schema: { params: activityParams } }, async (request, reply) => {
    const activity = await editableActivity(request, request.params.id);
    return sendPhotoForm(request, reply, activity, formState(), 200);
  });

  app.post('/workspace/activities/:id/photos', { schema: { params: activityParams } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const activity = await editableActivity(request, request.params.id);
    const parsed = parseForm(photoForm, request.body, locale);
    if (!parsed.ok) return sendPhotoForm(request, reply, activity, localizeForm(parsed.form, locale), 400);
    try {
      await activityService.addPhoto(app.db, actorOf(request), activity.id, parsed.value.mediaId);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendPhotoForm(request, reply, activity, form, (error as DomainError).status);
    }
    return reply.redirect(`/workspace/activities/${activity.id}#photos`, 303);
  });

  const photoParams = z.object({ id: activityParams.shape.id, mediaId: activityParams.shape.id });

  app.post('/workspace/activities/:id/photos/:mediaId/move', { schema: { params: photoParams } }, async (request, reply) => {
    const parsed = parseForm(moveForm, request.body, workspaceFrame(request).locale);
    if (!parsed.ok) throw new DomainError(400, 'bad_request', 'Move a photo up or down.');
    await activityService.movePhoto(app.db, actorOf(request), request.params.id, request.params.mediaId, parsed.value.direction);
    return reply.redirect(`/workspace/activities/${request.params.id}#photo-${request.params.mediaId}`, 303);
  });

  app.get('/workspace/activities/:id/photos/:mediaId/delete', { schema: { params: photoParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const activity = await activityService.getActivityDetail(app.db, actorOf(request), request.params.id);
    await activityService.assertMayEditActivity(app.db, actorOf(request), activity);
    const photo = activity.photos.find((entry) => entry.mediaId === request.params.mediaId);
    if (!photo) throw notFound();
    const name = photo.media.alt[frame.locale] || photo.media.originalName;
    return sendWorkspacePage(
      reply,
      <ConfirmPage
        frame={frame}
        area="activities"
        title={`${t(frame.locale, 'delete')}: ${name}`}
        text={localized(frame.locale, `从活动照片中移除“${name}”？图片仍保留在图片库中。`, `Take “${name}” off the activity’s photos? The image stays in its library.`)}
        action={`/workspace/activities/${activity.id}/photos/${photo.mediaId}/delete`}
        back={`/workspace/activities/${activity.id}#photos`}
        button={t(frame.locale, 'delete')}
      />,
    );
  });

  app.post('/workspace/activities/:id/photos/:mediaId/delete', { schema: { params: photoParams } }, async (request, reply) => {
    await activityService.removePhoto(app.db, actorOf(request), request.params.id, request.params.mediaId);
    return reply.redirect(`/workspace/activities/${request.params.id}#photos`, 303);
  });
};
