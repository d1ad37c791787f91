import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InfraError, Log } from '../../infra/src/errors';
import { findExecutable, runLogged } from '../../infra/src/processes';
import { attempt, run, RunOptions } from './command';
import { Engine } from './engine';
import { COMPOSE_FILE, COMPOSE_VERSION, DockerSettings, HOST_NETWORK_OVERRIDE, ROOT } from './settings';

/** How to run Compose v2 here: `docker compose` (the CLI plugin) or a binary of its own. */
export interface Compose {
  command: string;
  prefix: string[];
  /** The engine's environment, and compose's own files. */
  env: NodeJS.ProcessEnv;
  files: string[];
}

/**
 * Compose v2 is what users run (`docker compose up`); Debian only has 1.29, which rejects the
 * file's top-level `name:` and cannot reset `ports` in an override. Where no v2 answers, it is
 * built from the Go module proxy and kept in the cache.
 */
export async function findOrBuildCompose(settings: DockerSettings, engine: Engine, log: Log): Promise<Compose> {
  // Without a bridge every container shares the host's network: the override says so, nothing else.
  const files = ['-f', COMPOSE_FILE, ...(engine.bridge ? [] : ['-f', HOST_NETWORK_OVERRIDE])];
  // BuildKit, whatever the daemon's default builder: the legacy one builds every stage up to the target.
  // FOCUS_HOSTNAME: the host's name, which containers on its network take as theirs (the override maps it).
  const env = { ...engine.env, COMPOSE_PROJECT_NAME: 'focus', DOCKER_BUILDKIT: '1', FOCUS_HOSTNAME: hostname() };
  const plugin = await attempt('docker', ['compose', 'version', '--short'], { env, timeoutMs: 20_000 });
  if (plugin.code === 0 && /^v?2\./.test(plugin.stdout.trim())) {
    log(`compose: docker compose ${plugin.stdout.trim()}`);
    return { command: 'docker', prefix: ['compose', ...files], env, files };
  }
  const binary = join(settings.home, 'bin', `docker-compose-${COMPOSE_VERSION}`);
  if (!existsSync(binary)) await buildCompose(settings, binary, log);
  log(`compose: ${binary}`);
  return { command: binary, prefix: files, env, files };
}

async function buildCompose(settings: DockerSettings, binary: string, log: Log): Promise<void> {
  const go = findExecutable('go');
  if (!go) throw new InfraError('Compose v2 is missing and Go is not installed to build it: install Docker Compose v2, or Go 1.24+.');
  log(`compose: building Compose ${COMPOSE_VERSION} from the Go module proxy (first run only, ~2-4 min)…`);
  const goEnv = {
    ...process.env,
    GOMODCACHE: join(settings.home, 'go', 'mod'),
    GOCACHE: join(settings.home, 'go', 'build'),
    GOFLAGS: '-mod=mod',
  };
  const module = `github.com/docker/compose/v2@${COMPOSE_VERSION}`;
  // `go install module@version` refuses a go.mod with `exclude` directives; built as the main module it works.
  const { Dir } = JSON.parse(await run(go, ['mod', 'download', '-json', module], { env: goEnv, timeoutMs: 15 * 60_000 })) as {
    Dir: string;
  };
  const source = join(settings.home, 'go', 'compose-src');
  rmSync(source, { recursive: true, force: true });
  cpSync(Dir, source, { recursive: true });
  await run('chmod', ['-R', 'u+w', source]);
  mkdirSync(join(settings.home, 'bin'), { recursive: true });
  const partial = `${binary}.partial`;
  const ldflags = `-s -w -X github.com/docker/compose/v2/internal.Version=${COMPOSE_VERSION}`;
  await runLogged(go, ['build', '-trimpath', '-ldflags', ldflags, '-o', partial, './cmd'], {
    cwd: source,
    env: goEnv,
    logFile: join(settings.home, 'compose-build.log'),
  });
  renameSync(partial, binary);
  rmSync(source, { recursive: true, force: true });
}

/** `docker compose -f … ARGS` in the repository's root. */
export function compose(c: Compose, args: string[], options: Omit<RunOptions, 'env' | 'cwd'> = {}): Promise<string> {
  return run(c.command, [...c.prefix, ...args], { ...options, env: c.env, cwd: ROOT });
}

export function composeAttempt(c: Compose, args: string[], options: Omit<RunOptions, 'env' | 'cwd'> = {}) {
  return attempt(c.command, [...c.prefix, ...args], { ...options, env: c.env, cwd: ROOT });
}
