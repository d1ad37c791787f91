/**
 * tools/infra's API: start, stop and inspect a real Kafka broker and a MongoDB-wire server
 * (FerretDB, on PostgreSQL or SQLite) without Docker. cli.ts is a thin wrapper; test tooling
 * may call this directly.
 */
import { rmSync } from 'node:fs';
import { HOST, InfraConfig, kafkaBrokers, loadConfig, mongoUrl, SERVICE_NAMES, ServiceName } from './config';
import { errorMessage, InfraError, Log, prefixed } from './errors';
import { ferretdbService } from './ferretdb';
import { kafkaServices } from './kafka';
import { postgresService } from './postgres';
import { isOurProcess, stopProcess } from './processes';
import { portAnswers, waitUntilReady } from './readiness';
import { seconds, Service } from './service';
import { readState, ServiceRecord, updateState, withLock } from './state';

export { SERVICE_NAMES } from './config';
export type { ServiceName } from './config';
export { InfraError } from './errors';
export type { Log } from './errors';

export interface InfraOptions {
  /**
   * Which servers to act on; by default Kafka and FerretDB, and PostgreSQL when FerretDB runs
   * on it (or, for `down` and `status`, when one was started). `up` adds what a server
   * depends on: `up ferretdb` starts PostgreSQL first.
   */
  services?: ServiceName[];
  /** Progress lines; console.log by default. */
  log?: Log;
  /** Where the FOCUS_* settings are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

export interface DownOptions extends InfraOptions {
  /** Also delete the data dirs (topics, collections), after stopping. */
  wipe?: boolean;
}

export interface Connection {
  /** For KAFKA_BROKERS: host:port[,host:port…], every node of a cluster. */
  kafkaBrokers: string;
  /** For MONGO_URL. */
  mongoUrl: string;
}

export interface InfraResult extends Connection {
  /** What this call started, as opposed to what was already running: stop only these. */
  started: ServiceName[];
}

export interface DownResult {
  stopped: ServiceName[];
  wiped: ServiceName[];
}

export interface ServiceStatus {
  name: ServiceName;
  /** name, or kafka.2, kafka.3… for the further nodes of a cluster. */
  key: string;
  version: string;
  /** running: a process that `up` started is alive. */
  state: 'running' | 'stopped';
  pid?: number;
  address: string;
  /** Answers a real client request (describeCluster, ping). */
  ready: boolean;
  logFile: string;
  /** Anything odd, e.g. a port answered by a process focus-infra did not start. */
  note?: string;
}

export interface StatusResult extends Connection {
  services: ServiceStatus[];
}

/** Installs what is missing, starts what is not running, and returns once both answer. */
export async function up(options: InfraOptions = {}): Promise<InfraResult> {
  const config = loadConfig(options.env);
  const log = options.log ?? console.log;
  const services = servicesFor(config, withDependencies(config, options.services ?? defaultServices(config)));
  // By Service.key: a cluster's nodes are started (and, on failure, stopped) one by one.
  const started = new Set<string>();
  await withLock(config.home, log, async () => {
    // In parallel (the Maven download and the Go build overlap on a first run; a cluster's
    // nodes need each other for their quorum), except that a server waits for the one it
    // depends on to be ready.
    const running = new Map<string, Promise<void>>();
    for (const service of startOrder(services)) {
      const dependency = service.dependsOn && running.get(service.dependsOn);
      running.set(
        service.key,
        (async () => {
          if (dependency) {
            await dependency.catch(() => {
              throw new InfraError(`${service.name}: not started, since ${service.dependsOn} did not start (see above).`);
            });
          }
          if (await ensureRunning(config, service, prefixed(log, service.key))) started.add(service.key);
        })(),
      );
    }
    const outcomes = await Promise.allSettled(running.values());
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    if (failures.length === 0) return;
    // All or nothing: a caller that gets an error has nothing of this call's to clean up.
    for (const service of services.filter((s) => started.has(s.key))) await stopRecorded(config, service.key, prefixed(log, service.key));
    started.clear();
    const bug = failures.find((failure) => !(failure instanceof InfraError));
    if (bug) throw bug;
    throw new InfraError(failures.map(errorMessage).join('\n'));
  });
  const startedNames = new Set(services.filter((service) => started.has(service.key)).map((service) => service.name));
  return { ...connection(options), started: SERVICE_NAMES.filter((name) => startedNames.has(name)) };
}

