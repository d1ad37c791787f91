import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

/** Infrastructure that was named (or started) but does not answer. */
export class InfrastructureUnreachableError extends Error {
  override name = 'InfrastructureUnreachableError';
}

export interface KafkaProbe {
  clusterId: string;
  brokers: number;
}

/**
 * Asks the broker to describe its cluster, retrying briefly. kafkajs on its own retries for
 * minutes before giving up; a test run must instead fail fast and say what to check.
 */
export async function probeKafka(brokers: string[], timeoutMs = 10_000): Promise<KafkaProbe> {
  const kafka = new Kafka({
    clientId: 'focus-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(3_000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
  });
  const admin = kafka.admin();
  try {
    await withTimeout(admin.connect(), timeoutMs, `Kafka at ${brokers.join(',')}`);
    const cluster = await withTimeout(admin.describeCluster(), timeoutMs, `Kafka at ${brokers.join(',')}`);
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } catch (error) {
    throw unreachable(`Kafka at ${brokers.join(',')}`, 'KAFKA_BROKERS', error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface MongoProbe {
  /** "FerretDB 1.24.2" or "MongoDB 7.0.x": which MongoDB-wire server answered. */
  server: string;
}

export async function probeMongo(url: string, timeoutMs = 10_000): Promise<MongoProbe> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = info['ferretdbVersion'] as string | undefined;
    const server = ferret ? `FerretDB ${ferret.replace(/^v/, '')}` : `MongoDB ${String(info['version'])}`;
    return { server };
  } catch (error) {
    throw unreachable(`MongoDB-wire server at ${redact(url)}`, 'MONGO_URL', error);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function unreachable(what: string, variable: string, cause: unknown): InfrastructureUnreachableError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new InfrastructureUnreachableError(
    `${what} did not answer (${reason}). ` +
      `Check that it is running, or unset ${variable} to let the tests start local infrastructure ` +
      `(npm run infra -- up).`,
  );
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connection strings may carry credentials; never print them. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
