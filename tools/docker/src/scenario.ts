import { isDeepStrictEqual } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { InfraError } from '../../infra/src/errors';
import { readSeed } from '../../seed/seed-requests';
import { EDITOR_KEY } from '../../start/banner';
import { compose } from './compose';
import { GATEWAY_URL, Session, startServices, stopServices } from './stack';
import { comparable, settledView, View } from './views';
import { run } from './command';

const APPS = ['population', 'budget', 'narratives', 'contributions', 'operation-view', 'api-gateway'];
/** Under this, per app image (issue #21): what the README promises. */
export const IMAGE_SIZE_LIMIT_MB = 200;

/**
 * `npm run docker -- test`, on containers started from nothing (no containers, empty volumes):
 * the steps issue #21 asks for, each failing with what it saw.
 */
export async function runScenario(session: Session, reference: { view: View; writes: number }): Promise<void> {
  const { log } = session;
  const code = readSeed().code;
  const step = (line: string) => log(`test: ${line}`);

  await startServices(session);
  let writes = reference.writes;
  const docker = await settledView(GATEWAY_URL, code, 2018, writes);
  if (!isDeepStrictEqual(comparable(docker), comparable(reference.view))) {
    throw new InfraError(
      `the seed's view from the containers differs from npm start's:\n${firstDifference(comparable(reference.view), comparable(docker))}`,
    );
  }
  step(`the seed's view from the containers equals npm start's (${writes} writes)`);

  let value = 700;
  const write = async (expectAcknowledged: boolean) => {
    value += 1;
    const year = 2020 + (value % 5);
    const response = await fetch(`${GATEWAY_URL}/api/v1/operations/${code}/population/${year}/REF`, {
      method: 'PUT',
      headers: { 'x-api-key': EDITOR_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    }).catch(() => undefined);
    const acknowledged = response !== undefined && response.status >= 200 && response.status < 300;
    if (expectAcknowledged && !acknowledged)
      throw new InfraError(`a write through the gateway was answered ${response?.status ?? 'with no answer'}`);
    if (acknowledged) writes += 1;
    return acknowledged;
  };
  await write(true);
  await settledView(GATEWAY_URL, code, 2018, writes);
  step('a write through the gateway reached the view');

  const before = await topicOffsets();
  step('docker kill operation-view and kafka');
  await compose(session.compose, ['kill', 'operation-view', 'kafka'], { timeoutMs: 120_000 });
  // The population service takes writes into its outbox while the broker is away.
  const duringOutage = await write(false);
  step(
    `a write while Kafka was down was ${duringOutage ? 'acknowledged (it waits in the outbox)' : 'refused (not acknowledged, so not owed)'}`,
  );
  await startServices(session);
  await settledView(GATEWAY_URL, code, 2018, writes);
  await expectTopicsKept(before, 'after killing Kafka');
  step(`after \`up\` again nothing acknowledged is lost (${writes} writes in the view) and Kafka kept its topics`);

  const kept = await topicOffsets();
  await stopServices(session);
  await startServices(session);
  await settledView(GATEWAY_URL, code, 2018, writes);
  await expectTopicsKept(kept, 'after down and up (new containers, same volumes)');
  step("down then up keeps the data: the view and every topic's messages are there");

  await checkNonRoot(session);
  await printSizes(session);
}

type Offsets = Record<string, number>;

/** Messages per topic (the sum of its partitions' high watermarks), read from the host. */
async function topicOffsets(): Promise<Offsets> {
  const kafka = new Kafka({
    clientId: 'focus-docker-test',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
    const offsets: Offsets = {};
    for (const topic of topics) offsets[topic] = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    return offsets;
  } finally {
    await admin.disconnect();
  }
}

/** The apps create their topics at start-up, so a topic's presence proves little: its messages do. */
async function expectTopicsKept(before: Offsets, when: string): Promise<void> {
  const after = await topicOffsets();
  const lost = Object.entries(before).filter(([topic, count]) => (after[topic] ?? -1) < count);
  if (Object.keys(before).length === 0 || lost.length > 0) {
    throw new InfraError(
      `Kafka lost messages ${when}: ${lost.map(([t, c]) => `${t} ${c} → ${after[t] ?? 'gone'}`).join(', ') || 'no topics at all'}`,
    );
  }
}

/** Every container's processes run as a user other than root (as the host's `ps` sees them). */
async function checkNonRoot(session: Session): Promise<void> {
  const ids = (await compose(session.compose, ['ps', '--quiet'], { timeoutMs: 60_000 })).split('\n').filter(Boolean);
  const rootOwned: string[] = [];
  for (const id of ids) {
    const name = (await run('docker', ['inspect', '--format', '{{.Name}} {{.Config.User}}', id], { env: session.engine.env })).trim();
    // The daemon needs a PID column in what it asks ps for.
    const top = await run('docker', ['top', id, '-o', 'pid,uid,comm'], { env: session.engine.env });
    const uids = top
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[1]);
    if (uids.some((uid) => uid === '0' || uid === 'root')) rootOwned.push(name);
  }
  if (rootOwned.length) throw new InfraError(`these containers run processes as root: ${rootOwned.join('; ')}`);
  session.log(`test: every container runs as a non-root user (${ids.length} containers)`);
}

async function printSizes(session: Session): Promise<void> {
  const lines: string[] = [];
  const tooBig: string[] = [];
  for (const service of [...APPS, 'seed']) {
    const image = `focus-${service}`;
    const bytes = Number((await run('docker', ['image', 'inspect', '--format', '{{.Size}}', image], { env: session.engine.env })).trim());
    const mb = bytes / 1_000_000;
    lines.push(`${image.padEnd(22)} ${mb.toFixed(0).padStart(4)} MB`);
    if (APPS.includes(service) && mb >= IMAGE_SIZE_LIMIT_MB) tooBig.push(`${image} (${mb.toFixed(0)} MB)`);
  }
  session.log(`test: image sizes\n${lines.map((line) => `  ${line}`).join('\n')}`);
  if (tooBig.length) throw new InfraError(`app images over ${IMAGE_SIZE_LIMIT_MB} MB: ${tooBig.join(', ')}`);
}

function firstDifference(expected: unknown, actual: unknown, path = 'view'): string {
  if (isDeepStrictEqual(expected, actual)) return '';
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const found = firstDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `  ${path}: npm start has ${JSON.stringify(expected)?.slice(0, 200)}, the containers ${JSON.stringify(actual)?.slice(0, 200)}`;
}
