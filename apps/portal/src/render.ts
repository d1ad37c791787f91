/**
 * The page, section by section, as the seed page shows it. Each section is a landmark with a
 * heading; every chart has a text alternative and a data table beside it.
 */
import type { Lang, OperationSummary, OperationView } from './api';
import { breakdownChart, budgetChart, Chart, officesMap, pillarChart } from './charts';
import { COLORS } from './colors';
import { h, uid } from './dom';
import { csvDownload } from './downloads';
import { LANGS, t } from './i18n';
import { REVISIONS_ID } from './render-history';
import { serializeUrlState, UrlState } from './url-state';
import {
  describeSeries,
  EXACT_MILLIONS_DECIMALS,
  formatContributionDate,
  formatKeyFigure,
  formatMillions,
  formatNumber,
  formatUsdFromMillions,
  LiveContribution,
  operationName,
  pillarsWithData,
  summaryName,
  trendWords,
} from './view-model';

/** What the page does when the reader picks something; main.ts wires it to the URL. */
export interface Actions {
  chooseOperation(code: string): void;
  chooseYear(year: number): void;
  chooseLang(lang: Lang, href: string): void;
}

/** Charts need their element in the document before they draw: render returns what to mount. */
export type Mount = () => Chart;

// ---- header -----------------------------------------------------------------------------

export function renderHeader(state: UrlState, operations: OperationSummary[], actions: Actions): HTMLElement[] {
  const lang = state.lang;
  const select = h('select', { id: 'operation-picker', name: 'op' });
  const known = operations.some((o) => o.code === state.op);
  for (const o of known || !state.op ? operations : [{ code: state.op, name: null }, ...operations]) {
    const option = h('option', { value: o.code }, `${summaryName(o.name, o.code, lang)} (${o.code})`);
    if (o.code === state.op) option.selected = true;
    select.append(option);
  }
  const form = h(
    'form',
    {
      className: 'picker',
      'aria-label': t(lang, 'operation'),
      action: './',
      method: 'get',
      onsubmit: ((event: Event) => {
        event.preventDefault();
        actions.chooseOperation(select.value);
      }) as EventListener,
    },
    h('label', { for: 'operation-picker' }, t(lang, 'operation')),
    select,
    h('input', { type: 'hidden', name: 'lang', value: lang }),
    h('button', { type: 'submit' }, t(lang, 'show')),
  );
  const langNav = h('nav', { className: 'lang-switch', 'aria-label': t(lang, 'language') });
  const list = h('ul');
  for (const other of LANGS) {
    const href = serializeUrlState({ ...state, lang: other });
    const link = h(
      'a',
      {
        id: `lang-${other}`,
        href,
        lang: other,
        hreflang: other,
        'aria-current': other === lang ? 'true' : null,
        onclick: ((event: MouseEvent) => {
          if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          actions.chooseLang(other, href);
        }) as EventListener,
      },
      t(other, 'languageName'),
    );
    list.append(h('li', {}, link));
  }
  langNav.append(list);
  return [h('p', { className: 'site-name' }, h('a', { href: serializeUrlState({ lang }) }, t(lang, 'siteName'))), form, langNav];
}

// ---- main -------------------------------------------------------------------------------

export interface Rendered {
  nodes: HTMLElement[];
  mounts: Mount[];
  contributionsList: HTMLElement;
}

/** `live`: the page follows new contributions (not on a page as of a past instant, which does not change). */
export function renderView(view: OperationView, lang: Lang, contributions: LiveContribution[], actions: Actions, live = true): Rendered {
  const mounts: Mount[] = [];
  const name = operationName(view, lang);
  const place = [view.operation.region, view.operation.subregion].filter(Boolean).join(' · ');
  const intro = h(
    'div',
    { className: 'intro' },
    h('h1', { id: 'operation-name' }, name),
    place ? h('p', { className: 'region' }, h('span', { className: 'visually-hidden' }, `${t(lang, 'region')}: `), place) : null,
  );

  const panelId = 'year-panel';
  const tabs = yearTabs(view, lang, panelId, actions);
  const panel = h(
    'div',
    { id: panelId, role: 'tabpanel', 'aria-labelledby': `year-tab-${view.year}`, className: 'year-panel' },
    keyFigures(view, lang),
    peopleOfConcern(view, lang, mounts),
    narratives(view, lang),
  );
  const contributionsList = h('ul', { className: 'contributions', id: 'contributions-list' });
  fillContributions(contributionsList, contributions, lang);

  const grid = h(
    'div',
    { className: 'layout' },
    h('div', { className: 'primary' }, tabs, panel, budgetSection(view, lang, mounts)),
    h(
      'div',
      { className: 'secondary' },
      officesSection(view, lang, mounts),
      section(
        'contributions',
        t(lang, 'latestContributions'),
        ...(live ? [h('p', { className: 'hint live-hint' }, t(lang, 'liveUpdates'))] : []),
        contributionsList,
      ),
    ),
  );
  return { nodes: [intro, grid], mounts, contributionsList };
}

