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

/** A contribution on the list, from the view or from the stream (`live`). */
export interface LiveContribution extends ContributionItem {
  live?: boolean;
}

/**
 * Whether `entry` is the contribution `data` is the new state of: by id, which the view and
 * the stream both carry. An entry without one (a view from before ids were listed) is
 * recognised by date and donor, the best such a view allows.
 */
function isEntryOf(entry: LiveContribution, data: ContributionState): boolean {
  if (entry.id !== undefined) return entry.id === data.id;
  return (
    entry.date === data.date && entry.donor === data.donor.name && (entry.donorType === undefined || entry.donorType === data.donor.type)
  );
}

/**
 * Applies one contribution event to the list shown for an operation. An event belongs to the
 * operation of its subject (its Kafka key): for "moved", that is the operation the contribution
 * left, whose list loses it; a contribution moved to this operation arrives as an update (or a
 * cancellation) here. A recorded one is inserted in date order (so a new contribution lands on
 * top), an update replaces it or inserts it, a cancellation removes it. Events for other
 * operations, and those that change nothing, return the same list.
 */
export function applyContributionEvent(
  list: LiveContribution[],
  envelope: EventEnvelope<ContributionState>,
  operationCode: string,
  limit = 20,
): LiveContribution[] {
  const data = envelope.data;
  if (!data || envelope.subject?.operationCode !== operationCode) return list;
  // A recorded contribution is new: only its own earlier delivery can be on the list.
  const at =
    envelope.type === CONTRIBUTION_EVENTS.recorded ? list.findIndex((c) => c.id === data.id) : list.findIndex((c) => isEntryOf(c, data));
  const without = at === -1 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
  if (envelope.type === CONTRIBUTION_EVENTS.moved || envelope.type === CONTRIBUTION_EVENTS.cancelled || data.status === 'cancelled')
    return without;
  if (envelope.type !== CONTRIBUTION_EVENTS.recorded && envelope.type !== CONTRIBUTION_EVENTS.updated) return list;
  const item: LiveContribution = {
    id: data.id,
    live: true,
    date: data.date,
    donor: data.donor.name,
    donorType: data.donor.type,
    status: data.status,
    ...(data.amountCents === undefined ? {} : { amountUsd: data.amountCents / 100 }),
  };
  const before = without.findIndex((c) => c.date <= item.date);
  const next = before === -1 ? [...without, item] : [...without.slice(0, before), item, ...without.slice(before)];
  return next.slice(0, limit);
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
