import { BenchContext } from '../bench-context';
import { measureLoad, startBareServer } from '../http-load';
import { BenchRow, row } from '../results';

/**
 * gateway-read and conditional-read: a cached operation view through the gateway, with and
 * without If-None-Match, against a bare Fastify process serving the same bytes and headers.
 * Each pair runs back to back with the same connections and duration.
 */
export async function readScenarios(ctx: BenchContext, code: string): Promise<BenchRow[]> {
  const url = `${ctx.api}/operations/${code}?year=2018`;
  const first = await fetch(url);
  if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}: is the seed loaded?`);
  const body = Buffer.from(await first.arrayBuffer());
  const etag = first.headers.get('etag') ?? '';
  const bare = await startBareServer(ctx.workDir, body, etag, first.headers.get('cache-control') ?? 'no-cache');
  const settings = ctx.sizes.read;
  const note = `${settings.connections} connections × ${settings.durationSeconds} s`;
  try {
    ctx.log(`gateway-read: ${body.length} bytes, ${note}, gateway then bare Fastify`);
    const gateway = await measureLoad(url, settings, {}, 200);
    const baseline = await measureLoad(bare.url, settings, {}, 200);
    ctx.log(`conditional-read: If-None-Match ${etag}, ${note}`);
    const gateway304 = await measureLoad(url, settings, { 'if-none-match': etag }, 304);
    const baseline304 = await measureLoad(bare.url, settings, { 'if-none-match': etag }, 304);
    return [
      row('gateway-read', 'rps', 'req/s', gateway.rps, baseline.rps, 'ratio ≥ 0.7'),
      row('gateway-read', 'p50_ms', 'ms', gateway.p50Ms, baseline.p50Ms),
      row('gateway-read', 'p99_ms', 'ms', gateway.p99Ms, baseline.p99Ms),
      row('conditional-read', 'rps', 'req/s', gateway304.rps, baseline304.rps),
      row('conditional-read', 'p99_ms', 'ms', gateway304.p99Ms, baseline304.p99Ms),
    ];
  } finally {
    await bare.stop();
  }
}
