import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { cleanUp } from './env';
import { TestNamespace } from './namespace';
import { freePort } from './ports';

/*
 * Runs the whole system (or part of it) as real processes from the tsc build, the way it
 * runs in production: for end-to-end tests, the fault suite, benchmarks, browser tests and
 * `npm start`. Each app gets its environment, a port, its own log; single apps can be
 * killed and started again while the rest run on. The owners and the aggregator can run as
 * several replicas (processes sharing the app's database and consumer group, each with its own
 * port and log); the gateway then gets each upstream as a comma list.
 */

export const STACK_APPS = ['population', 'budget', 'narratives', 'contributions', 'operation-view', 'api-gateway'] as const;
export type StackApp = (typeof STACK_APPS)[number];

/** Apps that can run as several processes: the gateway stays one, the one public edge. */
export const REPLICABLE_APPS = ['population', 'budget', 'narratives', 'contributions', 'operation-view'] as const;
export type ReplicableApp = (typeof REPLICABLE_APPS)[number];

/** The ports of the local stack (README); tests take free ones instead. */
export const DEFAULT_PORTS: Record<StackApp, number> = {
  population: 3101,
  budget: 3102,
  narratives: 3103,
  contributions: 3104,
  'operation-view': 3105,
  'api-gateway': 3000,
};

/** With fixed ports, replica i > 0 of an app listens on its standard port + 10 i (population's second: 3111). */
export const REPLICA_PORT_STEP = 10;

/** The variable each app's upstream URL goes in, on the gateway. */
const GATEWAY_UPSTREAM_VARIABLES: Partial<Record<StackApp, string>> = {
  population: 'POPULATION_URL',
  budget: 'BUDGET_URL',
  narratives: 'NARRATIVES_URL',
  contributions: 'CONTRIBUTIONS_URL',
  'operation-view': 'OPERATION_VIEW_URL',
};

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');
const BUILD_DIR = join(WORKSPACE_ROOT, 'dist/out-tsc');
const BUILD_STAMP = join(BUILD_DIR, '.build-stamp');
/** What `npm run build` also writes, beside BUILD_DIR: the portal, which the gateway serves. */
export const PORTAL_BUILD_DIR = join(WORKSPACE_ROOT, 'dist/portal');
const BUILD_LOCK = join(WORKSPACE_ROOT, 'tmp/build.lock');
const REGISTER_ALIASES = join(WORKSPACE_ROOT, 'tools/runtime/register-aliases.js');
// Plain JavaScript beside register-aliases, because the Docker image's CMD runs it too.
const { nodeFlags, MALLOC_ENVIRONMENT } = createRequire(__filename)(join(WORKSPACE_ROOT, 'tools/runtime/node-flags.js')) as {
  nodeFlags(app: string): string[];
  MALLOC_ENVIRONMENT: Record<string, string>;
};

export interface StackOptions {
  /** Which apps to run (default: all six), started in dependency order. */
  apps?: StackApp[];
  /**
   * How many processes of each owner and of the aggregator (default 1): a number for all of
   * them, or per app. Replicas share the app's database and consumer group; each has its own
   * port and log. With more than one, the gateway gets the app's URLs as a comma list.
   */
  replicas?: number | Partial<Record<ReplicableApp, number>>;
  /**
   * Isolates this stack on shared infrastructure: its topic prefix, one database per app
   * (`<dbName>_<app>`). Without one, apps use their default database names and no prefix.
   */
  namespace?: TestNamespace;
  /** Given to every app, over the defaults (KAFKA_BROKERS and MONGO_URL come from process.env). */
  env?: Record<string, string>;
  /** Per app, over everything else (e.g. `{ 'api-gateway': { RATE_LIMIT_MAX: '50' } }`). */
  appEnv?: Partial<Record<StackApp, Record<string, string>>>;
  /**
   * Fixed ports (`'default'`: DEFAULT_PORTS, replicas beyond the first REPLICA_PORT_STEP apart); otherwise
   * each process gets a free port (a fixed port here is the first replica's), kept across restarts.
   */
  ports?: Partial<Record<StackApp, number>> | 'default';
  /** Echo every app's log lines, prefixed with its name, to this sink (e.g. process.stdout). */
  echo?: (line: string) => void;
  /** How an echoed line reads (e.g. pino JSON made readable); logs() keeps the raw lines. */
  format?: (line: string) => string;
  /** Build first if the build is missing or older than a source (default true). */
  build?: boolean;
  /**
   * What "started" waits for, per app: `ready` (default, /health/ready answers 200) or `live`
   * (/health/live: for an app started while what it depends on is away on purpose).
   */
  waitFor?: Partial<Record<StackApp, 'ready' | 'live'>>;
  /** How long an app may take to answer /health/ready (default 90 s). */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
  /**
   * Aborting it while the stack starts (Ctrl-C in `npm start`) stops what has started and
   * rejects; once startStack has returned, stop() is the caller's.
   */
  signal?: AbortSignal;
}

