import { InfraError, Log } from '../../infra/src/errors';
import { sleep } from '../../infra/src/processes';
import { portAnswers } from '../../infra/src/readiness';
import { compose, Compose, composeAttempt, findOrBuildCompose } from './compose';
import { Engine, findOrStartEngine, stopEngine } from './engine';
import { DockerSettings } from './settings';
import { ensureImages, ImageSource } from './standins';

/** Everything a command needs: the engine, Compose, and where each pulled image came from. */
export interface Session {
  settings: DockerSettings;
  engine: Engine;
  compose: Compose;
  images: Map<string, ImageSource>;
  log: Log;
}

/** The gateway, as a Docker user reaches it: published on the host (or the host's own port). */
export const GATEWAY_URL = 'http://127.0.0.1:3000';
/** The one-shot service: done when it has exited 0. */
const ONE_SHOT = 'seed';

export async function prepare(settings: DockerSettings, log: Log): Promise<Session> {
  const engine = await findOrStartEngine(settings, log);
  try {
    // Compose first: on a first run it builds from the Go module proxy while nothing else needs the CPU.
    const c = await findOrBuildCompose(settings, engine, log);
    const images = await ensureImages({ engine, settings, log });
    return { settings, engine, compose: c, images, log };
  } catch (error) {
    await stopEngine(settings, log);
    throw error;
  }
}

/** Builds every app image and the seed from the one Dockerfile (Compose's BuildKit). */
export async function buildImages(session: Session): Promise<void> {
  session.log('build: the six apps and the seed from the Dockerfile (the first build runs npm ci, a few minutes)…');
  const startedAt = Date.now();
  await compose(session.compose, ['--progress', 'plain', 'build'], {
    timeoutMs: 30 * 60_000,
    // Each step as it starts; the rest of BuildKit's output goes to the error on a failure.
    echo: (line) => {
      if (/^#\d+ \[[^\]]+\] /.test(line) && !/CACHED$/.test(line)) session.log(`build: ${line.replace(/^#\d+ /, '')}`);
    },
    hint: 'Fix the build error above; `npm run docker -- up` builds again.',
  });
  session.log(`build: done in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}

interface PsEntry {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
  Name: string;
}

async function ps(session: Session): Promise<PsEntry[]> {
  const out = await compose(session.compose, ['ps', '--all', '--format', 'json'], { timeoutMs: 60_000 });
  // One JSON object per line (Compose 2.21+), or one array (older 2.x).
  const trimmed = out.trim();
  if (!trimmed) return [];
  return trimmed.startsWith('[') ? (JSON.parse(trimmed) as PsEntry[]) : trimmed.split('\n').map((line) => JSON.parse(line) as PsEntry);
}

/**
 * `docker compose up -d` for the given services (all by default), then waits until every
 * long-running service is healthy and the seed has exited 0. A container that exits fails it
 * at once, with its last log lines. Unhealthy is waited out (an app turns unhealthy while the
 * broker it needs restarts, and healthy again after), up to the timeout; so is an `up` that
 * gave up on an unhealthy dependency: it is run again.
 */
export async function startServices(session: Session, services: string[] = [], timeoutMs = 10 * 60_000): Promise<void> {
  const startedAt = Date.now();
  if (!session.engine.bridge) await refuseTakenPorts(session);
  session.log(`up: starting ${services.length ? services.join(', ') : 'every service'}…`);
  const expected = services.length
    ? services
    : (await compose(session.compose, ['config', '--services'], { timeoutMs: 60_000 })).split('\n').filter(Boolean);
  const up = () => composeAttempt(session.compose, ['up', '--detach', '--no-build', ...services], { timeoutMs });
  let upResult = await up();
  let upAt = Date.now();
  let upAttempts = 1;
  let last = '';
  for (;;) {
    const entries = (await ps(session)).filter((e) => expected.includes(e.Service));
    const failed = entries.filter((e) =>
      e.Service === ONE_SHOT
        ? e.State === 'exited' && e.ExitCode !== 0
        : (upResult.code === 0 || upAttempts >= 3) && (e.State === 'exited' || e.State === 'dead'),
    );
    if (failed.length)
      await failWithLogs(
        session,
        failed.map((e) => `${e.Service} is ${e.State} (exit ${e.ExitCode})`).join(', '),
        failed.map((e) => e.Service),
      );
    const waiting = [
      ...expected.filter((name) => !entries.some((e) => e.Service === name)).map((name) => `${name} not created`),
      ...entries
        .filter((e) =>
          e.Service === ONE_SHOT ? e.State !== 'exited' : e.State !== 'running' || (e.Health !== '' && e.Health !== 'healthy'),
        )
        .map((e) => `${e.Service} ${e.Health || e.State}`),
    ];
    if (waiting.length === 0) break;
    const summary = waiting.join(', ');
    if (summary !== last) session.log(`up: waiting for ${summary}`);
    last = summary;
    if (Date.now() - startedAt > timeoutMs) {
      const upError = upResult.code === 0 ? '' : ` (docker compose up: ${(upResult.stderr || upResult.stdout).trim().split('\n').at(-1)})`;
      await failWithLogs(session, `not ready within ${timeoutMs / 1000} s: ${summary}${upError}`, expected);
    }
    if (upResult.code !== 0 && Date.now() - upAt > 15_000) {
      upResult = await up();
      upAt = Date.now();
      upAttempts += 1;
    }
    await sleep(2_000);
  }
  session.log(`up: every service healthy and the seed loaded, in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}

/** On the host's network the containers' ports are the host's: one taken by anything else fails here, named, not in a container's log. */
const HOST_PORTS = [9092, 9093, 29092, 27017, 3000, 3101, 3102, 3103, 3104, 3105];

async function refuseTakenPorts(session: Session): Promise<void> {
  const running = (await ps(session)).filter((e) => e.State === 'running');
  if (running.length > 0) return; // ours, from the containers already up
  const taken: number[] = [];
  for (const port of HOST_PORTS) if (await portAnswers(port)) taken.push(port);
  if (taken.length > 0) {
    throw new InfraError(
      `port ${taken.join(', ')} on this machine is taken, and without a bridge network the containers listen on the host's ports. ` +
        `\`ss -ltnp 'sport = :${taken[0]}'\` shows which process: stop it (\`npm run infra -- down\` or Ctrl-C on \`npm start\`), then retry.`,
    );
  }
}

async function failWithLogs(session: Session, reason: string, services: string[] = []): Promise<never> {
  const logs = await composeAttempt(session.compose, ['logs', '--no-color', '--tail', '30', ...services], { timeoutMs: 60_000 });
  throw new InfraError(`${reason}\nTheir last log lines:\n${`${logs.stdout}\n${logs.stderr}`.trim().replace(/^/gm, '  | ')}`);
}

/** `docker compose down`: removes the containers (and with `volumes`, the data). */
export async function stopServices(session: Session, options: { volumes?: boolean } = {}): Promise<void> {
  session.log(`down: removing the containers${options.volumes ? ' and volumes' : ''}…`);
  await compose(session.compose, ['down', '--timeout', '20', ...(options.volumes ? ['--volumes'] : [])], { timeoutMs: 5 * 60_000 });
}

/** Every container's logs as they come, until the containers are gone (Ctrl-C, `down`). */
export function followLogs(session: Session): Promise<unknown> {
  return composeAttempt(session.compose, ['logs', '--follow', '--no-color', '--since', '1s'], {
    echo: (line) => process.stdout.write(`${line}\n`),
  });
}
