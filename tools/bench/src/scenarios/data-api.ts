import { readFileSync } from 'node:fs';
import { BenchContext } from '../bench-context';
import { measureLoad, recordAnswers, startBareServer } from '../http-load';
import { BenchRow, row } from '../results';

/** Filtered and grouped over every operation: the aggregator reads every view to answer it once. */
export const POPULATION_QUERY = '/population?yearFrom=2000&type=REF,ASY&groupBy=origin,year&limit=1000';

/**
 * population-query: a filtered, grouped query over the whole imported table through the
 * gateway, beside a bare Fastify server answering the same bytes and headers (as gateway-read),
 * and the time of its first answer (a miss: the aggregator scans every view).
 */
export async function populationQueryScenario(ctx: BenchContext): Promise<BenchRow[]> {
  const url = `${ctx.api}${POPULATION_QUERY}`;
  const started = performance.now();
  const first = await fetch(url);
  const body = Buffer.from(await first.arrayBuffer());
  const missMs = performance.now() - started;
  if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}: ${body.toString().slice(0, 300)}`);
  const rows = (JSON.parse(body.toString()) as { rows: unknown[] }).rows.length;
  if (rows === 0) throw new Error(`GET ${url} has no rows: is the import projected?`);
  // Replays the cache's answer (a hit), which is what the load below is answered with.
  const bare = await startBareServer(ctx.workDir, await recordAnswers(url));
  try {
    ctx.log(`population-query: ${rows} rows (${body.length} bytes), first answer ${missMs.toFixed(0)} ms; gateway then bare Fastify`);
    const gateway = await measureLoad(url, ctx.sizes.read, {}, 200);
    const baseline = await measureLoad(bare.url, ctx.sizes.read, {}, 200);
    return [
      row('population-query', 'rps', 'req/s', gateway.rps, baseline.rps),
      row('population-query', 'p99_ms', 'ms', gateway.p99Ms, baseline.p99Ms),
      row('population-query', 'miss_ms', 'ms', missMs),
    ];
  } finally {
    await bare.stop();
  }
}

/**
 * csv-export: the whole population table by origin as CSV, streamed through the gateway, read
 * to the end; rows per second, and the gateway's peak resident memory once it is done.
 */
export async function csvExportScenario(ctx: BenchContext): Promise<BenchRow[]> {
  const url = `${ctx.api}/population?format=csv&hxl=true`;
  const started = performance.now();
  const response = await fetch(url);
  if (response.status !== 200 || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = lines - 2; // the header and HXL rows
  ctx.log(`csv-export: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  const pid = ctx.stack.pid('api-gateway');
  const peak = pid === undefined ? undefined : readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
  return [
    row('csv-export', 'rows_per_s', 'rows/s', rows / seconds),
    row('csv-export', 'rows', 'rows', rows),
    ...(peak ? [row('csv-export', 'rss_mb:api-gateway', 'MB', Number(peak[1]) / 1024, null, '< 200')] : []),
  ];
}