/*
 * Every per-process method takes the replica's index last (0, the first, by default), so a
 * stack of single processes reads as before.
 */
export interface Stack {
  /** Base URL of each app that is part of this stack (`http://127.0.0.1:<port>`): its first replica's. */
  urls: Record<StackApp, string>;
  /** The base URL of every replica of the app, in replica order (added ones included). */
  replicaUrls(app: StackApp): string[];
  /** The gateway's base URL (empty when the gateway is not part of the stack). */
  gatewayUrl: string;
  /** The env the replica was started with. */
  envOf(app: StackApp, replica?: number): Record<string, string>;
  /** The replica's recent log lines (the last 2,000), stdout and stderr together. */
  logs(app: StackApp, replica?: number): string[];
  running(app: StackApp, replica?: number): boolean;
  /** The replica's process id while it runs (benchmarks read its memory from /proc). */
  pid(app: StackApp, replica?: number): number | undefined;
  /** Sends `signal` (default SIGKILL: a crash) to one replica and waits for its process to end. */
  kill(app: StackApp, signal?: NodeJS.Signals, replica?: number): Promise<void>;
  /** Starts a stopped replica again, on the same port and env, and waits until it is ready. */
  start(app: StackApp, replica?: number): Promise<void>;
  /** kill(app, signal, replica) then start(app, replica). */
  restart(app: StackApp, signal?: NodeJS.Signals, replica?: number): Promise<void>;
  /**
   * Starts one more replica of an owner or the aggregator (a free port, or the next fixed one),
   * waits until it is ready and returns its index. The gateway keeps the lists it started with.
   */
  addReplica(app: ReplicableApp): Promise<number>;
  /** Ends everything this stack started: SIGTERM, then SIGKILL after stopTimeoutMs. */
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
}

