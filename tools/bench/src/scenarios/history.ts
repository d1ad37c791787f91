import { BenchContext } from '../bench-context';
import { corpusOperationCode } from '../event-corpus';
import { measureLoad } from '../http-load';
import { BenchRow, row } from '../results';
import { PROJECTION_CODE_PREFIX } from './projection';

const YEAR = 2010;

/**
 * history: on the projection scenario's data, through the gateway, one entity's history (a
 * population figure the corpus revised in every round) and the operation's view as of the
 * instant that figure was first recorded, each beside the current view of the same operation
 * and year (cached by the gateway), back to back with the same connections and duration.
 * Neither history nor as-of answers are cached by the gateway: each read folds revisions.
 */
export async function historyScenario(ctx: BenchContext): Promise<BenchRow[]> {
  const code = corpusOperationCode({ codePrefix: PROJECTION_CODE_PREFIX }, 1);
  const current = `${ctx.api}/operations/${code}?year=${YEAR}`;
  const history = `${ctx.api}/operations/${code}/population/${YEAR}/REF/history`;
  const page = await fetch(history);
  if (page.status !== 200) throw new Error(`GET ${history} answered ${page.status}: did the projection run?`);
  const items = ((await page.json()) as { items: Array<{ version: number; recordedAt: string }> }).items;
  const first = items.at(-1);
  if (!first) throw new Error(`GET ${history}: no revisions`);
  const asOf = `${current}&asOf=${encodeURIComponent(first.recordedAt)}`;
  if ((await fetch(asOf)).status !== 200) throw new Error(`GET ${asOf} did not answer 200`);
  const settings = ctx.sizes.read;
  ctx.log(
    `history: ${items.length} revisions of ${code}:${YEAR}:REF on the first page, then its view as of ${first.recordedAt}; each beside the current view`,
  );
  const currentLoad = await measureLoad(current, settings, {}, 200);
  const historyLoad = await measureLoad(history, settings, {}, 200);
  const asOfLoad = await measureLoad(asOf, settings, {}, 200);
  return [
    row('history', 'history_rps', 'req/s', historyLoad.rps, currentLoad.rps),
    row('history', 'history_p99_ms', 'ms', historyLoad.p99Ms, currentLoad.p99Ms),
    row('history', 'as_of_rps', 'req/s', asOfLoad.rps, currentLoad.rps),
    row('history', 'as_of_p99_ms', 'ms', asOfLoad.p99Ms, currentLoad.p99Ms),
  ];
}
