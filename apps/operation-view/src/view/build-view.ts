import {
  BudgetLineState,
  centsToMillions,
  centsToUsd,
  ContributionState,
  FigureSource,
  KeyFigureSetState,
  Lang,
  NARRATIVE_SECTIONS,
  PILLAR_NUMBERS,
  POPULATION_TYPES,
  PopulationFigureState,
  PopulationTotalState,
  UNEARMARKED_OPERATION_CODE,
} from '@focus/contracts';
import { OperationState, Projected } from '../projection/operation-state';

/** How many contributions the view lists. */
export const LATEST_CONTRIBUTIONS = 20;

export type Trend = 'increase' | 'decrease' | 'stable';

export interface ViewOptions {
  code: string;
  /** Defaults to defaultYear(state): the latest year with reported figures. */
  year?: number;
  lang: Lang;
  version: number;
  updatedAt: Date;
}

const live = <S>(entries: Record<string, Projected<S>>): S[] => Object.values(entries).flatMap((e) => (e.s ? [e.s] : []));

/**
 * The combined operation view, shaped as the seed page's charts are: what a portal renders.
 * Everything is derived here from the projected entity states, so a fix to a derivation
 * needs no replay.
 */
export function buildView(state: OperationState, options: ViewOptions) {
  const figures = live(state.figures);
  const totals = live(state.totals);
  const budgetLines = live(state.budget);
  const keyFigureSets = live(state.keyFigures);
  const sections = live(state.sections);
  const years = yearsWithData(state);
  const year = options.year ?? defaultYear(state);
  const profile = state.profile?.s ?? null;

  return {
    operation: {
      code: options.code,
      name: profile?.name ?? null,
      region: profile?.region ?? null,
      subregion: profile?.subregion ?? null,
      offices: profile?.offices ?? [],
    },
    year,
    years,
    keyFigures: {
      results: keyFigureSet(keyFigureSets, year, 'result', options.lang),
      planning: keyFigureSet(keyFigureSets, year + 1, 'plan', options.lang),
    },
    peopleOfConcern: peopleOfConcern(figures, totals, year, options.lang),
    budget: budget(budgetLines),
    narratives: {
      year,
      lang: options.lang,
      sections: NARRATIVE_SECTIONS.flatMap(({ key, title }) => {
        // French falls back to English section by section, never the whole page at once.
        const chosen =
          sections.find((s) => s.year === year && s.section === key && s.lang === options.lang) ??
          sections.find((s) => s.year === year && s.section === key && s.lang === 'en');
        return chosen ? [{ key, title: title[chosen.lang], body: chosen.body, lang: chosen.lang }] : [];
      }),
    },
    latestContributions: latestContributions(live(state.contributions), options.code),
    meta: { version: options.version, updatedAt: options.updatedAt.toISOString() },
  };
}

export type OperationView = ReturnType<typeof buildView>;

