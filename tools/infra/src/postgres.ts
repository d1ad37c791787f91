import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HOST, InfraConfig, postgresUrl } from './config';
import { InfraError, Log } from './errors';
import { capture, findExecutable, RunAs, runLogged } from './processes';
import { launch, seconds, Service } from './service';

const SYSTEM_USER = 'postgres';

/**
 * PostgreSQL for FerretDB's PostgreSQL backend: Debian's postgresql-15 binaries, one cluster
 * of our own (initdb once, kept between runs), listening on 127.0.0.1 only, without the
 * package's cluster on 5432 being touched. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` system user, with its data where that user can reach it.
 */
export function postgresService(config: InfraConfig): Service {
  const { version, port, binDir } = config.postgres;
  const asRoot = process.getuid?.() === 0;
  const dataDir = postgresDataDir(config.home, asRoot);
  // Looked up once needed: the package that creates the user may not be installed yet.
  const runAs = () => (asRoot ? systemUser() : undefined);
  const binary = join(binDir, 'postgres');
  const logFile = join(config.home, 'postgres.log');

  const service: Service = {
    name: 'postgres',
    key: 'postgres',
    version,
    ports: [port],
    url: postgresUrl(config),
    dataDir,
    logFile,
    // The postmaster keeps its command line, and no other server has this data dir.
    commandMarker: dataDir,
    readyTimeoutMs: 60_000,
    // Smart shutdown (SIGTERM) waits for every client to disconnect, FerretDB's pool
    // included; fast shutdown (SIGINT) ends their sessions and still checkpoints cleanly.
    stopSignal: 'SIGINT',

    async install(log) {
      await installPackage(config, log);
      if (existsSync(join(dataDir, 'PG_VERSION'))) return;
      const user = runAs();
      log(`initialising a cluster in ${dataDir} (first run only, a few seconds)…`);
      const started = Date.now();
      const parent = dirname(dataDir);
      prepareParent(parent, user);
      if (user) linkFromHome(config.home, dataDir);
      // Initialised under another name and renamed, so an interrupted initdb is never taken for done.
      const partial = `${dataDir}.partial`;
      rmSync(partial, { recursive: true, force: true });
      await runLogged(
        join(binDir, 'initdb'),
        // Superuser `postgres` whoever runs it; trust: loopback only, a throwaway test cluster.
        ['-D', partial, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-instructions'],
        { cwd: parent, logFile: join(config.home, 'postgres-initdb.log'), runAs: user, env: serverEnv() },
      );
      renameSync(partial, dataDir);
      log(`initialised in ${seconds(started)} s`);
    },

    async start() {
      return launch(service, binary, ['-D', dataDir, ...settings(port)], dirname(dataDir), { runAs: runAs(), env: serverEnv() });
    },

    answers: () => pgIsReady(binDir, port),

    // setup.sql says why: indexes FerretDB's PostgreSQL queries can use.
    async afterReady() {
      await capture(join(binDir, 'psql'), [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        HOST,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-f',
        join(config.sourceDir, 'postgres', 'setup.sql'),
      ]);
    },
  };
  return service;
}

/**
 * Command-line settings override postgresql.conf and are given at every start, like
 * Kafka's server.properties, so ports and tuning follow the environment and the code.
 */
function settings(port: number): string[] {
  const values = {
    listen_addresses: HOST,
    port: String(port),
    // TCP only: the package's cluster owns /var/run/postgresql, and a socket elsewhere
    // would only be another thing to clean up.
    unix_socket_directories: '',
    // A commit returns before its WAL is flushed (flushed within ~3 x wal_writer_delay).
    // A crash can lose the last fraction of a second of commits but never corrupts the
    // cluster, unlike fsync=off; FerretDB commits every write on its own, so waiting for a
    // flush each time would make an import run at the disk's fsync rate.
    synchronous_commit: 'off',
    // FerretDB's queries are small: compiling them costs more than it saves.
    jit: 'off',
    // Fewer checkpoints during an import.
    max_wal_size: '1GB',
    // FerretDB's pool may open 100 (ferretdb.ts), plus psql and a margin.
    max_connections: '120',
    log_line_prefix: '%m [%p] ',
    log_min_duration_statement: '-1',
  };
  return Object.entries(values).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** Real readiness: pg_isready speaks the protocol and says whether connections are accepted. */
function pgIsReady(binDir: string, port: number): Promise<boolean> {
  const tool = join(binDir, 'pg_isready');
  if (!existsSync(tool)) return Promise.resolve(false);
  return new Promise((done) => {
    execFile(tool, ['-q', '-h', HOST, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '2'], { timeout: 5_000 }, (error) =>
      done(!error),
    );
  });
}

/**
 * Installs Debian's postgresql package when its binaries are missing: only as root with
 * apt-get, since that is a system-wide change; anyone else is told the command.
 */
async function installPackage(config: InfraConfig, log: Log): Promise<void> {
  const { binDir, version } = config.postgres;
  if (existsSync(join(binDir, 'initdb')) && existsSync(join(binDir, 'postgres'))) return;
  const command = 'apt-get install -y postgresql';
  const aptGet = findExecutable('apt-get');
  const installed = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').join(', ') : 'none';
  const wanted =
    `PostgreSQL ${version} is not installed (no ${binDir}/initdb; versions in /usr/lib/postgresql: ${installed}). ` +
    'FerretDB needs it for FOCUS_FERRETDB_BACKEND=postgresql (the default)';
  if (!aptGet || process.getuid?.() !== 0) {
    throw new InfraError(
      `${wanted}: install it with \`sudo ${command}\` (Debian/Ubuntu; the package must provide ${binDir}), ` +
        'or use FOCUS_FERRETDB_BACKEND=sqlite.',
    );
  }
  log(`${wanted}. Running \`${command}\` (first run only, ~1 min)…`);
  const started = Date.now();
  await runLogged(aptGet, ['install', '-y', '--no-install-recommends', 'postgresql'], {
    cwd: '/',
    logFile: join(config.home, 'postgres-install.log'),
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    echo: (line) => log(`apt-get | ${line}`),
    hint:
      'Fix the cause (a stale package index: run `apt-get update`; the network; another apt ' +
      'holding the dpkg lock), or set FOCUS_FERRETDB_BACKEND=sqlite',
  });
  if (!existsSync(join(binDir, 'initdb'))) {
    throw new InfraError(
      `\`${command}\` succeeded but installed no ${binDir}/initdb (this distribution's default PostgreSQL is ` +
        `another major version). Install \`postgresql-${version}\` (e.g. from apt.postgresql.org) or use ` +
        'FOCUS_FERRETDB_BACKEND=sqlite.',
    );
  }
  log(`installed in ${seconds(started)} s`);
}

/**
 * As root, the data can't live under FOCUS_INFRA_HOME (~root is closed to other users):
 * it goes to /var/tmp (kept across reboots, unlike /tmp), in a folder named after a hash of
 * FOCUS_INFRA_HOME so that every infra set still has its own cluster.
 */
export function postgresDataDir(home: string, asRoot: boolean): string {
  if (!asRoot) return join(home, 'data', 'postgres');
  const hash = createHash('sha256').update(home).digest('hex').slice(0, 12);
  return join('/var/tmp', `focus-infra-${hash}`, 'postgres');
}

function prepareParent(parent: string, runAs: RunAs | undefined): void {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  if (!runAs) return;
  // /var/tmp is writable by everyone: a folder someone else made first is not ours to use.
  const owner = statSync(parent).uid;
  if (owner === 0) chownSync(parent, runAs.uid, runAs.gid);
  else if (owner !== runAs.uid) {
    throw new InfraError(`${parent} belongs to uid ${owner}, not to root or ${runAs.name}: remove it, then retry.`);
  }
}

/** data/postgres in FOCUS_INFRA_HOME points at the real place, for whoever looks there. */
function linkFromHome(home: string, dataDir: string): void {
  const link = join(home, 'data', 'postgres');
  mkdirSync(dirname(link), { recursive: true });
  try {
    lstatSync(link);
    return;
  } catch {
    symlinkSync(dataDir, link);
  }
}

/** The server's environment: nothing of the caller's locale or PG* settings leaks in. */
function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
}

function systemUser(): RunAs {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === SYSTEM_USER);
  if (!entry) {
    throw new InfraError(
      `PostgreSQL refuses to run as root and there is no \`${SYSTEM_USER}\` user to run it as: ` +
        '`apt-get install -y postgresql` creates it (or run `npm run infra` as a non-root user).',
    );
  }
  return { name: SYSTEM_USER, uid: Number(entry[2]), gid: Number(entry[3]) };
}