const LOG_LINES = 2_000;
const everyChild = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts the apps, each ready before the ones that depend on it start. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const apps = STACK_APPS.filter((app) => (options.apps ?? STACK_APPS).includes(app));
  if (options.build !== false) await ensureBuild(options.echo);
  if (options.signal?.aborted) throw new Error('startStack: interrupted');
  installExitHook();

  // ports[app][i]: replica i's port, kept across its restarts.
  const ports = {} as Record<StackApp, number[]>;
  for (const app of apps) {
    ports[app] = [];
    for (let i = 0; i < replicaCount(app, options.replicas); i++) ports[app].push(await replicaPort(app, i, options.ports));
  }
  const urlOf = (app: StackApp, replica: number) => `http://127.0.0.1:${ports[app][replica]}`;
  const urls = Object.fromEntries(apps.map((app) => [app, urlOf(app, 0)])) as Record<StackApp, string>;
  const envs = Object.fromEntries(apps.map((app) => [app, appEnvironment(app, ports, options)])) as Record<
    StackApp,
    Record<string, string>
  >;
  const logs = new Map<string, string[]>();
  const running = new Map<string, Running>();
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  // A replica's name in the echoed stream: `population` alone, `population#2` beside `population#1`.
  const label = (app: StackApp, replica: number) => (ports[app].length > 1 ? `${app}#${replica + 1}` : app);
  const labelWidth = () => Math.max(14, ...apps.flatMap((app) => ports[app].map((_, i) => label(app, i).length)));
  const logsOf = (app: StackApp, replica: number) => {
    const key = instanceKey(app, replica);
    const buffer = logs.get(key) ?? [];
    logs.set(key, buffer);
    return buffer;
  };
  const checkReplica = (app: StackApp, replica: number) => {
    if (!apps.includes(app)) throw new Error(`${app} is not part of this stack (${apps.join(', ')})`);
    if (!Number.isInteger(replica) || replica < 0 || replica >= ports[app].length) {
      throw new Error(`${app} has replicas 0..${ports[app].length - 1}, not ${replica}`);
    }
  };

  const launch = async (app: StackApp, replica = 0): Promise<void> => {
    checkReplica(app, replica);
    if (options.signal?.aborted) throw new Error(`${label(app, replica)} not started: interrupted`);
    const key = instanceKey(app, replica);
    if (running.has(key)) throw new Error(`${label(app, replica)} is already running`);
    const child = spawn(process.execPath, [...nodeFlags(app), '-r', REGISTER_ALIASES, join(BUILD_DIR, 'apps', app, 'src/main.js')], {
      cwd: WORKSPACE_ROOT,
      env: { ...envs[app], PORT: String(ports[app][replica]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    everyChild.add(child);
    const buffer = logsOf(app, replica);
    const record = (line: string) => {
      buffer.push(line);
      if (buffer.length > LOG_LINES) buffer.shift();
      options.echo?.(`${label(app, replica).padEnd(labelWidth())} | ${options.format ? options.format(line) : line}\n`);
    };
    const exited = new Promise<number | null>((resolveExit) =>
      child.on('exit', (code, signal) => {
        everyChild.delete(child);
        if (running.get(key)?.child === child) running.delete(key);
        record(`[exited: ${signal ?? `code ${code}`}]`);
        resolveExit(code);
      }),
    );
    running.set(key, { child, exited });
    if (child.stdout) createInterface({ input: child.stdout }).on('line', record);
    if (child.stderr) createInterface({ input: child.stderr }).on('line', record);
    const name = label(app, replica);
    await waitReady(name, `${urlOf(app, replica)}/health/${options.waitFor?.[app] ?? 'ready'}`, exited, readyTimeoutMs, () => buffer);
  };

  /** Every app's first replica side by side, then every app's second, …: fewer processes compete for the cores at once. */
  const launchAll = async (group: StackApp[]) => {
    const most = Math.max(0, ...group.map((app) => ports[app].length));
    for (let replica = 0; replica < most; replica++)
      await Promise.all(group.filter((app) => replica < ports[app].length).map((app) => launch(app, replica)));
  };

  const kill = async (app: StackApp, signal: NodeJS.Signals = 'SIGKILL', replica = 0): Promise<void> => {
    const current = running.get(instanceKey(app, replica));
    if (!current) return;
    current.child.kill(signal);
    await current.exited;
  };

  const stop = async (): Promise<void> => {
    const timeoutMs = options.stopTimeoutMs ?? 10_000;
    // Every process at once; each ends its own work (the gateway drains, the services flush).
    await Promise.all(
      [...running.values()].map(async (current) => {
        current.child.kill('SIGTERM');
        const timer = setTimeout(() => current.child.kill('SIGKILL'), timeoutMs);
        await current.exited;
        clearTimeout(timer);
      }),
    );
  };

  const interrupt = () => void stop();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    // Services side by side, then the aggregator, then the gateway (ready only when the aggregator is).
    const services = apps.filter((app) => app !== 'operation-view' && app !== 'api-gateway');
    await launchAll(services);
    if (apps.includes('operation-view')) await launchAll(['operation-view']);
    if (apps.includes('api-gateway')) await launchAll(['api-gateway']);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
  }

  return {
    urls,
    replicaUrls: (app) => (ports[app] ?? []).map((_, replica) => urlOf(app, replica)),
    gatewayUrl: urls['api-gateway'] ?? '',
    envOf: (app, replica = 0) => {
      checkReplica(app, replica);
      return { ...envs[app], PORT: String(ports[app][replica]) };
    },
    logs: (app, replica = 0) => [...(logs.get(instanceKey(app, replica)) ?? [])],
    running: (app, replica = 0) => running.has(instanceKey(app, replica)),
    pid: (app, replica = 0) => running.get(instanceKey(app, replica))?.child.pid,
    kill,
    start: launch,
    restart: async (app, signal = 'SIGKILL', replica = 0) => {
      await kill(app, signal, replica);
      await launch(app, replica);
    },
    addReplica: async (app) => {
      if (!apps.includes(app)) throw new Error(`${app} is not part of this stack (${apps.join(', ')})`);
      const replica = ports[app].length;
      ports[app].push(await replicaPort(app, replica, options.ports));
      await launch(app, replica);
      return replica;
    },
    stop,
  };
}

function instanceKey(app: StackApp, replica: number): string {
  return `${app}#${replica}`;
}

function replicaCount(app: StackApp, replicas: StackOptions['replicas']): number {
  if (app === 'api-gateway' || replicas === undefined) return 1;
  const count = typeof replicas === 'number' ? replicas : (replicas[app] ?? 1);
  if (!Number.isInteger(count) || count < 1) throw new Error(`startStack: replicas of ${app} must be a whole number from 1, not ${count}`);
  return count;
}

async function replicaPort(app: StackApp, replica: number, fixed: StackOptions['ports']): Promise<number> {
  if (fixed === 'default') return DEFAULT_PORTS[app] + REPLICA_PORT_STEP * replica;
  return (replica === 0 ? fixed?.[app] : undefined) ?? (await freePort());
}

/** The database an app of a namespaced stack uses. */
export function stackDatabaseName(ns: TestNamespace, app: StackApp): string {
  return `${ns.dbName}_${app.replace(/-/g, '_')}`;
}

/** Drops what a namespaced stack left: every app's database and the namespace's topics. */
export async function cleanUpStack(ns: TestNamespace, mongoUrl = process.env['MONGO_URL'], kafka?: Kafka): Promise<void> {
  if (mongoUrl) {
    const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
      for (const app of STACK_APPS)
        await client
          .db(stackDatabaseName(ns, app))
          .dropDatabase()
          .catch(() => undefined);
    } finally {
      await client.close();
    }
  }
  if (kafka) await cleanUp(ns, kafka);
}

function appEnvironment(app: StackApp, ports: Record<StackApp, number[]>, options: StackOptions): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const ns = options.namespace;
  const env: Record<string, string> = {
    ...MALLOC_ENVIRONMENT,
    ...inherited,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...(ns
      ? {
          KAFKA_TOPIC_PREFIX: ns.topicPrefix,
          KAFKA_TOPIC_PARTITIONS: '3',
          LOG_LEVEL: 'warn',
          // (The aggregator's consumer group takes the topic prefix too, so stacks never share it.)
          MONGO_DB: stackDatabaseName(ns, app),
        }
      : {}),
    ...options.env,
    PORT: String(ports[app][0]),
  };
  if (app === 'api-gateway') {
    // Several replicas: the gateway spreads requests over the list and skips one that is down.
    for (const [upstream, variable] of Object.entries(GATEWAY_UPSTREAM_VARIABLES) as Array<[StackApp, string]>) {
      if (ports[upstream] !== undefined) env[variable] = ports[upstream].map((port) => `http://127.0.0.1:${port}`).join(',');
    }
  }
  Object.assign(env, options.appEnv?.[app] ?? {});
  for (const name of ['KAFKA_BROKERS', 'MONGO_URL']) {
    if (!env[name]) throw new Error(`startStack: ${name} is not set (run under jest's global setup, or pass it in options.env)`);
  }
  return env;
}

