/**
 * `npm run docker -- up | down | test`: the project's Docker path, run for real.
 *
 *   up    finds (or starts) a Docker engine, makes the images the project pulls available
 *         (pulled, or stand-ins where no registry answers), builds the apps from the one
 *         Dockerfile, runs docker-compose.yml with Compose v2 until every healthcheck passes and
 *         the seed is loaded, prints where to look, then follows the logs; Ctrl-C stops it.
 *   down  removes the containers `up` left (the volumes stay: `down --volumes` drops them) and
 *         stops the daemon this tool started, if any.
 *   test  the proof CI runs: see scenario.ts. Cleans up everything it started, even on failure.
 */
import { errorMessage, InfraError } from '../../infra/src/errors';
import { readSeed } from '../../seed/seed-requests';
import { runningBanner } from '../../start/banner';
import { findOrBuildCompose } from './compose';
import { findEngine, stopEngine } from './engine';
import { referenceView } from './reference';
import { runScenario } from './scenario';
import { loadSettings } from './settings';
import { buildImages, followLogs, GATEWAY_URL, prepare, Session, startServices, stopServices } from './stack';
import { settledView } from './views';

const startedAt = Date.now();
const log = (line: string) => {
  const elapsed = Math.round((Date.now() - startedAt) / 1000);
  for (const part of line.split('\n')) process.stdout.write(`docker ${String(elapsed).padStart(4)}s | ${part}\n`);
};
const settings = loadSettings();

async function up(): Promise<void> {
  const session = await prepare(settings, log);
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping…`);
    await stopServices(session).catch((error: unknown) => log(`down failed: ${errorMessage(error)}`));
    if (session.engine.startedPid) await stopEngine(settings, log);
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('Ctrl-C', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  try {
    await buildImages(session);
    await startServices(session);
    const seed = readSeed();
    await settledView(GATEWAY_URL, seed.code, 2018, 0).catch(() => undefined);
    log('Focus is running in Docker.');
    process.stdout.write(
      `\n${runningBanner(GATEWAY_URL, seed.code, 'Ctrl-C or `npm run docker -- down` stops it and removes its containers.')}\n\n`,
    );
    await followLogs(session);
    await stop('the containers are gone', 0);
  } catch (error) {
    log(`failed: ${errorMessage(error)}`);
    await stop('failed', 1);
  }
}

async function down(volumes: boolean): Promise<void> {
  const engine = await findEngine(settings, log);
  if (!engine) {
    log('down: no Docker engine answers, so no containers to remove');
    return;
  }
  await stopServices({ settings, engine, compose: await findOrBuildCompose(settings, engine, log), images: new Map(), log }, { volumes });
  await stopEngine(settings, log);
}

async function test(): Promise<void> {
  log("test 1/3: the seed operation's view as `npm start` serves it (the apps as processes)…");
  const reference = await referenceView(log);
  log('test 2/3: the engine, the images, the build…');
  let session: Session | undefined;
  const cleanUp = async () => {
    if (session) await stopServices(session, { volumes: true }).catch((error: unknown) => log(`cleanup: ${errorMessage(error)}`));
    await stopEngine(settings, log).catch((error: unknown) => log(`cleanup: ${errorMessage(error)}`));
  };
  // Stopped from outside (Ctrl-C, a CI timeout): what it started goes too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up…`);
      void cleanUp().finally(() => process.exit(1));
    });
  }
  try {
    session = await prepare(settings, log);
    // From nothing: no containers and empty volumes left by an earlier run.
    await stopServices(session, { volumes: true });
    await buildImages(session);
    log('test 3/3: the stack in containers…');
    await runScenario(session, reference);
    log(`test: passed in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  } finally {
    await cleanUp();
  }
}

function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'up') return up();
  if (command === 'down') return down(rest.includes('--volumes'));
  if (command === 'test') return test();
  throw new InfraError('usage: npm run docker -- up | down [--volumes] | test');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof InfraError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
