import { uploadCsv } from '../../../import/upload';
import { BenchContext } from '../bench-context';
import { BenchRow, row } from '../results';
import { waitUntilProjected } from '../settle';

const TIMEOUT_MS = 30 * 60_000;

interface ImportSummary {
  rowsRead: number;
  figures?: { created: number; updated: number; unchanged: number };
}

/**
 * import: a UNHCR population CSV through the gateway's import route, timed from the first
 * byte sent until the views show it: the owners have published their whole outboxes (the
 * gateway creates missing profiles through narratives) and the aggregator has applied it all.
 */
export async function importScenario(ctx: BenchContext): Promise<BenchRow[]> {
  const file = ctx.sizes.importFile;
  ctx.log(`import: ${file} through ${ctx.api}/imports/population`);
  const started = Date.now();
  const { status, body } = await uploadCsv({ file, url: `${ctx.api}/imports/population`, apiKey: ctx.editorKey });
  if (status !== 201) throw new Error(`import: the gateway answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  const summary = body as ImportSummary;
  const answered = Date.now();
  ctx.log(
    `  answered after ${((answered - started) / 1000).toFixed(1)} s: ${summary.rowsRead} rows, figures ${JSON.stringify(summary.figures)}`,
  );
  const done = await waitUntilProjected(ctx, TIMEOUT_MS);
  const seconds = (done - started) / 1000;
  ctx.log(`  in the views after ${seconds.toFixed(1)} s`);
  return [
    row('import', 'rows_per_s', 'rows/s', summary.rowsRead / seconds),
    row('import', 'seconds', 's', seconds),
    row('import', 'answered_after', 's', (answered - started) / 1000),
  ];
}
