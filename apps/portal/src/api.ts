/**
 * What the portal reads from the gateway's public API (/api/v1, same origin, relative URLs),
 * typed as DESIGN.md and apps/operation-view's buildView describe it. The payload shapes mirror
 * libs/contracts (api.spec.ts checks they stay assignable); they are restated here so that the
 * browser build needs neither the contracts' validation code nor Node's types.
 */

export type Lang = 'en' | 'fr';

/** libs/contracts Office: an office on the operation's map. */
export interface Office {
  name: string;
  kind: string;
  lat: number;
  lon: number;
}

/** libs/contracts ContributionState: the data of a contribution event. */
export interface ContributionState {
  id: string;
  donor: { name: string; type: string };
  date: string;
  amountCents?: number;
  operationCode?: string;
  status: string;
}

/** libs/contracts EventEnvelope (v1). */
export interface EventEnvelope<T> {
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  source: string;
  subject: { operationCode: string; entityId: string; version: number };
  correlationId?: string;
  data: T | null;
}

export type Trend = 'increase' | 'decrease' | 'stable';
export type Series = Array<number | null>;

export interface KeyFigureItem {
  value: number;
  unit: string;
  text: string;
}

export interface ContributionItem {
  /** The contribution id, as in contributions.events (absent from views served before it was listed). */
  id?: string;
  date: string;
  donor: string;
  donorType?: string;
  status?: string;
  amountUsd?: number;
}

export interface OperationView {
  operation: {
    code: string;
    name: { en: string; fr: string } | null;
    region: string | null;
    subregion: string | null;
    offices: Office[];
  };
  year: number;
  years: number[];
  keyFigures: {
    results: { year: number; items: KeyFigureItem[] };
    planning: { year: number; items: KeyFigureItem[] };
  };
  peopleOfConcern: {
    year: number;
    total: number | null;
    trend: Trend | null;
    totalsByYear: Array<{ year: number; total: number }>;
    breakdown: Array<[string, number]>;
  };
  budget: {
    unit: 'USD millions';
    categories: number[];
    budget: Series;
    expenditure: Series;
    budgetByPillar: Record<string, Series>;
    expenditureByPillar: Record<string, Series>;
  };
  narratives: { year: number; lang: Lang; sections: Array<{ key: string; title: string; body: string; lang: Lang }> };
  latestContributions: ContributionItem[];
  meta: { version: number; updatedAt: string };
  /** Present when the view is the page as it stood at this instant (?asOf=). */
  asOf?: string;
}

export interface OperationSummary {
  code: string;
  name: string | { en: string; fr?: string } | null;
  years?: number[];
}

export const API_BASE = '/api/v1';
export const CONTRIBUTIONS_STREAM = `${API_BASE}/contributions/stream`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = (await response.json()) as { title?: string; detail?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not problem+json: the status text says enough
    }
    throw new ApiError(response.status, detail);
  }
  return (await response.json()) as T;
}

export function operationUrl(code: string, year: number | undefined, lang: Lang, asOf?: string): string {
  const query = new URLSearchParams();
  if (year !== undefined) query.set('year', String(year));
  query.set('lang', lang);
  if (asOf) query.set('asOf', asOf);
  return `${API_BASE}/operations/${encodeURIComponent(code)}?${query.toString()}`;
}

export function fetchOperation(
  code: string,
  year: number | undefined,
  lang: Lang,
  signal?: AbortSignal,
  asOf?: string,
): Promise<OperationView> {
  return getJson<OperationView>(operationUrl(code, year, lang, asOf), signal);
}

/** libs/contracts POPULATION_TYPES, as GET /reference/population-types names them. */
export interface PopulationType {
  code: string;
  name: Record<Lang, string>;
}

/**
 * The list changes only with a release: read once while the page is open (and cached a day by the
 * browser), shared by every view shown, so no one view's navigation aborts it.
 */
let populationTypes: Promise<PopulationType[]> | undefined;

export function fetchPopulationTypes(): Promise<PopulationType[]> {
  populationTypes ??= getJson<PopulationType[]>(`${API_BASE}/reference/population-types`).catch((error: unknown) => {
    populationTypes = undefined; // a failed read is tried again by the next page
    throw error;
  });
  return populationTypes;
}

/** The list, whether the gateway answers with a bare array or wraps it ({items} or {operations}). */
export async function fetchOperations(signal?: AbortSignal): Promise<OperationSummary[]> {
  const body = await getJson<unknown>(`${API_BASE}/operations`, signal);
  return operationList(body);
}

export function operationList(body: unknown): OperationSummary[] {
  const list = Array.isArray(body)
    ? body
    : ((body as { items?: unknown[]; operations?: unknown[] } | null)?.items ??
      (body as { operations?: unknown[] } | null)?.operations ??
      []);
  return list.filter((o): o is OperationSummary => typeof o === 'object' && o !== null && typeof (o as OperationSummary).code === 'string');
}
