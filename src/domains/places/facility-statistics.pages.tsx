import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { FormErrorSummary, formState, parseForm, SelectField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { organizationName, organizationOptions } from '../organizations/organization.pages.tsx';
import * as organizationService from '../organizations/organization.service.ts';
import { facilityStatisticsQuery, statisticsFieldMessage, type FacilityStatisticsQuery } from './facility-statistics.schema.ts';
import * as statisticsService from './facility-statistics.service.ts';
import type { FacilityCounts, FacilityStatistics } from './facility-statistics.service.ts';
import { placeName } from './place.pages.tsx';
import { inLocale } from './place.rules.ts';
import type { PlaceSummary } from './place.service.ts';

const statisticsPath = '/workspace/facilities/statistics';

/** The address of the statistics of a place ("top": the top level), with the operator filter kept. */
function statisticsHref(place: number | 'top', operator: number | undefined, path = statisticsPath): string {
  return listPageHref(path, { place, operator }, 0);
}

/** The statistics as one table of text cells: what the page shows and the CSV file holds, alike. */
export interface StatisticsTable {
  header: string[];
  rows: { place: PlaceSummary; itself: boolean; cells: string[] }[];
  total: string[];
}

function coverageText(percent: number | null): string {
  return percent === null ? '—' : `${percent}%`;
}

/** Lays the statistics out in the reader's language: a column per kind that occurs, then status and coverage. */
export function statisticsTable(locale: Locale, statistics: FacilityStatistics): StatisticsTable {
  const figures = (counts: FacilityCounts): string[] =>
    [
      ...statistics.kinds.map((kind) => counts.byKind[kind.code] ?? 0),
      counts.facilities,
      counts.active,
      counts.temporarilyClosed,
      counts.closed,
      counts.communities,
      counts.communitiesWithWomensHome,
    ]
      .map(String)
      .concat(coverageText(counts.coveragePercent));
  return {
    header: [
      localized(locale, '地点', 'Place'),
      ...statistics.kinds.map((kind) => localized(locale, kind.nameZh, kind.nameEn)),
      localized(locale, '服务阵地合计', 'All facilities'),
      localized(locale, '开放', 'Active'),
      localized(locale, '暂停开放', 'Temporarily closed'),
      localized(locale, '已关闭', 'Closed'),
      localized(locale, '社区和村', 'Communities and villages'),
      localized(locale, '其中有开放的妇女之家', "With an active women's home"),
      localized(locale, '覆盖率', 'Coverage'),
    ],
    rows: statistics.rows.map((row) => {
      const name = placeName(locale, row.place);
      const label = row.itself ? localized(locale, `直接位于${name}`, `Located in ${name} itself`) : name;
      return { place: row.place, itself: row.itself, cells: [label, ...figures(row)] };
    }),
    total: [localized(locale, '合计', 'Total'), ...figures(statistics.total)],
  };
}

/** The table as a CSV file for a spreadsheet: UTF-8 with a byte-order mark; a cell that would run as a formula is quoted out. */
export function statisticsCsv(table: StatisticsTable): string {
  const records = [table.header, ...table.rows.map((row) => row.cells), table.total];
  return `\uFEFF${stringify(records, { record_delimiter: 'windows', escape_formulas: true })}`;
}

function title(locale: Locale, statistics: FacilityStatistics | undefined): string {
  if (!statistics) return localized(locale, '服务阵地统计', 'Facility statistics');
  const where = statistics.place ? placeName(locale, statistics.place) : localized(locale, '全部地点', 'all places');
  return localized(locale, `服务阵地统计：${where}`, `Facility statistics: ${where}`);
}

const numeric = { textAlign: 'right' } as const;

function StatisticsView(props: {
  frame: WorkspaceFrame;
  statistics?: FacilityStatistics;
  filters: FormState;
  operators: { value: string; label: string }[];
}): VNode {
  const { frame, statistics, filters } = props;
  const { locale } = frame;
  const operator = statistics?.operator?.id;
  const heading = title(locale, statistics);
  const table = statistics ? statisticsTable(locale, statistics) : undefined;
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={heading}>
      {statistics?.place ? (
        <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
          <a href={statisticsHref('top', operator)}>{localized(locale, '全部地点', 'All places')}</a>
          {statistics.ancestors.map((ancestor) => (
            <>
              {' › '}
              <a href={statisticsHref(ancestor.id, operator)}>{placeName(locale, ancestor)}</a>
            </>
          ))}
        </nav>
      ) : null}
      <h1>{heading}</h1>
      <FormErrorSummary form={filters} locale={locale} />
      <form method="get" action={statisticsPath} class="filters">
        {statistics ? <input type="hidden" name="place" value={statistics.place ? String(statistics.place.id) : 'top'} /> : null}
        <SelectField
          name="operator"
          label={localized(locale, '运营组织（含下级）', 'Operated by (with its units)')}
          form={filters}
          options={props.operators}
        />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      {statistics && table ? (
        <>
          <p class="muted">
            {localized(
              locale,
              '每行统计位于该地点范围内（含其各级下级地点）的服务阵地。覆盖率：该范围内至少有一个开放的妇女之家的社区和村所占比例。点击地点名称查看其下级。',
              "Each row counts the facilities located anywhere within the place. Coverage: the share of its communities and villages where at least one active women's home is located. Open a place to see the places under it.",
            )}
            {statistics.operator
              ? localized(
                  locale,
                  ` 仅统计由${organizationName(locale, statistics.operator)}及其下级组织运营的服务阵地。`,
                  ` Only facilities operated by ${organizationName(locale, statistics.operator)} and its units are counted.`,
                )
              : null}
          </p>
          <p class="actions">
            <a class="button" href={statisticsHref(statistics.place?.id ?? 'top', operator, `${statisticsPath}.csv`)} download>
              {localized(locale, '导出 CSV', 'Export CSV')}
            </a>
            {statistics.place ? (
              <a href={`/workspace/places/${statistics.place.id}`}>{localized(locale, '地点详情', 'About this place')}</a>
            ) : null}
          </p>
          <div style={{ overflowX: 'auto' }}>
            <table>
              <thead>
                <tr>
                  {table.header.map((cell, index) => (
                    <th scope="col" style={index === 0 ? undefined : numeric}>
                      {cell}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => {
                  const [label, ...figures] = row.cells;
                  return (
                    <tr>
                      <th scope="row">{row.itself ? label : <a href={statisticsHref(row.place.id, operator)}>{label}</a>}</th>
                      {figures.map((cell) => (
                        <td style={numeric}>{cell}</td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  {table.total.map((cell, index) =>
                    index === 0 ? <th scope="row">{cell}</th> : <td style={numeric}>{cell}</td>,
                  )}
                </tr>
              </tfoot>
            </table>
          </div>
          {table.rows.length === 0 ? <p class="muted">{t(locale, 'noResults')}</p> : null}
        </>
      ) : null}
    </WorkspaceLayout>
  );
}

/** Drops empty query values, which a GET form sends for every untouched field. */
function submittedQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '' && value !== undefined));
}

/** Puts the query's messages in the reader's language; one about the place, which has no field here, heads the page. */
function localizeFilters(form: FormState, locale: Locale): FormState {
  const errors = Object.fromEntries(Object.entries(form.errors).map(([field, text]) => [field, inLocale(locale, statisticsFieldMessage(text))]));
  return { values: form.values, errors: errors.place ? { ...errors, _form: errors.place } : errors };
}

function day(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The workspace page of the facility statistics and its CSV export. */
export const facilityStatisticsPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  app.get(statisticsPath, async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const choices = await organizationService.listOrganizationChoices(app.db, actor);
    const operators = organizationOptions(locale, choices, localized(locale, '全部', 'All'));
    const parsed = parseForm(facilityStatisticsQuery, submittedQuery(request.query), locale);
    if (!parsed.ok) {
      // A hand-made address with a wrong value: say which, and count nothing rather than guess.
      return sendWorkspacePage(reply, <StatisticsView frame={frame} filters={localizeFilters(parsed.form, locale)} operators={operators} />, 400);
    }
    const statistics = await statisticsService.readFacilityStatistics(app.db, actor, parsed.value);
    const filters = formState({ operator: statistics.operator?.id });
    return sendWorkspacePage(reply, <StatisticsView frame={frame} statistics={statistics} filters={filters} operators={operators} />);
  });

  app.get(`${statisticsPath}.csv`, { schema: { querystring: facilityStatisticsQuery } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const query: FacilityStatisticsQuery = request.query;
    const statistics = await statisticsService.readFacilityStatistics(app.db, actorOf(request), query);
    const name = statistics.place ? (statistics.place.code ?? String(statistics.place.id)) : 'all';
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="facility-statistics-${name}-${day()}.csv"`)
      .header('cache-control', 'no-store')
      .send(statisticsCsv(statisticsTable(locale, statistics)));
  });
};
