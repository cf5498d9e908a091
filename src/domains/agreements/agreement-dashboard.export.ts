import type { FastifyReply } from 'fastify';
import { localized, type Locale } from '../../platform/i18n.ts';
import { sendSpreadsheet, type Cell, type Sheet } from '../../platform/spreadsheet.ts';
import { organizationName } from '../organizations/organization.pages.tsx';
import { commitmentStatuses } from './agreement.rules.ts';
import type { DueCommitment, Figures, OrganizationDashboard, WorkspaceDocumentDashboard } from './agreement-dashboard.service.ts';
import { statusName } from './agreement-dashboard.view.tsx';
import type { Commitment } from './commitment.service.ts';
import { organizationLabel, textIn } from './agreement.view.tsx';
import type { OrganizationRef } from './agreement.access.ts';

/**
 * A dashboard's figures as spreadsheets: every table of the page as a sheet of one XLSX workbook, or
 * one of them as CSV (the platform's writer: byte-order mark, formula-like cells neutralized). The
 * numbers are the page's, unrounded: progress to one decimal, as the roll-up gives it.
 */

/** The sheets of a document's dashboard. */
export const documentSheetNames = ['measures', 'commitments', 'parties', 'dimensions', 'overdue'] as const;
export type DocumentSheetName = (typeof documentSheetNames)[number];

/** The sheets of an organization's dashboard. */
export const organizationSheetNames = ['documents', 'commitments', 'units', 'overdue', 'due'] as const;
export type OrganizationSheetName = (typeof organizationSheetNames)[number];

async function* once(rows: readonly (readonly Cell[])[]): AsyncIterable<readonly (readonly Cell[])[]> {
  yield rows;
}

function sheet(name: string, headers: readonly string[], rows: readonly (readonly Cell[])[] | AsyncIterable<readonly (readonly Cell[])[]>): Sheet {
  return { name, columns: headers.map((header, index) => ({ header, width: index === 0 ? 48 : 16 })), rows: Symbol.asyncIterator in rows ? rows : once(rows) };
}

function figureHeaders(locale: Locale): string[] {
  return [
    localized(locale, '进度（%）', 'Progress (%)'),
    localized(locale, '计入承诺', 'Commitments counted'),
    ...commitmentStatuses.map((status) => statusName(locale, status)),
  ];
}

function figureCells(figures: Figures): Cell[] {
  return [figures.progress, figures.counted, ...commitmentStatuses.map((status) => figures.counts[status])];
}

const name = (locale: Locale, organization: OrganizationRef): string => organizationLabel(locale, organization);

function dueSheet(locale: Locale, title: string, items: readonly DueCommitment[], withDocument: boolean): Sheet {
  return sheet(
    title,
    [
      localized(locale, '承诺事项', 'Commitment'),
      ...(withDocument ? [localized(locale, '文件', 'Document')] : []),
      localized(locale, '措施编号', 'Measure'),
      localized(locale, '责任单位', 'Responsible'),
      localized(locale, '完成期限', 'Due'),
      localized(locale, '距期限天数', 'Days left'),
      localized(locale, '进度（%）', 'Progress (%)'),
    ],
    items.map((item) => [
      textIn(locale, item.whatZh, item.whatEn),
      ...(withDocument ? [textIn(locale, item.document.titleZh, item.document.titleEn)] : []),
      item.measure.number,
      name(locale, item.responsible),
      item.dueOn,
      item.daysLeft,
      item.progress,
    ]),
  );
}

const commitmentHeaders = (locale: Locale): string[] => [
  localized(locale, '承诺事项', 'Commitment'),
  localized(locale, '责任单位', 'Responsible'),
  localized(locale, '所属组织', 'Federation'),
  localized(locale, '完成期限', 'Due'),
  localized(locale, '状态', 'Status'),
  localized(locale, '进度（%）', 'Progress (%)'),
  localized(locale, '权重', 'Weight'),
];

function commitmentCells(locale: Locale, commitment: Commitment): Cell[] {
  const organization = commitment.responsibleOrganization;
  return [
    textIn(locale, commitment.whatZh, commitment.whatEn),
    name(locale, organization),
    organizationName(locale, organization.top ?? organization),
    commitment.dueOn,
    statusName(locale, commitment.status),
    // A dropped commitment is not counted: its progress is no figure of the roll-up.
    commitment.status === 'dropped' ? null : commitment.progress,
    commitment.weight,
  ];
}

