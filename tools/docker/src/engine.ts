import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError, Log } from '../../infra/src/errors';
import { findExecutable, isOurProcess, runLogged, sleep, spawnDetached, stopProcess, tailFile } from '../../infra/src/processes';
import { attempt } from './command';
import { DockerSettings } from './settings';

/** A Docker engine to talk to: DOCKER_HOST in `env` when it is one this tool started. */
export interface Engine {
  env: NodeJS.ProcessEnv;
  /** Containers can have a network of their own (a bridge); without one they share the host's. */
  bridge: boolean;
  /** The daemon's pid when this tool started it (and must stop it); undefined for one it found. */
  startedPid?: number;
}

/**
 * This machine's own daemon has no bridge: containers get the host's network or only loopback
 * (no iptables, no veth). Its data-root is in the cache, so built base images survive it.
 */
function daemonArgs(home: string, socket: string): string[] {
  return [
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    '--userland-proxy=false',
    '--storage-driver=overlay2',
    `--data-root=${join(home, 'docker')}`,
    `--exec-root=${join(home, 'run', 'exec')}`,
    `--pidfile=${join(home, 'run', 'dockerd.pid')}`,
    `--host=unix://${socket}`,
  ];
}

/** The daemon this tool started, recorded so `down` (another process) stops it and nothing else. */
const stateFile = (settings: DockerSettings) => join(settings.home, 'run', 'engine.json');
const socketOf = (settings: DockerSettings) => join(settings.home, 'run', 'docker.sock');

async function answers(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!findExecutable('docker')) return false;
  const result = await attempt('docker', ['version', '--format', '{{.Server.Version}}'], { env, timeoutMs: 10_000 });
  return result.code === 0;
}

async function hasBridge(env: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await attempt('docker', ['network', 'ls', '--format', '{{.Driver}}'], { env, timeoutMs: 10_000 });
  return result.stdout.split('\n').includes('bridge');
}

/**
 * Finds a Docker engine: DOCKER_HOST or the default socket, then one this tool started before
 * (still running), and otherwise, as root on Debian, installs Debian's docker.io and starts a
 * daemon of its own.
 */
export async function findOrStartEngine(settings: DockerSettings, log: Log): Promise<Engine> {
  const found = await findEngine(settings, log);
  if (found) return found;
  if (!canInstall()) {
    throw new InfraError(
      'No Docker engine answers (`docker version` failed). Start Docker (Docker Desktop, or `sudo systemctl start docker`), ' +
        'or set DOCKER_HOST; as root on Debian this tool installs and starts one itself.',
    );
  }
  await installDockerIo(settings, log);
  return startDaemon(settings, { ...process.env, DOCKER_HOST: `unix://${socketOf(settings)}` }, log);
}

/** An engine that answers already (DOCKER_HOST, the default socket, or the daemon this tool started), or undefined. */
export async function findEngine(settings: DockerSettings, log: Log): Promise<Engine | undefined> {
  if (await answers(process.env)) {
    const bridge = await hasBridge(process.env);
    log(`engine: using the Docker engine at ${process.env['DOCKER_HOST'] || 'the default socket'}${bridge ? '' : ' (no bridge network)'}`);
    return { env: process.env, bridge };
  }
  const env = { ...process.env, DOCKER_HOST: `unix://${socketOf(settings)}` };
  const recorded = readRecorded(settings);
  if (recorded && (await answers(env))) {
    log(`engine: using the daemon started earlier (pid ${recorded})`);
    return { env, bridge: await hasBridge(env), startedPid: recorded };
  }
  return undefined;
}

async function installDockerIo(settings: DockerSettings, log: Log): Promise<void> {
  if (findExecutable('dockerd') && existsSync('/usr/bin/docker')) return;
  log("engine: no Docker engine answers; installing Debian's docker.io with apt-get (~1 min)…");
  await aptInstall(settings, ['docker.io']);
}

/** apt-get install, as root on Debian (the caller checks), its output in the cache's apt.log. */
export async function aptInstall(settings: DockerSettings, packages: string[]): Promise<void> {
  mkdirSync(settings.home, { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = join(settings.home, 'apt.log');
  const hint = "Check apt's sources and the network";
  await runLogged('apt-get', ['update', '-q'], { cwd: settings.home, logFile, env, hint });
  await runLogged('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { cwd: settings.home, logFile, env, hint });
}

/** Root on Debian: where this tool may install what it needs with apt-get. */
export const canInstall = () => process.getuid?.() === 0 && existsSync('/etc/debian_version');

async function startDaemon(settings: DockerSettings, env: NodeJS.ProcessEnv, log: Log): Promise<Engine> {
  const socket = socketOf(settings);
  mkdirSync(join(settings.home, 'run', 'exec'), { recursive: true });
  rmSync(socket, { force: true });
  const logFile = join(settings.home, 'dockerd.log');
  writeFileSync(logFile, '');
  log(`engine: starting dockerd without a bridge (data in ${join(settings.home, 'docker')}, log ${logFile})…`);
  const pid = await spawnDetached('dockerd', daemonArgs(settings.home, socket), { cwd: settings.home, logFile });
  writeFileSync(stateFile(settings), JSON.stringify({ pid }));
  const deadline = Date.now() + 60_000;
  while (!(await answers(env))) {
    if (!isOurProcess(pid, 'dockerd') || Date.now() > deadline) {
      await stopEngine(settings, log);
      throw new InfraError(`dockerd did not start. Last lines of ${logFile}:\n${tailFile(logFile, 20).replace(/^/gm, '  | ')}`);
    }
    await sleep(300);
  }
  log(`engine: dockerd ready (pid ${pid})`);
  return { env, bridge: await hasBridge(env), startedPid: pid };
}

function readRecorded(settings: DockerSettings): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(stateFile(settings), 'utf8')) as { pid: number };
    return isOurProcess(pid, 'dockerd') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the daemon this tool started (if any is still running); never one it found. */
export async function stopEngine(settings: DockerSettings, log: Log): Promise<void> {
  const pid = readRecorded(settings);
  rmSync(stateFile(settings), { force: true });
  if (!pid) return;
  log(`engine: stopping dockerd (pid ${pid})…`);
  const outcome = await stopProcess(pid, 'SIGTERM', 30_000);
  log(outcome === 'killed' ? 'engine: dockerd did not stop within 30 s; killed' : 'engine: dockerd stopped');
}
