import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { PopulationType } from '@focus/contracts';
import { badRequest, ProblemException, PROBLEM_TYPES } from '@focus/service-kit';
import { figureChange, FiguresService } from '../figures/figures.service';
import { numberedLines, splitCsvLine } from './csv-lines';
import { checkHeader, parseRow } from './unhcr-population-csv';

/** Changes per read-and-bulk-write round against the database. */
const WRITE_BATCH = 500;
/** Rejected lines listed in the summary; the count covers them all. */
const LISTED_REJECTIONS = 100;

export interface ImportSummary {
  rowsRead: number;
  figures: { created: number; updated: number; unchanged: number };
  rejected: { count: number; lines: Array<{ line: number; reason: string }> };
  /** Values reported for places that are not operations (unknown or stateless origin). */
  notAttributed: number;
  /** Every operation the file has figures for, with the country name it gives. */
  operations: Array<{ code: string; name: string }>;
  /** Credited on every imported figure, with 31 December of its year as its as-of date. */
  source: string;
}

export interface ImportOptions {
  /** Names the release, e.g. "UNHCR population statistics 2025.06.1". */
  sourceName: string;
  maxBytes: number;
  correlationId?: string;
}

/**
 * Imports UNHCR population statistics: one CSV row per (year, origin, asylum) summed into one
 * figure per (operation, year, type). The stream is read once and never held whole; writes
 * go in batches, and figures equal to what is stored are left alone, so a second import of
 * the same file changes nothing and emits nothing.
 */
@Injectable()
export class PopulationImportService {
  constructor(private readonly figures: FiguresService) {}

  async import(input: Readable, options: ImportOptions): Promise<ImportSummary> {
    const totals = new Map<string, { code: string; year: number; type: PopulationType; value: number }>();
    const names = new Map<string, string>();
    const summary: ImportSummary = {
      rowsRead: 0,
      figures: { created: 0, updated: 0, unchanged: 0 },
      rejected: { count: 0, lines: [] },
      notAttributed: 0,
      operations: [],
      source: options.sourceName,
    };
    const reject = (line: number, reason: string) => {
      summary.rejected.count += 1;
      if (summary.rejected.lines.length < LISTED_REJECTIONS) summary.rejected.lines.push({ line, reason });
    };

    let bytes = 0;
    input.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        input.destroy(new ProblemException({ type: PROBLEM_TYPES.tooLarge, title: 'Payload too large', status: 413, detail: `The import is larger than ${options.maxBytes} bytes.` }));
      }
    });

    for await (const { number, text } of numberedLines(input)) {
      if (number === 1) {
        const problem = checkHeader(safeSplit(text));
        if (problem) throw badRequest(problem, [{ field: 'header', message: 'not the columns of the UNHCR population API' }]);
        continue;
      }
      if (text.trim() === '') continue;
      summary.rowsRead += 1;
      const row = parseRow(text);
      if ('error' in row) {
        reject(number, row.error);
        continue;
      }
      summary.notAttributed += row.skipped.length;
      for (const count of row.counts) {
        const key = `${count.code}:${count.year}:${count.type}`;
        const sum = totals.get(key);
        if (sum) sum.value += count.value;
        else totals.set(key, { code: count.code, year: count.year, type: count.type, value: count.value });
        if (!names.has(count.code)) names.set(count.code, count.name);
      }
    }

    const changes = [...totals.values()]
      .sort((a, b) => a.code.localeCompare(b.code) || a.year - b.year)
      .map((f) => figureChange(f.code, f.year, f.type, f.value, { name: options.sourceName, asOf: `${f.year}-12-31` }));
    for (let start = 0; start < changes.length; start += WRITE_BATCH) {
      const counts = await this.figures.figures.putMany(changes.slice(start, start + WRITE_BATCH), { correlationId: options.correlationId });
      summary.figures.created += counts.created;
      summary.figures.updated += counts.updated;
      summary.figures.unchanged += counts.unchanged;
    }
    summary.operations = [...names].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
    return summary;
  }
}

function safeSplit(line: string): string[] {
  try {
    return splitCsvLine(line);
  } catch {
    return [line];
  }
}
