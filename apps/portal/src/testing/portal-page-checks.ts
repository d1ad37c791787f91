/**
 * What the portal must show, checked in a real browser (Debian's chromium driven by
 * playwright-core). The checks know only a base URL and how to write a contribution, so the
 * same ones run against the fixture API (portal.browser.spec.ts) and against the real stack:
 *
 *   describePortalPage('the portal on the real stack', async () => {
 *     const stack = await startStack();
 *     return {
 *       baseUrl: stack.url,                                   // e.g. http://localhost:3000
 *       writeContribution: (c) => postContribution(stack, c), // POST /api/v1/contributions, x-api-key
 *       close: () => stack.stop(),
 *     };
 *   });
 *
 * The stack must serve the portal at `${baseUrl}/` and the seed operation (KAZ-RO, as
 * tools/seed loads it) under `${baseUrl}/api/v1`, with contributions.contribution.* events on
 * GET /api/v1/contributions/stream (SSE, data = the event envelope).
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { ensureChromium } from './ensure-chromium';
import type { ContributionInput } from './fixture-api';

export type { ContributionInput };

export interface PortalTarget {
  /** Where the portal is served, with /api/v1 on the same origin; no trailing slash. */
  baseUrl: string;
  /** Records a contribution through the API (body of POST /api/v1/contributions); resolves once accepted. */
  writeContribution(input: ContributionInput): Promise<void>;
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
const SIX_SECTIONS = ['Operational environment', 'Population trends', 'Key achievements', 'Unmet needs', 'Working environment', 'Key priorities'];
const SIX_YEARS = ['2014', '2015', '2016', '2017', '2018', '2019'];

export interface PortalSession {
  browser: Browser;
  target: PortalTarget;
  code: string;
  screenshots: string;
  /** A fresh page at the given viewport (desktop by default), console errors collected. */
  open(query: string, viewport?: { width: number; height: number }): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
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
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${target.baseUrl}/${query}`);
      await page.locator('#operation-name').waitFor({ timeout: 15_000 });
      return { page, context, errors };
    },
  };
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
const texts = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

/** The seed page's figures: 88,419 and its trend, the key figures, six budget years, six narrative sections, contributions. */
export async function checkSeedFigures(session: PortalSession): Promise<void> {
  const { page, context, errors } = await session.open(`?op=${session.code}&year=2018&lang=en`);
  try {
    expect(await text(page, 'h1')).toBe('Kazakhstan Regional Office');
    expect(await text(page, '.intro .region')).toContain('Europe');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toContain('Kazakhstan Regional Office 2018');
    expect(await text(page, '.poc-headline')).toBe('Decrease in 2018 88,419');
    expect(await texts(page, '.totals dd')).toEqual(['88,419', '94,532', '95,795']);
    const keyFigures = await texts(page, '.key-figures li');
    expect(keyFigures).toContain('100% of refugees and asylum-seekers had access to primary health care');
    expect(keyFigures).toContain('742 persons with undetermined nationality were assisted with confirmation of nationality');
    expect(keyFigures).toContain('650 persons with undetermined nationality assisted with confirmation of nationality');
    expect(await texts(page, '.poc-breakdown tbody th')).toEqual(['Refugees', 'Asylum-seekers', 'Returned refugees', 'Stateless']);
    expect(await texts(page, '.poc-breakdown tbody td')).toEqual(['588', '195', '4', '87,632']);
    expect(await texts(page, '.budget tbody th')).toEqual(SIX_YEARS);
    const budget2014 = await texts(page, '.budget tbody tr:first-child td');
    expect(budget2014.slice(0, 2)).toEqual(['7.41', '4.12']);
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
    await page.screenshot({ path: resolve(session.screenshots, 'kaz-ro-2018-en.png'), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** Year tabs (mouse and keyboard) and the language switch change what is shown, and the URL. */
export async function checkYearAndLanguage(session: PortalSession): Promise<void> {
  const { page, context, errors } = await session.open(`?op=${session.code}&year=2018&lang=en`);
  try {
    await page.click('#year-tab-2017');
    await page.locator('#year-tab-2017[aria-selected=true]').waitFor();
    expect(new URL(page.url()).searchParams.get('year')).toBe('2017');
    expect(await text(page, '.poc-headline')).toBe('Decrease in 2017 94,532');
    expect(await text(page, '#narratives-heading')).toBe('Operational context 2017');
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
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** A contribution written through the API appears at the top of the list, without a reload. */
export async function checkLiveContribution(session: PortalSession): Promise<void> {
  const { page, context, errors } = await session.open(`?op=${session.code}&year=2018&lang=en`);
  try {
    await page.locator('html[data-stream=open]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const donor = `Portal test donor ${Date.now().toString(36)}`;
    const date = new Date().toISOString().slice(0, 10);
    await session.target.writeContribution({ donor: { name: donor, type: 'private' }, date, operationCode: session.code, status: 'pledged' });
    const first = page.locator('#contributions-list li').first();
    await first.locator('.donor', { hasText: donor }).waitFor({ timeout: session.target.liveTimeoutMs ?? 30_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await text(page, '#live-status')).toContain(donor);
    await page.locator('section.contributions').screenshot({ path: resolve(session.screenshots, 'kaz-ro-live-contribution.png') });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** At 375×667 nothing overflows sideways and the page still reads top to bottom. */
export async function checkPhoneViewport(session: PortalSession): Promise<void> {
  const { page, context, errors } = await session.open(`?op=${session.code}&year=2018&lang=fr`, { width: 375, height: 667 });
  try {
    await page.locator('.chart-budget svg').waitFor();
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth }));
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
    expect(errors).toEqual([]);
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
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return { passed: result.passes.length, violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })) };
      });
      expect(passed).toBeGreaterThan(20); // axe really ran its rules
      if (process.env['PORTAL_AXE_VERBOSE']) console.log(name, JSON.stringify(violations, null, 1));
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect({ page: name, serious: serious.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')})`) }).toEqual({ page: name, serious: [] });
    } finally {
      await context.close();
    }
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
    it('a contribution written through the API appears without a reload', () => checkLiveContribution(use()), 90_000);
    it('stays usable at 375×667: no horizontal overflow', () => checkPhoneViewport(use()), 60_000);
    it('axe-core finds no serious or critical violation', () => checkAccessibility(use()), 90_000);
  });
}