export function yearsWithData(state: OperationState): number[] {
  const years = new Set<number>();
  for (const bucket of [state.figures, state.totals, state.budget, state.keyFigures, state.sections] as Array<
    Record<string, Projected<{ year: number }>>
  >) {
    for (const entry of Object.values(bucket)) if (entry.s) years.add(entry.s.year);
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * The year a view shows when none is asked for: the latest with reported figures (people of
 * concern, year-end results, expenditure). Plans don't make a year the default: planning
 * figures, a budget with no expenditure yet, nor narratives, which Global Focus also writes
 * for the year planned. So the seed page, published in 2019 with 2019 plans and a 2019
 * budget, opens on 2018, as it did. With nothing reported yet: the latest year with any data.
 */
export function defaultYear(state: OperationState): number {
  const reported = [
    ...live(state.figures).map((f) => f.year),
    ...live(state.totals).map((t) => t.year),
    ...live(state.keyFigures).flatMap((k) => (k.kind === 'result' ? [k.year] : [])),
    ...live(state.budget).flatMap((l) => (l.expenditureCents === null ? [] : [l.year])),
  ];
  return reported.length > 0 ? Math.max(...reported) : (yearsWithData(state).at(-1) ?? new Date().getUTCFullYear());
}

/**
 * Newest first, cancelled ones left out, and only those earmarked for this operation now: a
 * re-earmarked contribution stays in the old operation's state (at the version that moved
 * it, so no older event can bring it back) but is listed by its new operation only. The id
 * lets a portal that follows the contributions stream match its events to the list.
 */
function latestContributions(contributions: ContributionState[], code: string) {
  return contributions
    .filter((c) => (c.operationCode ?? UNEARMARKED_OPERATION_CODE) === code && c.status !== 'cancelled')
    .sort((a, b) => (a.date === b.date ? (a.id < b.id ? 1 : -1) : a.date < b.date ? 1 : -1))
    .slice(0, LATEST_CONTRIBUTIONS)
    .map((c) => ({
      id: c.id,
      date: c.date,
      donor: c.donor.name,
      donorType: c.donor.type,
      status: c.status,
      ...(c.amountCents === undefined ? {} : { amountUsd: centsToUsd(c.amountCents) }),
    }));
}

function keyFigureSet(sets: KeyFigureSetState[], year: number, kind: 'result' | 'plan', lang: Lang) {
  const set = sets.find((s) => s.year === year && s.kind === kind);
  return {
    year,
    items: (set?.items ?? []).map((item) => ({
      value: item.value,
      unit: item.unit,
      text: (lang === 'fr' ? item.text.fr : undefined) ?? item.text.en,
    })),
  };
}

/**
 * A year's total is the sum of its breakdown; a year with no breakdown shows the total that
 * was reported for it. A breakdown is never invented from a total.
 */
function yearTotal(figures: PopulationFigureState[], totals: { year: number; total: number }[], year: number): number | undefined {
  const breakdown = figures.filter((f) => f.year === year);
  if (breakdown.length > 0) return breakdown.reduce((sum, f) => sum + f.value, 0);
  return totals.find((t) => t.year === year)?.total;
}

function peopleOfConcern(figures: PopulationFigureState[], totals: PopulationTotalState[], year: number, lang: Lang) {
  const years = [...new Set([...figures.map((f) => f.year), ...totals.map((t) => t.year)])].sort((a, b) => a - b);
  const totalsByYear = years.flatMap((y) => {
    const total = yearTotal(figures, totals, y);
    return total === undefined ? [] : [{ year: y, total }];
  });
  const total = yearTotal(figures, totals, year) ?? null;
  const previous = yearTotal(figures, totals, year - 1);
  const trend: Trend | null =
    total === null || previous === undefined ? null : total > previous ? 'increase' : total < previous ? 'decrease' : 'stable';
  const breakdown = POPULATION_TYPES.flatMap(({ code, label }) => {
    // A type's figures by origin add up to its slice (a figure without an origin is the whole slice).
    const value = figures.reduce((sum, f) => (f.year === year && f.type === code ? sum + f.value : sum), 0);
    // A type with nobody in it is left out, as the page leaves it out of the chart.
    return value > 0 ? [[label[lang], value] as [string, number]] : [];
  });
  return { year, total, trend, totalsByYear, breakdown, sources: yearSources(figures, totals, year) };
}

/**
 * Where the year's people of concern come from: each distinct source and as-of date of the
 * figures shown (or of the reported total, where there is no breakdown). Published figures
 * get revised, so a reader must be able to tell which release a number is.
 */
function yearSources(figures: PopulationFigureState[], totals: PopulationTotalState[], year: number): FigureSource[] {
  const breakdown = figures.filter((f) => f.year === year);
  const shown = breakdown.length > 0 ? breakdown : totals.filter((t) => t.year === year);
  const distinct = new Map(shown.map(({ source }) => [`${source.name}\u0000${source.asOf}`, { name: source.name, asOf: source.asOf }]));
  return [...distinct.values()].sort((a, b) => a.asOf.localeCompare(b.asOf) || a.name.localeCompare(b.name));
}

function budget(lines: BudgetLineState[]) {
  const years = lines.map((l) => l.year);
  const categories = years.length ? range(Math.min(...years), Math.max(...years)) : [];
  const line = (year: number, pillar: number) => lines.find((l) => l.year === year && l.pillar === pillar);
  const series = (pick: (l: BudgetLineState) => number | null) => (pillar: number) =>
    categories.map((year) => {
      const found = line(year, pillar);
      const cents = found ? pick(found) : null;
      return cents === null ? null : centsToMillions(cents);
    });
  const total = (pick: (l: BudgetLineState) => number | null) =>
    categories.map((year) => {
      const amounts = lines
        .filter((l) => l.year === year)
        .map(pick)
        .filter((c): c is number => c !== null);
      return amounts.length ? centsToMillions(amounts.reduce((sum, c) => sum + c, 0)) : null;
    });
  const byPillar = (pick: (l: BudgetLineState) => number | null) =>
    Object.fromEntries(PILLAR_NUMBERS.map((p) => [`p${p}`, series(pick)(p)]));
  const budgetOf = (l: BudgetLineState) => l.budgetCents;
  const expenditureOf = (l: BudgetLineState) => l.expenditureCents;
  return {
    unit: 'USD millions' as const,
    categories,
    budget: total(budgetOf),
    expenditure: total(expenditureOf),
    budgetByPillar: byPillar(budgetOf),
    expenditureByPillar: byPillar(expenditureOf),
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