/** Stops what `up` started (and recorded), nothing else. */
export async function down(options: DownOptions = {}): Promise<DownResult> {
  const config = loadConfig(options.env);
  const log = options.log ?? console.log;
  const result: DownResult = { stopped: [], wiped: [] };
  let names = options.services ?? [...defaultServices(config), ...recordedServices(config)];
  // On PostgreSQL, FerretDB's collections are PostgreSQL's data: wiping them wipes the cluster.
  if (options.wipe && names.includes('ferretdb') && config.ferretdb.backend === 'postgresql') names = [...names, 'postgres'];
  const services = servicesFor(config, names);
  const stopAndWipe = async (service: Service) => {
    const serviceLog = prefixed(log, service.key);
    if ((await stopRecorded(config, service.key, serviceLog)) && !result.stopped.includes(service.name)) result.stopped.push(service.name);
    if (options.wipe) {
      rmSync(service.dataDir, { recursive: true, force: true });
      serviceLog(`wiped ${service.dataDir}`);
      if (!result.wiped.includes(service.name)) result.wiped.push(service.name);
    }
  };
  await withLock(config.home, log, async () => {
    // Dependents first: PostgreSQL outlives the FerretDB that uses it.
    const dependencies = new Set(services.flatMap((service) => (service.dependsOn ? [service.dependsOn] : [])));
    await Promise.all(services.filter((service) => !dependencies.has(service.name)).map(stopAndWipe));
    await Promise.all(services.filter((service) => dependencies.has(service.name)).map(stopAndWipe));
  });
  return result;
}

export async function status(options: Omit<InfraOptions, 'log'> = {}): Promise<StatusResult> {
  const config = loadConfig(options.env);
  const state = readState(config.home);
  const services = await Promise.all(
    servicesFor(config, options.services ?? [...defaultServices(config), ...recordedServices(config)]).map(
      async (service): Promise<ServiceStatus> => {
        const record = state.services[service.key];
        const ours = record !== undefined && isOurProcess(record.pid, record.commandMarker);
        const ready = await service.answers();
        let note: string | undefined;
        if (!ours && (ready || (await portAnswers(service.ports[0])))) {
          note = `port ${service.ports[0]} is held by a process that focus-infra did not start`;
        } else if (record && !ours) note = `recorded pid ${record.pid} is gone`;
        return {
          name: service.name,
          key: service.key,
          version: ours ? record.version : service.version,
          state: ours ? 'running' : 'stopped',
          pid: ours ? record.pid : undefined,
          address: ours ? record.url : service.url,
          ready,
          logFile: service.logFile,
          note,
        };
      },
    ),
  );
  return { ...connection(options), services };
}

/** Where clients should connect, from the FOCUS_* ports; no process is consulted. */
export function connection(options: Pick<InfraOptions, 'env'> = {}): Connection {
  const config = loadConfig(options.env);
  return { kafkaBrokers: kafkaBrokers(config), mongoUrl: mongoUrl(config) };
}

function servicesFor(config: InfraConfig, names: readonly ServiceName[]): Service[] {
  const factories = {
    kafka: kafkaServices,
    ferretdb: (c: InfraConfig) => [ferretdbService(c)],
    postgres: (c: InfraConfig) => [postgresService(c)],
  };
  return SERVICE_NAMES.filter((name) => names.includes(name)).flatMap((name) => factories[name](config));
}

/** What a plain `up` starts: PostgreSQL only for FerretDB's PostgreSQL backend. */
function defaultServices(config: InfraConfig): ServiceName[] {
  return SERVICE_NAMES.filter((name) => name !== 'postgres' || config.ferretdb.backend === 'postgresql');
}

/** What `up` recorded, so that `down` still stops a PostgreSQL after a switch to SQLite. */
function recordedServices(config: InfraConfig): ServiceName[] {
  const recorded = new Set(Object.keys(readState(config.home).services).map((key) => key.split('.')[0]));
  return SERVICE_NAMES.filter((name) => recorded.has(name));
}

function withDependencies(config: InfraConfig, names: readonly ServiceName[]): ServiceName[] {
  const all = new Set(names);
  for (const service of servicesFor(config, names)) if (service.dependsOn) all.add(service.dependsOn);
  return [...all];
}

/** Dependencies before their dependents, for `up`. */
function startOrder(services: Service[]): Service[] {
  return [...services].sort((a, b) => (a.dependsOn === b.name ? 1 : b.dependsOn === a.name ? -1 : 0));
}

