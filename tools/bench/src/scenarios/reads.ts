import { BenchContext } from '../bench-context';
import { LoadFigures, measureLoad, processTicks, recordAnswers, startBareServer } from '../http-load';
import { BenchRow, row } from '../results';

/** How many times each pair (gateway, bare server) is measured: the spread says how far to trust one. */
export const READ_ROUNDS = 2;

interface Measured extends LoadFigures {
  /** Cores the bench process (autocannon) used meanwhile: the load generator's share of the two. */
  loadCores: number;
  /** Cores the server process used meanwhile. */
  serverCores: number;
}

/**
 * gateway-read and conditional-read: a cached operation view through the gateway, with and
 * without If-None-Match, against a bare Fastify process answering the same bytes and headers.
 * Each pair runs READ_ROUNDS times with the same connections and duration, the order
 * alternating (gateway first, then bare first) so a drift of the machine's load falls on both.
 * With BENCH_CPU_PROFILE_DIR set, one more round runs with both processes profiled; its
 * figures are not reported (the profiler slows what it watches).
 */
export async function readScenarios(ctx: BenchContext, code: string): Promise<BenchRow[]> {
  const url = `${ctx.api}/operations/${code}?year=2018`;
  const answers = await recordAnswers(url);
  const { body, etag } = answers;
  const bare = await startBareServer(ctx.workDir, answers);
  const gatewayPid = ctx.stack.pid('api-gateway') ?? 0;
  const settings = ctx.sizes.read;
  ctx.log(`gateway-read: ${body.length} bytes, ${settings.connections} connections × ${settings.durationSeconds} s, ${READ_ROUNDS} rounds`);
  const measure = async (target: string, pid: number, headers: Record<string, string>, status: number): Promise<Measured> => {
    const cpu = process.cpuUsage();
    const ticks = processTicks(pid);
    const started = Date.now();
    const figures = await measureLoad(target, settings, headers, status);
    const elapsedMs = Date.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      ...figures,
      loadCores: (used.user + used.system) / 1000 / elapsedMs,
      serverCores: ((processTicks(pid) - ticks) * 10) / elapsedMs,
    };
  };
  const conditional = { 'if-none-match': etag };
  const runs = { gateway: [] as Measured[], bare: [] as Measured[], gateway304: [] as Measured[], bare304: [] as Measured[] };
  try {
    for (let round = 0; round < READ_ROUNDS; round++) {
      const gatewayFirst = round % 2 === 0;
      for (const [headers, status, g, b] of [
        [{}, 200, runs.gateway, runs.bare],
        [conditional, 304, runs.gateway304, runs.bare304],
      ] as const) {
        if (gatewayFirst) g.push(await measure(url, gatewayPid, headers, status));
        b.push(await measure(bare.url, bare.pid, headers, status));
        if (!gatewayFirst) g.push(await measure(url, gatewayPid, headers, status));
      }
      ctx.log(
        `gateway-read round ${round + 1}: ${describe(runs.gateway, runs.bare, 'hit')}; ${describe(runs.gateway304, runs.bare304, '304')}`,
      );
    }
    if (process.env['BENCH_CPU_PROFILE_DIR']) {
      // Profiles are for reading, not figures: a failure is reported, with the gateway's last lines, and the run goes on.
      await profiledRound(ctx, measure, url, gatewayPid, bare, conditional).catch((error: unknown) =>
        ctx.log(`gateway-read: profiling failed: ${String(error)}\n${ctx.stack.logs('api-gateway').slice(-20).join('\n')}`),
      );
    }
  } finally {
    await bare.stop();
  }
  const rps = (ms: Measured[]) => ms.map((m) => m.rps);
  const mean = (ms: Measured[], pick: (m: Measured) => number) => ms.reduce((sum, m) => sum + pick(m), 0) / ms.length;
  return [
    row(
      'gateway-read',
      'rps',
      'req/s',
      mean(runs.gateway, (m) => m.rps),
      mean(runs.bare, (m) => m.rps),
      'ratio ≥ 0.9',
      {
        runs: rps(runs.gateway),
        baselineRuns: rps(runs.bare),
      },
    ),
    row(
      'gateway-read',
      'p50_ms',
      'ms',
      mean(runs.gateway, (m) => m.p50Ms),
      mean(runs.bare, (m) => m.p50Ms),
    ),
    row(
      'gateway-read',
      'p99_ms',
      'ms',
      mean(runs.gateway, (m) => m.p99Ms),
      mean(runs.bare, (m) => m.p99Ms),
    ),
    row(
      'gateway-read',
      'server_cores',
      'cores',
      mean(runs.gateway, (m) => m.serverCores),
      mean(runs.bare, (m) => m.serverCores),
    ),
    row(
      'gateway-read',
      'load_generator_cores',
      'cores',
      mean(runs.gateway, (m) => m.loadCores),
      mean(runs.bare, (m) => m.loadCores),
    ),
    row(
      'conditional-read',
      'rps',
      'req/s',
      mean(runs.gateway304, (m) => m.rps),
      mean(runs.bare304, (m) => m.rps),
      'ratio ≥ 0.9',
      {
        runs: rps(runs.gateway304),
        baselineRuns: rps(runs.bare304),
      },
    ),
    row(
      'conditional-read',
      'p99_ms',
      'ms',
      mean(runs.gateway304, (m) => m.p99Ms),
      mean(runs.bare304, (m) => m.p99Ms),
    ),
    row(
      'conditional-read',
      'server_cores',
      'cores',
      mean(runs.gateway304, (m) => m.serverCores),
      mean(runs.bare304, (m) => m.serverCores),
    ),
    row(
      'conditional-read',
      'load_generator_cores',
      'cores',
      mean(runs.gateway304, (m) => m.loadCores),
      mean(runs.bare304, (m) => m.loadCores),
    ),
  ];
}

function describe(gateway: Measured[], bare: Measured[], what: string): string {
  const g = gateway[gateway.length - 1];
  const b = bare[bare.length - 1];
  return `${what} ${Math.round(g.rps)} vs ${Math.round(b.rps)} req/s (${(g.rps / b.rps).toFixed(2)})`;
}

/** One more round with the profiler on in both servers: SIGWINCH starts it, the next writes the profile. */
async function profiledRound(
  ctx: BenchContext,
  measure: (target: string, pid: number, headers: Record<string, string>, status: number) => Promise<Measured>,
  url: string,
  gatewayPid: number,
  bare: { url: string; pid: number },
  conditional: Record<string, string>,
): Promise<void> {
  for (const [target, pid] of [
    [url, gatewayPid],
    [bare.url, bare.pid],
  ] as const) {
    for (const [headers, status] of [
      [{}, 200],
      [conditional, 304],
    ] as const) {
      process.kill(pid, 'SIGWINCH');
      await measure(target, pid, headers, status);
      process.kill(pid, 'SIGWINCH');
      await new Promise((r) => setTimeout(r, 2_000)); // the profile is written after the signal
    }
  }
  ctx.log(`gateway-read: CPU profiles in ${process.env['BENCH_CPU_PROFILE_DIR']} (hit, then 304, for each server)`);
}
