import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpStack, Stack, startStack, testKafka, testNamespace } from '@focus/testing';

/** Every upstream at an address where nothing answers: the gateway alone. */
const NOWHERE = Object.fromEntries(
  ['OPERATION_VIEW_URL', 'POPULATION_URL', 'BUDGET_URL', 'NARRATIVES_URL', 'CONTRIBUTIONS_URL'].map((name) => [name, 'http://127.0.0.1:1']),
);

// The gateway on its own, from its build, with nothing behind it: the portal's files at `/`,
// CORS for portals on other origins, problem+json for the rest, and readiness that says the
// aggregator is missing.
describe('api-gateway edge', () => {
  const ns = testNamespace('gateway-edge');
  const portal = mkdtempSync(join(tmpdir(), 'focus-portal-'));
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    writeFileSync(join(portal, 'index.html'), '<!doctype html><title>Focus portal</title>');
    writeFileSync(join(portal, 'app.js'), 'console.log("portal")');
    stack = await startStack({
      namespace: ns,
      apps: ['api-gateway'],
      waitFor: { 'api-gateway': 'live' },
      appEnv: {
        'api-gateway': {
          PORTAL_DIR: portal,
          CORS_ORIGINS: 'https://portal.example',
          ...NOWHERE,
        },
      },
    });
    base = stack.gatewayUrl;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(portal, { recursive: true, force: true });
    await cleanUpStack(ns, undefined, testKafka(ns));
  });

  it('serves the portal at / when its build is there', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('Focus portal');
    expect((await fetch(`${base}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    writeFileSync(join(portal, 'later.css'), 'body {}'); // a portal rebuilt while the gateway runs
    expect((await fetch(`${base}/later.css`)).status).toBe(200);
  });

  it('answers an unknown API route with problem+json, not a file', async () => {
    const missing = await fetch(`${base}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // The docs are still the gateway's, beside the portal's files.
    expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);
    const docs = await fetch(`${base}/api/docs`);
    expect(docs.status).toBe(200);
    const css = /href="([^"]+\.css)"/.exec(await docs.text())?.[1];
    expect(css).toBeDefined();
    expect((await fetch(new URL(css ?? '', `${base}/api/docs/`))).status).toBe(200);
  });

  it('allows the configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/api/v1/operations/KAZ`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-api-key, if-match, content-type' },
      });
    const allowed = await preflight('https://portal.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-api-key/);
    expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is live but not ready while the aggregator does not answer; reads and writes say 503', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
    const read = await fetch(`${base}/api/v1/operations/KAZ`);
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBe('5');
    expect(read.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const written = await fetch(`${base}/api/v1/operations/KAZ/population/2018/REF`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': 'local-dev-editor' },
      body: '{"value":1}',
    });
    expect(written.status).toBe(503);
  });
});

// The same gateway configured for a closed deployment: reads need a key too, CORS is off, and
// clients without a key are limited by their address.
describe('api-gateway edge, closed', () => {
  const ns = testNamespace('gateway-closed');
  const readerKey = 'reader-key-0123456789';
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({
      namespace: ns,
      apps: ['api-gateway'],
      waitFor: { 'api-gateway': 'live' },
      appEnv: {
        'api-gateway': {
          GATEWAY_READ_ACCESS: 'key',
          GATEWAY_API_KEYS: `portal:reader:${readerKey},ops:editor:editor-key-0123456789`,
          CORS_ORIGINS: 'none',
          RATE_LIMIT_MAX: '5',
          ...NOWHERE,
        },
      },
    });
    base = stack.gatewayUrl;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await cleanUpStack(ns, undefined, testKafka(ns));
  });

  it('refuses reads without a key (401) and lets a reader key through to the upstream', async () => {
    const anonymous = await fetch(`${base}/api/v1/operations`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Past the key, the aggregator is missing here: 503, not 401.
    expect((await fetch(`${base}/api/v1/operations`, { headers: { 'x-api-key': readerKey } })).status).toBe(503);
  });

  it('sends no CORS headers for CORS_ORIGINS=none', async () => {
    const preflight = await fetch(`${base}/api/v1/operations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://portal.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits a client without a key by its address: 429 with Retry-After past RATE_LIMIT_MAX', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8 && !limited; i++) {
      const response = await fetch(`${base}/api/v1/operations`);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});
