/**
 * What the portal must show, checked in a real browser (Debian's chromium driven by
 * playwright-core). The checks know only a base URL and how to write a contribution, so the
 * same ones run against the fixture API (portal.browser.spec.ts) and against the real stack:
 *
 *   describePortalPage('the portal on the real stack', async () => {
 *     const stack = await startStack();
 *     return {
 *       baseUrl: stack.url,                                   // e.g. http://localhost:3000
 *       writeContribution: (c) => postContribution(stack, c), // POST /api/v1/contributions, x-api-key; resolves {id}
 *       moveContribution: (id, c) => putContribution(stack, id, c), // PUT /contributions/:id on the contributions service
 *       close: () => stack.stop(),
 *     };
 *   });
 *
 * The stack must serve the portal at `${baseUrl}/` and the seed operation (KAZ-RO, as
 * tools/seed loads it) under `${baseUrl}/api/v1`, with contributions.contribution.* events on
 * GET /api/v1/contributions/stream (SSE, data = the event envelope; a re-earmark is "moved"
 * under the operation left and "updated" under the new one).
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page, Request } from 'playwright-core';
import { API_BASE } from '../api';
import { COLORS } from '../colors';
import { ensureChromium } from './ensure-chromium';
import type { ContributionInput, FigureRevisionInput, WrittenContribution } from './fixture-api';

export type { ContributionInput, FigureRevisionInput, WrittenContribution };

export interface PortalTarget {
  /** Where the portal is served, with /api/v1 on the same origin; no trailing slash. */
  baseUrl: string;
  /** Records a contribution through the API (body of POST /api/v1/contributions); resolves once accepted. */
  writeContribution(input: ContributionInput): Promise<WrittenContribution>;
  /** Re-earmarks a written contribution: `input` is its new full state, with another operationCode (or none). */
  moveContribution(id: string, input: ContributionInput): Promise<void>;
  /** Writes a new value of a population figure of the operation (PUT …/population/{year}/{type}); resolves once accepted. */
  reviseFigure(input: FigureRevisionInput): Promise<void>;
  /** Stops what the target started. */
  close?(): Promise<void>;
  /** The operation whose page is checked: the seed operation unless told otherwise. */
  operationCode?: string;
  /** Where screenshots go; default tmp/portal-screenshots at the repository root. */
  screenshotDir?: string;
  /** How long a written contribution may take to appear (real stack: Kafka in between). Default 30 s. */
  liveTimeoutMs?: number;
}

const ROOT = resolve(__dirname, '../../../..');
const SIX_SECTIONS = [
  'Operational environment',
  'Population trends',
  'Key achievements',
  'Unmet needs',
  'Working environment',
  'Key priorities',
];
const SIX_YEARS = ['2014', '2015', '2016', '2017', '2018', '2019'];

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors of the page. */
  errors: string[];
  /** Every request a page of the context made, from the first (the document) on. */
  requests: Request[];
}

