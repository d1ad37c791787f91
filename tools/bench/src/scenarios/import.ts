import { TOPICS } from '@focus/contracts';
import { endOffsets } from '@focus/messaging';
import { followImport, uploadCsv } from '../../../import/upload';
import { BenchContext } from '../bench-context';
import { BenchRow, row } from '../results';
import { waitUntilProjected } from '../settle';

const TIMEOUT_MS = 30 * 60_000;
/** How long the whole file's figures may take to be written (FerretDB on two cores: tools/bench/README.md). */
const WRITE_TIMEOUT_MS = 90 * 60_000;

interface ImportSummary {
  rowsRead: number;
  figures: { created: number; updated: number; unchanged: number };
  replacedWithoutOrigin: number;
  removedOrigins: number;
}

/**
 * import: a UNHCR population CSV through the gateway's import route, as `npm run import` sends
 * it (Prefer: respond-async, then followed to its end), timed from the first byte sent until
 * the views show it: the owners have published their whole outboxes (the gateway creates
 * missing profiles through narratives) and the aggregator has applied it all.
 */
export async function importScenario(ctx: BenchContext): Promise<BenchRow[]> {
  const file = ctx.sizes.importFile;
  ctx.log(`import: ${file} through ${ctx.api}/imports/population`);
  const topic = `${ctx.ns.topicPrefix}${TOPICS.population}`;
  // What earlier writes publish must not count as the import's.
  await waitUntilProjected(ctx, TIMEOUT_MS);
  const publishedBefore = await messagesOn(ctx, topic);
  const started = Date.now();
  const url = `${ctx.api}/imports/population`;
  const accepted = await uploadCsv({ file, url, apiKey: ctx.editorKey, respondAsync: true });
  if (accepted.status !== 202 || !accepted.location)
    throw new Error(`import: the gateway answered ${accepted.status}: ${JSON.stringify(accepted.body).slice(0, 500)}`);
  const read = Date.now();
  ctx.log(`  read and checked after ${((read - started) / 1000).toFixed(1)} s; writing`);
  let logged = 0;
  const end = await within(
    followImport({
      url: accepted.location,
      apiKey: ctx.editorKey,
      intervalMs: 1_000,
      onProgress: (done, total) => {
        if (Date.now() - logged < 60_000) return;
        logged = Date.now();
        ctx.log(`  ${done.toLocaleString('en')} of ${total.toLocaleString('en')} figures written`);
      },
    }),
    WRITE_TIMEOUT_MS,
  );
  if (end.state !== 'succeeded') throw new Error(`import: ${end.state}: ${JSON.stringify(end.problem ?? end).slice(0, 500)}`);
  const summary = end.summary as ImportSummary;
  const answered = Date.now();
  ctx.log(
    `  written after ${((answered - started) / 1000).toFixed(1)} s: ${summary.rowsRead} rows, figures ${JSON.stringify(summary.figures)}`,
  );
  // Every figure changed or removed is one event. Counted on the topic: the owners' readiness
  // reports what their relay knows (its hints, its last search), and revisions past its hints
  // wait for a search it spaces out, so an empty backlog there can come before the last publish.
  const events = summary.figures.created + summary.figures.updated + summary.replacedWithoutOrigin + summary.removedOrigins;
  await waitForMessages(ctx, topic, publishedBefore + events, Date.now() + TIMEOUT_MS);
  const done = await waitUntilProjected(ctx, TIMEOUT_MS);
  const seconds = (done - started) / 1000;
  ctx.log(`  in the views after ${seconds.toFixed(1)} s`);
  return [
    row('import', 'rows_per_s', 'rows/s', summary.rowsRead / seconds),
    row('import', 'seconds', 's', seconds),
    row('import', 'read_after', 's', (read - started) / 1000),
    row('import', 'written_after', 's', (answered - started) / 1000),
  ];
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`import: not written within ${ms / 60_000} min`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Messages ever published on a topic: the sum of its partitions' end offsets. */
async function messagesOn(ctx: BenchContext, topic: string): Promise<number> {
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    return [...(await endOffsets(admin, [topic])).values()].reduce((sum, end) => sum + end, 0);
  } finally {
    await admin.disconnect();
  }
}

async function waitForMessages(ctx: BenchContext, topic: string, atLeast: number, deadline: number): Promise<void> {
  for (let count = await messagesOn(ctx, topic); count < atLeast; count = await messagesOn(ctx, topic)) {
    if (Date.now() > deadline) throw new Error(`import: ${topic} holds ${count} messages, ${atLeast} expected`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
