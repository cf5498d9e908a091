import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ComponentChildren, VNode } from 'preact';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { sendWorkbook } from '../../platform/spreadsheet.ts';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { addDashboardSection, workspaceFrame } from '../accounts/account.pages.tsx';
import { addOrganizationPageSection, organizationName } from '../organizations/organization.pages.tsx';
import * as placeService from '../places/place.service.ts';
import { idParams } from './agreement.schema.ts';
import * as dashboardService from './agreement-dashboard.service.ts';
import type { DueCommitment, Figures, OrganizationDashboard, PlaceDashboard, Reminders, ScopeDashboard, WorkspaceDocumentDashboard } from './agreement-dashboard.service.ts';
import {
  documentSheetNames,
  documentSheets,
  organizationSheetNames,
  organizationSheets,
  sendDashboardCsv,
} from './agreement-dashboard.export.ts';
import {
  ChartFigure,
  countsText,
  DueTable,
  dueText,
  figureCharts,
  FiguresTable,
  MeasuresFigure,
  measureFigureRows,
  organizationFigureRows,
  PartiesFigure,
  percentText,
  type FiguresRow,
} from './agreement-dashboard.view.tsx';
import {
  agreementsHref,
  commitmentHref,
  Crumbs,
  documentHref,
  documentTitle,
  kindName,
  langOf,
  measureHref,
  organizationLabel,
  ProgressBar,
  textIn,
} from './agreement.view.tsx';
import * as commitmentService from './commitment.service.ts';

/** The address of the dashboards' index. */
export const dashboardsHref = `${agreementsHref}/dashboard`;
/** The address of a document's dashboard. */
export const documentDashboardHref = (id: number): string => `${documentHref(id)}/dashboard`;
/** The address of an organization's dashboard. */
export const organizationDashboardHref = (id: number): string => `${dashboardsHref}/organizations/${id}`;
/** The address of a place's dashboard. */
export const placeDashboardHref = (id: number): string => `${dashboardsHref}/places/${id}`;

const documentCsvQuery = z.object({ sheet: z.enum(documentSheetNames).default('commitments') });
const organizationCsvQuery = z.object({ sheet: z.enum(organizationSheetNames).default('commitments') });

/** The names of the sheets, for the download links. */
function sheetLabel(locale: Locale, sheet: (typeof documentSheetNames)[number] | (typeof organizationSheetNames)[number]): string {
  const labels = {
    measures: ['措施', 'measures'],
    commitments: ['承诺', 'commitments'],
    parties: ['按组织', 'by organization'],
    dimensions: ['按工作维度', 'by dimension'],
    overdue: ['已逾期', 'overdue'],
    documents: ['按文件', 'by document'],
    units: ['按责任单位', 'by unit'],
    due: ['30 天内到期', 'due in 30 days'],
  } as const;
  const [zh, en] = labels[sheet];
  return localized(locale, zh, en);
}

/** Links to a dashboard's downloads: the workbook, and each sheet as CSV. */
function Downloads(props: { locale: Locale; base: string; sheets: readonly ((typeof documentSheetNames)[number] | (typeof organizationSheetNames)[number])[] }): VNode {
  const { locale } = props;
  return (
    <p class="actions">
      <a class="button" href={`${props.base}.xlsx`} download>
        {localized(locale, '导出 Excel（XLSX）', 'Download as XLSX')}
      </a>{' '}
      <span>
        {localized(locale, 'CSV：', 'CSV: ')}
        {props.sheets.map((sheet, index) => (
          <>
            {index > 0 ? ' · ' : null}
            <a href={`${props.base}.csv?sheet=${sheet}`} download>
              {sheetLabel(locale, sheet)}
            </a>
          </>
        ))}
      </span>
    </p>
  );
}

