import { PopulationType } from '@focus/contracts';

/** One (operation, year, type, origin) count of an import, summed over the file's rows. */
export interface OriginCount {
  code: string;
  year: number;
  type: PopulationType;
  origin: string;
  value: number;
}

/**
 * Which counts an import keeps as figures. UNHCR's file reports a cell for every type of
 * every (year, origin, asylum) row, mostly zeros: 1.1 million cells, 208,000 of them non-zero.
 * A zero per origin says nothing a missing figure doesn't, and would make every event, view
 * and export five times larger; but a type an operation reported as zero from every origin is
 * still a reported zero, which its view shows. So every non-zero count is kept, and a
 * (operation, year, type) with no non-zero origin keeps one zero, under the first origin that
 * reported it (file order, so a re-import picks the same one).
 */
export function keptCounts(counts: Iterable<OriginCount>): OriginCount[] {
  const all = [...counts];
  const nonZero = new Set<string>();
  for (const count of all) if (count.value > 0) nonZero.add(groupOf(count));
  const zeroKept = new Set<string>();
  return all.filter((count) => {
    if (count.value > 0) return true;
    const group = groupOf(count);
    if (nonZero.has(group) || zeroKept.has(group)) return false;
    zeroKept.add(group);
    return true;
  });
}

function groupOf(count: OriginCount): string {
  return `${count.code}:${count.year}:${count.type}`;
}
