import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InfraError } from './errors';
import { readState } from './state';

/**
 * postgres is only there for FerretDB's PostgreSQL backend. It comes last so that stopping
 * in this order (as libs/testing does with STARTED) stops FerretDB before its database;
 * `up` starts it before FerretDB regardless (Service.dependsOn).
 */
export const SERVICE_NAMES = ['kafka', 'ferretdb', 'postgres'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const FERRETDB_BACKENDS = ['postgresql', 'sqlite'] as const;
export type FerretdbBackend = (typeof FERRETDB_BACKENDS)[number];

/** Only loopback: these servers have no authentication and are for this machine's tests. */
export const HOST = '127.0.0.1';

export interface InfraConfig {
  /** Cache and runtime folder: jars, binary, data dirs, logs, state.json. */
  home: string;
  /** tools/infra itself: pom.xml, log4j2.properties and the Go module live here. */
  sourceDir: string;
  /**
   * nodes: 1, or a KRaft cluster whose node i (1-based) listens on port + i - 1 and
   * controllerPort + i - 1; each node is both broker and controller.
   */
  kafka: { version: string; port: number; controllerPort: number; nodes: number };
  ferretdb: { version: string; port: number; backend: FerretdbBackend };
  /** Only started when ferretdb.backend is postgresql. */
  postgres: { version: string; port: number; binDir: string };
}

/**
 * PostgreSQL comes from the distribution's packages (Debian's postgresql-15), not from a
 * download: /usr/lib/postgresql/<major>/bin has initdb and postgres.
 */
export const POSTGRES_MAJOR = '15';

const sourceDir = resolve(__dirname, '..');

/** A KRaft quorum of more than five voters buys nothing on one machine. */
export const MAX_KAFKA_NODES = 5;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const home = resolve(env['FOCUS_INFRA_HOME'] || join(homedir(), '.cache', 'focus-infra'));
  const nodes = kafkaNodes(env, home);
  const clientPort = port(env, 'FOCUS_KAFKA_PORT', 9092);
  const kafka = {
    version: env['FOCUS_KAFKA_VERSION'] || pinnedKafkaVersion(),
    port: clientPort,
    // A cluster's nodes take consecutive ports, so 9093 would be node 2's client port.
    controllerPort: port(env, 'FOCUS_KAFKA_CONTROLLER_PORT', nodes === 1 ? 9093 : clientPort + 100),
    nodes,
  };
  if (!/^[4-9]\.\d+\.\d+$/.test(kafka.version)) {
    throw new InfraError(
      `FOCUS_KAFKA_VERSION is "${kafka.version}": expected an Apache Kafka 4.x release such as 4.1.2 ` +
        '(the generated server.properties is for KRaft-only Kafka 4).',
    );
  }
  const backend = (env['FOCUS_FERRETDB_BACKEND'] || 'postgresql') as FerretdbBackend;
  if (!FERRETDB_BACKENDS.includes(backend)) {
    throw new InfraError(`FOCUS_FERRETDB_BACKEND is "${backend}": expected ${FERRETDB_BACKENDS.join(' or ')}.`);
  }
  const ferretdb = { version: pinnedFerretdbVersion(), port: port(env, 'FOCUS_MONGO_PORT', 27017), backend };
  const postgres = {
    version: POSTGRES_MAJOR,
    // 5433, not 5432: a system PostgreSQL (the package starts one) usually has 5432.
    port: port(env, 'FOCUS_POSTGRES_PORT', 5433),
    binDir: `/usr/lib/postgresql/${POSTGRES_MAJOR}/bin`,
  };
  const kafkaPorts = [kafka.port, kafka.controllerPort].flatMap((first) => Array.from({ length: nodes }, (_, i) => first + i));
  if (kafkaPorts.some((p) => p > 65535) || new Set([...kafkaPorts, ferretdb.port, postgres.port]).size < 2 * nodes + 2) {
    throw new InfraError(
      `FOCUS_KAFKA_PORT (${kafka.port}${nodes > 1 ? ` to ${kafka.port + nodes - 1}` : ''}), ` +
        `FOCUS_KAFKA_CONTROLLER_PORT (${kafka.controllerPort}${nodes > 1 ? ` to ${kafka.controllerPort + nodes - 1}` : ''}), ` +
        `FOCUS_MONGO_PORT (${ferretdb.port}) and FOCUS_POSTGRES_PORT (${postgres.port}) must all be different ports.`,
    );
  }
  return { home, sourceDir, kafka, ferretdb, postgres };
}

/** Every node's client address, comma separated (KAFKA_BROKERS). */
export function kafkaBrokers(config: InfraConfig): string {
  return Array.from({ length: config.kafka.nodes }, (_, i) => `${HOST}:${config.kafka.port + i}`).join(',');
}

/**
 * FOCUS_KAFKA_NODES (the CLI's `--brokers N`) when set; otherwise as many as `up` last
 * started in this home, so that `status`, `env` and `down` need no flag; otherwise one.
 */
function kafkaNodes(env: NodeJS.ProcessEnv, home: string): number {
  const raw = env['FOCUS_KAFKA_NODES'];
  if (raw) {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > MAX_KAFKA_NODES) {
      throw new InfraError(`FOCUS_KAFKA_NODES (--brokers) is "${raw}": expected a whole number from 1 to ${MAX_KAFKA_NODES}.`);
    }
    return value;
  }
  const recorded = Object.keys(readState(home).services).flatMap((key) => {
    const node = /^kafka\.(\d+)$/.exec(key);
    return node ? [Number(node[1])] : [];
  });
  return Math.max(1, ...recorded);
}

export function postgresUrl(config: InfraConfig): string {
  return `postgres://postgres@${HOST}:${config.postgres.port}/postgres`;
}

export function mongoUrl(config: InfraConfig): string {
  return `mongodb://${HOST}:${config.ferretdb.port}/`;
}

// The versions are pinned once, in the files that Maven and Go read, and read back from
// there so that a bump cannot leave the cache folder names out of step.
function pinnedKafkaVersion(): string {
  return pinned(join(sourceDir, 'kafka', 'pom.xml'), /<kafka\.version>([^<]+)<\/kafka\.version>/);
}

function pinnedFerretdbVersion(): string {
  return pinned(join(sourceDir, 'ferretdb', 'go.mod'), /github\.com\/FerretDB\/FerretDB v([^\s]+)/);
}

function pinned(file: string, pattern: RegExp): string {
  const match = pattern.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file} no longer pins a version matching ${pattern}`);
  return match[1];
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InfraError(`${name} is "${raw}": expected a TCP port number (1-65535).`);
  }
  return value;
}
