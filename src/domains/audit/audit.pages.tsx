import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { formState, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { formatDateTime } from '../../platform/time.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import * as auditService from './audit.service.ts';
import type { AuditEvent, AuditEventPage } from './audit.service.ts';
import { auditQuery } from './audit.schema.ts';

const pageSize = 50;

const entityTypeLabels: Record<string, [zh: string, en: string]> = {
  organization: ['组织', 'Organization'],
  person: ['人员', 'Person'],
  position: ['职务', 'Post'],
  user_account: ['账户', 'Account'],
  api_token: ['API 令牌', 'API token'],
  place: ['地点', 'Place'],
  facility: ['服务阵地', 'Facility'],
  facility_kind: ['阵地类型', 'Kind of facility'],
  service_type: ['服务类型', 'Kind of service'],
  activity: ['活动', 'Activity'],
  document: ['文件', 'Document'],
  document_file: ['文件 PDF', 'Document PDF'],
  measure: ['措施', 'Measure'],
  commitment: ['任务', 'Commitment'],
  progress_update: ['进展', 'Progress update'],
  work_dimension: ['工作维度', 'Work dimension'],
  site: ['网站', 'Site'],
  section: ['栏目', 'Section'],
  article: ['更新稿件', 'Update'],
  media: ['图片', 'Image'],
};

const actionLabels: Record<string, [zh: string, en: string]> = {
  create: ['创建', 'Created'],
  update: ['修改', 'Changed'],
  delete: ['删除', 'Deleted'],
  sign_in: ['登录', 'Signed in'],
  sign_out_elsewhere: ['退出其他会话', 'Signed out elsewhere'],
  change_password: ['修改密码', 'Changed password'],
  reset_password: ['重置密码', 'Reset the password'],
  set_role: ['设置角色', 'Set a role'],
  remove_role: ['移除角色', 'Removed a role'],
  disable: ['停用账户', 'Disabled the account'],
  enable: ['启用账户', 'Enabled the account'],
  revoke: ['撤销', 'Revoked'],
  verify: ['核实', 'Verified'],
  change_organizers: ['修改主办单位', 'Changed the organizers'],
  change_photos: ['修改照片', 'Changed the photos'],
  add_stop: ['添加行程站点', 'Added a stop'],
  change_stop: ['修改行程站点', 'Changed a stop'],
  move_stop: ['调整行程顺序', 'Moved a stop'],
  remove_stop: ['删除行程站点', 'Removed a stop'],
  add_session: ['添加会议环节', 'Added a session'],
  change_session: ['修改会议环节', 'Changed a session'],
  move_session: ['调整会议环节顺序', 'Moved a session'],
  remove_session: ['删除会议环节', 'Removed a session'],
  add_agenda_item: ['添加议程', 'Added an agenda item'],
  change_agenda_item: ['修改议程', 'Changed an agenda item'],
  move_agenda_item: ['调整议程顺序', 'Moved an agenda item'],
  remove_agenda_item: ['删除议程', 'Removed an agenda item'],
  add_attendee: ['添加参加人员', 'Added an attendee'],
  change_attendee: ['修改参加人员', 'Changed an attendee'],
  move_attendee: ['调整参加人员顺序', 'Moved an attendee'],
  remove_attendee: ['删除参加人员', 'Removed an attendee'],
  add_follow_up: ['添加后续事项', 'Added a follow-up'],
  change_follow_up: ['修改后续事项', 'Changed a follow-up'],
  move_follow_up: ['调整后续事项顺序', 'Moved a follow-up'],
  remove_follow_up: ['删除后续事项', 'Removed a follow-up'],
  add_measure: ['添加落实的措施', 'Added a measure it carries out'],
  remove_measure: ['移除落实的措施', 'Removed a measure it carries out'],
  restore: ['恢复旧版本', 'Restored a revision'],
  submit: ['提交审核', 'Submitted for review'],
  approve: ['审核通过', 'Approved'],
  send_back: ['退回', 'Sent back'],
  publish: ['发布', 'Published'],
  unpublish: ['撤下', 'Unpublished'],
  archive: ['归档', 'Archived'],
  reopen: ['重新打开', 'Reopened'],
};

function labelOf(labels: Record<string, [string, string]>, locale: Locale, key: string): string {
  const label = labels[key];
  return label ? localized(locale, label[0], label[1]) : key;
}

/** A stored value as the log shows it: text as is, absence as a dash, anything else as JSON. */
function shownValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The address of the audit log filtered as given. */
export function auditHref(filters: Record<string, string | number | undefined>, offset = 0): string {
  return listPageHref('/workspace/audit', filters, offset);
}

function RecordCell(props: { locale: Locale; event: AuditEvent }): VNode {
  const { locale, event } = props;
  const label = `${labelOf(entityTypeLabels, locale, event.entityType)} #${event.entityId}`;
  const { record } = event;
  return (
    <td>
      {record ? (
        <a href={record.href}>
          {label} · {localized(locale, record.nameZh, record.nameEn)}
        </a>
      ) : (
        label
      )}
      <br />
      <a class="muted" href={auditHref({ entityType: event.entityType, entityId: event.entityId })}>
        {t(locale, 'history')}
      </a>
    </td>
  );
}

function ChangesCell(props: { event: AuditEvent }): VNode {
  const { changes } = props.event;
  if (changes.length === 0) return <td class="muted">—</td>;
  return (
    <td>
      <ul>
        {changes.map((change) => (
          <li>
            <code>{change.field}</code>: <span class="before">{shownValue(change.before)}</span> → <span class="after">{shownValue(change.after)}</span>
          </li>
        ))}
      </ul>
    </td>
  );
}

function AuditView(props: { frame: WorkspaceFrame; page: AuditEventPage; filters: FormState }): VNode {
  const { frame, page, filters } = props;
  const { locale } = frame;
  const typeOptions = [
    { value: '', label: t(locale, 'all') },
    ...Object.keys(entityTypeLabels).map((type) => ({ value: type, label: labelOf(entityTypeLabels, locale, type) })),
  ];
  const chosenType = filters.values.entityType ?? '';
  if (chosenType && !(chosenType in entityTypeLabels)) typeOptions.push({ value: chosenType, label: chosenType });
  return (
    <WorkspaceLayout frame={frame} area="auditLog" title={t(locale, 'auditLog')}>
      <h1>{t(locale, 'auditLog')}</h1>
      <form method="get" action="/workspace/audit" class="filters" role="search">
        <SelectField name="entityType" label={localized(locale, '记录类型', 'Kind of record')} form={filters} options={typeOptions} />
        <TextField name="entityId" label={localized(locale, '记录编号', 'Record id')} form={filters} />
        <TextField name="actor" label={localized(locale, '操作人（编号或邮箱）', 'Who (account id or email)')} form={filters} />
        <TextField name="from" type="date" label={localized(locale, '起始日期', 'From')} form={filters} />
        <TextField name="to" type="date" label={localized(locale, '截止日期', 'To')} form={filters} />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="muted">
        {localized(locale, `共 ${page.total} 条，时间为北京时间。`, `${page.total} in all; times are Beijing time (Asia/Shanghai).`)}
      </p>
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(locale, 'when')}</th>
              <th scope="col">{t(locale, 'who')}</th>
              <th scope="col">{t(locale, 'action')}</th>
              <th scope="col">{t(locale, 'record')}</th>
              <th scope="col">{t(locale, 'changes')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((event) => (
              <tr>
                <td>{formatDateTime(event.at, auditService.auditTimeZone)}</td>
                <td>
                  {event.actor ? (
                    <>
                      <a href={auditHref({ actor: event.actor.id })}>{event.actor.displayName}</a>
                      <br />
                      <span class="muted">{event.actor.email}</span>
                    </>
                  ) : (
                    localized(locale, '运维人员（命令行）', 'Operator (command line)')
                  )}
                </td>
                <td>{labelOf(actionLabels, locale, event.action)}</td>
                <RecordCell locale={locale} event={event} />
                <ChangesCell event={event} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => auditHref(filters.values, offset)} />
    </WorkspaceLayout>
  );
}

/** The audit log in the workspace: platform administrators only; anyone else is told "not found". */
export const auditPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  app.get('/workspace/audit', { schema: { querystring: auditQuery } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const page = await auditService.listAuditEvents(app.db, actorOf(request), { ...request.query, limit: pageSize });
    const { entityType, entityId, actor, from, to } = request.query;
    const filters = formState({ entityType, entityId, actor, from, to });
    return sendWorkspacePage(reply, <AuditView frame={frame} page={page} filters={filters} />);
  });
};
