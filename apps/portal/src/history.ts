/**
 * Revisions of the figures a page shows, from `…/history` of the public API: which of them
 * were revised, and what they said before. The page shows them beside the breakdown; an
 * earlier value links to the page as Focus showed it when that value was current (`asOf`).
 */
import { API_BASE, fetchPopulationTypes, Lang, OperationView, PopulationType } from './api';

/** One revision, as GET …/history answers it (see the gateway's OpenAPI: Revision). */
export interface Revision {
  version: number;
  deleted: boolean;
  state: { value?: number } | null;
  source?: { name: string; asOf: string };
  /** When Focus recorded it: not the date the figure describes (source.asOf). */
  recordedAt: string;
}

/** A figure of the breakdown whose value was different before. */
export interface RevisedFigure {
  label: string;
  type: string;
  /** The revisions before the one shown, newest first (deletions included). */
  earlier: Revision[];
}

export function figureHistoryUrl(code: string, year: number, type: string): string {
  return `${API_BASE}/operations/${encodeURIComponent(code)}/population/${year}/${type}/history?limit=20`;
}

/** The breakdown's figures, by their population type code (the view labels them; the reference list names the codes). */
export function breakdownTypes(
  view: OperationView,
  lang: Lang,
  types: readonly PopulationType[],
): Array<{ label: string; type: string; value: number }> {
  return view.peopleOfConcern.breakdown.flatMap(([label, value]) => {
    const found = types.find((t) => t.name[lang] === label);
    return found ? [{ label, type: found.code, value }] : [];
  });
}

/**
 * The revisions before the one a page shows: the newest recorded at or before `asOf` (the
 * page's instant; now when absent) with the value the page shows, every one before it is
 * earlier. The history can answer a moment before the view has a new value: the page then
 * shows the value it has, not yet marked revised, rather than list it as an earlier one.
 */
export function earlierRevisions(revisions: readonly Revision[], asOf?: string, shown?: number): Revision[] {
  const until = asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(asOf);
  const known = revisions.filter((r) => Date.parse(r.recordedAt) <= until).sort((a, b) => b.version - a.version);
  const current = shown === undefined ? -1 : known.findIndex((r) => !r.deleted && r.state?.value === shown);
  return known.slice(Math.max(0, current) + 1);
}

/** The revised figures among a view's breakdown; a figure whose history can't be read is left unmarked. */
export async function revisedFigures(
  view: OperationView,
  lang: Lang,
  asOf: string | undefined,
  signal?: AbortSignal,
): Promise<RevisedFigure[]> {
  let types: PopulationType[];
  try {
    types = await fetchPopulationTypes();
  } catch {
    return [];
  }
  const found = await Promise.all(
    breakdownTypes(view, lang, types).map(async ({ label, type, value }) => {
      try {
        const response = await fetch(figureHistoryUrl(view.operation.code, view.year, type), {
          headers: { accept: 'application/json' },
          signal,
        });
        if (!response.ok) return undefined;
        const earlier = earlierRevisions(((await response.json()) as { items: Revision[] }).items, asOf, value);
        return earlier.length ? { label, type, earlier } : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((f): f is RevisedFigure => f !== undefined);
}
