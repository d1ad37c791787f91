import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository's root: the build context of every image and the compose project's folder. */
export const ROOT = resolve(__dirname, '../../..');
export const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
/** What this machine forces on the compose file when the engine has no bridge network. */
export const HOST_NETWORK_OVERRIDE = join(ROOT, 'tools/docker/compose.host-network.yml');
export const STANDINS_DIR = join(ROOT, 'tools/docker/standins');

/** Compose v2, built from the Go module proxy when no `docker compose` answers. */
export const COMPOSE_VERSION = 'v2.40.3';
/** The official Node build the npm registry carries, and the npm it ships with (node:20.20 images). */
export const NODE_VERSION = '20.20.2';
export const NPM_VERSION = '10.8.2';

export interface DockerSettings {
  /**
   * One cache folder for everything worth keeping between runs (CI restores it): the daemon's
   * data-root with the built base images and build cache, Compose, the Go module cache, the
   * Kafka jars and the FerretDB build.
   */
  home: string;
  /** Seconds to wait for a `docker pull` before building a stand-in. */
  pullTimeoutMs: number;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): DockerSettings {
  return {
    home: env['FOCUS_DOCKER_HOME'] || join(homedir(), '.cache', 'focus-docker'),
    pullTimeoutMs: 60_000,
  };
}
