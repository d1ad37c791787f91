/**
 * The charts and the map, drawn by ECharts (tree-shaken to what the page uses, SVG renderer)
 * from the view's series as they are. Every chart also has a text alternative and a table,
 * which render.ts writes beside it.
 */
import { BarChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import type { Lang, Office, OperationView } from './api';
import { COLORS } from './colors';
import { worldGeoJson } from './geo';
import { t } from './i18n';
import { formatMillions, formatNumber, mapViewport, pillarsWithData } from './view-model';

echarts.use([BarChart, ScatterChart, GeoComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const TEXT = '#1f2937';

let worldRegistered = false;

/** Country shapes from world-atlas (TopoJSON, shipped in the bundle) as GeoJSON for ECharts. */
function registerWorld(): void {
  if (worldRegistered) return;
  const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
  echarts.registerMap('world', worldGeoJson(topology) as never);
  worldRegistered = true;
}

export type Chart = echarts.ECharts;

function init(el: HTMLElement): Chart {
  return echarts.init(el, undefined, { renderer: 'svg' });
}

const baseGrid = { left: 8, right: 16, top: 40, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' } as const;

export function breakdownChart(el: HTMLElement, breakdown: Array<[string, number]>, lang: Lang): Chart {
  const chart = init(el);
  const rows = [...breakdown].reverse(); // ECharts draws category axes bottom-up; keep the view's order top-down.
  chart.setOption({
    animation: false,
    textStyle: { color: TEXT },
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => formatNumber(Number(v), lang) },
    grid: { ...baseGrid, top: 8, right: 64 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, lang), hideOverlap: true } },
    yAxis: { type: 'category', data: rows.map(([label]) => label), axisLabel: { width: 120, overflow: 'break' } },
    series: [
      {
        type: 'bar',
        name: t(lang, 'people'),
        data: rows.map(([, value]) => value),
        itemStyle: { color: COLORS.budget },
        label: { show: true, position: 'right', formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang) },
      },
    ],
  });
  return chart;
}

export function budgetChart(el: HTMLElement, budget: OperationView['budget'], lang: Lang): Chart {
  const chart = init(el);
  chart.setOption({
    animation: false,
    textStyle: { color: TEXT },
    legend: { top: 0, data: [t(lang, 'budget'), t(lang, 'expenditure')] },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (v === null || v === undefined ? t(lang, 'noData') : formatMillions(Number(v), lang)),
    },
    grid: baseGrid,
    xAxis: { type: 'category', data: budget.categories.map(String) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatMillions(v, lang) } },
    series: [
      { type: 'bar', name: t(lang, 'budget'), data: budget.budget, itemStyle: { color: COLORS.budget } },
      { type: 'bar', name: t(lang, 'expenditure'), data: budget.expenditure, itemStyle: { color: COLORS.expenditure } },
    ],
  });
  return chart;
}

export function pillarChart(el: HTMLElement, budget: OperationView['budget'], lang: Lang): Chart {
  const chart = init(el);
  const pillars = pillarsWithData(budget);
  const series = pillars.flatMap((p) => {
    const index = Number(p.slice(1)) - 1;
    const name = t(lang, `pillar${index + 1}` as 'pillar1');
    return [
      {
        type: 'bar' as const,
        stack: 'budget',
        name: `${t(lang, 'budget')} – ${name}`,
        data: budget.budgetByPillar[p] ?? [],
        itemStyle: { color: COLORS.pillars[index] },
      },
      {
        type: 'bar' as const,
        stack: 'expenditure',
        name: `${t(lang, 'expenditure')} – ${name}`,
        data: budget.expenditureByPillar[p] ?? [],
        itemStyle: { color: COLORS.expenditurePillars[index] },
      },
    ];
  });
  chart.setOption({
    animation: false,
    textStyle: { color: TEXT },
    // Six long names don't fit a legend on a phone: render.ts writes it as an HTML list.
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (v === null || v === undefined ? t(lang, 'noData') : formatMillions(Number(v), lang)),
    },
    grid: { ...baseGrid, top: 16 },
    xAxis: { type: 'category', data: budget.categories.map(String) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatMillions(v, lang) } },
    series,
  });
  return chart;
}

/** The offices on an offline world map: shapes from world-atlas, no tile server. */
export function officesMap(el: HTMLElement, offices: Office[], lang: Lang): Chart {
  registerWorld();
  const chart = init(el);
  const { center, zoom } = mapViewport(offices);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: 'item',
      triggerOn: 'mousemove|click',
      formatter: (p: { data?: { name: string; kind: string } }) =>
        p.data ? `<strong>${escapeHtml(p.data.name)}</strong><br>${escapeHtml(p.data.kind)}` : '',
    },
    geo: {
      map: 'world',
      // Pan and zoom with a mouse; on a touch screen a drag must scroll the page, not the map.
      roam: typeof matchMedia === 'function' && matchMedia('(pointer: fine)').matches,
      center,
      zoom,
      silent: true,
      itemStyle: { areaColor: COLORS.land, borderColor: COLORS.border, borderWidth: 0.5 },
    },
    series: [
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        symbol: 'pin',
        symbolSize: 26,
        itemStyle: { color: COLORS.office },
        label: { show: true, position: 'right', formatter: '{b}', color: TEXT, fontWeight: 'bold' },
        data: offices.map((o) => ({
          name: o.name,
          kind: t(lang, `office_${o.kind.replace(/-/g, '_')}` as 'office_other'),
          value: [o.lon, o.lat],
        })),
      },
    ],
  });
  return chart;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