function section(key: string, title: string, ...children: Array<Node | null | false>): HTMLElement {
  const headingId = `${key}-heading`;
  return h('section', { className: `card ${key}`, 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), ...children);
}

function yearTabs(view: OperationView, lang: Lang, panelId: string, actions: Actions): HTMLElement {
  // The year shown always has its tab, even one the operation has no data for (a shared old link).
  const years = [...new Set([...view.years, view.year])].sort((a, b) => a - b);
  const list = h('div', { role: 'tablist', 'aria-label': t(lang, 'year'), className: 'year-tabs', id: 'year-tabs' });
  const buttons = years.map((year) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `year-tab-${year}`,
        'aria-selected': year === view.year ? 'true' : 'false',
        'aria-controls': panelId,
        tabindex: year === view.year ? 0 : -1,
        onclick: (() => actions.chooseYear(year)) as EventListener,
      },
      String(year),
    ),
  );
  // Arrow keys, Home and End move between tabs; Enter or Space shows the year (each is a fetch).
  list.addEventListener('keydown', (event: KeyboardEvent) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1) return;
    const next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = buttons[(next + buttons.length) % buttons.length];
    if (!target) return;
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    target.focus();
  });
  list.append(...buttons);
  return h('div', { className: 'year-bar' }, h('span', { className: 'year-label', 'aria-hidden': 'true' }, `${t(lang, 'year')}:`), list);
}

function keyFigures(view: OperationView, lang: Lang): HTMLElement {
  const group = (title: string, year: number, items: OperationView['keyFigures']['results']['items']) =>
    h(
      'div',
      { className: 'figure-group' },
      h('h3', {}, title),
      items.length
        ? h(
            'ul',
            { className: 'key-figures' },
            ...items.map((item) => h('li', {}, h('strong', { className: 'figure' }, formatKeyFigure(item, lang)), ' ', item.text)),
          )
        : h('p', { className: 'empty' }, t(lang, 'noFigures', { year })),
    );
  const { results, planning } = view.keyFigures;
  return section(
    'key-figures',
    t(lang, 'keyFigures'),
    group(t(lang, 'results', { year: results.year }), results.year, results.items),
    group(t(lang, 'planning', { year: planning.year }), planning.year, planning.items),
  );
}

function peopleOfConcern(view: OperationView, lang: Lang, mounts: Mount[]): HTMLElement {
  const poc = view.peopleOfConcern;
  const trend = trendWords(poc.trend, lang);
  // As the page does: the year shown and the two before it; every year is in a table below.
  const allTotals = [...poc.totalsByYear].sort((a, b) => b.year - a.year);
  const totals = allTotals.filter(({ year }) => year <= poc.year).slice(0, 3);
  const totalsHeading = h('h3', { className: 'visually-hidden' }, t(lang, 'totalsByYear'));
  const totalsList = h(
    'dl',
    { className: 'totals' },
    ...totals.flatMap(({ year, total }) => [
      h('dt', { className: year === poc.year ? 'current' : null }, String(year)),
      h('dd', { className: year === poc.year ? 'current' : null }, formatNumber(total, lang)),
    ]),
  );
  const headline =
    poc.total !== null
      ? h(
          'p',
          { className: 'poc-headline' },
          trend ? h('span', { className: `trend trend-${poc.trend}` }, `${trend} `) : null,
          h('span', {}, String(poc.year)),
          ' ',
          h('strong', { className: 'poc-total' }, formatNumber(poc.total, lang)),
        )
      : null;

  const title = t(lang, 'breakdown', { year: poc.year });
  let breakdown: HTMLElement;
  if (poc.breakdown.length) {
    const chartEl = h('div', {
      className: 'chart chart-breakdown',
      role: 'img',
      'aria-label': describeSeries(
        title,
        poc.breakdown.map(([label]) => label),
        poc.breakdown.map(([, v]) => v),
        lang,
        (v) => formatNumber(v, lang),
      ),
      style: `height:${Math.max(160, 48 * poc.breakdown.length + 40)}px`,
    });
    mounts.push(() => breakdownChart(chartEl, poc.breakdown, lang));
    breakdown = h(
      'figure',
      { className: 'poc-breakdown' },
      h('figcaption', {}, title),
      chartEl,
      dataTable(
        lang,
        [t(lang, 'populationType'), t(lang, 'people')],
        poc.breakdown.map(([label, value]) => [label, formatNumber(value, lang)]),
      ),
    );
  } else {
    breakdown = h('p', { className: 'empty' }, t(lang, 'noBreakdown', { year: poc.year }));
  }
  const everyYear =
    allTotals.length > totals.length
      ? dataTable(
          lang,
          [t(lang, 'year'), t(lang, 'people')],
          allTotals.map(({ year, total }) => [String(year), formatNumber(total, lang)]),
          t(lang, 'totalsByYear'),
        )
      : null;
  const download = poc.totalsByYear.length ? csvDownload(lang, 'population', view.operation.code) : null;
  // Filled once the breakdown's histories are read (render-history.ts): the page does not wait for them.
  const revisions = h('div', { id: REVISIONS_ID, className: 'revisions' });
  const totalsShown = totals.length ? [totalsHeading, totalsList] : [null, null];
  return section('people-of-concern', t(lang, 'peopleOfConcern'), headline, ...totalsShown, everyYear, breakdown, download, revisions);
}

