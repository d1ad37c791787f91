/**
 * The pure part of the page: how the view's numbers, dates and words are shown, per language.
 * No DOM here, so it is unit-tested under Node.
 */
import type { ContributionItem, ContributionState, EventEnvelope, KeyFigureItem, Lang, OperationView, Series, Trend } from './api';
import { t } from './i18n';

const LOCALES: Record<Lang, string> = { en: 'en-US', fr: 'fr-FR' };

/** Whole numbers as the page shows them: 88,419 (en), 88 419 (fr, narrow no-break space). */
export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(value);
}

/** Decimals of a value in USD millions that make it exact to the cent, as the seed page's data has it. */
export const EXACT_MILLIONS_DECIMALS = 8;

/**
 * USD millions with two decimals, as charts show them: 7.41 (en), 7,41 (fr); with
 * EXACT_MILLIONS_DECIMALS, as data tables show them: 7.40638597. A missing value is a dash.
 */
export function formatMillions(value: number | null | undefined, lang: Lang, decimals = 2): string {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}

/** The exact amount behind a value in USD millions (8 decimals = cents): $7,406,385.97. */
export function formatUsdFromMillions(value: number, lang: Lang): string {
  const cents = Math.round(value * 100_000_000);
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'USD', minimumFractionDigits: 2 }).format(cents / 100);
}

/** A key figure's number: percentages carry their sign (100%, 100 % in French). */
export function formatKeyFigure(item: KeyFigureItem, lang: Lang): string {
  if (item.unit === 'percent')
    return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 1 }).format(item.value / 100);
  return formatNumber(item.value, lang);
}

/** "Decrease in" / "Baisse en": the words before the year on the people-of-concern card. */
export function trendWords(trend: Trend | null, lang: Lang): string | null {
  return trend ? t(lang, `trend_${trend}`) : null;
}

const MONTHS: Record<Lang, string[]> = {
  en: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  fr: ['JANV', 'FÉVR', 'MARS', 'AVR', 'MAI', 'JUIN', 'JUIL', 'AOÛT', 'SEPT', 'OCT', 'NOV', 'DÉC'],
};

/** A calendar date as the page lists contributions: 17-JUL-2019 (17-JUIL-2019 in French). */
export function formatContributionDate(date: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!match) return date;
  const [, year, month, day] = match;
  return `${day}-${MONTHS[lang][Number(month) - 1] ?? month}-${year}`;
}

/** The chart's text alternative: every value of a series, in words a screen reader reads. */
export function describeSeries(
  title: string,
  labels: Array<string | number>,
  values: Series,
  lang: Lang,
  format: (v: number) => string,
): string {
  const parts = labels.map((label, i) => {
    const v = values[i];
    return `${label} ${v === null || v === undefined ? t(lang, 'noData') : format(v)}`;
  });
  return t(lang, 'chartSummary', { title, values: parts.join('; ') });
}

export const PILLAR_KEYS = ['p1', 'p2', 'p3', 'p4'] as const;

/** The pillars that have at least one figure: an empty pillar adds nothing but noise. */
export function pillarsWithData(view: OperationView['budget']): Array<(typeof PILLAR_KEYS)[number]> {
  return PILLAR_KEYS.filter((p) =>
    [...(view.budgetByPillar[p] ?? []), ...(view.expenditureByPillar[p] ?? [])].some((v) => v !== null && v !== undefined),
  );
}

export function operationName(view: Pick<OperationView, 'operation'>, lang: Lang): string {
  return view.operation.name?.[lang] ?? view.operation.name?.en ?? view.operation.code;
}

export function summaryName(name: string | { en: string; fr?: string } | null | undefined, code: string, lang: Lang): string {
  if (!name) return code;
  if (typeof name === 'string') return name;
  return name[lang] ?? name.en ?? code;
}

// ---- live contributions ---------------------------------------------------------------

export const CONTRIBUTION_EVENTS = {
  recorded: 'contributions.contribution.recorded',
  updated: 'contributions.contribution.updated',
  cancelled: 'contributions.contribution.cancelled',
  moved: 'contributions.contribution.moved',
} as const;

/** A contribution on the list; `live` when it arrived while the page was open. */
export interface LiveContribution extends ContributionItem {
  live?: boolean;
}

/** An entry's identity: its id, or for a view from before ids were listed, its date and donor. */
function identity(entry: ContributionItem): string {
  return entry.id ?? `${entry.date}\u0000${entry.donor}\u0000${entry.donorType ?? ''}`;
}

/**
 * The list to show once the view was read again after a contribution event. Which contributions
 * are listed, in what order and how many is the read model's rule alone (apps/operation-view):
 * the page only marks as `live` those it did not show before (or had already marked).
 */
export function markNew(shown: readonly LiveContribution[], next: readonly ContributionItem[]): LiveContribution[] {
  const before = new Map(shown.map((entry) => [identity(entry), entry]));
  return next.map((entry) => {
    const was = before.get(identity(entry));
    return was === undefined || was.live ? { ...entry, live: true } : { ...entry };
  });
}

/** The contributions of `next` that `shown` did not have: what the page announces. */
export function addedContributions(shown: readonly ContributionItem[], next: readonly ContributionItem[]): ContributionItem[] {
  const before = new Set(shown.map(identity));
  return next.filter((entry) => !before.has(identity(entry)));
}

/** The envelope in an SSE message's data, or null when it is not a contribution event. */
export function parseContributionEvent(data: string): EventEnvelope<ContributionState> | null {
  try {
    const parsed = JSON.parse(data) as EventEnvelope<ContributionState>;
    return typeof parsed?.type === 'string' && parsed.type.startsWith('contributions.contribution.') ? parsed : null;
  } catch {
    return null;
  }
}

/** Where the map looks: the offices' middle, zoomed so that all of them fit (about 80° of longitude at least). */
export function mapViewport(offices: ReadonlyArray<{ lat: number; lon: number }>): { center: [number, number]; zoom: number } {
  if (offices.length === 0) return { center: [20, 20], zoom: 1.2 };
  const lons = offices.map((o) => o.lon);
  const lats = offices.map((o) => o.lat);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const span = Math.max(maxLon - minLon, (maxLat - minLat) * 2);
  const zoom = Math.min(8, Math.max(1.2, 360 / Math.max(span * 1.6, 80)));
  return { center: [(minLon + maxLon) / 2, (minLat + maxLat) / 2], zoom: Math.round(zoom * 10) / 10 };
}