async function waitReady(app: string, url: string, exited: Promise<number | null>, timeoutMs: number, logs: () => string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${app} exited before it was ready:\n${logs().slice(-30).join('\n')}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 200) return;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${app} was not ready within ${timeoutMs} ms (last: ${last}):\n${logs().slice(-30).join('\n')}`);
}

/** Children die with the process that started them, however it ends. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of everyChild) child.kill('SIGKILL');
  });
}

let building: Promise<void> | undefined;

/**
 * Makes sure dist/out-tsc and dist/portal hold a build at least as new as every source: runs
 * `npm run build` when it is missing or stale. A lock file makes parallel callers (jest
 * projects side by side) wait for one build instead of racing; a lock left by a dead process
 * is taken over. Tests build through here only (the portal's browser spec too): a second way
 * to write dist/portal would empty it under a stack that is serving it.
 */
export function ensureBuild(echo?: (line: string) => void): Promise<void> {
  building ??= buildIfStale(echo).finally(() => (building = undefined));
  return building;
}

async function buildIfStale(echo?: (line: string) => void): Promise<void> {
  mkdirSync(join(WORKSPACE_ROOT, 'tmp'), { recursive: true });
  for (;;) {
    if (isBuildFresh()) return;
    const lock = tryLock();
    if (lock === undefined) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (isBuildFresh()) return;
      const started = Date.now();
      await runBuild(echo);
      mkdirSync(BUILD_DIR, { recursive: true });
      writeFileSync(BUILD_STAMP, String(started));
      return;
    } finally {
      closeSync(lock);
      unlinkSync(BUILD_LOCK);
    }
  }
}

function tryLock(): number | undefined {
  try {
    const fd = openSync(BUILD_LOCK, 'wx');
    writeFileSync(fd, String(process.pid));
    return fd;
  } catch {
    // Held: by a live process (wait), or left by a dead one (take it over).
    try {
      const pid = Number(readFileSync(BUILD_LOCK, 'utf8'));
      if (pid > 0 && !isAlive(pid)) unlinkSync(BUILD_LOCK);
    } catch {
      // gone meanwhile, or not written yet: try again shortly
    }
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The build is fresh when its stamp is newer than every source file it compiles. */
function isBuildFresh(): boolean {
  if (!existsSync(BUILD_STAMP) || !existsSync(join(PORTAL_BUILD_DIR, 'app.js'))) return false;
  const stamp = Number(readFileSync(BUILD_STAMP, 'utf8'));
  return newestSource() < stamp;
}

function newestSource(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(path);
      } else if (/\.(ts|json|css|html)$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) {
        // css and html: the portal's stylesheet and page are copied into dist/portal as they are.
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const group of ['apps', 'libs']) {
    const base = join(WORKSPACE_ROOT, group);
    if (!existsSync(base)) continue;
    for (const project of readdirSync(base)) {
      if (group === 'libs' && project === 'testing') continue; // not part of the build (tsconfig.build.json)
      const src = join(base, project, 'src');
      if (existsSync(src)) visit(src);
    }
  }
  for (const file of ['tsconfig.base.json', 'tsconfig.build.json', 'apps/portal/build.ts'])
    newest = Math.max(newest, statSync(join(WORKSPACE_ROOT, file)).mtimeMs);
  return newest;
}

function runBuild(echo?: (line: string) => void): Promise<void> {
  return new Promise((resolveBuild, reject) => {
    echo?.('build | npm run build (dist/out-tsc is missing or older than the sources)\n');
    const child = spawn('npm', ['run', 'build'], { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (line: string) => {
      output.push(line);
      echo?.(`build | ${line}\n`);
    };
    if (child.stdout) createInterface({ input: child.stdout }).on('line', collect);
    if (child.stderr) createInterface({ input: child.stderr }).on('line', collect);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolveBuild() : reject(new Error(`npm run build failed (exit ${code}):\n${output.slice(-40).join('\n')}`)),
    );
  });
}