/** Returns true when it started the server, false when one of ours was already running. */
async function ensureRunning(config: InfraConfig, service: Service, log: Log): Promise<boolean> {
  try {
    const record = readState(config.home).services[service.key];
    if (record && isOurProcess(record.pid, record.commandMarker)) {
      await adoptRunning(service, record, log);
      return false;
    }
    if (record) {
      log(`recorded pid ${record.pid} is gone; starting afresh`);
      forget(config, service.key);
    }
    // Checked before the install too, so a taken port fails in a second rather than after a build.
    await refuseTakenPorts(service);
    await service.install(log);
    await refuseTakenPorts(service);

    log(`starting ${service.version}${service.variant ? ` (${service.variant})` : ''} at ${service.url}…`);
    const startedAt = Date.now();
    const pid = await service.start(log);
    updateState(config.home, (state) => {
      state.services[service.key] = {
        pid,
        version: service.version,
        ports: service.ports,
        url: service.url,
        commandMarker: service.commandMarker,
        logFile: service.logFile,
        dataDir: service.dataDir,
        startedAt: new Date(startedAt).toISOString(),
        variant: service.variant,
        stopSignal: service.stopSignal,
      };
    });
    try {
      await waitUntilReady({ pid, logFile: service.logFile, timeoutMs: service.readyTimeoutMs, answers: service.answers });
      await service.afterReady?.(log);
    } catch (error) {
      await stopRecorded(config, service.key, log);
      throw error instanceof InfraError
        ? new InfraError(`${error.message}\nIf its data is damaged, \`npm run infra -- down ${service.name} --wipe\` deletes it.`)
        : error;
    }
    log(`ready in ${seconds(startedAt)} s (pid ${pid}, log ${service.logFile})`);
    return true;
  } catch (error) {
    throw error instanceof InfraError ? new InfraError(`${service.name}: ${error.message}`) : error;
  }
}

async function adoptRunning(service: Service, record: ServiceRecord, log: Log): Promise<void> {
  if (record.ports.join() !== service.ports.join()) {
    throw new InfraError(
      `already running on port(s) ${record.ports.join(', ')} (pid ${record.pid}), but the environment asks for ` +
        `${service.ports.join(', ')}: run \`npm run infra -- down ${service.name}\` first.`,
    );
  }
  // Records from before variants existed are FerretDB on SQLite, the only backend then.
  const recordedVariant = record.variant ?? (service.name === 'ferretdb' ? 'sqlite' : undefined);
  if (recordedVariant !== service.variant) {
    throw new InfraError(
      `already running (pid ${record.pid}) as ${recordedVariant ?? 'default'}, but the environment asks for ` +
        `${service.variant ?? 'default'} (FOCUS_FERRETDB_BACKEND, --brokers): run \`npm run infra -- down ${service.name}\` first.`,
    );
  }
  if (!(await service.answers())) {
    // Most likely another `up` started it moments ago and it is still booting.
    log(`pid ${record.pid} is running but not answering yet; waiting…`);
    await waitUntilReady({ pid: record.pid, logFile: record.logFile, timeoutMs: service.readyTimeoutMs, answers: service.answers });
  }
  log(`already running (pid ${record.pid}) at ${record.url}`);
}

async function refuseTakenPorts(service: Service): Promise<void> {
  for (const port of service.ports) {
    if (await portAnswers(port)) {
      throw new InfraError(
        `port ${HOST}:${port} is taken by a process that focus-infra did not start. Stop it ` +
          `(\`ss -ltnp 'sport = :${port}'\` shows which) or choose other ports with ` +
          'FOCUS_KAFKA_PORT, FOCUS_KAFKA_CONTROLLER_PORT, FOCUS_MONGO_PORT or FOCUS_POSTGRES_PORT.',
      );
    }
  }
}

/** Returns true when it stopped a live process. key: Service.key. */
async function stopRecorded(config: InfraConfig, key: string, log: Log): Promise<boolean> {
  const record = readState(config.home).services[key];
  if (!record) {
    log('not running (nothing recorded by `up`)');
    return false;
  }
  if (!isOurProcess(record.pid, record.commandMarker)) {
    log(`recorded pid ${record.pid} had already exited`);
    forget(config, key);
    return false;
  }
  log(`stopping pid ${record.pid}…`);
  const stoppingAt = Date.now();
  const outcome = await stopProcess(record.pid, record.stopSignal);
  forget(config, key);
  log(outcome === 'killed' ? `did not stop within 20 s; killed pid ${record.pid}` : `stopped in ${seconds(stoppingAt)} s`);
  return true;
}

function forget(config: InfraConfig, key: string): void {
  updateState(config.home, (state) => {
    delete state.services[key];
  });
}
