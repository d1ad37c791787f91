/**
 * Revisions of the figures a page shows, from `…/history` of the public API: which of them
 * were revised, and what they said before. The page shows them beside the breakdown; an
 * earlier value links to the page as Focus showed it when that value was current (`asOf`).
 */
import { API_BASE, Lang, OperationView } from './api';

/** One revision, as GET …/history answers it (see the gateway's OpenAPI: Revision). */
export interface Revision {
  version: number;
  deleted: boolean;
  state: { value?: number } | null;
  source?: { name: string; asOf: string };
  /** When Focus recorded it: not the date the figure describes (source.asOf). */
  recordedAt: string;
}

/** libs/contracts POPULATION_TYPES (history.spec.ts checks they agree): the breakdown's labels back to codes. */
export const POPULATION_TYPE_LABELS: ReadonlyArray<{ code: string; label: Record<Lang, string> }> = [
  { code: 'REF', label: { en: 'Refugees', fr: 'Réfugiés' } },
  { code: 'ASY', label: { en: 'Asylum-seekers', fr: "Demandeurs d'asile" } },
  { code: 'RET', label: { en: 'Returned refugees', fr: 'Réfugiés rapatriés' } },
  { code: 'IDP', label: { en: 'IDPs', fr: 'Déplacés internes' } },
  { code: 'RDP', label: { en: 'Returned IDPs', fr: 'Déplacés internes rapatriés' } },
  { code: 'STA', label: { en: 'Stateless', fr: 'Apatrides' } },
  { code: 'OOC', label: { en: 'Others of concern', fr: 'Autres personnes relevant de la compétence du HCR' } },
  {
    code: 'OIP',
    label: { en: 'Other people in need of international protection', fr: "Autres personnes ayant besoin d'une protection internationale" },
  },
  { code: 'HST', label: { en: 'Host community', fr: "Communauté d'accueil" } },
];

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

/** The breakdown's figures, by their population type code. */
export function breakdownTypes(view: OperationView, lang: Lang): Array<{ label: string; type: string }> {
  return view.peopleOfConcern.breakdown.flatMap(([label]) => {
    const found = POPULATION_TYPE_LABELS.find((t) => t.label[lang] === label);
    return found ? [{ label, type: found.code }] : [];
  });
}

/**
 * The revisions before the one a page shows: the newest recorded at or before `asOf` (the
 * page's instant; now when absent) is the one shown, every one before it is earlier.
 */
export function earlierRevisions(revisions: readonly Revision[], asOf?: string): Revision[] {
  const until = asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(asOf);
  const known = revisions.filter((r) => Date.parse(r.recordedAt) <= until).sort((a, b) => b.version - a.version);
  return known.slice(1);
}

/** The revised figures among a view's breakdown; a figure whose history can't be read is left unmarked. */
export async function revisedFigures(
  view: OperationView,
  lang: Lang,
  asOf: string | undefined,
  signal?: AbortSignal,
): Promise<RevisedFigure[]> {
  const found = await Promise.all(
    breakdownTypes(view, lang).map(async ({ label, type }) => {
      try {
        const response = await fetch(figureHistoryUrl(view.operation.code, view.year, type), {
          headers: { accept: 'application/json' },
          signal,
        });
        if (!response.ok) return undefined;
        const earlier = earlierRevisions(((await response.json()) as { items: Revision[] }).items, asOf);
        return earlier.length ? { label, type, earlier } : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((f): f is RevisedFigure => f !== undefined);
}
