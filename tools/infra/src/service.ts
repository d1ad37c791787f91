import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceName } from './config';
import type { Log } from './errors';
import { RunAs, spawnDetached } from './processes';

/** What index.ts needs from each server it manages; kafka.ts and ferretdb.ts provide it. */
export interface Service {
  readonly name: ServiceName;
  /**
   * Where state.json records it: the name, except for the further nodes of a Kafka cluster
   * (`kafka.2`, `kafka.3`…), each a process of its own.
   */
  readonly key: string;
  readonly version: string;
  /** Every port the server listens on, client port first. */
  readonly ports: number[];
  /** What clients are given: KAFKA_BROKERS or MONGO_URL. */
  readonly url: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** An argument unique to this server's command line; see isOurProcess. */
  readonly commandMarker: string;
  readonly readyTimeoutMs: number;
  /** A server that must be ready before this one starts (FerretDB's PostgreSQL). */
  readonly dependsOn?: ServiceName;
  /**
   * How this server was configured beyond its ports, e.g. FerretDB's backend: a running one
   * recorded with another variant is not adopted.
   */
  readonly variant?: string;
  /** SIGTERM unless said otherwise (PostgreSQL's SIGTERM waits for every client to leave). */
  readonly stopSignal?: NodeJS.Signals;
  /** Downloads or builds what is missing; cheap once cached. */
  install(log: Log): Promise<void>;
  /** Writes config, prepares the data dir and starts the server detached; returns its pid. */
  start(log: Log): Promise<number>;
  /** One readiness probe. */
  answers(): Promise<boolean>;
  /** Set-up that needs the server answering (PostgreSQL's setup.sql); run after every start. */
  afterReady?(log: Log): Promise<void>;
}

/**
 * Runs an install step unless a marker says it already ran with the same inputs. The marker
 * holds a hash of the files that define the result (pom.xml, go.sum, …), so editing them
 * rebuilds instead of silently reusing a stale cache.
 */
export async function installOnce<Tool>(step: {
  log: Log;
  marker: string;
  /** Must exist too: a marker without its product means someone cleaned up by hand. */
  product: string;
  /** The files that define the result. */
  inputFiles: string[];
  /** Finds the tool the step needs, before announcing it, so a missing one fails with a hint. */
  prerequisites: () => Promise<Tool>;
  announce: string;
  run: (tool: Tool) => Promise<void>;
}): Promise<void> {
  const hash = createHash('sha256');
  for (const file of step.inputFiles) hash.update(readFileSync(file));
  const fingerprint = hash.digest('hex');
  if (existsSync(step.product) && existsSync(step.marker) && readFileSync(step.marker, 'utf8') === fingerprint) return;

  const tool = await step.prerequisites();
  step.log(step.announce);
  const started = Date.now();
  await step.run(tool);
  mkdirSync(dirname(step.marker), { recursive: true });
  writeFileSync(step.marker, fingerprint);
  step.log(`installed in ${seconds(started)} s`);
}

/**
 * Starts a server with a fresh log: the previous run's log is kept as <log>.1, which is what
 * a fault test that restarts a server wants to read afterwards.
 */
export function launch(
  service: Pick<Service, 'key' | 'version' | 'logFile'>,
  command: string,
  args: string[],
  cwd: string,
  options: { runAs?: RunAs; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  mkdirSync(dirname(service.logFile), { recursive: true });
  if (existsSync(service.logFile)) renameSync(service.logFile, `${service.logFile}.1`);
  writeFileSync(service.logFile, `# focus-infra: ${service.key} ${service.version} started ${new Date().toISOString()}\n`);
  return spawnDetached(command, args, { cwd, logFile: service.logFile, ...options });
}

export function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
