/**
 * `npm start`: the whole system on this machine, with its demo data.
 *
 * 1. Kafka and FerretDB from tools/infra (skipped when KAFKA_BROKERS and MONGO_URL are set);
 * 2. the six apps from a fresh build, on their standard ports, each ready before the next;
 * 3. the seed operation loaded through the gateway (idempotent: a restart doubles nothing);
 * 4. where to look. Logs follow, one stream prefixed per app. Ctrl-C stops what was started.
 */
import { createServer } from 'node:net';
import { DEFAULT_PORTS, infrastructureFromEnvironment, Stack, STACK_APPS, startLocalInfrastructure, startStack } from '@focus/testing';
import { loadSeed } from '../seed/load';
import { readSeed } from '../seed/seed-requests';
import { EDITOR_KEY, runningBanner } from './banner';
import { readableLogLine } from './log-line';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** What this command started, so that it stops exactly that. */
let stack: Stack | undefined;
let stopInfrastructure: (() => Promise<void>) | undefined;
let stopping = false;

async function stopAll(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`\nstart | ${reason}: stopping the apps${stopInfrastructure ? ' and the infrastructure this command started' : ''}…`);
  await stack?.stop();
  await stopInfrastructure?.();
  say('start | stopped.');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll('SIGINT', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));

  await refuseBusyPorts();

  // Throws when only one of KAFKA_BROKERS and MONGO_URL is set: half an environment is a mistake.
  if (infrastructureFromEnvironment()) {
    say(`start | using KAFKA_BROKERS=${process.env['KAFKA_BROKERS']} and MONGO_URL=${process.env['MONGO_URL']}`);
  } else {
    say('start | 1/4 infrastructure: Kafka and FerretDB (tools/infra; the first run installs them, a few minutes)');
    const infra = await startLocalInfrastructure((line) => say(line));
    process.env['KAFKA_BROKERS'] = infra.kafkaBrokers.join(',');
    process.env['MONGO_URL'] = infra.mongoUrl;
    stopInfrastructure = infra.stop;
  }

  say('start | 2/4 apps: building, then starting population, budget, narratives, contributions, operation-view, api-gateway');
  stack = await startStack({
    ports: 'default',
    env: { NODE_ENV: 'development', KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    echo: (line) => process.stdout.write(line),
    format: readableLogLine,
  });

  const seed = readSeed();
  say(`start | 3/4 seed: loading ${seed.code} through the gateway`);
  const summary = await loadSeed(seed, { apiUrl: stack.gatewayUrl + '/api/v1', apiKey: EDITOR_KEY });
  say(`start | seed: ${summary.requests} writes (answers ${JSON.stringify(summary.statuses)})`);
  await waitForView(`${stack.gatewayUrl}/api/v1/operations/${seed.code}?year=2018`);

  say(['', 'start | 4/4 Focus is running.', runningBanner(stack.gatewayUrl, seed.code, 'Ctrl-C stops everything this command started.'), ''].join('\n'));
}

/** Every standard port must be free: a second `npm start` would only find the first's apps. */
async function refuseBusyPorts(): Promise<void> {
  const busy: string[] = [];
  for (const app of STACK_APPS) if (!(await isFree(DEFAULT_PORTS[app]))) busy.push(`${DEFAULT_PORTS[app]} (${app})`);
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

main().catch((error: unknown) => {
  process.stderr.write(`\nstart | failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll('failed', 1);
});
