import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { entityIds, FigureSource } from '@focus/contracts';
import { badRequest, ProblemException, PROBLEM_TYPES, validationProblem } from '@focus/service-kit';
import { figureChange, FiguresService } from '../figures/figures.service';
import type { ImportProgress } from './import-jobs';
import { OriginCount, OriginCounts } from './origin-counts';
import { numberedLines, splitCsvLine } from './csv-lines';
import { checkHeader, parseRow } from './unhcr-population-csv';

/** Changes per read-and-bulk-write round against the database. */
const WRITE_BATCH = 500;
/** Rejected lines listed in the summary; the count covers them all. */
const LISTED_REJECTIONS = 100;
/** Rejected lines a refused import (every row rejected) names in its 422. */
const NAMED_IN_REFUSAL = 10;

export interface ImportSummary {
  rowsRead: number;
  figures: { created: number; updated: number; unchanged: number };
  /** Figures without an origin (an earlier import's sums, a page's figures) replaced by this import's figures by origin. */
  replacedWithoutOrigin: number;
  /** Figures by an origin this file no longer reports for their (operation, year, type), which it does report: removed. */
  removedOrigins: number;
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

/** A file read and checked, not yet written: its summary so far and the figures it holds. */
export interface ReadImport {
  summary: ImportSummary;
  figures: readonly OriginCount[];
}

/**
 * Imports UNHCR population statistics: one CSV row per (year, origin, asylum) as one figure
 * per (operation, year, type, origin) (see OriginCounts for which zeros are kept). The stream is
 * read once and never held whole; writes go in batches, and figures equal to what is stored
 * are left alone, so a second import of the same file changes nothing and emits nothing.
 *
 * For each (operation, year, type) it reports, the file is the whole truth: views sum every
 * figure of a (year, type), so a figure the file does not have there is removed, whether it has
 * no origin (a page's figure, an import before origins) or an origin a newer release stopped
 * reporting. What the file does not report at all (other years, other operations) is left alone.
 *
 * In two steps, so that an import answered before it is written (ImportJobs) still refuses a
 * bad file in its answer: read() checks the whole file and holds its figures, write() writes them.
 */
@Injectable()
export class PopulationImportService {
  constructor(private readonly figures: FiguresService) {}

  async import(input: Readable, options: ImportOptions): Promise<ImportSummary> {
    return this.write(await this.read(input, options), options);
  }

  /** Reads and checks the whole file (400, 413, 422 for a file nothing can be taken from); writes nothing. */
  async read(input: Readable, options: ImportOptions): Promise<ReadImport> {
    const counts = new OriginCounts();
    const names = new Map<string, string>();
    const summary: ImportSummary = {
      rowsRead: 0,
      figures: { created: 0, updated: 0, unchanged: 0 },
      replacedWithoutOrigin: 0,
      removedOrigins: 0,
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
        input.destroy(
          new ProblemException({
            type: PROBLEM_TYPES.tooLarge,
            title: 'Payload too large',
            status: 413,
            detail: `The import is larger than ${options.maxBytes} bytes.`,
          }),
        );
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
        counts.add(count);
        if (!names.has(count.code)) names.set(count.code, count.name);
      }
    }

    if (summary.rowsRead > 0 && summary.rejected.count === summary.rowsRead) throw refusal(summary);
    summary.operations = [...names].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
    return { summary, figures: counts.kept() };
  }

  /** Writes what read() found, reporting the figures done as it goes; returns the summary. */
  async write(
    { summary: read, figures: kept }: ReadImport,
    options: ImportOptions,
    progress: ImportProgress = () => undefined,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { ...read, figures: { ...read.figures } };
    // Changes are made a batch at a time, so the heap holds the kept counts and one batch's
    // changes (under the population app's heap ceiling), not a change per figure at once.
    const sources = new Map<number, FigureSource>();
    const sourceOf = (year: number): FigureSource => {
      let source = sources.get(year);
      if (!source) sources.set(year, (source = { name: options.sourceName, asOf: `${year}-12-31` }));
      return source;
    };
    // Operation by operation (`kept` is sorted by operation): its figures by origin, then the
    // removal of those they replace. Views sum every figure of a (year, type), so between the
    // two an operation's figures are counted twice: for one operation's writes, not the whole
    // file's.
    let done = 0;
    for (const figures of byOperation(kept)) {
      for (let start = 0; start < figures.length; start += WRITE_BATCH) {
        const changes = figures
          .slice(start, start + WRITE_BATCH)
          .map((f) => figureChange(f.code, f.year, f.type, f.value, sourceOf(f.year), f.origin));
        const counts = await this.figures.figures.putMany(changes, { correlationId: options.correlationId });
        summary.figures.created += counts.created;
        summary.figures.updated += counts.updated;
        summary.figures.unchanged += counts.unchanged;
        done += changes.length;
        progress(done);
      }
      await this.removeFiguresNotReported(figures, summary, options.correlationId);
    }
    return summary;
  }

  /** One operation's figures of the file: removes the figures of its (year, type)s that the file no longer reports. */
  private async removeFiguresNotReported(figures: readonly OriginCount[], summary: ImportSummary, correlationId?: string): Promise<void> {
    const code = figures[0].code;
    const ids = new Set<string>();
    const groups = new Set<string>();
    for (const f of figures) {
      ids.add(entityIds.populationFigure(f.code, f.year, f.type, f.origin));
      groups.add(`${f.year}:${f.type}`);
    }
    // By the head's own operationCode: indexed, where `state.operationCode` made FerretDB scan every figure, once per operation.
    for (const figure of await this.figures.figures.list({ operationCode: code }, Number.MAX_SAFE_INTEGER)) {
      if (ids.has(figure.id) || !groups.has(`${figure.state.year}:${figure.state.type}`)) continue;
      await this.figures.figures.remove(figure.id, code, { correlationId });
      if (figure.state.origin === undefined) summary.replacedWithoutOrigin += 1;
      else summary.removedOrigins += 1;
    }
  }
}

/** `kept`'s runs of one operation each (it is sorted by operation). */
function* byOperation(kept: readonly OriginCount[]): Generator<readonly OriginCount[]> {
  for (let start = 0; start < kept.length; ) {
    let end = start;
    while (end < kept.length && kept[end].code === kept[start].code) end++;
    yield kept.slice(start, end);
    start = end;
  }
}

/** Nothing in the file could be read: a 422 naming the first bad lines, and nothing written. */
function refusal(summary: ImportSummary): ProblemException {
  const named = summary.rejected.lines.slice(0, NAMED_IN_REFUSAL);
  return validationProblem(
    named.map(({ line, reason }) => ({ field: `line ${line}`, message: reason })),
    `All ${summary.rowsRead} rows were rejected; nothing was imported. First: line ${named[0].line}, ${named[0].reason}.`,
  );
}

function safeSplit(line: string): string[] {
  try {
    return splitCsvLine(line);
  } catch {
    return [line];
  }
}