export interface PortalSession {
  browser: Browser;
  target: PortalTarget;
  code: string;
  screenshots: string;
  /** A fresh page at the given viewport (desktop by default), errors and requests collected. */
  open(query: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
}

export async function startPortalSession(target: PortalTarget): Promise<PortalSession> {
  const executablePath = ensureChromium();
  const browser = await chromium.launch({ executablePath, headless: true });
  const screenshots = target.screenshotDir ?? resolve(ROOT, 'tmp/portal-screenshots');
  mkdirSync(screenshots, { recursive: true });
  return {
    browser,
    target,
    code: target.operationCode ?? 'KAZ-RO',
    screenshots,
    async open(query, viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      // On the context, so that pages a check opens itself are recorded too.
      const requests: Request[] = [];
      context.on('request', (request) => requests.push(request));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${target.baseUrl}/${query}`);
      await page.locator('#operation-name').waitFor({ timeout: 15_000 });
      return { page, context, errors, requests };
    },
  };
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
const texts = async (page: Page, selector: string) =>
  (await page.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

/** Requests the page makes for data (not for its own files): each must be an API call. */
const DATA_REQUESTS = new Set(['fetch', 'xhr', 'eventsource', 'websocket']);

/**
 * What every check ends with: no uncaught error, and "from /api/v1 alone" with "a map that
 * works offline" as the requests show them: nothing left the page's origin (no tile server,
 * font or script host), every data request was an /api/v1 call, and everything else was one
 * of the portal's own files.
 */
function expectCleanPage({ errors, requests }: OpenedPage, session: PortalSession): void {
  expect(errors).toEqual([]);
  const origin = new URL(session.target.baseUrl).origin;
  // data: URLs (the empty favicon) are inline: nothing is fetched.
  const made = requests.map((r) => ({ type: r.resourceType(), url: new URL(r.url()) })).filter((r) => r.url.protocol !== 'data:');
  expect(made.filter((r) => r.url.origin !== origin).map((r) => `${r.type} ${r.url.href}`)).toEqual([]);
  expect(
    made.filter((r) => DATA_REQUESTS.has(r.type) !== r.url.pathname.startsWith(`${API_BASE}/`)).map((r) => `${r.type} ${r.url.pathname}`),
  ).toEqual([]);
}

/** The API calls among a page's requests: path and query. */
const apiCalls = (requests: Request[]) =>
  requests
    .filter((r) => DATA_REQUESTS.has(r.resourceType()))
    .map((r) => new URL(r.url()))
    .map((url) => url.pathname + url.search);

/** A chart's text alternative (describeSeries, English) as {series title: {label: value}}. */
function chartSeries(label: string): Record<string, Record<string, string>> {
  return Object.fromEntries(
    label
      .split(/\.(?: |$)/)
      .filter((sentence) => sentence.includes(': '))
      .map((sentence) => {
        const [title = '', values = ''] = sentence.split(': ');
        return [
          title,
          Object.fromEntries(values.split('; ').map((pair) => [pair.slice(0, pair.indexOf(' ')), pair.slice(pair.indexOf(' ') + 1)])),
        ];
      }),
  );
}

/** The budget data table as {year: {column heading: cell}}. */
async function budgetTable(page: Page): Promise<Record<string, Record<string, string>>> {
  const head = await texts(page, '.budget table thead th');
  const rows = await page
    .locator('.budget table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())));
  return Object.fromEntries(
    rows.map((cells) => [cells[0] ?? '', Object.fromEntries(head.slice(1).map((heading, i) => [heading, cells[i + 1] ?? '']))]),
  );
}

/**
 * The map draws the country shapes shipped with the portal and one marker per office, each
 * labelled with its office's name, inside the map; the marker answers a pointer with its office.
 * The seed has one office, and the map is centred on the offices (mapViewport): the marker's
 * tip is the map's centre. Markers and shapes are told apart by the palette (colors.ts).
 */
async function checkOfficeMarkers(page: Page, offices: string[]): Promise<void> {
  const map = page.locator('.map');
  await map.locator('svg path').first().waitFor({ timeout: 5_000 });
  const drawn = await map.evaluate((el, colors) => {
    const box = (e: Element) => e.getBoundingClientRect().toJSON() as DOMRect;
    const paths = [...el.querySelectorAll('svg path')];
    return {
      map: box(el),
      shapes: paths.filter((p) => p.getAttribute('fill') === colors.land).length,
      markers: paths.filter((p) => p.getAttribute('fill') === colors.office).map(box),
      labels: [...el.querySelectorAll('svg text')].map((t) => ({ text: t.textContent ?? '', box: box(t) })),
    };
  }, COLORS);
  expect(drawn.shapes).toBeGreaterThan(150); // world-atlas's 1:110m countries, less Antarctica
  expect(drawn.markers).toHaveLength(offices.length);
  expect(drawn.labels.map((l) => l.text).sort()).toEqual([...offices].sort());
  for (const marker of drawn.markers) {
    expect(marker.left).toBeGreaterThanOrEqual(drawn.map.left);
    expect(marker.right).toBeLessThanOrEqual(drawn.map.right);
    expect(marker.top).toBeGreaterThanOrEqual(drawn.map.top);
    expect(marker.bottom).toBeLessThanOrEqual(drawn.map.bottom);
    // Its label is written beside it, to the right (label position: right).
    expect(
      drawn.labels.some((l) => Math.abs(l.box.left - marker.right) < 12 && l.box.top < marker.bottom && l.box.bottom > marker.top),
    ).toBe(true);
  }
  if (offices.length === 1) {
    const [marker] = drawn.markers as [DOMRect];
    expect(Math.abs((marker.left + marker.right) / 2 - (drawn.map.left + drawn.map.width / 2))).toBeLessThan(2);
    expect(Math.abs(marker.bottom - (drawn.map.top + drawn.map.height / 2))).toBeLessThan(2);
  }
  const [first] = drawn.markers;
  if (first) {
    await page.mouse.move(first.left + first.width / 2, first.top + first.height / 3);
    await map
      .getByText(offices[0] ?? '', { exact: true })
      .and(map.locator('strong'))
      .waitFor({ timeout: 5_000 });
  }
}

/** The seed page's figures: 88,419 and its trend, the key figures, six budget years, six narrative sections, contributions. */
export async function checkSeedFigures(session: PortalSession): Promise<void> {
  const opened = await session.open(`?op=${session.code}&year=2018&lang=en`);
  const { page, context } = opened;
  try {
    expect(await text(page, 'h1')).toBe('Kazakhstan Regional Office');
    expect(await text(page, '.intro .region')).toContain('Europe');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toContain('Kazakhstan Regional Office 2018');
    expect(await text(page, '.poc-headline')).toBe('Decrease in 2018 88,419');
    expect(await texts(page, '.totals dd')).toEqual(['88,419', '94,532', '95,795']);
    expect(await texts(page, 'section.key-figures h3')).toEqual(['2018 year-end results', '2019 planning figures']);
    const keyFigures = await texts(page, '.key-figures li');
    expect(keyFigures).toContain('100% of refugees and asylum-seekers had access to primary health care');
    expect(keyFigures).toContain('742 persons with undetermined nationality were assisted with confirmation of nationality');
    expect(keyFigures).toContain('650 persons with undetermined nationality assisted with confirmation of nationality');
    expect(await texts(page, '.poc-breakdown tbody th')).toEqual(['Refugees', 'Asylum-seekers', 'Returned refugees', 'Stateless']);
    expect(await texts(page, '.poc-breakdown tbody td')).toEqual(['588', '195', '4', '87,632']);
    expect(await texts(page, '.budget tbody th')).toEqual(SIX_YEARS);
    // The data table has the seed's figures exact to the cent, in total and per pillar (the
    // reintegration pillar has none, so no column); the charts' text alternatives round them.
    const table = await budgetTable(page);
    expect(table['2014']).toEqual({
      'Budget – Total': '7.40638597',
      'Expenditure – Total': '4.11624681',
      'Budget – Refugee programme': '4.99603601',
      'Expenditure – Refugee programme': '2.51744847',
      'Budget – Stateless programme': '2.31999996',
      'Expenditure – Stateless programme': '1.53616117',
      'Budget – IDP projects': '0.09035000',
      'Expenditure – IDP projects': '0.06263717',
    });
    expect(table['2018']).toMatchObject({
      'Budget – Refugee programme': '4.40666094',
      'Expenditure – Refugee programme': '2.02644007',
      'Budget – Stateless programme': '1.11371229',
      'Expenditure – Stateless programme': '0.70731970',
    });
    expect(table['2019']).toMatchObject({ 'Budget – Refugee programme': '4.32807500', 'Expenditure – Refugee programme': '–' });
    const pillars = chartSeries((await page.getAttribute('.chart-pillars', 'aria-label')) ?? '');
    expect(Object.keys(pillars)).toEqual(Object.keys(table['2018'] ?? {}).filter((column) => !column.endsWith('Total')));
    expect(pillars['Budget – Refugee programme']).toMatchObject({ '2018': '4.41', '2019': '4.33' });
    expect(pillars['Expenditure – Refugee programme']).toMatchObject({ '2018': '2.03', '2019': 'no data' });
    expect(pillars['Budget – IDP projects']).toMatchObject({ '2014': '0.09', '2018': 'no data' });
    expect(await text(page, '.budget .unit')).toContain('$5,520,373.23');
    expect(await texts(page, '.narrative h3')).toEqual(SIX_SECTIONS);
    expect(await text(page, '.narratives')).toContain('In 2018, the political and operational environment in Kazakhstan remained stable.');
    expect(await texts(page, '[role=tab]')).toEqual(SIX_YEARS);
    expect(await page.getAttribute('#year-tab-2018', 'aria-selected')).toBe('true');
    // The seed's latest contribution (on a stack the live check already wrote to, newer ones sit above it).
    expect(await texts(page, '#contributions-list li')).toContain('17-JUL-2019 European Union');
    expect(await texts(page, '.office-list li')).toEqual([expect.stringContaining('Almaty')]);
    // Charts and map are ECharts drawings (SVG), each with a text alternative.
    for (const chart of ['.chart-breakdown', '.chart-budget', '.chart-pillars', '.map']) {
      await page.locator(`${chart} svg`).first().waitFor({ timeout: 5_000 });
      expect(await page.getAttribute(chart, 'aria-label')).toBeTruthy();
    }
    expect(await page.getAttribute('.chart-budget', 'aria-label')).toContain('2014 7.41');
    // Each table's rows, every year, as a file from the data API.
    expect(await page.getAttribute('.people-of-concern .download a', 'href')).toBe(
      '/api/v1/population?operation=KAZ-RO&format=csv&hxl=true',
    );
    expect(await page.getAttribute('.budget .download a', 'href')).toBe('/api/v1/budget?operation=KAZ-RO&format=csv&hxl=true');
    await checkOfficeMarkers(page, ['Almaty']);
    await page.screenshot({ path: resolve(session.screenshots, 'kaz-ro-2018-en.png'), fullPage: true });
    // What was shown came from these calls (and the stream), and from nowhere else.
    expect(apiCalls(opened.requests)).toEqual(
      expect.arrayContaining([
        `${API_BASE}/operations`,
        `${API_BASE}/operations/${session.code}?year=2018&lang=en`,
        `${API_BASE}/contributions/stream`,
      ]),
    );
    expectCleanPage(opened, session);
  } finally {
    await context.close();
  }
}

/** Year tabs (mouse and keyboard) and the language switch change what is shown, and the URL. */
export async function checkYearAndLanguage(session: PortalSession): Promise<void> {
  const opened = await session.open(`?op=${session.code}&year=2018&lang=en`);
  const { page, context } = opened;
  try {
    await page.click('#year-tab-2017');
    await page.locator('#year-tab-2017[aria-selected=true]').waitFor();
    expect(new URL(page.url()).searchParams.get('year')).toBe('2017');
    expect(await text(page, '.poc-headline')).toBe('Decrease in 2017 94,532');
    expect(await text(page, '#narratives-heading')).toBe('Operational context 2017');
    expect(await texts(page, 'section.key-figures h3')).toEqual(['2017 year-end results', '2018 planning figures']);
    expect(await page.locator('.narrative').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('year-tab-2017');

    // Keyboard: the arrow moves to 2018, Enter shows it.
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('year-tab-2018');
    await page.keyboard.press('Enter');
    await page.locator('#year-tab-2018[aria-selected=true]').waitFor();
    expect(await text(page, '.poc-headline')).toBe('Decrease in 2018 88,419');

    await page.click('#lang-fr');
    await page.locator('html[lang=fr]').waitFor();
    await page.locator('h1', { hasText: 'Bureau régional au Kazakhstan' }).waitFor();
    expect(new URL(page.url()).searchParams.get('lang')).toBe('fr');
    expect((await text(page, '.poc-headline')).replace(/\s/g, ' ')).toBe('Baisse en 2018 88 419');
    expect(await text(page, '#key-figures-heading')).toBe('Chiffres clés');
    expect(await texts(page, 'section.key-figures h3')).toEqual(['Résultats fin 2018', 'Chiffres de planification 2019']);
    expect(await texts(page, '.poc-breakdown tbody th')).toContain('Apatrides');
    expect(await texts(page, '#contributions-list li')).toContain('17-JUIL-2019 European Union');
    // Sections that exist only in English say so, and are marked as English for screen readers.
    expect(await page.locator('.narrative[lang=en]').count()).toBe(6);

    // The URL is the view: opening it anew shows the same thing; Back returns to the previous one.
    const shared = page.url();
    const again = await context.newPage();
    await again.goto(shared);
    await again.locator('h1', { hasText: 'Bureau régional au Kazakhstan' }).waitFor();
    expect(await again.getAttribute('#year-tab-2018', 'aria-selected')).toBe('true');
    await again.goto(`${session.target.baseUrl}/?op=${session.code}&year=2017&lang=fr`);
    await again.locator('#year-tab-2017[aria-selected=true]').waitFor();
    expect((await text(again, '.poc-headline')).replace(/\s/g, ' ')).toBe('Baisse en 2017 94 532');
    await page.goBack();
    await page.locator('html[lang=en]').waitFor();
    await page.locator('h1', { hasText: 'Kazakhstan Regional Office' }).waitFor();
    expect(apiCalls(opened.requests)).toEqual(
      expect.arrayContaining([
        `${API_BASE}/operations/${session.code}?year=2017&lang=en`,
        `${API_BASE}/operations/${session.code}?year=2018&lang=fr`,
      ]),
    );
    expectCleanPage(opened, session);
  } finally {
    await context.close();
  }
}

/** A contribution written through the API appears at the top of the list, and leaves it when re-earmarked, without a reload. */
export async function checkLiveContribution(session: PortalSession): Promise<void> {
  const opened = await session.open(`?op=${session.code}&year=2018&lang=en`);
  const { page, context } = opened;
  try {
    await page.locator('html[data-stream=open]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const donor = `Portal test donor ${Date.now().toString(36)}`;
    const date = new Date().toISOString().slice(0, 10);
    const input: ContributionInput = { donor: { name: donor, type: 'private' }, date, operationCode: session.code, status: 'pledged' };
    const { id } = await session.target.writeContribution(input);
    const timeout = session.target.liveTimeoutMs ?? 30_000;
    const first = page.locator('#contributions-list li').first();
    await first.locator('.donor', { hasText: donor }).waitFor({ timeout });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await text(page, '#live-status')).toContain(donor);
    await page.locator('section.contributions').screenshot({ path: resolve(session.screenshots, 'kaz-ro-live-contribution.png') });

    // Re-earmarked to another operation: it leaves this page's list, the rest stays.
    const others = (await texts(page, '#contributions-list li')).filter((entry) => !entry.includes(donor));
    await session.target.moveContribution(id, { ...input, operationCode: 'KGZ' });
    await page.locator('#contributions-list .donor', { hasText: donor }).waitFor({ state: 'detached', timeout });
    expect(await texts(page, '#contributions-list li')).toEqual(others);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expectCleanPage(opened, session);
  } finally {
    await context.close();
  }
}

/** At 375×667 nothing overflows sideways and the page still reads top to bottom. */
export async function checkPhoneViewport(session: PortalSession): Promise<void> {
  const opened = await session.open(`?op=${session.code}&year=2018&lang=fr`, { width: 375, height: 667 });
  const { page, context } = opened;
  try {
    await page.locator('.chart-budget svg').waitFor();
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.doc).toBeLessThanOrEqual(widths.viewport);
    expect(widths.body).toBeLessThanOrEqual(widths.viewport);
    // Nothing wider than the viewport, except what scrolls inside its own box (data tables).
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => !el.closest('.table-scroll, .visually-hidden, svg'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
    );
    expect(wide).toEqual([]);
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('#year-tab-2019').isVisible()).toBe(true);
    const chartWidth = await page.locator('.chart-budget').evaluate((el) => el.getBoundingClientRect().width);
    expect(chartWidth).toBeGreaterThan(250);
    await page.screenshot({ path: resolve(session.screenshots, 'kaz-ro-2018-fr-375x667.png'), fullPage: true });
    expectCleanPage(opened, session);
  } finally {
    await context.close();
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core, injected from node_modules, on the page as a reader gets it: no serious or critical violation. */
export async function checkAccessibility(session: PortalSession): Promise<void> {
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  for (const [query, viewport, name] of [
    [`?op=${session.code}&year=2018&lang=en`, { width: 1280, height: 900 }, 'desktop en'],
    [`?op=${session.code}&year=2018&lang=fr`, { width: 375, height: 667 }, 'phone fr'],
  ] as const) {
    const { page, context } = await session.open(query, viewport);
    try {
      await page.locator('.map svg').waitFor();
      // Open the data tables so that they are checked too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      await page.addScriptTag({ content: axeSource });
      const { violations, passed } = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[]; passes: unknown[] }> };
          }
        ).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return {
          passed: result.passes.length,
          violations: result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target })),
          })),
        };
      });
      expect(passed).toBeGreaterThan(20); // axe really ran its rules
      if (process.env['PORTAL_AXE_VERBOSE']) console.log(name, JSON.stringify(violations, null, 1));
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect({
        page: name,
        serious: serious.map(
          (v) =>
            `${v.impact} ${v.id}: ${v.help} (${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 5)
              .join(', ')})`,
        ),
      }).toEqual({ page: name, serious: [] });
    } finally {
      await context.close();
    }
  }
}

/**
 * A figure revised through the API is marked beside the breakdown; its earlier value, source and
 * date open on demand; the link to the page then puts asOf in the URL, and that page shows the
 * earlier value, says which instant it is, and offers the current page.
 */
export async function checkRevisedFigure(session: PortalSession): Promise<void> {
  const release = `A later release (portal check ${Date.now().toString(36)})`;
  await session.target.reviseFigure({ year: 2018, type: 'REF', value: 590, source: { name: release, asOf: '2018-12-31' } });
  const timeout = session.target.liveTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeout;
  // The real stack shows the revision once the aggregator has it: reopen the page until then.
  // Both parts: the history (the mark) can answer a moment before the view has the new value.
  let opened: OpenedPage | undefined;
  for (;;) {
    opened = await session.open(`?op=${session.code}&year=2018&lang=en`);
    const marked = await opened.page
      .locator('.revised-figures li[data-type=REF] .revised-mark')
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (marked && (await texts(opened.page, '.poc-breakdown tbody td'))[0] === '590') break;
    await opened.context.close();
    if (Date.now() > deadline) throw new Error('the revised figure was never marked');
  }
  const { page, context } = opened;
  try {
    expect(await texts(page, '.poc-breakdown tbody td')).toEqual(['590', '195', '4', '87,632']);
    const details = page.locator('.revised-figures li[data-type=REF] details');
    expect(await details.getAttribute('open')).toBeNull();
    await details.locator('summary').click();
    const earlier = details.locator('ol li').first();
    await earlier.waitFor({ state: 'visible', timeout: 5_000 });
    const line = (await earlier.textContent()) ?? '';
    expect(line).toContain('588');
    expect(line).toContain('UNHCR Global Focus 2019');
    expect(line).toContain('figures as of 31-DEC-2018');
    expect(line).toMatch(/recorded \S+ \d{2}:\d{2} UTC/);
    await page.locator('.revised-figures').screenshot({ path: resolve(session.screenshots, 'kaz-ro-revised-figure.png') });

    await earlier.getByRole('link').click();
    await page.locator('#as-of-notice').waitFor({ timeout: 10_000 });
    const asOf = new URL(page.url()).searchParams.get('asOf');
    expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await page.locator('.poc-breakdown tbody td').first().waitFor({ state: 'attached', timeout: 5_000 });
    expect((await texts(page, '.poc-breakdown tbody td'))[0]).toBe('588');
    // A page as it stood at an instant does not follow new contributions, and does not say it does.
    expect(await page.locator('.contributions .live-hint').count()).toBe(0);
    expect(apiCalls(opened.requests)).toContain(
      `${API_BASE}/operations/${session.code}?year=2018&lang=en&asOf=${encodeURIComponent(asOf ?? '')}`,
    );
    await page.screenshot({ path: resolve(session.screenshots, 'kaz-ro-2018-as-of.png'), fullPage: true });

    // Reopened from its URL alone, as a reader of a quoted page would.
    const reopened = await session.open(`?op=${session.code}&year=2018&lang=en&asOf=${encodeURIComponent(asOf ?? '')}`);
    try {
      await reopened.page.locator('#as-of-notice').waitFor({ timeout: 10_000 });
      expect((await texts(reopened.page, '.poc-breakdown tbody td'))[0]).toBe('588');
      await reopened.page.locator('#as-of-notice a').click();
      await reopened.page.waitForURL((url) => !url.searchParams.has('asOf'), { timeout: 10_000 });
      await reopened.page.locator('.poc-breakdown tbody td').first().waitFor({ state: 'attached', timeout: 5_000 });
      expect((await texts(reopened.page, '.poc-breakdown tbody td'))[0]).toBe('590');
      expect(await text(reopened.page, '.contributions .live-hint')).toBe('Updated live');
      expectCleanPage(reopened, session);
    } finally {
      await reopened.context.close();
    }
    expectCleanPage(opened, session);
  } finally {
    await context.close();
  }
}

/**
 * Registers the portal's browser checks as jest tests against a target that `start` brings up
 * (the fixture API here; the real stack from libs/testing later).
 */
export function describePortalPage(title: string, start: () => Promise<PortalTarget>): void {
  describe(title, () => {
    let session: PortalSession | undefined;
    let target: PortalTarget | undefined;

    beforeAll(async () => {
      target = await start();
      session = await startPortalSession(target);
    }, 600_000); // a first run may install chromium

    afterAll(async () => {
      await session?.browser.close();
      await target?.close?.();
    });

    const use = () => {
      if (!session) throw new Error('the portal session did not start');
      return session;
    };
    it("shows the seed page's figures: 88,419, six budget years, six narrative sections", () => checkSeedFigures(use()), 60_000);
    it('switching year (mouse and keyboard) and language changes what is shown and the URL', () => checkYearAndLanguage(use()), 60_000);
    it(
      'a contribution written through the API appears without a reload, and leaves when re-earmarked',
      () => checkLiveContribution(use()),
      90_000,
    );
    it('stays usable at 375×667: no horizontal overflow', () => checkPhoneViewport(use()), 60_000);
    // After the checks of the seed's figures: it revises one. Before axe, which then sees the revision's marks too.
    it(
      'a revised figure is marked, its earlier value and source shown on demand, and the page then reopens from the URL',
      () => checkRevisedFigure(use()),
      120_000,
    );
    it('axe-core finds no serious or critical violation', () => checkAccessibility(use()), 90_000);
  });
}
