/**
 * `npm start`: the whole system on this machine, with its demo data.
 *
 * 1. Kafka and FerretDB from tools/infra (skipped when KAFKA_BROKERS and MONGO_URL are set);
 * 2. the six apps from a fresh build, on their standard ports, each ready before the next;
 * 3. the seed operation loaded through the gateway (idempotent: a restart doubles nothing);
 * 4. where to look. Logs follow, one stream prefixed per app. Ctrl-C stops what was started,
 *    at any moment: a step in progress is interrupted and stops what it had begun.
 *
 * `npm start -- --replicas N`: N processes of every owner service and of the aggregator
 * (replica i > 0 on its standard port + 10 i), one gateway given each upstream as a list.
 */
import { createServer } from 'node:net';
import {
  DEFAULT_PORTS,
  infrastructureFromEnvironment,
  REPLICA_PORT_STEP,
  REPLICABLE_APPS,
  ReplicableApp,
  Stack,
  STACK_APPS,
  StackApp,
  startLocalInfrastructure,
  startStack,
} from '@focus/testing';
import { loadSeed } from '../seed/load';
import { readSeed } from '../seed/seed-requests';
import { replicasFromArguments } from './arguments';
import { EDITOR_KEY, runningBanner } from './banner';
import { readableLogLine } from './log-line';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** What this command started, so that it stops exactly that. */
let stack: Stack | undefined;
let stopInfrastructure: (() => Promise<void>) | undefined;
let stopping = false;
/** Aborted on Ctrl-C: the step in progress (infrastructure, build, apps) stops what it had begun and rejects. */
const interrupted = new AbortController();
/** The step starting processes right now; what it started is recorded above as soon as it resolves. */
let starting: Promise<unknown> | undefined;

function step<T>(work: Promise<T>, record: (started: T) => void): Promise<T> {
  const recorded = work.then((started) => {
    record(started);
    return started;
  });
  starting = recorded;
  return recorded;
}

async function stopAll(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`\nstart | ${reason}: stopping everything this command started…`);
  interrupted.abort();
  // Ctrl-C while Kafka or the apps are still starting: that step stops what it had begun, or
  // finishes and records it here; either way nothing is left running.
  await starting?.catch(() => undefined);
  await stack?.stop();
  await stopInfrastructure?.();
  say('start | stopped.');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const replicas = replicasFromArguments(process.argv.slice(2));
  await refuseBusyPorts(replicas);

  // Throws when only one of KAFKA_BROKERS and MONGO_URL is set: half an environment is a mistake.
  if (infrastructureFromEnvironment()) {
    say(`start | using KAFKA_BROKERS=${process.env['KAFKA_BROKERS']} and MONGO_URL=${process.env['MONGO_URL']}`);
  } else {
    say('start | 1/4 infrastructure: Kafka and FerretDB (tools/infra; the first run installs them, a few minutes)');
    const infra = await step(
      startLocalInfrastructure((line) => say(line), interrupted.signal),
      (started) => (stopInfrastructure = started.stop),
    );
    if (interrupted.signal.aborted) return;
    process.env['KAFKA_BROKERS'] = infra.kafkaBrokers.join(',');
    process.env['MONGO_URL'] = infra.mongoUrl;
  }

  const each = replicas > 1 ? `${replicas} of each of ` : '';
  say(`start | 2/4 apps: building, then starting ${each}population, budget, narratives, contributions, operation-view; one api-gateway`);
  const running = await step(
    startStack({
      ports: 'default',
      replicas,
      env: { NODE_ENV: 'development', KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      echo: (line) => process.stdout.write(line),
      format: readableLogLine,
      signal: interrupted.signal,
    }),
    (started) => (stack = started),
  );
  if (interrupted.signal.aborted) return;

  const seed = readSeed();
  say(`start | 3/4 seed: loading ${seed.code} through the gateway`);
  const summary = await loadSeed(seed, { apiUrl: running.gatewayUrl + '/api/v1', apiKey: EDITOR_KEY });
  say(`start | seed: ${summary.requests} writes (answers ${JSON.stringify(summary.statuses)})`);
  await waitForView(`${running.gatewayUrl}/api/v1/operations/${seed.code}?year=2018`);

  const replicaInfo = replicas > 1 ? `\n${replicaLines(running).join('\n')}` : '';
  say(
    [
      '',
      'start | 4/4 Focus is running.',
      runningBanner(running.gatewayUrl, seed.code, 'Ctrl-C stops everything this command started.') + replicaInfo,
      '',
    ].join('\n'),
  );
}

/** The banner's lines for replicas: where each process listens, and the gateway spreading over them. */
function replicaLines(running: Stack): string[] {
  const ports = (app: StackApp) =>
    running
      .replicaUrls(app)
      .map((url) => new URL(url).port)
      .join(', ');
  return [
    '  replicas                    the gateway spreads requests over each list, skipping one that is down:',
    ...REPLICABLE_APPS.map((app) => `    ${app.padEnd(26)}ports ${ports(app)}`),
  ];
}

/** The ports a start with `replicas` processes per app listens on. */
function portsFor(replicas: number): Array<{ port: number; app: string }> {
  return STACK_APPS.flatMap((app) => {
    const count = (REPLICABLE_APPS as readonly string[]).includes(app as ReplicableApp) ? replicas : 1;
    return Array.from({ length: count }, (_, i) => ({
      port: DEFAULT_PORTS[app] + REPLICA_PORT_STEP * i,
      app: count > 1 ? `${app}#${i + 1}` : app,
    }));
  });
}

/** Every port it needs must be free: a second `npm start` would only find the first's apps. */
async function refuseBusyPorts(replicas: number): Promise<void> {
  const busy: string[] = [];
  for (const { port, app } of portsFor(replicas)) if (!(await isFree(port))) busy.push(`${port} (${app})`);
  if (busy.length > 0) {
    throw new Error(`port ${busy.join(', ')} already in use: is Focus already running (another npm start)? Stop it first.`);
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The view appears once the aggregator has projected the seed's events. */
async function waitForView(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the seed's view did not appear at ${url} within 60 s; the operation-view lines above say why.`);
}

process.on('SIGINT', () => void stopAll('SIGINT', 0));
process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
main().catch((error: unknown) => {
  if (stopping) return; // interrupted: stopAll says so, and stops the rest
  process.stderr.write(`\nstart | failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll('failed', 1);
});
