import { BenchContext } from '../bench-context';
import { CpuUsage, cpuSnapshot, cpuUsage } from '../cpu-usage';
import { percentile } from '../stats';
import { BenchRow, row } from '../results';

const YEAR = 2030;
const POLL_GAP_MS = 5;
const VISIBLE_TIMEOUT_MS = 30_000;

interface PendingWrite {
  value: number;
  answeredAt: number;
}

/**
 * freshness: writes at a steady rate through the gateway (open loop: each is sent on its
 * schedule, whatever the others do), and for each the delay from its 2xx to the moment a
 * read through the gateway shows it. Writes rotate over a few operations; one operation's
 * writes go one after another with rising values, so "the view shows value ≥ v" means
 * "write v is visible". Each operation's view is read in a loop while writes are pending;
 * the delay is taken when the read that shows it has answered (an upper bound).
 */
export async function freshnessScenario(ctx: BenchContext): Promise<BenchRow[]> {
  const { writesPerSecond, durationSeconds, operations } = ctx.sizes.freshness;
  const codes = Array.from({ length: operations }, (_, i) => `FRESH-${String(i + 1).padStart(2, '0')}`);
  const total = writesPerSecond * durationSeconds;
  ctx.log(`freshness: ${total} writes at ${writesPerSecond}/s over ${operations} operations, each until a read shows it`);

  // Each view must exist before its reads mean anything.
  for (const code of codes) await putRefugees(ctx, code, 0);
  // By operation index: the writes answered but not yet seen, and the last write sent.
  const pending = codes.map((): PendingWrite[] => []);
  const chains = codes.map(() => Promise.resolve());
  const delays: number[] = [];
  let sending = true;
  const pollers = codes.map((code, k) => pollUntilSeen(ctx, code, pending[k], delays, () => sending));

  const cpuBefore = cpuSnapshot(ctx.stack);
  const started = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 1; i <= total; i++) {
    await sleepUntil(started + (i * 1000) / writesPerSecond);
    const k = i % codes.length;
    const value = i;
    chains[k] = chains[k].then(async () => {
      await putRefugees(ctx, codes[k], value);
      pending[k].push({ value, answeredAt: Date.now() });
    });
    sends.push(chains[k]);
  }
  let achievedRate: number;
  let cpu: CpuUsage;
  try {
    await Promise.all(sends);
    achievedRate = total / ((Date.now() - started) / 1000);
    cpu = cpuUsage(cpuBefore, cpuSnapshot(ctx.stack), total);
  } finally {
    sending = false;
  }
  await Promise.all(pollers);
  if (delays.length !== total) throw new Error(`freshness: ${total - delays.length} of ${total} writes never became visible`);
  const split = [...cpu.appMsPerUnit, ...cpu.othersMsPerUnit].map(([who, ms]) => `${who} ${ms.toFixed(1)}`).join(', ');
  ctx.log(
    `freshness: ${cpu.coresBusy.toFixed(2)} of ${cpu.cores} cores busy; CPU ms per write: ${cpu.msPerUnit.toFixed(1)} in all, of which ${split} (the rest: the kernel and other processes)`,
  );
  return [
    row('freshness', 'p50_ms', 'ms', percentile(delays, 50)),
    row('freshness', 'p95_ms', 'ms', percentile(delays, 95)),
    row('freshness', 'p99_ms', 'ms', percentile(delays, 99), null, '< 250'),
    row('freshness', 'writes_per_s', 'writes/s', achievedRate),
    // Whether the rate asked is out of reach: what one write costs the machine, and how busy it was.
    row('freshness', 'cpu_ms_per_write', 'ms', cpu.msPerUnit),
    row('freshness', 'cores_busy', 'cores', cpu.coresBusy),
  ];
}

async function putRefugees(ctx: BenchContext, code: string, value: number): Promise<void> {
  const response = await fetch(`${ctx.api}/operations/${code}/population/${YEAR}/REF`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-api-key': ctx.editorKey },
    body: JSON.stringify({ value }),
  });
  if (!response.ok) throw new Error(`freshness: PUT ${code} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

async function pollUntilSeen(
  ctx: BenchContext,
  code: string,
  pending: PendingWrite[],
  delays: number[],
  sending: () => boolean,
): Promise<void> {
  const url = `${ctx.api}/operations/${code}?year=${YEAR}`;
  // Conditional, as a portal polls: an unchanged view is a bodiless 304, so the bench's own
  // reads cost the two cores it shares with the stack as little as they can.
  let etag: string | undefined;
  let seen = -1;
  while (sending() || pending.length > 0) {
    if (pending.length === 0) {
      await sleep(POLL_GAP_MS);
      continue;
    }
    const response = await fetch(url, { headers: etag ? { 'if-none-match': etag } : {} });
    if (response.status === 200) {
      seen = refugeesIn((await response.json()) as ViewShape);
      etag = response.headers.get('etag') ?? undefined;
    } else {
      await response.arrayBuffer();
      if (response.status !== 304) seen = -1;
    }
    const now = Date.now();
    while (pending.length > 0 && pending[0].value <= seen) {
      delays.push(now - pending[0].answeredAt);
      pending.shift();
    }
    if (pending.length > 0 && now - pending[0].answeredAt > VISIBLE_TIMEOUT_MS) {
      throw new Error(`freshness: ${code} still showed ${seen} ${VISIBLE_TIMEOUT_MS} ms after write ${pending[0].value} was answered`);
    }
    await sleep(POLL_GAP_MS);
  }
}

interface ViewShape {
  peopleOfConcern?: { breakdown?: Array<[string, number]> };
}

function refugeesIn(view: ViewShape): number {
  return view.peopleOfConcern?.breakdown?.find(([label]) => label === 'Refugees')?.[1] ?? -1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));
