import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The seed page as `data/*.json` holds it (see tools/seed/README.md). */
export interface SeedOperation {
  code: string;
  profile: { name: { en: string; fr?: string }; region: string; subregion?: string; offices: unknown[] };
  population: {
    source: { name: string };
    figures: Array<{ year: number; type: string; value: number }>;
    totals: Array<{ year: number; total: number }>;
  };
  budget: Array<{ year: number; pillar: number; budgetUsd: number; expenditureUsd: number | null }>;
  keyFigures: Array<{ year: number; kind: string; items: unknown[] }>;
  narratives: Array<{ year: number; lang: string; section: string; body: string }>;
  contributions: Array<{ date: string; donor: { name: string; type: string }; amountUsd?: number }>;
}

/** One write of the public API, path relative to `/api/v1`. */
export interface SeedRequest {
  method: 'PUT' | 'POST';
  path: string;
  body: unknown;
  headers?: Record<string, string>;
}

export const SEED_FILE = resolve(__dirname, 'data/kazakhstan-regional-office.json');

export function readSeed(file = SEED_FILE): SeedOperation {
  return JSON.parse(readFileSync(file, 'utf8')) as SeedOperation;
}

/**
 * Every write that puts the seed operation in place, profile first. All are idempotent: PUTs
 * by natural key, and contributions under an Idempotency-Key derived from their place on the
 * page, so loading twice doubles nothing.
 */
export function seedRequests(seed: SeedOperation): SeedRequest[] {
  const op = `/operations/${seed.code}`;
  // A year-end figure describes 31 December of its own year (the page was published in 2019).
  const source = (year: number) => ({ name: seed.population.source.name, asOf: `${year}-12-31` });
  return [
    { method: 'PUT', path: op, body: seed.profile },
    ...seed.population.figures.map(
      (f): SeedRequest => ({
        method: 'PUT',
        path: `${op}/population/${f.year}/${f.type}`,
        body: { value: f.value, source: source(f.year) },
      }),
    ),
    ...seed.population.totals.map(
      (t): SeedRequest => ({ method: 'PUT', path: `${op}/population/${t.year}/total`, body: { value: t.total, source: source(t.year) } }),
    ),
    ...seed.budget.map(
      (l): SeedRequest => ({
        method: 'PUT',
        path: `${op}/budget/${l.year}/pillars/${l.pillar}`,
        body: { budgetUsd: l.budgetUsd, expenditureUsd: l.expenditureUsd },
      }),
    ),
    ...seed.keyFigures.map(
      (k): SeedRequest => ({ method: 'PUT', path: `${op}/key-figures/${k.year}/${k.kind}`, body: { items: k.items } }),
    ),
    ...seed.narratives.map(
      (n): SeedRequest => ({ method: 'PUT', path: `${op}/narratives/${n.year}/${n.lang}/${n.section}`, body: { body: n.body } }),
    ),
    // Oldest first, as they happened: the page lists them newest first.
    ...seed.contributions
      .map(
        (c, index): SeedRequest => ({
          method: 'POST',
          path: '/contributions',
          body: { ...c, operationCode: seed.code, status: 'paid' },
          headers: { 'idempotency-key': `seed:${seed.code}:contribution:${index}:${c.date}` },
        }),
      )
      .reverse(),
  ];
}
