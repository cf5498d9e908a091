import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import type { z } from 'zod';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import {
  CsrfField,
  FormErrorSummary,
  formState,
  parseForm,
  SelectField,
  TextAreaField,
  TextField,
  type FormState,
} from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { addOrganizationPageSection, organizationName, organizationOptions } from '../organizations/organization.pages.tsx';
import type { OrganizationDetail } from '../organizations/organization.service.ts';
import * as personService from './person.service.ts';
import type { ExecutiveMember, Names, Person, PersonDetail, Position, Post } from './person.service.ts';
import {
  endsBeforeStartMessage,
  executiveMembersQuery,
  onDateQuery,
  personInput,
  personParams,
  personPositionParams,
  personQuery,
  positionEndForm,
  positionForm,
  positionKinds,
} from './person.schema.ts';

const pageSize = 50;

type Option = { value: string; label: string };

/** A person's name in the reader's language. */
export function personName(locale: Locale, person: Names): string {
  return localized(locale, person.nameZh, person.nameEn);
}

/** A unit's name with its parent's, so that "党组" of BWF and of TWF read apart. */
function unitLabel(locale: Locale, unit: Names & { parent: Names | null }): string {
  const name = organizationName(locale, unit);
  return unit.parent ? `${organizationName(locale, unit.parent)} › ${name}` : name;
}

function postTitle(locale: Locale, post: { titleZh: string; titleEn: string }): string {
  return localized(locale, post.titleZh, post.titleEn);
}

function kindOptions(locale: Locale, emptyLabel?: string): Option[] {
  const options = positionKinds.map((kind) => ({ value: kind, label: t(locale, `postKind_${kind}`) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

function statusLabel(locale: Locale, status: Post['status']): string {
  return {
    current: localized(locale, '现任', 'Held'),
    coming: localized(locale, '尚未开始', 'Not begun'),
    ended: localized(locale, '已结束', 'Ended'),
  }[status];
}

/** Drops empty query values, which a GET form sends for every untouched field. */
function submittedQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '' && value !== undefined));
}

/** Puts the date-order message in the reader's language. */
function localizeForm(form: FormState, locale: Locale): FormState {
  const errors = Object.fromEntries(
    Object.entries(form.errors).map(([field, message]) => [
      field,
      message === endsBeforeStartMessage ? localized(locale, '终止日期早于起始日期。', endsBeforeStartMessage) : message,
    ]),
  );
  return { values: form.values, errors };
}

/** Puts a service's refusal of a form's content beside the field it concerns; a 404 stays a 404. */
function formWithServiceError(form: FormState, error: unknown, locale: Locale): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error.code === 'dates' ? 'endsOn' : '_form';
  return localizeForm({ values: form.values, errors: { ...form.errors, [field]: error.message } }, locale);
}

function DateCell(props: { locale: Locale; date: string | null; open: 'start' | 'end' }): VNode {
  if (props.date) return <time datetime={props.date}>{props.date}</time>;
  return <span class="muted">{t(props.locale, props.open === 'start' ? 'dateNotKnown' : 'stillHeld')}</span>;
}

// ---------------------------------------------------------------------------------------------
// Views

