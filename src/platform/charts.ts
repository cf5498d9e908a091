import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { escapeXml } from './xml.ts';

/**
 * Charts drawn on the server as SVG with Apache ECharts (its server-side rendering: no DOM, no canvas),
 * so that they show without JavaScript and print. ECharts escapes the text it draws; the SVG is still
 * checked before it is handed out, and dropped if anything in it could run (see isInert). The
 * chart gets role="img" and a label; the figures themselves belong in a table beside it, for those
 * who do not see the picture.
 *
 * Charts are cached by their content (a digest of everything drawn): the same figures give the same
 * picture, so nothing is ever stale and no change has to be announced.
 */

type ECharts = typeof import('echarts/core');

// Installed by importing them: the bar chart, the plain grid and legend. Named one by one rather than
// through 'echarts/charts' and 'echarts/components', which load every kind of chart (a second more).
const installedParts = ['echarts/lib/chart/bar', 'echarts/lib/component/gridSimple', 'echarts/lib/component/legendPlain'];

let engine: Promise<ECharts> | undefined;

/** Loads ECharts with the parts these charts use and its SVG renderer, on the first chart drawn. */
function loadEngine(): Promise<ECharts> {
  engine ??= (async () => {
    const [core, renderers] = await Promise.all([import('echarts/core'), import('echarts/renderers')]);
    for (const part of installedParts) await import(part);
    core.use([renderers.SVGRenderer]);
    return core;
  })();
  // A failed load is not kept: the next chart tries again.
  engine.catch(() => {
    engine = undefined;
  });
  return engine;
}

/** One bar of a progress chart: a category and its percentage (null: nothing counted, no bar). */
export interface ProgressBar {
  label: string;
  percent: number | null;
}

/** A chart of percentages, one horizontal bar per category, 0–100. */
export interface ProgressChart {
  /** What the chart shows, for its role="img" label and its <title>. */
  title: string;
  bars: readonly ProgressBar[];
}

/** A series of a stacked chart: its name in the legend, its colour and one count per category. */
export interface CountSeries {
  name: string;
  color: string;
  counts: readonly number[];
}

/** A chart of counts stacked by series (commitments by status, per measure or party). */
export interface StackedCountChart {
  title: string;
  categories: readonly string[];
  series: readonly CountSeries[];
}

const width = 640;
const barHeight = 30;
const axisLabelLength = 28;
const ink = '#1f2328';
const gridLine = '#d0d7de';
const barColour = '#2f5fb3';

const cache = new LRUCache<string, string>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (svg) => Math.max(1, svg.length) });

/** A category name short enough for the axis; the table beside the chart has it whole. */
function axisLabel(text: string): string {
  const chars = [...text];
  return chars.length > axisLabelLength ? `${chars.slice(0, axisLabelLength - 1).join('')}…` : text;
}

/**
 * Tells whether an SVG is free of anything a browser could run or load: script or foreign content,
 * an element that links or embeds, an event handler or address attribute. Text is escaped, so every
 * "<" left starts a real tag; attribute values are set aside before the names are read. ECharts
 * escapes what it draws, so this holds unless that changes; inline SVG is HTML, and a chart must
 * never become a way in.
 */
export function isInert(svg: string): boolean {
  return (svg.match(/<[^>]*>?/g) ?? []).every((tag) => {
    const names = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    return (
      !/^<\s*\/?\s*(script|foreignobject|iframe|object|embed|image|use|a|animate|set|handler|listener)[\s>/]/i.test(names) &&
      !/[\s/](on[a-z]+|(xlink:)?href)\s*=/i.test(names)
    );
  });
}

/** Gives the SVG its accessible name and lets it scale to its container (the viewBox keeps its shape). */
function labelled(svg: string, title: string): string {
  const name = escapeXml(title);
  return svg
    .replace(/^<svg width="\d+(?:\.\d+)?" height="\d+(?:\.\d+)?"/, `<svg role="img" aria-label="${name}" width="100%" preserveAspectRatio="xMinYMin meet" style="max-width:${width}px"`)
    .replace(/^(<svg[^>]*>)/, `$1<title>${name}</title>`);
}

async function render(kind: string, input: unknown, title: string, height: number, option: () => Record<string, unknown>): Promise<string> {
  const key = createHash('sha256').update(kind).update(JSON.stringify(input)).digest('base64url');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const echarts = await loadEngine();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption(option());
    svg = labelled(chart.renderToSVGString(), title);
  } finally {
    chart.dispose();
  }
  // A picture that could run something is not shown at all; the table beside it still gives the figures.
  const safe = isInert(svg) ? svg : '';
  cache.set(key, safe);
  return safe;
}

const common = {
  animation: false,
  // Fonts with Arial's widths first: without a canvas, ECharts lays labels out by Arial-like widths
  // (and one em for a Chinese character), so that is what keeps them inside the picture.
  textStyle: { fontFamily: "Arial, 'Liberation Sans', Helvetica, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif", color: ink },
};

function categoryAxis(categories: readonly string[]) {
  return {
    type: 'category',
    inverse: true,
    data: categories.map(axisLabel),
    axisTick: { show: false },
    axisLine: { lineStyle: { color: ink } },
    axisLabel: { color: ink },
  };
}

/** Draws percentages as horizontal bars (0–100 %), each labelled with its figure; returns the SVG. */
export async function renderProgressChart(chart: ProgressChart): Promise<string> {
  const height = 40 + Math.max(1, chart.bars.length) * barHeight;
  return render('progress', chart, chart.title, height, () => ({
    ...common,
    grid: { left: 16, right: 48, top: 8, bottom: 24, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { formatter: '{value}%', color: ink }, splitLine: { lineStyle: { color: gridLine } } },
    yAxis: categoryAxis(chart.bars.map((bar) => bar.label)),
    series: [
      {
        type: 'bar',
        silent: true,
        barMaxWidth: 20,
        itemStyle: { color: barColour },
        data: chart.bars.map((bar) => bar.percent),
        label: { show: true, position: 'right', color: ink, formatter: (item: { value: unknown }) => (typeof item.value === 'number' ? `${Math.round(item.value)}%` : '') },
      },
    ],
  }));
}

/** Draws counts stacked per category, one colour per series, with a legend; returns the SVG. */
export async function renderStackedCountChart(chart: StackedCountChart): Promise<string> {
  const height = 64 + Math.max(1, chart.categories.length) * barHeight;
  return render('stacked', chart, chart.title, height, () => ({
    ...common,
    legend: { top: 0, left: 0, selectedMode: false, textStyle: { color: ink }, data: chart.series.map((series) => series.name) },
    grid: { left: 16, right: 24, top: 36, bottom: 24, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: ink }, splitLine: { lineStyle: { color: gridLine } } },
    yAxis: categoryAxis(chart.categories),
    series: chart.series.map((series) => ({
      name: series.name,
      type: 'bar',
      stack: 'counts',
      silent: true,
      barMaxWidth: 20,
      itemStyle: { color: series.color },
      data: [...series.counts],
      label: { show: true, color: '#ffffff', formatter: (item: { value: unknown }) => (typeof item.value === 'number' && item.value > 0 ? String(item.value) : '') },
    })),
  }));
}
