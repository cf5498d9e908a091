import type { ComponentChildren, VNode } from 'preact';
import { renderProgressChart, renderStackedCountChart } from '../../platform/charts.ts';
import { localized, type Locale } from '../../platform/i18n.ts';
import { commitmentStatuses, commitmentStatusNames, type CommitmentStatus } from './agreement.rules.ts';
import type { OrganizationRef } from './agreement.access.ts';
import type { DueCommitment, Figures, MeasureFigures } from './agreement-dashboard.service.ts';
import { inLocale, measureLabel, textIn } from './agreement.view.tsx';

/** The colour of each status in the charts; the tables beside them carry the same figures in words. */
export const statusColors: Record<CommitmentStatus, string> = {
  not_started: '#6e7781',
  in_progress: '#0969da',
  overdue: '#cf222e',
  done: '#1a7f37',
  dropped: '#9a6700',
};

/** The name of a status in the reader's language. */
export function statusName(locale: Locale, status: CommitmentStatus): string {
  return inLocale(locale, commitmentStatusNames[status]);
}

/** A progress figure as the document page shows it ("63%"), or a dash when nothing counts. */
export function percentText(progress: number | null): string {
  return progress === null ? '—' : `${Math.round(progress)}%`;
}

/** A row of a figures table: what it is about, and its figures. */
export interface FiguresRow {
  name: ComponentChildren;
  /** The name as plain text, for the charts' axes. */
  label: string;
  figures: Figures;
  /** Depth in a tree (measures below measures), shown by indenting. */
  depth?: number;
}

/**
 * The two pictures of a list of figures: progress per row, and the commitments of each row by status.
 * Drawn on the server as SVG; an empty string where a picture could not be drawn safely.
 */
export async function figureCharts(locale: Locale, subject: string, rows: readonly FiguresRow[]): Promise<string[]> {
  const labels = rows.map((row) => row.label);
  const shown = commitmentStatuses.filter((status) => rows.some((row) => row.figures.counts[status] > 0));
  return Promise.all([
    renderProgressChart({
      title: localized(locale, `${subject}：进度`, `${subject}: progress`),
      bars: rows.map((row) => ({ label: row.label, percent: row.figures.progress })),
    }),
    renderStackedCountChart({
      title: localized(locale, `${subject}：各状态承诺数`, `${subject}: commitments by status`),
      categories: labels,
      series: shown.map((status) => ({ name: statusName(locale, status), color: statusColors[status], counts: rows.map((row) => row.figures.counts[status]) })),
    }),
  ]);
}

/** Charts with the table of their figures: the pictures for the eye, the table for everyone. */
export function ChartFigure(props: { locale: Locale; caption: string; charts: readonly string[]; children: ComponentChildren }): VNode {
  const { locale } = props;
  return (
    <figure class="dashboard-chart">
      <figcaption>
        <strong>{props.caption}</strong>
      </figcaption>
      {props.charts
        .filter((svg) => svg !== '')
        .map((svg) => (
          // Drawn by ECharts, which escapes every text it draws, and checked by isInert() before it gets here.
          <div class="chart-picture" dangerouslySetInnerHTML={{ __html: svg }} />
        ))}
      <details open>
        <summary>{localized(locale, '数据表', 'The figures as a table')}</summary>
        {props.children}
      </details>
    </figure>
  );
}

