/**
 * The read baselines: a bare Fastify server that answers one route with the bytes and headers
 * the gateway answered, or with the gateway's 304 when If-None-Match carries its ETag: the floor
 * of serving a cached view over HTTP in Node on this machine. Headers the gateway computes per
 * request (x-request-id, the rate limit's) are replayed as they were, so both answers are the
 * same size on the wire; what the gateway spends computing them is part of what is measured.
 * It runs as a process of its own, as the gateway does.
 *
 * Env: BODY_FILE (the bytes), ETAG, HEADERS_200 and HEADERS_304 (JSON objects). Prints
 * `listening <port>` once bound.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const body = readFileSync(requiredEnv('BODY_FILE'));
  const etag = requiredEnv('ETAG');
  const headers200 = JSON.parse(requiredEnv('HEADERS_200')) as Record<string, string>;
  const headers304 = JSON.parse(requiredEnv('HEADERS_304')) as Record<string, string>;
  const app = Fastify({ logger: false });
  app.get('/view', (request, reply) => {
    if (request.headers['if-none-match'] === etag) return reply.code(304).headers(headers304).send();
    return reply.headers(headers200).send(body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bare-server: ${name} is not set`);
  return value;
}

void main();
