import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import {
  cleanUpStack,
  readEventStream,
  ServerSentEvent,
  Stack,
  StackApp,
  StackOptions,
  startStack,
  testKafka,
  TestNamespace,
  testNamespace,
} from '@focus/testing';

/*
 * What every fault spec shares: a namespaced stack of its own, driven through the gateway with
 * an editor key, read back from the aggregator's own port, and cleaned up afterwards.
 */
export const EDITOR = 'faults-editor-key-0123456789';
export const READER = 'faults-reader-key-0123456789';
export const SOURCE = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };
export const PROFILE = {
  name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
  region: 'Europe',
  subregion: 'Central Asia',
  offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.25, lon: 76.95 }],
};

export interface FaultStack {
  ns: TestNamespace;
  stack: Stack;
  kafka: Kafka;
  api: string;
  write(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  read(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startFaultStack(suite: string, options: StackOptions = {}): Promise<FaultStack> {
  const ns = testNamespace(suite);
  // A stack on a broker or server of its own (PrivateKafka, PrivateFerretDB) is read and cleaned up through it.
  const brokers = options.env?.['KAFKA_BROKERS'];
  const kafka = brokers
    ? new Kafka({
        clientId: `${ns.topicPrefix}faults`,
        brokers: brokers.split(','),
        logLevel: logLevel.WARN,
        retry: { retries: 5, initialRetryTime: 100 },
      })
    : testKafka(ns);
  const stack = await startStack({
    namespace: ns,
    ...options,
    appEnv: {
      ...options.appEnv,
      'api-gateway': {
        GATEWAY_API_KEYS: `editor:editor:${EDITOR},reader:reader:${READER}`,
        PORTAL_DIR: '/nonexistent/portal',
        ...options.appEnv?.['api-gateway'],
      },
    },
    echo: process.env['STACK_ECHO'] ? (line) => process.stdout.write(line) : undefined,
  });
  const api = `${stack.gatewayUrl}/api/v1`;
  return {
    ns,
    stack,
    kafka,
    api,
    write: (method, path, body, headers = {}) =>
      fetch(`${api}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-api-key': EDITOR, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    read: (path, headers = {}) => fetch(`${api}${path}`, { headers: { 'x-api-key': READER, ...headers } }),
    close: async () => {
      await stack.stop();
      await cleanUpStack(ns, options.env?.['MONGO_URL'] ?? process.env['MONGO_URL'], kafka);
    },
  };
}

/**
 * What a failure message shows of an app's log: its last `last` lines that `match`, each cut
 * to `width` characters and named by its app (which side stopped, which path an error took).
 */
export function logLinesOf(
  f: FaultStack,
  app: StackApp,
  match: (line: string) => boolean,
  { last = Number.POSITIVE_INFINITY, width = 2_000 }: { last?: number; width?: number } = {},
): string[] {
  const lines = f.stack.logs(app).filter(match);
  return lines.slice(Math.max(0, lines.length - last)).map((line) => `${app}: ${line.slice(0, width)}`);
}

/** Pino's warnings and errors (levels 40 and up). */
export const isWarningOrWorse = (line: string): boolean => /"level":(40|50|60)/.test(line);

/** Canonical JSON: keys sorted at every level, so equal documents give equal strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** A view from the aggregator's own port (its first replica's, or `aggregatorUrl`), without meta.updatedAt, as canonical JSON. */
export async function viewJson(
  stack: Stack,
  code: string,
  year: number,
  aggregatorUrl = stack.urls['operation-view'],
): Promise<string | undefined> {
  const response = await fetch(`${aggregatorUrl}/operations/${code}?year=${year}`);
  if (response.status !== 200) return undefined;
  const view = (await response.json()) as { meta?: Record<string, unknown> };
  const { updatedAt: _ignored, ...meta } = view.meta ?? {};
  return canonical({ ...view, meta });
}

/** The sum of a Prometheus counter over its labels, filtered by a label substring. */
export async function metricTotal(url: string, name: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labelFilter))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Problem details as the gateway and services answer them. */
export async function expectProblem(response: Response, status?: number): Promise<Record<string, unknown>> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  if (status !== undefined) expect(response.status).toBe(status);
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body['status']).toBe(response.status);
  return body;
}

/** A UUID v7 (what event ids must be): 48 bits of milliseconds, version 7, variant 10, random rest. */
export function uuidV7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The gateway's stream at `path`, read with the reader key: every event received so far, until close(). */
export async function openEventStream(
  f: FaultStack,
  path: string,
): Promise<{ status: number; received: () => ServerSentEvent[]; close: () => void }> {
  const stream = await readEventStream(`${f.api}${path}`, { 'x-api-key': READER });
  return { status: stream.status, received: () => [...stream.events], close: stream.close };
}