/** The sheets of a document's dashboard; `commitments` is every commitment of the document. */
export function documentSheets(locale: Locale, dashboard: WorkspaceDocumentDashboard, commitments: readonly Commitment[]): Record<DocumentSheetName, Sheet> {
  const measureOf = new Map(dashboard.measures.map((measure) => [measure.id, measure]));
  return {
    measures: sheet(
      localized(locale, '措施', 'Measures'),
      [localized(locale, '编号', 'Number'), localized(locale, '措施', 'Measure'), localized(locale, '层级', 'Level'), ...figureHeaders(locale), localized(locale, '工作维度', 'Work dimensions')],
      dashboard.measures.map((measure) => [
        measure.number,
        textIn(locale, measure.titleZh, measure.titleEn),
        measure.depth + 1,
        ...figureCells(measure),
        measure.dimensions.map((dimension) => textIn(locale, dimension.nameZh, dimension.nameEn)).join(localized(locale, '、', '; ')),
      ]),
    ),
    commitments: sheet(
      localized(locale, '承诺', 'Commitments'),
      [localized(locale, '措施编号', 'Measure'), ...commitmentHeaders(locale)],
      commitments.map((commitment) => [measureOf.get(commitment.measureId)?.number ?? '', ...commitmentCells(locale, commitment)]),
    ),
    parties: sheet(
      dashboard.document.kind === 'agreement' ? localized(locale, '按签约方', 'By party') : localized(locale, '按组织', 'By federation'),
      [localized(locale, '组织', 'Organization'), ...figureHeaders(locale)],
      dashboard.parties.map((party) => [name(locale, party.organization), ...figureCells(party)]),
    ),
    dimensions: sheet(
      localized(locale, '按工作维度', 'By dimension'),
      [localized(locale, '工作维度', 'Work dimension'), ...figureHeaders(locale)],
      dashboard.dimensions.map((dimension) => [textIn(locale, dimension.dimension.nameZh, dimension.dimension.nameEn), ...figureCells(dimension)]),
    ),
    overdue: dueSheet(locale, localized(locale, '已逾期', 'Overdue'), dashboard.overdue, false),
  };
}

/** The sheets of an organization's dashboard; `commitments` yields its commitments a page at a time. */
export function organizationSheets(
  locale: Locale,
  dashboard: OrganizationDashboard,
  commitments: AsyncIterable<readonly (Commitment & { document: { titleZh: string; titleEn: string }; measure: { number: string } })[]>,
): Record<OrganizationSheetName, Sheet> {
  async function* commitmentRows(): AsyncIterable<readonly (readonly Cell[])[]> {
    for await (const page of commitments) {
      yield page.map((commitment) => [textIn(locale, commitment.document.titleZh, commitment.document.titleEn), commitment.measure.number, ...commitmentCells(locale, commitment)]);
    }
  }
  return {
    documents: sheet(
      localized(locale, '按文件', 'By document'),
      [localized(locale, '文件', 'Document'), localized(locale, '日期', 'Date'), ...figureHeaders(locale)],
      dashboard.documents.map((entry) => [textIn(locale, entry.document.titleZh, entry.document.titleEn), entry.document.signedOn, ...figureCells(entry)]),
    ),
    commitments: sheet(
      localized(locale, '承诺', 'Commitments'),
      [localized(locale, '文件', 'Document'), localized(locale, '措施编号', 'Measure'), ...commitmentHeaders(locale)],
      commitmentRows(),
    ),
    units: sheet(
      localized(locale, '按责任单位', 'By unit'),
      [localized(locale, '责任单位', 'Responsible'), ...figureHeaders(locale)],
      dashboard.responsible.map((entry) => [name(locale, entry.organization), ...figureCells(entry)]),
    ),
    overdue: dueSheet(locale, localized(locale, '已逾期', 'Overdue'), dashboard.overdue, true),
    due: dueSheet(locale, localized(locale, '30 天内到期', 'Due in 30 days'), dashboard.dueSoon, true),
  };
}

/** Sends one sheet as CSV, named `<stem>-<sheet>-<today>.csv`. */
export function sendDashboardCsv(reply: FastifyReply, stem: string, sheetName: string, content: Sheet): FastifyReply {
  return sendSpreadsheet(reply, 'csv', `${stem}-${sheetName}`, content);
}