function dataTable(lang: Lang, head: string[], rows: string[][], caption?: string): HTMLElement {
  const table = h(
    'table',
    {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, ...head.map((cell) => h('th', { scope: 'col' }, cell)))),
    h(
      'tbody',
      {},
      ...rows.map(([first, ...rest]) => h('tr', {}, h('th', { scope: 'row' }, first ?? ''), ...rest.map((cell) => h('td', {}, cell)))),
    ),
  );
  return h(
    'details',
    { className: 'data-table' },
    h('summary', {}, t(lang, 'dataTable')),
    h('div', { className: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption ?? head.join(', ') }, table),
  );
}

function budgetSection(view: OperationView, lang: Lang, mounts: Mount[]): HTMLElement {
  const budget = view.budget;
  if (!budget.categories.length)
    return section('budget', t(lang, 'budgetAndExpenditure'), h('p', { className: 'empty' }, t(lang, 'noBudget')));
  const fmt = (v: number) => formatMillions(v, lang);
  const totalTitle = t(lang, 'budgetChart');
  const totalEl = h('div', {
    className: 'chart chart-budget',
    role: 'img',
    'aria-label': [
      describeSeries(`${totalTitle} – ${t(lang, 'budget')}`, budget.categories, budget.budget, lang, fmt),
      describeSeries(t(lang, 'expenditure'), budget.categories, budget.expenditure, lang, fmt),
    ].join(' '),
  });
  mounts.push(() => budgetChart(totalEl, budget, lang));

  const pillars = pillarsWithData(budget);
  const pillarName = (p: string) => t(lang, `pillar${p.slice(1)}` as 'pillar1');
  const pillarTitle = t(lang, 'pillarChart');
  const pillarEl = h('div', {
    className: 'chart chart-pillars',
    role: 'img',
    'aria-label': pillars
      .flatMap((p) => [
        describeSeries(`${t(lang, 'budget')} – ${pillarName(p)}`, budget.categories, budget.budgetByPillar[p] ?? [], lang, fmt),
        describeSeries(`${t(lang, 'expenditure')} – ${pillarName(p)}`, budget.categories, budget.expenditureByPillar[p] ?? [], lang, fmt),
      ])
      .join(' '),
  });
  mounts.push(() => pillarChart(pillarEl, budget, lang));

  // The table is where a reader gets the exact figures (to the cent) the charts round.
  const cell = (v: number | null | undefined) => formatMillions(v, lang, EXACT_MILLIONS_DECIMALS);
  const head = [
    t(lang, 'year'),
    `${t(lang, 'budget')} – ${t(lang, 'total')}`,
    `${t(lang, 'expenditure')} – ${t(lang, 'total')}`,
    ...pillars.flatMap((p) => [`${t(lang, 'budget')} – ${pillarName(p)}`, `${t(lang, 'expenditure')} – ${pillarName(p)}`]),
  ];
  const rows = budget.categories.map((year, i) => [
    String(year),
    cell(budget.budget[i]),
    cell(budget.expenditure[i]),
    ...pillars.flatMap((p) => [cell(budget.budgetByPillar[p]?.[i]), cell(budget.expenditureByPillar[p]?.[i])]),
  ]);
  const current = budget.categories.indexOf(view.year);
  const currentBudget = current === -1 ? null : budget.budget[current];
  return section(
    'budget',
    t(lang, 'budgetAndExpenditure'),
    h(
      'p',
      { className: 'unit' },
      t(lang, 'usdMillions'),
      currentBudget !== null && currentBudget !== undefined
        ? h('span', { className: 'exact' }, ` · ${t(lang, 'budget')} ${view.year}: ${formatUsdFromMillions(currentBudget, lang)}`)
        : null,
    ),
    h('figure', {}, h('figcaption', {}, totalTitle), totalEl),
    h('figure', {}, h('figcaption', {}, `${t(lang, 'byPillar')}: ${pillarTitle}`), pillarEl, pillarLegend(pillars, lang)),
    dataTable(lang, head, rows, `${t(lang, 'budgetAndExpenditure')} (${t(lang, 'usdMillions')})`),
    csvDownload(lang, 'budget', view.operation.code),
  );
}