/** The overall figures as facts: progress, how many count, how many show each status. */
function OverallFacts(props: { locale: Locale; figures: Figures; day: string; children?: ComponentChildren }): VNode {
  const { locale, figures } = props;
  return (
    <dl class="facts">
      {props.children}
      <dt>{localized(locale, '总体进度', 'Overall progress')}</dt>
      <dd>
        <ProgressBar locale={locale} progress={figures.progress} label={localized(locale, '总体进度', 'Overall progress')} />{' '}
        <span class="muted">{localized(locale, `（${figures.counted} 项承诺，按权重计）`, `(${figures.counted} commitments, by weight)`)}</span>
      </dd>
      <dt>{localized(locale, '承诺状态', 'Commitments')}</dt>
      <dd>{countsText(locale, figures)}</dd>
      <dt>{localized(locale, '统计日期', 'As of')}</dt>
      <dd>
        <time dateTime={props.day}>{props.day}</time>
      </dd>
    </dl>
  );
}

const responsibleOf = (locale: Locale) => (commitment: DueCommitment) => organizationLabel(locale, commitment.responsible);

/** The overdue and soon-due lists of a dashboard. */
function DueSections(props: { locale: Locale; overdue: DueCommitment[]; dueSoon: DueCommitment[]; horizon: string; withDocument: boolean; cut?: boolean }): VNode {
  const { locale } = props;
  return (
    <>
      <h2 id="overdue">{localized(locale, `已逾期（${props.overdue.length}）`, `Overdue (${props.overdue.length})`)}</h2>
      {props.overdue.length > 0 ? (
        <DueTable
          locale={locale}
          caption={localized(locale, '未完成且已过完成期限的承诺，期限最早的在前', 'Open commitments past their due date, the earliest first')}
          items={props.overdue}
          commitmentHref={commitmentHref}
          withDocument={props.withDocument}
          responsibleLabel={responsibleOf(locale)}
        />
      ) : (
        <p class="muted">{localized(locale, '没有逾期的承诺。', 'Nothing is overdue.')}</p>
      )}
      <h2 id="due-soon">{localized(locale, `30 天内到期（${props.dueSoon.length}）`, `Due in the next 30 days (${props.dueSoon.length})`)}</h2>
      {props.dueSoon.length > 0 ? (
        <DueTable
          locale={locale}
          caption={localized(locale, `${props.horizon} 前到期的未完成承诺`, `Open commitments due by ${props.horizon}`)}
          items={props.dueSoon}
          commitmentHref={commitmentHref}
          withDocument={props.withDocument}
          responsibleLabel={responsibleOf(locale)}
        />
      ) : (
        <p class="muted">{localized(locale, `${props.horizon} 前没有到期的承诺。`, `Nothing falls due by ${props.horizon}.`)}</p>
      )}
      {props.cut ? (
        <p class="muted">
          {localized(locale, `以上各列表最多显示 ${dashboardService.dueListLimit} 项。`, `Each list shows at most ${dashboardService.dueListLimit} commitments.`)}
        </p>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// A document's dashboard

/** The pictures of a document's dashboard, drawn before the page is. */
interface DocumentCharts {
  measures: string[];
  parties: string[];
  dimensions: string[];
}

function measureRows(locale: Locale, dashboard: WorkspaceDocumentDashboard, topOnly: boolean): FiguresRow[] {
  return measureFigureRows(locale, dashboard.measures, topOnly, measureHref);
}

function partyRows(locale: Locale, dashboard: WorkspaceDocumentDashboard): FiguresRow[] {
  return organizationFigureRows(dashboard.parties, (organization) => organizationLabel(locale, organization), organizationDashboardHref);
}

function dimensionRows(locale: Locale, dashboard: WorkspaceDocumentDashboard): FiguresRow[] {
  return dashboard.dimensions.map((entry) => {
    const label = textIn(locale, entry.dimension.nameZh, entry.dimension.nameEn);
    return { name: <a href={`${agreementsHref}/commitments?documentId=${dashboard.document.id}&dimensionId=${entry.dimension.id}`}>{label}</a>, label, figures: entry };
  });
}

function partiesCaption(locale: Locale, dashboard: WorkspaceDocumentDashboard): string {
  return dashboard.document.kind === 'agreement' ? localized(locale, '按签约方', 'By party') : localized(locale, '按组织', 'By federation');
}

function DocumentDashboardView(props: { frame: WorkspaceFrame; dashboard: WorkspaceDocumentDashboard; charts: DocumentCharts }): VNode {
  const { frame, dashboard, charts } = props;
  const { locale } = frame;
  const { document } = dashboard;
  const title = localized(locale, `进展看板：${documentTitle(locale, document)}`, `Progress dashboard: ${documentTitle(locale, document)}`);
  const topMeasures = measureRows(locale, dashboard, true);
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <Crumbs locale={locale} document={document} />
      <h1 lang={langOf(locale, document.titleZh, document.titleEn)}>{title}</h1>
      <OverallFacts locale={locale} figures={dashboard.overall} day={dashboard.day}>
        <dt>{t(locale, 'kind')}</dt>
        <dd>{kindName(locale, document.kind)}</dd>
      </OverallFacts>
      <Downloads locale={locale} base={documentDashboardHref(document.id)} sheets={documentSheetNames} />
      {dashboard.publicSites.length > 0 ? (
        <p>
          {localized(locale, '公开页面：', 'Public transparency page: ')}
          {dashboard.publicSites.map((site, index) => (
            <>
              {index > 0 ? ' · ' : null}
              <a href={`/sites/${site.slug}/${locale}/agreements/${document.id}`}>{organizationName(locale, site.organization)}</a>
            </>
          ))}
        </p>
      ) : null}
      <h2 id="by-measure">{localized(locale, '按措施', 'By measure')}</h2>
      {topMeasures.length > 0 ? (
        <MeasuresFigure locale={locale} charts={charts.measures} rows={measureRows(locale, dashboard, false)} total={dashboard.overall} />
      ) : (
        <p class="muted">{localized(locale, '尚未录入措施。', 'No measures recorded yet.')}</p>
      )}
      <h2 id="by-party">{partiesCaption(locale, dashboard)}</h2>
      <PartiesFigure locale={locale} caption={partiesCaption(locale, dashboard)} charts={charts.parties} rows={partyRows(locale, dashboard)} />
      <h2 id="by-dimension">{localized(locale, '按工作维度', 'By work dimension')}</h2>
      {dashboard.dimensions.length > 0 ? (
        <ChartFigure locale={locale} caption={localized(locale, '各工作维度的进度', 'Progress in each work dimension')} charts={charts.dimensions}>
          <FiguresTable
            locale={locale}
            caption={localized(
              locale,
              '各工作维度：进度与承诺状态（承诺计入其措施及上级措施的维度；一项承诺可计入多个维度）',
              "Work dimensions: progress and status (a commitment counts under its measure's dimensions and those above it, so under several at times)",
            )}
            nameHeader={localized(locale, '工作维度', 'Work dimension')}
            rows={dimensionRows(locale, dashboard)}
          />
        </ChartFigure>
      ) : (
        <p class="muted">{localized(locale, '措施尚未标记工作维度。', 'No measure is tagged with a work dimension yet.')}</p>
      )}
      <DueSections locale={locale} overdue={dashboard.overdue} dueSoon={dashboard.dueSoon} horizon={dashboard.horizon} withDocument={false} />
      <p>
        <a href={documentHref(document.id)}>{localized(locale, '返回文件', 'Back to the document')}</a>
      </p>
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Dashboards across documents

function documentFigureRows(locale: Locale, dashboard: ScopeDashboard): FiguresRow[] {
  return dashboard.documents.map((entry) => ({
    name: <a href={documentDashboardHref(entry.document.id)}>{documentTitle(locale, entry.document)}</a>,
    label: documentTitle(locale, entry.document),
    figures: entry,
  }));
}

function responsibleRows(locale: Locale, dashboard: ScopeDashboard): FiguresRow[] {
  return organizationFigureRows(dashboard.responsible, (organization) => organizationLabel(locale, organization), organizationDashboardHref);
}

/** The sections a dashboard across documents shows: by document, by responsible organization, what is due. */
function ScopeSections(props: { locale: Locale; dashboard: ScopeDashboard; charts: string[] }): VNode {
  const { locale, dashboard } = props;
  if (dashboard.overall.total === 0) return <p class="muted">{localized(locale, '没有承诺。', 'No commitments.')}</p>;
  return (
    <>
      <h2 id="by-document">{localized(locale, '按文件', 'By document')}</h2>
      <ChartFigure locale={locale} caption={localized(locale, '各文件中的承诺进度', 'Progress of the commitments in each document')} charts={props.charts}>
        <FiguresTable
          locale={locale}
          caption={localized(locale, '各文件：进度与承诺状态', 'Documents: progress and commitments by status')}
          nameHeader={localized(locale, '文件', 'Document')}
          rows={documentFigureRows(locale, dashboard)}
          total={dashboard.overall}
        />
      </ChartFigure>
      <h2 id="by-unit">{localized(locale, '按责任单位', 'By responsible organization')}</h2>
      <FiguresTable
        locale={locale}
        caption={localized(locale, '各责任单位：进度与承诺状态', 'Responsible organizations: progress and commitments by status')}
        nameHeader={localized(locale, '责任单位', 'Responsible')}
        rows={responsibleRows(locale, dashboard)}
      />
      <DueSections locale={locale} overdue={dashboard.overdue} dueSoon={dashboard.dueSoon} horizon={dashboard.horizon} withDocument cut={dashboard.listsCut} />
    </>
  );
}

function DashboardCrumbs(props: { locale: Locale; children?: ComponentChildren }): VNode {
  const { locale } = props;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <a href={agreementsHref}>{t(locale, 'agreements')}</a>
      {' › '}
      <a href={dashboardsHref}>{localized(locale, '进展看板', 'Dashboards')}</a>
      {props.children}
    </nav>
  );
}

function OrganizationDashboardView(props: { frame: WorkspaceFrame; dashboard: OrganizationDashboard; charts: string[] }): VNode {
  const { frame, dashboard } = props;
  const { locale } = frame;
  const name = organizationLabel(locale, dashboard.organization);
  const title = localized(locale, `承诺看板：${name}`, `Commitments of ${name}`);
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <DashboardCrumbs locale={locale} />
      <h1>{title}</h1>
      <p>
        {localized(locale, '本单位及其下属单位在各份文件中承担的承诺。', 'What it and its units undertook, across documents.')}{' '}
        <a href={`/workspace/organizations/${dashboard.organization.id}`}>{localized(locale, '组织页面', 'Its page')}</a>
        {' · '}
        <a href={`${agreementsHref}/commitments?organizationId=${dashboard.organization.id}`}>{localized(locale, '筛选其承诺', 'Filter its commitments')}</a>
      </p>
      <OverallFacts locale={locale} figures={dashboard.overall} day={dashboard.day} />
      <Downloads locale={locale} base={organizationDashboardHref(dashboard.organization.id)} sheets={organizationSheetNames} />
      <ScopeSections locale={locale} dashboard={dashboard} charts={props.charts} />
    </WorkspaceLayout>
  );
}

function placeName(locale: Locale, place: { nameZh: string; nameEn: string }): string {
  return textIn(locale, place.nameZh, place.nameEn);
}

function PlaceDashboardView(props: { frame: WorkspaceFrame; dashboard: PlaceDashboard; charts: string[] }): VNode {
  const { frame, dashboard } = props;
  const { locale } = frame;
  const { place } = dashboard;
  const title = localized(locale, `承诺看板：${placeName(locale, place)}`, `Commitments in ${placeName(locale, place)}`);
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <DashboardCrumbs locale={locale}>
        {place.ancestors.map((ancestor) => (
          <>
            {' › '}
            <a href={placeDashboardHref(ancestor.id)}>{placeName(locale, ancestor)}</a>
          </>
        ))}
      </DashboardCrumbs>
      <h1>{title}</h1>
      <p>
        {localized(
          locale,
          '位于此地及其下级地区的组织所承担的承诺（未记录所在地的组织按其上级组织的所在地计）。',
          'What the organizations located here or below undertook (an organization with no place recorded is where the one above it is).',
        )}{' '}
        <a href={`/workspace/places/${place.id}`}>{localized(locale, '地点页面', 'Its page')}</a>
      </p>
      {place.children.length > 0 ? (
        <p>
          {localized(locale, '下级地区：', 'Places below: ')}
          {place.children.map((child, index) => (
            <>
              {index > 0 ? localized(locale, '、', ', ') : null}
              <a href={placeDashboardHref(child.id)}>{placeName(locale, child)}</a>
            </>
          ))}
        </p>
      ) : null}
      <OverallFacts locale={locale} figures={dashboard.overall} day={dashboard.day} />
      <ScopeSections locale={locale} dashboard={dashboard} charts={props.charts} />
    </WorkspaceLayout>
  );
}

function DashboardsIndexView(props: { frame: WorkspaceFrame; federations: dashboardService.ResponsibleFigures[]; places: placeService.PlaceListItem[] }): VNode {
  const { frame } = props;
  const { locale } = frame;
  const title = localized(locale, '进展看板', 'Dashboards');
  return (
    <WorkspaceLayout frame={frame} area="agreements" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href={agreementsHref}>{t(locale, 'agreements')}</a>
      </nav>
      <h1>{title}</h1>
      <p>
        {localized(
          locale,
          '每份文件的看板在文件页面上；这里按组织和地区汇总各文件中的承诺。',
          "Each document's dashboard is on its page; here the commitments of every document are gathered by organization and by place.",
        )}
      </p>
      <h2>{localized(locale, '按组织', 'By organization')}</h2>
      <FiguresTable
        locale={locale}
        caption={localized(locale, '各联合会（含下属单位）的承诺', 'Commitments of each federation, with its units')}
        nameHeader={localized(locale, '组织', 'Organization')}
        rows={organizationFigureRows(props.federations, (organization) => organizationLabel(locale, organization), organizationDashboardHref)}
      />
      <p class="muted">{localized(locale, '其他组织的看板可从组织页面进入。', "Any other organization's dashboard is linked from its page.")}</p>
      <h2>{localized(locale, '按地区', 'By place')}</h2>
      <ul>
        {props.places.map((place) => (
          <li>
            <a href={placeDashboardHref(place.id)}>{placeName(locale, place)}</a>
          </li>
        ))}
      </ul>
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Reminders on the signed-in dashboard

function ReminderItem(props: { locale: Locale; commitment: DueCommitment }): VNode {
  const { locale, commitment } = props;
  return (
    <li>
      <a href={commitmentHref(commitment.id)}>{textIn(locale, commitment.whatZh, commitment.whatEn)}</a>{' '}
      <span class="muted">
        · {documentTitle(locale, commitment.document)} › {commitment.measure.number}
      </span>{' '}
      · <time dateTime={commitment.dueOn}>{commitment.dueOn}</time>{' '}
      {commitment.status === 'overdue' ? <strong>{dueText(locale, commitment.daysLeft)}</strong> : dueText(locale, commitment.daysLeft)}
    </li>
  );
}

function ReminderList(props: { locale: Locale; heading: string; items: readonly DueCommitment[] }): VNode | null {
  if (props.items.length === 0) return null;
  return (
    <>
      <p>
        <strong>{props.heading}</strong>
      </p>
      <ul>
        {props.items.map((commitment) => (
          <ReminderItem locale={props.locale} commitment={commitment} />
        ))}
      </ul>
    </>
  );
}

/** What falls due, per responsible organization, on the signed-in dashboard. */
function RemindersSection(props: { locale: Locale; reminders: Reminders }): VNode {
  const { locale, reminders } = props;
  return (
    <section aria-labelledby="reminders-title">
      <h2 id="reminders-title">{localized(locale, '承诺提醒', 'Commitments falling due')}</h2>
      <p class="muted">
        {reminders.network
          ? localized(locale, `全网已逾期及 ${reminders.horizon} 前到期的承诺，按责任单位分组。`, `Overdue commitments across the network, and those due by ${reminders.horizon}, by responsible organization.`)
          : localized(locale, `您所在单位已逾期及 ${reminders.horizon} 前到期的承诺。`, `Overdue commitments of your organizations, and those due by ${reminders.horizon}.`)}
      </p>
      {reminders.groups.length === 0 ? (
        <p>{localized(locale, '没有逾期或 30 天内到期的承诺。', 'Nothing is overdue or due in the next 30 days.')}</p>
      ) : (
        reminders.groups.map((group) => (
          <div class="reminders">
            <h3>
              <a href={organizationDashboardHref(group.organization.id)}>{organizationLabel(locale, group.organization)}</a>
            </h3>
            <ReminderList locale={locale} heading={localized(locale, '已逾期', 'Overdue')} items={group.overdue} />
            <ReminderList locale={locale} heading={localized(locale, '30 天内到期', 'Due in the next 30 days')} items={group.dueSoon} />
            {group.more ? (
              <p>
                <a href={`${organizationDashboardHref(group.organization.id)}#overdue`}>{localized(locale, '更多，见其看板', 'More on its dashboard')}</a>
              </p>
            ) : null}
          </div>
        ))
      )}
    </section>
  );
}

addDashboardSection(async (request, locale) => {
  const reminders = await dashboardService.listReminders(request.server.db, actorOf(request));
  return reminders ? <RemindersSection locale={locale} reminders={reminders} /> : null;
});

// The organization page links its dashboard, with a line of figures.
addOrganizationPageSection(async (request, organization, locale) => {
  const summary = await commitmentService.summarizeCommitments(request.server.db, actorOf(request), { organizationId: organization.id });
  const figures: Figures = {
    progress: summary.progress,
    counted: summary.counts.not_started + summary.counts.in_progress + summary.counts.overdue + summary.counts.done,
    total: summary.counts.not_started + summary.counts.in_progress + summary.counts.overdue + summary.counts.done + summary.counts.dropped,
    counts: summary.counts,
  };
  return (
    <>
      <h2>{localized(locale, '协议承诺', 'Commitments under agreements')}</h2>
      <p>
        {figures.total > 0 ? `${percentText(figures.progress)} · ${countsText(locale, figures)} · ` : null}
        <a href={organizationDashboardHref(organization.id)}>{localized(locale, '承诺看板', 'Its dashboard')}</a>
      </p>
    </>
  );
});

// ---------------------------------------------------------------------------------------------
// Routes

/** The dashboards of agreements: per document, per organization, per place; their exports. */
export const agreementDashboardPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function documentDashboard(request: FastifyRequest, id: number) {
    return dashboardService.getDocumentDashboard(app.db, actorOf(request), id);
  }

  async function sendDocumentDashboard(request: FastifyRequest, reply: FastifyReply, id: number) {
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const dashboard = await documentDashboard(request, id);
    const [measures, parties, dimensions] = await Promise.all([
      figureCharts(locale, localized(locale, '按措施', 'By measure'), measureRows(locale, dashboard, true)),
      figureCharts(locale, partiesCaption(locale, dashboard), partyRows(locale, dashboard)),
      figureCharts(locale, localized(locale, '按工作维度', 'By work dimension'), dimensionRows(locale, dashboard)),
    ]);
    return sendWorkspacePage(reply, <DocumentDashboardView frame={frame} dashboard={dashboard} charts={{ measures, parties, dimensions }} />);
  }

  app.get(dashboardsHref, async (request, reply) => {
    const actor = actorOf(request);
    const [federations, places] = await Promise.all([
      dashboardService.listFederationFigures(app.db, actor),
      placeService.listPlaces(app.db, actor, { topLevel: 'true', limit: 200, offset: 0 }),
    ]);
    return sendWorkspacePage(reply, <DashboardsIndexView frame={workspaceFrame(request)} federations={federations} places={places.items} />);
  });

  app.get(`${agreementsHref}/:id/dashboard`, { schema: { params: idParams } }, async (request, reply) => sendDocumentDashboard(request, reply, request.params.id));

  app.get(`${agreementsHref}/:id/dashboard.xlsx`, { schema: { params: idParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const dashboard = await documentDashboard(request, request.params.id);
    const commitments = await commitmentService.listCommitmentsOfDocument(app.db, actor, dashboard.document, dashboard.day);
    const sheets = documentSheets(locale, dashboard, commitments);
    return sendWorkbook(reply, `agreement-${dashboard.document.id}-dashboard`, documentSheetNames.map((name) => sheets[name]));
  });

  app.get(`${agreementsHref}/:id/dashboard.csv`, { schema: { params: idParams, querystring: documentCsvQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const dashboard = await documentDashboard(request, request.params.id);
    const commitments = await commitmentService.listCommitmentsOfDocument(app.db, actor, dashboard.document, dashboard.day);
    const { sheet } = request.query;
    return sendDashboardCsv(reply, `agreement-${dashboard.document.id}-dashboard`, sheet, documentSheets(locale, dashboard, commitments)[sheet]);
  });

  async function organizationDashboard(request: FastifyRequest, id: number) {
    return dashboardService.getOrganizationDashboard(app.db, actorOf(request), id);
  }

  function organizationCommitments(request: FastifyRequest, organizationId: number) {
    return commitmentService.readAllCommitments(app.db, actorOf(request), { organizationId });
  }

  app.get(`${dashboardsHref}/organizations/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const dashboard = await organizationDashboard(request, request.params.id);
    const charts = await figureCharts(frame.locale, localized(frame.locale, '按文件', 'By document'), documentFigureRows(frame.locale, dashboard));
    return sendWorkspacePage(reply, <OrganizationDashboardView frame={frame} dashboard={dashboard} charts={charts} />);
  });

  app.get(`${dashboardsHref}/organizations/:id.xlsx`, { schema: { params: idParams } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const dashboard = await organizationDashboard(request, request.params.id);
    const sheets = organizationSheets(locale, dashboard, organizationCommitments(request, dashboard.organization.id));
    return sendWorkbook(reply, `organization-${dashboard.organization.id}-commitments`, organizationSheetNames.map((name) => sheets[name]));
  });

  app.get(`${dashboardsHref}/organizations/:id.csv`, { schema: { params: idParams, querystring: organizationCsvQuery } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const dashboard = await organizationDashboard(request, request.params.id);
    const { sheet } = request.query;
    const sheets = organizationSheets(locale, dashboard, organizationCommitments(request, dashboard.organization.id));
    return sendDashboardCsv(reply, `organization-${dashboard.organization.id}-commitments`, sheet, sheets[sheet]);
  });

  app.get(`${dashboardsHref}/places/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const dashboard = await dashboardService.getPlaceDashboard(app.db, actorOf(request), request.params.id);
    const charts = await figureCharts(frame.locale, localized(frame.locale, '按文件', 'By document'), documentFigureRows(frame.locale, dashboard));
    return sendWorkspacePage(reply, <PlaceDashboardView frame={frame} dashboard={dashboard} charts={charts} />);
  });
};
