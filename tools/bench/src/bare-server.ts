/**
 * The read baselines: a bare Fastify server that answers one route with the bytes the gateway
 * served, or with 304 when If-None-Match carries its ETag: the floor of serving a cached view
 * over HTTP in Node on this machine. It runs as a process of its own, as the gateway does, so
 * neither shares a core with the load generator's process.
 *
 * Env: BODY_FILE (the bytes), ETAG, CACHE_CONTROL. Prints `listening <port>` once bound.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const body = readFileSync(requiredEnv('BODY_FILE'));
  const etag = requiredEnv('ETAG');
  const cacheControl = process.env['CACHE_CONTROL'] ?? 'no-cache';
  const app = Fastify({ logger: false });
  app.get('/view', (request, reply) => {
    reply.header('etag', etag).header('cache-control', cacheControl);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
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
