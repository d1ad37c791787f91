/**
 * The page's palette, on its own (no ECharts here) so that the browser checks can tell the
 * map's office markers from its country shapes by colour without loading the charts.
 */
export const COLORS = {
  budget: '#0072bc',
  expenditure: '#8a5a00',
  pillars: ['#0072bc', '#00a3a3', '#7a4fa0', '#c2410c'],
  expenditurePillars: ['#7fb8de', '#7fd1d1', '#bca7cf', '#e0a085'],
  /** The map: countries, their borders, and the office markers. */
  land: '#e8eef3',
  border: '#9aa9b6',
  office: '#0072bc',
};