/** The pillar chart's legend, as HTML so that it wraps on a phone: budget and expenditure per pillar. */
function pillarLegend(pillars: string[], lang: Lang): HTMLElement {
  const item = (color: string | undefined, label: string) =>
    h('li', {}, h('span', { className: 'swatch', style: `background:${color ?? '#999'}`, 'aria-hidden': 'true' }), label);
  return h(
    'ul',
    { className: 'legend' },
    ...pillars.flatMap((p) => {
      const index = Number(p.slice(1)) - 1;
      const name = t(lang, `pillar${index + 1}` as 'pillar1');
      return [
        item(COLORS.pillars[index], `${t(lang, 'budget')} – ${name}`),
        item(COLORS.expenditurePillars[index], `${t(lang, 'expenditure')} – ${name}`),
      ];
    }),
  );
}

function narratives(view: OperationView, lang: Lang): HTMLElement {
  const { sections, year } = view.narratives;
  if (!sections.length)
    return section('narratives', t(lang, 'narratives', { year }), h('p', { className: 'empty' }, t(lang, 'noNarratives', { year })));
  return section(
    'narratives',
    t(lang, 'narratives', { year }),
    ...sections.map((s) =>
      h(
        'article',
        { className: 'narrative', lang: s.lang !== lang ? s.lang : null, 'aria-labelledby': `narrative-${s.key}` },
        h(
          'h3',
          { id: `narrative-${s.key}` },
          s.title,
          s.lang !== lang ? h('span', { className: 'fallback', lang }, ` ${t(lang, 'inEnglish')}`) : null,
        ),
        ...s.body
          .split(/\n+/)
          .filter((p) => p.trim())
          .map((p) => h('p', {}, p)),
      ),
    ),
  );
}

function officesSection(view: OperationView, lang: Lang, mounts: Mount[]): HTMLElement {
  const offices = view.operation.offices;
  if (!offices.length) return section('offices', t(lang, 'offices'), h('p', { className: 'empty' }, t(lang, 'noOffices')));
  const kind = (k: string) => t(lang, `office_${k.replace(/-/g, '_')}` as 'office_other');
  const mapEl = h('div', {
    className: 'chart map',
    role: 'img',
    'aria-label': `${t(lang, 'mapLabel', { name: operationName(view, lang) })}: ${offices.map((o) => `${o.name} (${kind(o.kind)})`).join(', ')}`,
  });
  mounts.push(() => officesMap(mapEl, offices, lang));
  const coord = (v: number) => v.toFixed(2);
  return section(
    'offices',
    t(lang, 'offices'),
    h('p', { className: 'hint' }, t(lang, 'mapHint')),
    mapEl,
    h(
      'ul',
      { className: 'office-list' },
      ...offices.map((o) =>
        h(
          'li',
          {},
          h('strong', {}, o.name),
          ` – ${kind(o.kind)} `,
          h('span', { className: 'coords' }, `(${coord(o.lat)}, ${coord(o.lon)})`),
        ),
      ),
    ),
  );
}

export function fillContributions(list: HTMLElement, contributions: LiveContribution[], lang: Lang): void {
  list.replaceChildren();
  if (!contributions.length) {
    list.append(h('li', { className: 'empty' }, t(lang, 'noContributions')));
    return;
  }
  for (const c of contributions) {
    list.append(
      h(
        'li',
        { className: c.live ? 'is-new' : null, 'data-contribution-id': c.id ?? null },
        h('time', { datetime: c.date }, formatContributionDate(c.date, lang)),
        ' ',
        h('span', { className: 'donor' }, c.donor),
      ),
    );
  }
}

export function renderMessage(text: string, role: 'alert' | 'status' = 'status'): HTMLElement {
  return h('p', { className: `message ${role}`, role, id: uid('message') }, text);
}
