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
 * The counts an import keeps as figures, gathered row by row. UNHCR's file reports a cell for
 * every type of every (year, origin, asylum) row, mostly zeros: 1.1 million cells, 208,000 of
 * them non-zero. A zero per origin says nothing a missing figure doesn't, and would make every
 * event, view and export five times larger; but a type an operation reported as zero from
 * every origin is still a reported zero (its view counts the year as reported). So every
 * non-zero count is kept, and a (operation, year, type) with no non-zero origin keeps one
 * zero, under the first origin that reported it (file order, so a re-import picks the same).
 * Zeros are never held one per origin: only the first of each group, so memory goes by the
 * figures kept, not by the cells read.
 */
export class OriginCounts {
  private readonly nonZero = new Map<string, OriginCount>();
  private readonly firstZero = new Map<string, OriginCount>();

  add({ code, year, type, origin, value }: OriginCount): void {
    const count = { code, year, type, origin, value };
    if (count.value === 0) {
      const group = groupOf(count);
      if (!this.firstZero.has(group)) this.firstZero.set(group, count);
      return;
    }
    // Only returned refugees ever sum here: rows from every country they came back from.
    const key = `${groupOf(count)}:${count.origin}`;
    const held = this.nonZero.get(key);
    if (held) held.value += count.value;
    else this.nonZero.set(key, count);
  }

  /** The kept counts, by operation and year; the gathered ones are released. */
  kept(): OriginCount[] {
    const groups = new Set<string>();
    for (const count of this.nonZero.values()) groups.add(groupOf(count));
    const kept = [...this.nonZero.values()];
    for (const [group, zero] of this.firstZero) if (!groups.has(group)) kept.push(zero);
    this.nonZero.clear();
    this.firstZero.clear();
    return kept.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.year - b.year));
  }
}

function groupOf(count: OriginCount): string {
  return `${count.code}:${count.year}:${count.type}`;
}
