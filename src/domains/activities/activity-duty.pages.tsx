import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { FormErrorSummary, formState, parseForm, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import type { Bilingual } from '../places/place.rules.ts';
import { dutyRecordParams, dutyRecordQuery } from './activity-duty.schema.ts';
import * as dutyService from './activity-duty.service.ts';
import type { DutyEntry, DutyRecord, Involvement } from './activity-duty.service.ts';
import { attendanceStatusNames, attendeeRoleNames, followUpStatusNames } from './activity.rules.ts';
import { nameOf, textIn, timeRange, titleOf } from './activity.views.tsx';

/** The headings of the record's groups. */
export const involvementNames: Record<Involvement, Bilingual> = {
  led: { zh: '带队（团长）', en: 'Led a delegation' },
  hosted: { zh: '接待', en: 'Hosted' },
  spoke: { zh: '发言', en: 'Spoke' },
  took_part: { zh: '参加', en: 'Took part' },
  follow_up: { zh: '负责的后续事项', en: 'Follow-ups owned' },
  facility: { zh: '所负责阵地接待的活动', en: 'Visits to facilities she keeps' },
};

/** What the detail column of each group holds. */
const detailHeadings: Partial<Record<Involvement, Bilingual>> = {
  spoke: { zh: '发言内容', en: 'Spoke to' },
  follow_up: { zh: '事项', en: 'Action' },
  facility: { zh: '服务阵地', en: 'Facility' },
};

// Printed, the record is the page alone: no workspace navigation, forms or links to other years.
const printStyles = [
  'header.ws, .skip, nav.crumbs, form, .no-print { display: none !important; }',
  'main.ws { margin: 0; padding: 0; max-width: none; }',
  'body { font-size: 10.5pt; color: #000; background: #fff; }',
  'a { color: inherit; text-decoration: none; }',
  'table { width: 100%; border-collapse: collapse; }',
  'th, td { border: 1px solid #999; padding: 2pt 4pt; }',
  'tr { break-inside: avoid; }',
  'h2 { break-after: avoid; }',
].join('\n');

/** The duty record's address for a person and a year. */
export function dutyRecordHref(personId: number, year?: number): string {
  return `/workspace/people/${personId}/duty-record${year === undefined ? '' : `?year=${year}`}`;
}

function EntryRow(props: { locale: Locale; entry: DutyEntry; detail: boolean }): VNode {
  const { locale, entry } = props;
  const status =
    entry.followUpStatus !== null
      ? `${nameOf(locale, followUpStatusNames, entry.followUpStatus)}${entry.dueOn ? localized(locale, `（${entry.dueOn} 前）`, ` (due ${entry.dueOn})`) : ''}`
      : entry.attendance !== null
        ? nameOf(locale, attendanceStatusNames, entry.attendance)
        : '';
  return (
    <tr>
      <td>
        <time dateTime={entry.activity.startsAt.toISOString()}>{timeRange(entry.activity.startsAt, entry.activity.endsAt)}</time>
      </td>
      <td>
        <a href={`/workspace/activities/${entry.activity.id}`}>{titleOf(locale, entry.activity)}</a>
        <span class="muted"> · {textIn(locale, entry.activity.kind.nameZh, entry.activity.kind.nameEn)}</span>
      </td>
      <td>{entry.role ? nameOf(locale, attendeeRoleNames, entry.role) : ''}</td>
      <td>{textIn(locale, entry.heldZh, entry.heldEn)}</td>
      {props.detail ? <td>{textIn(locale, entry.detailZh, entry.detailEn)}</td> : null}
      <td>{status}</td>
    </tr>
  );
}

function DutyRecordView(props: { frame: WorkspaceFrame; form: FormState; record: DutyRecord | undefined; person: { id: number; nameZh: string; nameEn: string } }): VNode {
  const { frame, form, record, person } = props;
  const { locale } = frame;
  const name = textIn(locale, person.nameZh, person.nameEn);
  const title = record ? localized(locale, `${name} ${record.year} 年度履职记录`, `Duty record of ${name}, ${record.year}`) : localized(locale, `${name} 履职记录`, `Duty record of ${name}`);
  return (
    <WorkspaceLayout frame={frame} area="people" title={title}>
      <link rel="stylesheet" media="print" href={`data:text/css,${encodeURIComponent(printStyles)}`} />
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/people">{t(locale, 'people')}</a>
        {' › '}
        <a href={`/workspace/people/${person.id}`}>{name}</a>
      </nav>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="get" action={dutyRecordHref(person.id)} class="filters">
        <TextField name="year" label={localized(locale, '年度', 'Year')} form={form} />
        <button class="primary" type="submit">
          {localized(locale, '查看', 'Show')}
        </button>
      </form>
      {record ? (
        <>
          <p class="actions no-print">
            <a href={dutyRecordHref(person.id, record.year - 1)}>{`← ${record.year - 1}`}</a>
            <a href={dutyRecordHref(person.id, record.year + 1)}>{`${record.year + 1} →`}</a>
            <span class="muted">{localized(locale, '可用浏览器打印本页。', 'Print this page from the browser for a paper copy.')}</span>
          </p>
          <section aria-labelledby="duty-totals">
            <h2 id="duty-totals">{localized(locale, '合计', 'Totals')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{localized(locale, '履职方式', 'Involvement')}</th>
                  <th scope="col">{localized(locale, '次数', 'Count')}</th>
                </tr>
              </thead>
              <tbody>
                {record.groups.map((group) => (
                  <tr>
                    <th scope="row">{nameOf(locale, involvementNames, group.involvement)}</th>
                    <td>{record.totals[group.involvement]}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{localized(locale, '涉及活动（不重复计）', 'Activities (each counted once)')}</th>
                  <td>{record.activities}</td>
                </tr>
              </tbody>
            </table>
            <p class="muted">
              {localized(
                locale,
                '已取消的活动和缺席不计入；只列出您有权查看的活动。',
                'Cancelled activities and absences are not counted; only the activities you may read are listed.',
              )}
            </p>
          </section>
          {record.groups
            .filter((group) => group.entries.length > 0)
            .map((group) => {
              const detail = detailHeadings[group.involvement];
              return (
                <section aria-labelledby={`duty-${group.involvement}`}>
                  <h2 id={`duty-${group.involvement}`}>
                    {nameOf(locale, involvementNames, group.involvement)}
                    {localized(locale, `（${group.entries.length}）`, ` (${group.entries.length})`)}
                  </h2>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{localized(locale, '时间', 'Date')}</th>
                        <th scope="col">{localized(locale, '活动', 'Activity')}</th>
                        <th scope="col">{localized(locale, '角色', 'Role')}</th>
                        <th scope="col">{localized(locale, '当日职务', 'Title on the day')}</th>
                        {detail ? <th scope="col">{localized(locale, detail.zh, detail.en)}</th> : null}
                        <th scope="col">{localized(locale, '状态', 'Status')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {group.entries.map((entry) => (
                        <EntryRow locale={locale} entry={entry} detail={detail !== undefined} />
                      ))}
                    </tbody>
                  </table>
                </section>
              );
            })}
        </>
      ) : null}
    </WorkspaceLayout>
  );
}

/** /workspace/people/:id/duty-record?year=: a person's year of activities, printable. */
export const activityDutyPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  app.get('/workspace/people/:id/duty-record', { schema: { params: dutyRecordParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const parsed = parseForm(dutyRecordQuery, request.query, locale);
    if (!parsed.ok) {
      const person = await dutyService.getDutyRecordPerson(app.db, actor, request.params.id);
      const form = { values: parsed.form.values, errors: { year: localized(locale, '请填写年份，如 2024（1949–2100）。', 'Give a year such as 2024 (1949–2100).') } };
      return sendWorkspacePage(reply, <DutyRecordView frame={frame} form={form} record={undefined} person={person} />, 400);
    }
    const year = parsed.value.year ?? dutyService.yearOf(new Date());
    const record = await dutyService.readDutyRecord(app.db, actor, request.params.id, year);
    return sendWorkspacePage(reply, <DutyRecordView frame={frame} form={formState({ year })} record={record} person={record.person} />);
  });
};