function ListView(props: {
  frame: WorkspaceFrame;
  page: Awaited<ReturnType<typeof personService.listPeople>>;
  posts: Map<number, Post[]>;
  day: string;
  filters: FormState;
  organizations: Option[];
  mayCreate: boolean;
}): VNode {
  const { frame, page } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="people" title={t(locale, 'people')}>
      <h1>{t(locale, 'people')}</h1>
      <FormErrorSummary form={props.filters} locale={locale} />
      <form method="get" action="/workspace/people" class="filters" role="search">
        <TextField name="q" type="search" label={t(locale, 'search')} form={props.filters} />
        <SelectField name="organizationId" label={t(locale, 'organization')} form={props.filters} options={props.organizations} />
        <SelectField name="kind" label={t(locale, 'kind')} form={props.filters} options={kindOptions(locale, t(locale, 'all'))} />
        <TextField name="on" type="date" label={localized(locale, '在任日期', 'Holding a post on')} form={props.filters} />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="actions">
        {props.mayCreate ? (
          <a class="button" href="/workspace/people/new">
            {t(locale, 'create')}
          </a>
        ) : null}
        <span class="muted">{localized(locale, `共 ${page.total} 人`, `${page.total} in all`)}</span>
      </p>
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(locale, 'person')}</th>
              <th scope="col">{localized(locale, `${props.day} 在任职务`, `Posts held on ${props.day}`)}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((person) => (
              <tr>
                <td>
                  <a href={`/workspace/people/${person.id}`}>{personName(locale, person)}</a>
                  {person.nameZh !== person.nameEn ? <span class="muted"> · {locale === 'zh' ? person.nameEn : person.nameZh}</span> : null}
                </td>
                <td>
                  {(props.posts.get(person.id) ?? []).map((post, index) => (
                    <>
                      {index > 0 ? <br /> : null}
                      {postTitle(locale, post)}
                      <span class="muted"> · {unitLabel(locale, post.unit)}</span>
                    </>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => listHref(props.filters, offset)} />
    </WorkspaceLayout>
  );
}

function listHref(filters: FormState, offset: number): string {
  return listPageHref('/workspace/people', filters.values, offset);
}

function PostsTable(props: { locale: Locale; posts: Post[]; personId: number }): VNode {
  const { locale } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t(locale, 'organization')}</th>
          <th scope="col">{t(locale, 'postTitle')}</th>
          <th scope="col">{t(locale, 'kind')}</th>
          <th scope="col">{t(locale, 'startsOn')}</th>
          <th scope="col">{t(locale, 'endsOn')}</th>
          <th scope="col">{localized(locale, '状态', 'Standing')}</th>
          <th scope="col">
            <span class="muted">{t(locale, 'action')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.posts.map((post) => {
          const base = `/workspace/people/${props.personId}/positions/${post.id}`;
          return (
            <tr id={`position-${post.id}`}>
              <td>
                <a href={`/workspace/organizations/${post.organizationId}`}>{unitLabel(locale, post.unit)}</a>
              </td>
              <td>{postTitle(locale, post)}</td>
              <td>{t(locale, `postKind_${post.kind}`)}</td>
              <td>
                <DateCell locale={locale} date={post.startsOn} open="start" />
              </td>
              <td>
                <DateCell locale={locale} date={post.endsOn} open="end" />
              </td>
              <td>{statusLabel(locale, post.status)}</td>
              <td>
                {post.editable ? (
                  <span class="actions">
                    <a href={`${base}/edit`}>{t(locale, 'edit')}</a>
                    {post.endsOn === null ? <a href={`${base}/end`}>{localized(locale, '卸任', 'End')}</a> : null}
                    <a href={`${base}/delete`}>{t(locale, 'delete')}</a>
                  </span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DetailView(props: { frame: WorkspaceFrame; person: PersonDetail; notice?: string }): VNode {
  const { frame, person } = props;
  const { locale } = frame;
  const name = personName(locale, person);
  return (
    <WorkspaceLayout frame={frame} area="people" title={name} notice={props.notice}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/people">{t(locale, 'people')}</a>
      </nav>
      <h1>{name}</h1>
      <dl class="facts">
        <dt>{localized(locale, '中文姓名', 'Name in Chinese')}</dt>
        <dd lang="zh-CN">{person.nameZh}</dd>
        <dt>{localized(locale, '英文姓名', 'Name in English')}</dt>
        <dd lang="en">{person.nameEn}</dd>
        <dt>{localized(locale, '档案所属组织', 'Record kept by')}</dt>
        <dd>
          <a href={`/workspace/organizations/${person.organization.id}`}>{unitLabel(locale, person.organization)}</a>
        </dd>
        {person.notes ? (
          <>
            <dt>{localized(locale, '备注', 'Notes')}</dt>
            <dd style="white-space:pre-line">{person.notes}</dd>
          </>
        ) : null}
      </dl>
      {person.editable ? (
        <p class="actions">
          <a class="button" href={`/workspace/people/${person.id}/edit`}>
            {t(locale, 'edit')}
          </a>
          <a href={`/workspace/people/${person.id}/delete`}>{t(locale, 'delete')}</a>
        </p>
      ) : null}
      <h2 id="positions">{localized(locale, `${name} 担任过的全部职务`, `Everything ${name} has held`)}</h2>
      {person.mayAddPosts ? (
        <p class="actions">
          <a class="button" href={`/workspace/people/${person.id}/positions/new`}>
            {localized(locale, '添加职务', 'Add a post')}
          </a>
        </p>
      ) : null}
      {person.posts.length > 0 ? <PostsTable locale={locale} posts={person.posts} personId={person.id} /> : <p class="muted">{t(locale, 'noResults')}</p>}
      <p>
        <a href={`/workspace/people/${person.id}/duty-record`}>{localized(locale, '年度履职记录', 'Duty record for the year')}</a>
      </p>
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=person&entityId=${person.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}

function PersonFormView(props: { frame: WorkspaceFrame; form: FormState; person?: Person; organizations: Option[] }): VNode {
  const { frame, form, person } = props;
  const { locale } = frame;
  const title = person ? `${t(locale, 'edit')}: ${personName(locale, person)}` : localized(locale, '新建人员', 'New person');
  return (
    <WorkspaceLayout frame={frame} area="people" title={title}>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={person ? `/workspace/people/${person.id}` : '/workspace/people'} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField
          name="nameZh"
          label={localized(locale, '中文姓名', 'Name in Chinese')}
          hint={localized(locale, '只知道拼音姓名时，两处都填拼音。', 'Where only a romanized name is known, enter it in both.')}
          form={form}
          required
        />
        <TextField name="nameEn" label={localized(locale, '英文姓名', 'Name in English')} form={form} required />
        <SelectField name="organizationId" label={localized(locale, '档案所属组织', 'Record kept by')} form={form} options={props.organizations} required />
        <TextAreaField name="notes" label={localized(locale, '备注', 'Notes')} form={form} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={person ? `/workspace/people/${person.id}` : '/workspace/people'}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function PositionFormView(props: { frame: WorkspaceFrame; form: FormState; person: Person; position?: Position; organizations: Option[] }): VNode {
  const { frame, form, person, position } = props;
  const { locale } = frame;
  const name = personName(locale, person);
  const title = position
    ? `${t(locale, 'edit')}: ${postTitle(locale, position)} · ${name}`
    : localized(locale, `为 ${name} 添加职务`, `Add a post for ${name}`);
  const base = `/workspace/people/${person.id}/positions`;
  return (
    <WorkspaceLayout frame={frame} area="people" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/people">{t(locale, 'people')}</a>
        {' › '}
        <a href={`/workspace/people/${person.id}`}>{name}</a>
      </nav>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={position ? `${base}/${position.id}` : base} novalidate>
        <CsrfField token={frame.csrfToken} />
        <SelectField name="organizationId" label={t(locale, 'organization')} form={form} options={props.organizations} required />
        <TextField name="titleZh" label={localized(locale, '职务名称（中文）', 'Title in Chinese')} form={form} required />
        <TextField name="titleEn" label={localized(locale, '职务名称（英文）', 'Title in English')} form={form} required />
        <SelectField name="kind" label={t(locale, 'kind')} form={form} options={kindOptions(locale)} required />
        <TextField
          name="startsOn"
          type="date"
          label={t(locale, 'startsOn')}
          hint={localized(locale, '不详可留空。', 'Leave empty when not known.')}
          form={form}
        />
        <TextField name="endsOn" type="date" label={t(locale, 'endsOn')} hint={localized(locale, '仍在任则留空。', 'Leave empty while the post is held.')} form={form} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={`/workspace/people/${person.id}`}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function EndPositionView(props: { frame: WorkspaceFrame; form: FormState; person: Person; position: Position }): VNode {
  const { frame, form, person, position } = props;
  const { locale } = frame;
  const title = `${localized(locale, '卸任', 'End a post')}: ${postTitle(locale, position)} · ${personName(locale, person)}`;
  return (
    <WorkspaceLayout frame={frame} area="people" title={title}>
      <h1>{title}</h1>
      <p>
        {localized(
          locale,
          '卸任后，该职务仍保留在此人的履历中，但不再计入此后日期的在任名单。',
          'The post stays on the person’s record, and drops out of the lists of posts held after that day.',
        )}
      </p>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={`/workspace/people/${person.id}/positions/${position.id}/end`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="endsOn" type="date" label={t(locale, 'endsOn')} form={form} required />
        <p class="actions">
          <button class="primary" type="submit">
            {localized(locale, '卸任', 'End the post')}
          </button>
          <a href={`/workspace/people/${person.id}`}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function PostsHeldSection(props: { locale: Locale; organization: OrganizationDetail; posts: Post[]; form: FormState; day: string; isToday: boolean }): VNode {
  const { locale, organization } = props;
  const heading = props.isToday ? localized(locale, '今日在任职务', 'Posts held today') : localized(locale, `${props.day} 在任职务`, `Posts held on ${props.day}`);
  return (
    <section aria-labelledby="posts-held">
      <h2 id="posts-held">{heading}</h2>
      <form method="get" action={`/workspace/organizations/${organization.id}`} class="filters">
        <TextField name="on" type="date" label={t(locale, 'onDate')} form={props.form} />
        <button class="primary" type="submit">
          {localized(locale, '查看', 'Show')}
        </button>
      </form>
      {props.posts.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '单位', 'Unit')}</th>
              <th scope="col">{t(locale, 'person')}</th>
              <th scope="col">{t(locale, 'postTitle')}</th>
              <th scope="col">{t(locale, 'kind')}</th>
              <th scope="col">{t(locale, 'startsOn')}</th>
              <th scope="col">{t(locale, 'endsOn')}</th>
            </tr>
          </thead>
          <tbody>
            {props.posts.map((post) => (
              <tr>
                <td>
                  {post.organizationId === organization.id ? (
                    organizationName(locale, post.unit)
                  ) : (
                    <a href={`/workspace/organizations/${post.organizationId}`}>{organizationName(locale, post.unit)}</a>
                  )}
                </td>
                <td>
                  <a href={`/workspace/people/${post.personId}`}>{personName(locale, post.person)}</a>
                </td>
                <td>{postTitle(locale, post)}</td>
                <td>{t(locale, `postKind_${post.kind}`)}</td>
                <td>
                  <DateCell locale={locale} date={post.startsOn} open="start" />
                </td>
                <td>
                  <DateCell locale={locale} date={post.endsOn} open="end" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
    </section>
  );
}

function ExecutiveMembersView(props: {
  frame: WorkspaceFrame;
  form: FormState;
  federations: Option[];
  organization?: { id: number; name_zh: string; name_en: string };
  members: ExecutiveMember[];
  day: string;
}): VNode {
  const { frame, organization } = props;
  const { locale } = frame;
  return (
    <WorkspaceLayout frame={frame} area="executiveMembers" title={t(locale, 'executiveMembers')}>
      <h1>{localized(locale, '执行委员会委员', 'Executive committee members')}</h1>
      <FormErrorSummary form={props.form} locale={locale} />
      <form method="get" action="/workspace/executive-members" class="filters">
        <SelectField name="organization" label={localized(locale, '妇联', 'Federation')} form={props.form} options={props.federations} />
        <TextField name="on" type="date" label={t(locale, 'onDate')} form={props.form} />
        <button class="primary" type="submit">
          {localized(locale, '查看', 'Show')}
        </button>
      </form>
      {organization ? (
        <>
          <h2>
            <a href={`/workspace/organizations/${organization.id}`}>{organizationName(locale, organization)}</a>
            {localized(locale, ` · ${props.day}`, ` on ${props.day}`)}
          </h2>
          {props.members.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t(locale, 'person')}</th>
                  <th scope="col">{localized(locale, `${props.day} 在任职务`, `Posts held on ${props.day}`)}</th>
                </tr>
              </thead>
              <tbody>
                {props.members.map((member) => (
                  <tr>
                    <td>
                      <a href={`/workspace/people/${member.id}`}>{personName(locale, member)}</a>
                      <br />
                      <a class="muted" href={`/workspace/people/${member.id}/duty-record?year=${props.day.slice(0, 4)}`}>
                        {localized(locale, `${props.day.slice(0, 4)} 年度履职记录`, `Duty record ${props.day.slice(0, 4)}`)}
                      </a>
                    </td>
                    <td>
                      <ul>
                        {member.posts.map((post) => (
                          <li>
                            {postTitle(locale, post)}
                            {' · '}
                            <a href={`/workspace/organizations/${post.organizationId}`}>{unitLabel(locale, post.unit)}</a>
                            <span class="muted"> · {t(locale, `postKind_${post.kind}`)}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{t(locale, 'noResults')}</p>
          )}
        </>
      ) : null}
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// The organization page's section: who holds which posts there, today or on a chosen day.

addOrganizationPageSection(async (request, organization, locale) => {
  const parsed = onDateQuery.safeParse(submittedQuery(request.query));
  const requested = parsed.success ? parsed.data.on : undefined;
  const todayDate = personService.today();
  const day = requested ?? todayDate;
  const form: FormState = parsed.success
    ? formState({ on: requested })
    : {
        values: { on: String((request.query as Record<string, unknown>).on ?? '') },
        errors: { on: localized(locale, '请输入有效日期（年-月-日）。', 'Enter a real date as YYYY-MM-DD.') },
      };
  const posts = await personService.listPostsHeldIn(request.server.db, actorOf(request), organization.id, day);
  return <PostsHeldSection locale={locale} organization={organization} posts={posts} form={form} day={day} isToday={requested === undefined} />;
});

// ---------------------------------------------------------------------------------------------
// Routes

/** The workspace pages of people, the posts they hold, and the executive committees. */
export const personPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  /** The organizations the actor may put records in, labelled with their parents. */
  async function editableOptions(request: FastifyRequest): Promise<Option[]> {
    const { tree, editableIds } = await personService.listOrganizationChoicesForEditing(app.db, actorOf(request));
    return organizationOptions(workspaceFrame(request).locale, tree).filter((option) => editableIds.has(Number(option.value)));
  }

  async function sendPersonForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, person?: Person) {
    const organizations = await editableOptions(request);
    if (organizations.length === 0) throw notFound();
    return sendWorkspacePage(reply, <PersonFormView frame={workspaceFrame(request)} form={form} person={person} organizations={organizations} />, status);
  }

  async function sendPositionForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, person: Person, position?: Position) {
    const organizations = await editableOptions(request);
    if (organizations.length === 0) throw notFound();
    return sendWorkspacePage(
      reply,
      <PositionFormView frame={workspaceFrame(request)} form={form} person={person} position={position} organizations={organizations} />,
      status,
    );
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const person = await personService.getPersonDetail(app.db, actorOf(request), id);
    return sendWorkspacePage(reply, <DetailView frame={workspaceFrame(request)} person={person} notice={notice} />);
  }

  app.get('/workspace/people', async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const { tree, editableIds } = await personService.listOrganizationChoicesForEditing(app.db, actor);
    const organizations = organizationOptions(locale, tree, t(locale, 'all'));
    const parsed = parseForm(personQuery, submittedQuery(request.query), locale);
    let query: z.infer<typeof personQuery>;
    let filters: FormState;
    if (parsed.ok) {
      query = { ...parsed.value, limit: pageSize };
      filters = formState({ q: query.q, organizationId: query.organizationId, kind: query.kind, on: query.on });
    } else {
      // A hand-made address with a wrong value: say which, and list nothing rather than guess.
      query = { limit: pageSize, offset: 0 };
      filters = parsed.form;
    }
    const page = parsed.ok ? await personService.listPeople(app.db, actor, query) : { items: [], total: 0, limit: pageSize, offset: 0 };
    const day = query.on ?? personService.today();
    const posts = await personService.listPostsHeldBy(app.db, actor, page.items.map((person) => person.id), day);
    return sendWorkspacePage(
      reply,
      <ListView frame={frame} page={page} posts={posts} day={day} filters={filters} organizations={organizations} mayCreate={editableIds.size > 0} />,
      parsed.ok ? 200 : 400,
    );
  });

  app.get('/workspace/people/new', async (request, reply) => {
    const options = await editableOptions(request);
    const wanted = submittedQuery(request.query).organizationId;
    const organizationId = options.find((option) => option.value === String(wanted))?.value ?? options[0]?.value;
    return sendPersonForm(request, reply, formState({ organizationId }), 200);
  });

  app.post('/workspace/people', async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const parsed = parseForm(personInput, request.body, locale);
    if (!parsed.ok) return sendPersonForm(request, reply, parsed.form, 400);
    try {
      const created = await personService.createPerson(app.db, actorOf(request), parsed.value);
      return reply.redirect(`/workspace/people/${created.id}`, 303);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendPersonForm(request, reply, form, (error as DomainError).status);
    }
  });

  app.get('/workspace/people/:id', { schema: { params: personParams } }, async (request, reply) => sendDetail(request, reply, request.params.id));

  app.get('/workspace/people/:id/edit', { schema: { params: personParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const person = await personService.getPerson(app.db, actor, request.params.id);
    await personService.assertMayEditPerson(app.db, actor, person);
    return sendPersonForm(request, reply, formState({ nameZh: person.nameZh, nameEn: person.nameEn, organizationId: person.organizationId, notes: person.notes }), 200, person);
  });

  app.post('/workspace/people/:id', { schema: { params: personParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const person = await personService.getPerson(app.db, actor, request.params.id);
    await personService.assertMayEditPerson(app.db, actor, person);
    const parsed = parseForm(personInput, request.body, locale);
    if (!parsed.ok) return sendPersonForm(request, reply, parsed.form, 400, person);
    try {
      await personService.updatePerson(app.db, actor, person.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendPersonForm(request, reply, form, (error as DomainError).status, person);
    }
    return sendDetail(request, reply, person.id, t(locale, 'saved'));
  });

  app.get('/workspace/people/:id/delete', { schema: { params: personParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const person = await personService.getPersonDetail(app.db, actor, request.params.id);
    await personService.assertMayEditPerson(app.db, actor, person);
    const name = personName(locale, person);
    const text =
      t(locale, 'confirmDelete', { name }) +
      (person.posts.length > 0
        ? localized(locale, ` 其 ${person.posts.length} 项职务记录将一并删除。`, ` Their ${person.posts.length} post(s) will be deleted with them.`)
        : '');
    return sendWorkspacePage(
      reply,
      <ConfirmPage
        area="people"
        frame={frame}
        title={`${t(locale, 'delete')}: ${name}`}
        text={text}
        action={`/workspace/people/${person.id}/delete`}
        back={`/workspace/people/${person.id}`}
        button={t(locale, 'delete')}
      />,
    );
  });

  app.post('/workspace/people/:id/delete', { schema: { params: personParams } }, async (request, reply) => {
    await personService.deletePerson(app.db, actorOf(request), request.params.id);
    return reply.redirect('/workspace/people', 303);
  });

  // Posts, from the holder's page.

  app.get('/workspace/people/:id/positions/new', { schema: { params: personParams } }, async (request, reply) => {
    const person = await personService.getPerson(app.db, actorOf(request), request.params.id);
    const options = await editableOptions(request);
    const organizationId = options.find((option) => option.value === String(person.organizationId))?.value ?? options[0]?.value;
    return sendPositionForm(request, reply, formState({ organizationId, kind: 'leader' }), 200, person);
  });

  app.post('/workspace/people/:id/positions', { schema: { params: personParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const person = await personService.getPerson(app.db, actor, request.params.id);
    const parsed = parseForm(positionForm, request.body, locale);
    if (!parsed.ok) return sendPositionForm(request, reply, localizeForm(parsed.form, locale), 400, person);
    try {
      const created = await personService.createPosition(app.db, actor, { ...parsed.value, personId: person.id });
      return reply.redirect(`/workspace/people/${person.id}#position-${created.id}`, 303);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendPositionForm(request, reply, form, (error as DomainError).status, person);
    }
  });

  async function editablePositionOf(request: FastifyRequest, params: { id: number; positionId: number }) {
    const actor = actorOf(request);
    const person = await personService.getPerson(app.db, actor, params.id);
    const position = await personService.getPositionOfPerson(app.db, actor, person.id, params.positionId);
    await personService.assertMayEditPosition(app.db, actor, position);
    return { person, position };
  }

  app.get('/workspace/people/:id/positions/:positionId/edit', { schema: { params: personPositionParams } }, async (request, reply) => {
    const { person, position } = await editablePositionOf(request, request.params);
    const form = formState({
      organizationId: position.organizationId,
      titleZh: position.titleZh,
      titleEn: position.titleEn,
      kind: position.kind,
      startsOn: position.startsOn,
      endsOn: position.endsOn,
    });
    return sendPositionForm(request, reply, form, 200, person, position);
  });

  app.post('/workspace/people/:id/positions/:positionId', { schema: { params: personPositionParams } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const { person, position } = await editablePositionOf(request, request.params);
    const parsed = parseForm(positionForm, request.body, locale);
    if (!parsed.ok) return sendPositionForm(request, reply, localizeForm(parsed.form, locale), 400, person, position);
    try {
      await personService.updatePosition(app.db, actorOf(request), position.id, parsed.value);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendPositionForm(request, reply, form, (error as DomainError).status, person, position);
    }
    return reply.redirect(`/workspace/people/${person.id}#position-${position.id}`, 303);
  });

  app.get('/workspace/people/:id/positions/:positionId/end', { schema: { params: personPositionParams } }, async (request, reply) => {
    const { person, position } = await editablePositionOf(request, request.params);
    const form = formState({ endsOn: position.endsOn ?? personService.today() });
    return sendWorkspacePage(reply, <EndPositionView frame={workspaceFrame(request)} form={form} person={person} position={position} />);
  });

  app.post('/workspace/people/:id/positions/:positionId/end', { schema: { params: personPositionParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { person, position } = await editablePositionOf(request, request.params);
    const parsed = parseForm(positionEndForm, request.body, frame.locale);
    const resend = (form: FormState, status: number) =>
      sendWorkspacePage(reply, <EndPositionView frame={frame} form={form} person={person} position={position} />, status);
    if (!parsed.ok) return resend(parsed.form, 400);
    try {
      await personService.endPosition(app.db, actorOf(request), position.id, parsed.value.endsOn);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, frame.locale);
      if (!form) throw error;
      return resend(form, (error as DomainError).status);
    }
    return reply.redirect(`/workspace/people/${person.id}#position-${position.id}`, 303);
  });

  app.get('/workspace/people/:id/positions/:positionId/delete', { schema: { params: personPositionParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const { person, position } = await editablePositionOf(request, request.params);
    const name = `${postTitle(locale, position)} · ${personName(locale, person)}`;
    return sendWorkspacePage(
      reply,
      <ConfirmPage
        area="people"
        frame={frame}
        title={`${t(locale, 'delete')}: ${name}`}
        text={`${t(locale, 'confirmDelete', { name })} ${localized(locale, '若只是卸任，请改用“卸任”，以保留履历。', 'If the post has only ended, end it instead: that keeps it on the record.')}`}
        action={`/workspace/people/${person.id}/positions/${position.id}/delete`}
        back={`/workspace/people/${person.id}`}
        button={t(locale, 'delete')}
      />,
    );
  });

  app.post('/workspace/people/:id/positions/:positionId/delete', { schema: { params: personPositionParams } }, async (request, reply) => {
    const { person, position } = await editablePositionOf(request, request.params);
    await personService.deletePosition(app.db, actorOf(request), position.id);
    return reply.redirect(`/workspace/people/${person.id}#positions`, 303);
  });

  // The executive committee of a federation.

  app.get('/workspace/executive-members', async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const { tree, federations } = await personService.listFederationChoices(app.db, actor);
    const federationOptions = organizationOptions(locale, tree).filter((option) => federations.some((federation) => String(federation.id) === option.value));
    const parsed = parseForm(executiveMembersQuery, submittedQuery(request.query), locale);
    if (!parsed.ok) {
      return sendWorkspacePage(
        reply,
        <ExecutiveMembersView frame={frame} form={parsed.form} federations={federationOptions} members={[]} day={personService.today()} />,
        400,
      );
    }
    const organizationId = parsed.value.organization ?? (await personService.defaultFederationId(app.db, actor));
    const organization = tree.find((choice) => choice.id === organizationId);
    const day = parsed.value.on ?? personService.today();
    if (parsed.value.organization !== undefined && !organization) throw notFound();
    const members = organization ? await personService.listExecutiveMembers(app.db, actor, organization.id, day) : [];
    return sendWorkspacePage(
      reply,
      <ExecutiveMembersView
        frame={frame}
        form={formState({ organization: organization?.id, on: parsed.value.on })}
        federations={federationOptions}
        organization={organization}
        members={members}
        day={day}
      />,
    );
  });
};
