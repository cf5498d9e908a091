import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { DomainError, notFound } from '../../platform/errors.ts';
import { formState, parseForm, SelectField, TextAreaField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { sendWorkspacePage } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { organizationOptions } from '../organizations/organization.pages.tsx';
import { listOrganizationChoices } from '../organizations/organization.service.ts';
import { listPeople } from '../people/person.service.ts';
import { PlaceRuleError } from '../places/place.rules.ts';
import { referenceOfPlace, resolveParentReference } from '../places/place.service.ts';
import { ActivityRuleError, attendanceStatusNames, attendeeRoleNames, followUpStatusNames } from './activity.rules.ts';
import { agendaItemInput, attendeeInput, followUpInput, moveForm, sessionInput, stopForm } from './activity.schema.ts';
import * as activityService from './activity.service.ts';
import type { ActivityDetail, ActivitySession, AgendaItem, Attendee, FollowUp, PartRef, ActivityStop } from './activity.service.ts';
import {
  ActivityFormPage,
  dateTimeHint,
  formWithServiceError,
  localizeForm,
  MultiSelectField,
  namedOptions,
  refusalText,
  submittedValues,
  taxonOptions,
  textIn,
  titleOf,
  wallClock,
  withLists,
  type Option,
} from './activity.views.tsx';

const id = z.coerce.number().int().positive();
/** The parameters of every part page: the activity, a part (a session, for its agenda items) and an agenda item. */
const partPageParams = z.object({ id, partId: id.optional(), itemId: id.optional() });
type PartPageParams = z.infer<typeof partPageParams>;

type Choices = Record<string, Option[]>;

/** How one kind of part is listed, chosen, filled in and saved from the workspace. */
interface PartPage<S extends z.ZodType, P extends { id: number }> {
  /** The route of the part's collection, e.g. "/workspace/activities/:id/stops". */
  route: string;
  /** Which parameter names one of them. */
  idParam: 'partId' | 'itemId';
  /** The collection's address for these parameters. */
  href: (params: PartPageParams) => string;
  /** The section of the activity page to go back to. */
  anchor: string;
  schema: S;
  /** Fields that may repeat (a multiple choice), joined before the schema reads them. */
  lists?: readonly string[];
  /** The service's field names that the form names otherwise. */
  renames?: Record<string, string>;
  title: (locale: Locale, part: P | undefined) => string;
  /** The parts of this kind on the activity (undefined: the session named does not exist). */
  parts: (detail: ActivityDetail, params: PartPageParams) => readonly P[] | undefined;
  label: (locale: Locale, part: P) => string;
  defaults: (detail: ActivityDetail) => FormState;
  values: (request: FastifyRequest, detail: ActivityDetail, part: P) => Promise<FormState> | FormState;
  choices: (request: FastifyRequest, detail: ActivityDetail, part: P | undefined) => Promise<Choices>;
  Fields: (props: { locale: Locale; form: FormState; choices: Choices }) => VNode;
  /** Above the form: the attendee form's search for people. */
  Before?: (props: { locale: Locale; action: string; request: FastifyRequest }) => VNode;
  save: (request: FastifyRequest, detail: ActivityDetail, params: PartPageParams, partId: number | undefined, value: z.output<S>) => Promise<unknown>;
  ref: (params: PartPageParams, partId: number) => PartRef;
}

function optional(options: Option[], label: string): Option[] {
  return [{ value: '', label }, ...options];
}

/** The named attendees of an activity, as choices of a person (a speaker, an owner). */
function attendeeOptions(locale: Locale, detail: ActivityDetail): Option[] {
  return detail.attendees.flatMap((attendee) => (attendee.person ? [{ value: String(attendee.person.id), label: textIn(locale, attendee.person.nameZh, attendee.person.nameEn) }] : []));
}

function personLabel(person: { nameZh: string; nameEn: string }): string {
  return person.nameZh === person.nameEn ? person.nameEn : `${person.nameZh} (${person.nameEn})`;
}

// ---------------------------------------------------------------------------------------------
// Stops

function StopFields(props: { locale: Locale; form: FormState; choices: Choices }): VNode {
  const { locale, form, choices } = props;
  return (
    <>
      <SelectField
        name="facilityId"
        label={localized(locale, '服务阵地', 'Facility')}
        hint={localized(locale, '选择服务阵地，或在下面填写地点。', 'Choose a facility, or give a place below.')}
        form={form}
        options={optional(choices.facilities ?? [], localized(locale, '（不是服务阵地）', '(not a facility)'))}
      />
      <TextField
        name="place"
        label={localized(locale, '地点', 'Place')}
        hint={localized(
          locale,
          '没有服务阵地时：地点的代码，或从最近的有代码的上级写起的路径，如 110115/观音寺街道/首座御园二里社区。',
          'Where there is no facility: the place’s code, or its path down from the nearest code, e.g. 110115/观音寺街道/首座御园二里社区.',
        )}
        form={form}
      />
      <SelectField name="topic" label={localized(locale, '调研主题', 'Topic')} form={form} options={optional(choices.topics ?? [], t(locale, 'none'))} />
      <div class="columns">
        <TextField name="startsAt" label={localized(locale, '到达时间', 'Arrives')} hint={dateTimeHint(locale, true)} form={form} />
        <TextField name="endsAt" label={localized(locale, '离开时间', 'Leaves')} hint={dateTimeHint(locale, true)} form={form} />
      </div>
      <MultiSelectField
        name="hostIds"
        label={localized(locale, '接待单位', 'Hosts')}
        hint={localized(locale, '可多选（按住 Ctrl 或 ⌘）。', 'Choose several with Ctrl or ⌘ held down.')}
        form={form}
        options={choices.organizations ?? []}
      />
      <div class="columns">
        <TextAreaField name="purposeZh" label={localized(locale, '目的（中文）', 'Purpose in Chinese')} form={form} rows={2} />
        <TextAreaField name="purposeEn" label={localized(locale, '目的（英文）', 'Purpose in English')} form={form} rows={2} />
        <TextAreaField name="observationsZh" label={localized(locale, '所见（中文）', 'What was seen, in Chinese')} form={form} />
        <TextAreaField name="observationsEn" label={localized(locale, '所见（英文）', 'What was seen, in English')} form={form} />
        <TextAreaField name="findingsZh" label={localized(locale, '发现（中文）', 'Findings in Chinese')} form={form} />
        <TextAreaField name="findingsEn" label={localized(locale, '发现（英文）', 'Findings in English')} form={form} />
      </div>
    </>
  );
}

const stopPage: PartPage<typeof stopForm, ActivityStop> = {
  route: '/workspace/activities/:id/stops',
  idParam: 'partId',
  href: (params) => `/workspace/activities/${params.id}/stops`,
  anchor: 'stops',
  schema: stopForm,
  lists: ['hostIds'],
  renames: { placeId: 'place' },
  title: (locale, stop) => (stop ? localized(locale, '修改行程点位', 'Change a stop') : localized(locale, '添加行程点位', 'Add a stop')),
  parts: (detail) => detail.stops,
  label: (locale, stop) => {
    const where = stop.facility ?? stop.place;
    return where ? textIn(locale, where.nameZh, where.nameEn) : `#${stop.id}`;
  },
  defaults: () => formState(),
  values: async (request, _detail, stop) =>
    formState({
      facilityId: stop.facility?.id,
      place: stop.facility === null && stop.place ? await referenceOfPlace(request.server.db, actorOf(request), stop.place.id) : '',
      topic: stop.topic?.code,
      startsAt: stop.startsAt ? wallClock(stop.startsAt) : '',
      endsAt: stop.endsAt ? wallClock(stop.endsAt) : '',
      hostIds: stop.hosts.map((host) => host.id).join(','),
      purposeZh: stop.purposeZh,
      purposeEn: stop.purposeEn,
      observationsZh: stop.observationsZh,
      observationsEn: stop.observationsEn,
      findingsZh: stop.findingsZh,
      findingsEn: stop.findingsEn,
    }),
  choices: async (request) => {
    const { locale } = workspaceFrame(request);
    const actor = actorOf(request);
    const [facilities, topics, tree] = await Promise.all([
      activityService.listFacilityChoices(request.server.db, actor),
      activityService.listTopics(request.server.db, actor),
      listOrganizationChoices(request.server.db, actor),
    ]);
    return {
      facilities: facilities.map((facility) => ({
        value: String(facility.id),
        label: `${textIn(locale, facility.name_zh, facility.name_en)} · ${textIn(locale, facility.place_name_zh, facility.place_name_en)}`,
      })),
      topics: taxonOptions(locale, topics),
      organizations: organizationOptions(locale, tree),
    };
  },
  Fields: StopFields,
  save: async (request, detail, _params, partId, value) => {
    const { place, ...fields } = value;
    let placeId: number | null;
    try {
      placeId = await resolveParentReference(request.server.db, actorOf(request), place);
    } catch (error) {
      if (error instanceof PlaceRuleError) throw new ActivityRuleError(400, 'unknown_place', error.text, 'placeId');
      throw error;
    }
    return activityService.saveStop(request.server.db, actorOf(request), detail.id, partId, { ...fields, placeId, position: undefined });
  },
  ref: (_params, partId) => ({ part: 'stop', id: partId }),
};

// ---------------------------------------------------------------------------------------------
// Sessions and their agenda items

const sessionPage: PartPage<typeof sessionInput, ActivitySession> = {
  route: '/workspace/activities/:id/sessions',
  idParam: 'partId',
  href: (params) => `/workspace/activities/${params.id}/sessions`,
  anchor: 'sessions',
  schema: sessionInput,
  title: (locale, session) => (session ? localized(locale, '修改会议', 'Change a session') : localized(locale, '添加会议', 'Add a session')),
  parts: (detail) => detail.sessions,
  label: (locale, session) => titleOf(locale, session),
  defaults: () => formState(),
  values: (_request, _detail, session) =>
    formState({
      titleZh: session.titleZh,
      titleEn: session.titleEn,
      startsAt: session.startsAt ? wallClock(session.startsAt) : '',
      endsAt: session.endsAt ? wallClock(session.endsAt) : '',
      minutesZh: session.minutesZh,
      minutesEn: session.minutesEn,
    }),
  choices: async () => ({}),
  Fields: (props) => {
    const { locale, form } = props;
    return (
      <div class="columns">
        <TextField name="titleZh" label={localized(locale, '中文名称', 'Title in Chinese')} form={form} />
        <TextField name="titleEn" label={localized(locale, '英文名称', 'Title in English')} form={form} />
        <TextField name="startsAt" label={localized(locale, '开始时间', 'Starts')} hint={dateTimeHint(locale, true)} form={form} />
        <TextField name="endsAt" label={localized(locale, '结束时间', 'Ends')} hint={dateTimeHint(locale, true)} form={form} />
        <TextAreaField name="minutesZh" label={localized(locale, '纪要（中文）', 'Minutes in Chinese')} form={form} rows={8} />
        <TextAreaField name="minutesEn" label={localized(locale, '纪要（英文）', 'Minutes in English')} form={form} rows={8} />
      </div>
    );
  },
  save: (request, detail, _params, partId, value) => activityService.saveSession(request.server.db, actorOf(request), detail.id, partId, { ...value, position: undefined }),
  ref: (_params, partId) => ({ part: 'session', id: partId }),
};

const agendaItemPage: PartPage<typeof agendaItemInput, AgendaItem> = {
  route: '/workspace/activities/:id/sessions/:partId/items',
  idParam: 'itemId',
  href: (params) => `/workspace/activities/${params.id}/sessions/${params.partId ?? 0}/items`,
  anchor: 'sessions',
  schema: agendaItemInput,
  title: (locale, item) => (item ? localized(locale, '修改议程', 'Change an agenda item') : localized(locale, '添加议程', 'Add an agenda item')),
  parts: (detail, params) => detail.sessions.find((session) => session.id === params.partId)?.items,
  label: (locale, item) => textIn(locale, item.subjectZh, item.subjectEn),
  defaults: () => formState(),
  values: (_request, _detail, item) =>
    formState({
      subjectZh: item.subjectZh,
      subjectEn: item.subjectEn,
      speakerPersonId: item.speaker?.id,
      speakerOrganizationId: item.speakerOrganization?.id,
    }),
  choices: async (request, detail) => {
    const { locale } = workspaceFrame(request);
    const tree = await listOrganizationChoices(request.server.db, actorOf(request));
    return { people: attendeeOptions(locale, detail), organizations: organizationOptions(locale, tree) };
  },
  Fields: (props) => {
    const { locale, form, choices } = props;
    return (
      <>
        <TextAreaField name="subjectZh" label={localized(locale, '议题（中文）', 'Subject in Chinese')} form={form} rows={2} />
        <TextAreaField name="subjectEn" label={localized(locale, '议题（英文）', 'Subject in English')} form={form} rows={2} />
        <SelectField
          name="speakerPersonId"
          label={localized(locale, '发言人', 'Speaker')}
          hint={localized(locale, '从参加人员中选择。', 'One of the attendees.')}
          form={form}
          options={optional(choices.people ?? [], t(locale, 'none'))}
        />
        <SelectField
          name="speakerOrganizationId"
          label={localized(locale, '代表单位', 'Speaking for')}
          form={form}
          options={optional(choices.organizations ?? [], t(locale, 'none'))}
        />
      </>
    );
  },
  save: (request, detail, params, itemId, value) =>
    activityService.saveAgendaItem(request.server.db, actorOf(request), detail.id, params.partId ?? 0, itemId, { ...value, position: undefined }),
  ref: (params, itemId) => ({ part: 'agendaItem', sessionId: params.partId ?? 0, id: itemId }),
};

// ---------------------------------------------------------------------------------------------
// Attendees

/** The attendee form's search for people: narrows the choice of a person. */
function PeopleSearch(props: { locale: Locale; action: string; request: FastifyRequest }): VNode {
  const { locale } = props;
  const q = (props.request.query as { q?: unknown }).q;
  return (
    <form method="get" action={props.action} class="filters" role="search">
      <TextField
        name="q"
        type="search"
        label={localized(locale, '查找人员', 'Find a person')}
        hint={localized(locale, '输入姓名的一部分，缩小下面的人员选择范围。', 'Part of a name, to narrow the choice of a person below.')}
        form={formState({ q: typeof q === 'string' ? q : '' })}
      />
      <button type="submit">{t(locale, 'search')}</button>
    </form>
  );
}

const attendeePage: PartPage<typeof attendeeInput, Attendee> = {
  route: '/workspace/activities/:id/attendees',
  idParam: 'partId',
  href: (params) => `/workspace/activities/${params.id}/attendees`,
  anchor: 'attendees',
  schema: attendeeInput,
  title: (locale, attendee) => (attendee ? localized(locale, '修改参加人员', 'Change an attendee') : localized(locale, '添加参加人员', 'Add an attendee')),
  parts: (detail) => detail.attendees,
  label: (locale, attendee) =>
    attendee.person ? textIn(locale, attendee.person.nameZh, attendee.person.nameEn) : textIn(locale, attendee.titleZh, attendee.titleEn),
  defaults: () => formState({ role: 'member', status: 'invited' }),
  values: (_request, _detail, attendee) =>
    formState({
      personId: attendee.person?.id,
      organizationId: attendee.organization.id,
      titleZh: attendee.titleZh,
      titleEn: attendee.titleEn,
      role: attendee.role,
      status: attendee.status,
    }),
  choices: async (request, _detail, attendee) => {
    const { locale } = workspaceFrame(request);
    const actor = actorOf(request);
    const q = (request.query as { q?: unknown }).q;
    const [people, tree] = await Promise.all([
      listPeople(request.server.db, actor, { q: typeof q === 'string' && q.trim() !== '' ? q.trim().slice(0, 100) : undefined, limit: 200, offset: 0 }),
      listOrganizationChoices(request.server.db, actor),
    ]);
    const options = people.items.map((person) => ({ value: String(person.id), label: personLabel(person) }));
    // The person already listed stays a choice whatever the search.
    if (attendee?.person && !options.some((option) => option.value === String(attendee.person?.id))) {
      options.unshift({ value: String(attendee.person.id), label: personLabel(attendee.person) });
    }
    return { people: options, organizations: organizationOptions(locale, tree) };
  },
  Fields: (props) => {
    const { locale, form, choices } = props;
    return (
      <>
        <SelectField
          name="personId"
          label={t(locale, 'person')}
          hint={localized(locale, '未记录姓名的（如“负责同志”）：不选人员，填写组织和职务。', 'Where the record names nobody (say, "Head"): choose no person, give the organization and the post.')}
          form={form}
          options={optional(choices.people ?? [], localized(locale, '（未记录姓名）', '(name not recorded)'))}
        />
        <SelectField
          name="organizationId"
          label={t(locale, 'organization')}
          hint={localized(locale, '留空则取其当天所任职务所在的组织。', 'Empty: the organization of the posts she held that day.')}
          form={form}
          options={optional(choices.organizations ?? [], localized(locale, '（按当天职务）', '(from her posts that day)'))}
        />
        <div class="columns">
          <TextField
            name="titleZh"
            label={localized(locale, '职务（中文）', 'Post in Chinese')}
            hint={localized(locale, '两栏都留空，则取其活动当天所任职务；保存后不随职务变动而改变。', 'Both empty: the posts she held on the day, kept as they are even if her posts change later.')}
            form={form}
          />
          <TextField name="titleEn" label={localized(locale, '职务（英文）', 'Post in English')} form={form} />
        </div>
        <SelectField name="role" label={localized(locale, '身份', 'Role')} form={form} options={namedOptions(locale, attendeeRoleNames)} required />
        <SelectField name="status" label={localized(locale, '出席', 'Attendance')} form={form} options={namedOptions(locale, attendanceStatusNames)} required />
      </>
    );
  },
  Before: PeopleSearch,
  save: (request, detail, _params, partId, value) => activityService.saveAttendee(request.server.db, actorOf(request), detail.id, partId, { ...value, position: undefined }),
  ref: (_params, partId) => ({ part: 'attendee', id: partId }),
};

// ---------------------------------------------------------------------------------------------
// Follow-ups

const followUpPage: PartPage<typeof followUpInput, FollowUp> = {
  route: '/workspace/activities/:id/follow-ups',
  idParam: 'partId',
  href: (params) => `/workspace/activities/${params.id}/follow-ups`,
  anchor: 'follow-ups',
  schema: followUpInput,
  title: (locale, followUp) => (followUp ? localized(locale, '修改后续事项', 'Change a follow-up') : localized(locale, '添加后续事项', 'Add a follow-up')),
  parts: (detail) => detail.followUps,
  label: (locale, followUp) => textIn(locale, followUp.actionZh, followUp.actionEn),
  defaults: (detail) => formState({ status: 'open', ownerOrganizationId: detail.organizers[0]?.id }),
  values: (_request, _detail, followUp) =>
    formState({
      actionZh: followUp.actionZh,
      actionEn: followUp.actionEn,
      ownerOrganizationId: followUp.ownerOrganization.id,
      ownerPersonId: followUp.ownerPerson?.id,
      dueOn: followUp.dueOn,
      status: followUp.status,
    }),
  choices: async (request, detail) => {
    const { locale } = workspaceFrame(request);
    const tree = await listOrganizationChoices(request.server.db, actorOf(request));
    return { people: attendeeOptions(locale, detail), organizations: organizationOptions(locale, tree) };
  },
  Fields: (props) => {
    const { locale, form, choices } = props;
    return (
      <>
        <div class="columns">
          <TextAreaField name="actionZh" label={localized(locale, '事项（中文）', 'Action in Chinese')} form={form} rows={2} />
          <TextAreaField name="actionEn" label={localized(locale, '事项（英文）', 'Action in English')} form={form} rows={2} />
        </div>
        <SelectField name="ownerOrganizationId" label={localized(locale, '负责单位', 'Owner')} form={form} options={choices.organizations ?? []} required />
        <SelectField
          name="ownerPersonId"
          label={localized(locale, '负责人', 'Person responsible')}
          hint={localized(locale, '从参加人员中选择；可不选。', 'One of the attendees; optional.')}
          form={form}
          options={optional(choices.people ?? [], t(locale, 'none'))}
        />
        <TextField name="dueOn" type="date" label={localized(locale, '期限', 'Due')} form={form} />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={form} options={namedOptions(locale, followUpStatusNames)} required />
      </>
    );
  },
  save: (request, detail, _params, partId, value) => activityService.saveFollowUp(request.server.db, actorOf(request), detail.id, partId, { ...value, position: undefined }),
  ref: (_params, partId) => ({ part: 'followUp', id: partId }),
};

// ---------------------------------------------------------------------------------------------
// Routes

/** The workspace pages of an activity's parts: add, change, move and remove stops, sessions, agenda items, attendees, follow-ups. */
export const activityPartPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  function register<S extends z.ZodType, P extends { id: number }>(page: PartPage<S, P>): void {
    const one = `${page.route}/:${page.idParam}`;

    /** The activity (which the actor must be able to change) and the parts of this kind on it. */
    async function load(request: FastifyRequest, params: PartPageParams) {
      const detail = await activityService.getActivityDetail(app.db, actorOf(request), params.id);
      await activityService.assertMayEditActivity(app.db, actorOf(request), detail);
      const parts = page.parts(detail, params);
      if (!parts) throw notFound();
      const partId = params[page.idParam];
      const part = partId === undefined ? undefined : parts.find((entry) => entry.id === partId);
      if (partId !== undefined && !part) throw notFound();
      return { detail, part };
    }

    async function sendForm(request: FastifyRequest, reply: FastifyReply, params: PartPageParams, detail: ActivityDetail, part: P | undefined, form: FormState, status: number) {
      const frame = workspaceFrame(request);
      const choices = await page.choices(request, detail, part);
      const base = page.href(params);
      const action = part ? `${base}/${part.id}` : base;
      const Fields = page.Fields;
      return sendWorkspacePage(
        reply,
        <ActivityFormPage
          frame={frame}
          title={page.title(frame.locale, part)}
          form={form}
          action={action}
          back={`/workspace/activities/${detail.id}#${page.anchor}`}
          activity={detail}
          before={page.Before ? <page.Before locale={frame.locale} action={part ? `${action}/edit` : `${base}/new`} request={request} /> : null}
        >
          <Fields locale={frame.locale} form={form} choices={choices} />
        </ActivityFormPage>,
        status,
      );
    }

    async function save(request: FastifyRequest, reply: FastifyReply, params: PartPageParams) {
      const { locale } = workspaceFrame(request);
      const { detail, part } = await load(request, params);
      const body = withLists(request.body, page.lists ?? []);
      const parsed = parseForm(page.schema, body, locale);
      if (!parsed.ok) return sendForm(request, reply, params, detail, part, localizeForm(parsed.form, locale), 400);
      try {
        await page.save(request, detail, params, part?.id, parsed.value);
      } catch (error) {
        const form = formWithServiceError(submittedValues(body), error, locale, page.renames);
        if (!form) throw error;
        return sendForm(request, reply, params, detail, part, form, (error as DomainError).status);
      }
      return reply.redirect(`/workspace/activities/${detail.id}#${page.anchor}`, 303);
    }

    function ConfirmRemoval(props: { request: FastifyRequest; params: PartPageParams; detail: ActivityDetail; part: P; error?: string }): VNode {
      const frame = workspaceFrame(props.request);
      const name = page.label(frame.locale, props.part);
      return (
        <ConfirmPage
          frame={frame}
          area="activities"
          title={`${t(frame.locale, 'delete')}: ${name}`}
          text={t(frame.locale, 'confirmDelete', { name })}
          action={`${page.href(props.params)}/${props.part.id}/delete`}
          back={`/workspace/activities/${props.detail.id}#${page.anchor}`}
          button={t(frame.locale, 'delete')}
          error={props.error}
        />
      );
    }

    app.get(`${page.route}/new`, { schema: { params: partPageParams } }, async (request, reply) => {
      const { detail } = await load(request, request.params);
      return sendForm(request, reply, request.params, detail, undefined, page.defaults(detail), 200);
    });

    app.post(page.route, { schema: { params: partPageParams } }, async (request, reply) => save(request, reply, request.params));

    app.get(`${one}/edit`, { schema: { params: partPageParams } }, async (request, reply) => {
      const { detail, part } = await load(request, request.params);
      if (!part) throw notFound();
      return sendForm(request, reply, request.params, detail, part, await page.values(request, detail, part), 200);
    });

    app.post(one, { schema: { params: partPageParams } }, async (request, reply) => save(request, reply, request.params));

    app.post(`${one}/move`, { schema: { params: partPageParams } }, async (request, reply) => {
      const { detail, part } = await load(request, request.params);
      const parsed = parseForm(moveForm, request.body, workspaceFrame(request).locale);
      if (!part || !parsed.ok) throw new DomainError(400, 'bad_request', 'Move it up or down.');
      await activityService.movePart(app.db, actorOf(request), detail.id, page.ref(request.params, part.id), parsed.value.direction);
      return reply.redirect(`/workspace/activities/${detail.id}#${page.anchor}`, 303);
    });

    app.get(`${one}/delete`, { schema: { params: partPageParams } }, async (request, reply) => {
      const { detail, part } = await load(request, request.params);
      if (!part) throw notFound();
      return sendWorkspacePage(reply, <ConfirmRemoval request={request} params={request.params} detail={detail} part={part} />);
    });

    app.post(`${one}/delete`, { schema: { params: partPageParams } }, async (request, reply) => {
      const { detail, part } = await load(request, request.params);
      if (!part) throw notFound();
      try {
        await activityService.removePart(app.db, actorOf(request), detail.id, page.ref(request.params, part.id));
      } catch (error) {
        const text = refusalText(error, workspaceFrame(request).locale);
        if (text === undefined) throw error;
        return sendWorkspacePage(reply, <ConfirmRemoval request={request} params={request.params} detail={detail} part={part} error={text} />, (error as DomainError).status);
      }
      return reply.redirect(`/workspace/activities/${detail.id}#${page.anchor}`, 303);
    });
  }

  register(stopPage);
  register(sessionPage);
  register(agendaItemPage);
  register(attendeePage);
  register(followUpPage);
};