/** Figures as a table: progress, commitments counted, and how many show each status. */
export function FiguresTable(props: { locale: Locale; caption: string; nameHeader: string; rows: readonly FiguresRow[]; total?: Figures }): VNode {
  const { locale } = props;
  const cells = (figures: Figures) => (
    <>
      <td>{percentText(figures.progress)}</td>
      <td>{figures.counted}</td>
      {commitmentStatuses.map((status) => (
        <td>{figures.counts[status]}</td>
      ))}
    </>
  );
  return (
    <table class="dashboard-figures">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.nameHeader}</th>
          <th scope="col">{localized(locale, '进度', 'Progress')}</th>
          <th scope="col">{localized(locale, '计入承诺', 'Commitments counted')}</th>
          {commitmentStatuses.map((status) => (
            <th scope="col">{statusName(locale, status)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <th scope="row" style={row.depth ? `padding-left:${row.depth * 1.5}rem` : undefined}>
              {row.name}
            </th>
            {cells(row.figures)}
          </tr>
        ))}
      </tbody>
      {props.total ? (
        <tfoot>
          <tr>
            <th scope="row">{localized(locale, '合计', 'All')}</th>
            {cells(props.total)}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

/** How far off a due date is, in words: "12 days late", "due in 10 days", "due today". */
export function dueText(locale: Locale, daysLeft: number): string {
  if (daysLeft < 0) return localized(locale, `逾期 ${-daysLeft} 天`, `${-daysLeft} day${daysLeft === -1 ? '' : 's'} late`);
  if (daysLeft === 0) return localized(locale, '今天到期', 'due today');
  return localized(locale, `${daysLeft} 天后到期`, `due in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`);
}

/** Counts by status in words, for a line of facts ("3 done, 1 overdue"); statuses with none are left out. */
export function countsText(locale: Locale, figures: Figures): string {
  const parts = commitmentStatuses
    .filter((status) => figures.counts[status] > 0)
    .map((status) => localized(locale, `${statusName(locale, status)} ${figures.counts[status]} 项`, `${figures.counts[status]} ${statusName(locale, status).toLowerCase()}`));
  return parts.length > 0 ? parts.join(localized(locale, '，', ', ')) : localized(locale, '暂无承诺', 'no commitments yet');
}

/** Overdue or soon-due commitments as a table, each linking to its page (and its timeline). */
export function DueTable(props: {
  locale: Locale;
  caption: string;
  items: readonly DueCommitment[];
  commitmentHref: (id: number) => string;
  /** Names the document of each (lists across documents). */
  withDocument?: boolean;
  responsibleLabel: (commitment: DueCommitment) => string;
}): VNode {
  const { locale } = props;
  return (
    <table class="dashboard-due">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{localized(locale, '承诺事项', 'Commitment')}</th>
          <th scope="col">{props.withDocument ? localized(locale, '文件 / 措施', 'Document / measure') : localized(locale, '措施', 'Measure')}</th>
          <th scope="col">{localized(locale, '责任单位', 'Responsible')}</th>
          <th scope="col">{localized(locale, '完成期限', 'Due')}</th>
          <th scope="col">{localized(locale, '进度', 'Progress')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((commitment) => (
          <tr>
            <td>
              <a href={props.commitmentHref(commitment.id)}>{textIn(locale, commitment.whatZh, commitment.whatEn)}</a>
            </td>
            <td>
              {props.withDocument ? `${textIn(locale, commitment.document.titleZh, commitment.document.titleEn)} › ` : null}
              {commitment.measure.number} {textIn(locale, commitment.measure.titleZh, commitment.measure.titleEn)}
            </td>
            <td>{props.responsibleLabel(commitment)}</td>
            <td>
              <time dateTime={commitment.dueOn}>{commitment.dueOn}</time>{' '}
              {commitment.status === 'overdue' ? <strong>{dueText(locale, commitment.daysLeft)}</strong> : <span class="muted">{dueText(locale, commitment.daysLeft)}</span>}
            </td>
            <td>{commitment.progress}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Rows of measures (the top ones only, for the charts), each linked when `href` is given. */
export function measureFigureRows(locale: Locale, measures: readonly MeasureFigures[], topOnly: boolean, href?: (id: number) => string): FiguresRow[] {
  return measures
    .filter((measure) => !topOnly || measure.depth === 0)
    .map((measure) => {
      const label = measureLabel(locale, measure);
      return { name: href ? <a href={href(measure.id)}>{label}</a> : label, label, figures: measure, depth: measure.depth };
    });
}

/** Rows of organizations with their figures, each linked when `href` is given. */
export function organizationFigureRows(
  entries: readonly (Figures & { organization: OrganizationRef })[],
  labelOf: (organization: OrganizationRef) => string,
  href?: (id: number) => string,
): FiguresRow[] {
  return entries.map((entry) => {
    const label = labelOf(entry.organization);
    return { name: href ? <a href={href(entry.organization.id)}>{label}</a> : label, label, figures: entry };
  });
}

/** A document's measures: the pictures of the top ones, and the table of all, those below indented. */
export function MeasuresFigure(props: { locale: Locale; charts: readonly string[]; rows: readonly FiguresRow[]; total: Figures }): VNode {
  const { locale } = props;
  return (
    <ChartFigure locale={locale} caption={localized(locale, '各项措施的进度（含下级措施）', 'Progress of each measure, with the measures below it')} charts={props.charts}>
      <FiguresTable
        locale={locale}
        caption={localized(locale, '各项措施：进度与承诺状态（下级措施缩进显示）', 'Measures: progress and commitments by status (measures below indented)')}
        nameHeader={localized(locale, '措施', 'Measure')}
        rows={props.rows}
        total={props.total}
      />
    </ChartFigure>
  );
}

/** A document's parties (a circular's federations): the pictures and the table. */
export function PartiesFigure(props: { locale: Locale; caption: string; charts: readonly string[]; rows: readonly FiguresRow[] }): VNode {
  const { locale } = props;
  return (
    <ChartFigure locale={locale} caption={props.caption} charts={props.charts}>
      <FiguresTable
        locale={locale}
        caption={localized(locale, '各方承诺（含其下属单位）：进度与状态', 'Commitments of each (with its units): progress and status')}
        nameHeader={localized(locale, '组织', 'Organization')}
        rows={props.rows}
      />
    </ChartFigure>
  );
}
