import { startContainers, dockerAnswers } from './containers';
import { startLocalInfrastructure } from './local-infra';
import { probeKafka, probeMongo, redact } from './probe';

export interface Infrastructure {
  kafkaBrokers: string[];
  mongoUrl: string;
  /** Where it came from, for the run's log. */
  origin: 'environment' | 'testcontainers' | 'tools/infra';
  /** Undoes what this process started (nothing, for infrastructure it found). */
  stop(): Promise<void>;
}

/**
 * The one way every test gets a broker and a database server:
 * 1. KAFKA_BROKERS and MONGO_URL set: use them (CI services, a developer's own stack);
 * 2. a Docker engine answers: testcontainers starts apache/kafka and mongo:7;
 * 3. otherwise tools/infra starts Kafka from Maven Central and FerretDB built with Go.
 * Whatever the origin, both are probed before a single test runs, so an unreachable
 * server fails the run at once with a message instead of hanging every test.
 */
export async function resolveInfrastructure(log: (line: string) => void = console.log): Promise<Infrastructure> {
  const fromEnv = infrastructureFromEnvironment();
  const infra = fromEnv ?? (await startInfrastructure(log));
  const [kafka, mongo] = await Promise.all([probeKafka(infra.kafkaBrokers), probeMongo(infra.mongoUrl)]);
  log(
    `infrastructure (${infra.origin}): Kafka cluster ${kafka.clusterId} at ${infra.kafkaBrokers.join(',')}, ` +
      `${mongo.server} at ${redact(infra.mongoUrl)}`,
  );
  return infra;
}

export function infrastructureFromEnvironment(env: NodeJS.ProcessEnv = process.env): Infrastructure | undefined {
  const brokers = env['KAFKA_BROKERS'];
  const mongoUrl = env['MONGO_URL'];
  if (!brokers && !mongoUrl) return undefined;
  if (!brokers || !mongoUrl) {
    throw new Error(
      `KAFKA_BROKERS and MONGO_URL go together: only ${brokers ? 'KAFKA_BROKERS' : 'MONGO_URL'} is set. ` +
        'Set both, or neither to have local infrastructure started (tools/infra).',
    );
  }
  return {
    kafkaBrokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    mongoUrl,
    origin: 'environment',
    stop: async () => undefined,
  };
}

async function startInfrastructure(log: (line: string) => void): Promise<Infrastructure> {
  if (await dockerAnswers()) {
    log('infrastructure: a Docker engine answers; starting Kafka and MongoDB with testcontainers');
    const started = await startContainers();
    return { ...started, origin: 'testcontainers' };
  }
  log('infrastructure: no KAFKA_BROKERS/MONGO_URL and no Docker engine; starting tools/infra');
  const started = await startLocalInfrastructure(log);
  return { ...started, origin: 'tools/infra' };
}

/** Makes the resolved infrastructure visible to child processes (jest workers, apps). */
export function exportToEnvironment(infra: Infrastructure, env: NodeJS.ProcessEnv = process.env): void {
  env['KAFKA_BROKERS'] = infra.kafkaBrokers.join(',');
  env['MONGO_URL'] = infra.mongoUrl;
}
