import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InfraError } from './errors';

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
  kafka: { version: string; port: number; controllerPort: number };
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const kafka = {
    version: env['FOCUS_KAFKA_VERSION'] || pinnedKafkaVersion(),
    port: port(env, 'FOCUS_KAFKA_PORT', 9092),
    controllerPort: port(env, 'FOCUS_KAFKA_CONTROLLER_PORT', 9093),
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
  if (new Set([kafka.port, kafka.controllerPort, ferretdb.port, postgres.port]).size < 4) {
    throw new InfraError(
      `FOCUS_KAFKA_PORT (${kafka.port}), FOCUS_KAFKA_CONTROLLER_PORT (${kafka.controllerPort}), ` +
        `FOCUS_MONGO_PORT (${ferretdb.port}) and FOCUS_POSTGRES_PORT (${postgres.port}) must be four different ports.`,
    );
  }
  const home = resolve(env['FOCUS_INFRA_HOME'] || join(homedir(), '.cache', 'focus-infra'));
  return { home, sourceDir, kafka, ferretdb, postgres };
}

export function kafkaBrokers(config: InfraConfig): string {
  return `${HOST}:${config.kafka.port}`;
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
