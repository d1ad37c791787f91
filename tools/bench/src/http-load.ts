import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { WORKSPACE_ROOT } from '@focus/testing';

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
}

export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that were not the expected status, and socket errors: a run with any is refused. */
  unexpected: number;
}

/** Closed-loop load with autocannon: a fixed number of connections for a fixed time. */
export async function measureLoad(
  url: string,
  settings: LoadSettings,
  headers: Record<string, string>,
  expectedStatus: number,
): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.durationSeconds,
    headers,
    expectBody: undefined,
  });
  const codes = result.statusCodeStats as unknown as Record<string, { count: number }> | undefined;
  const expected = codes?.[String(expectedStatus)]?.count ?? 0;
  const answered = Object.values(codes ?? {}).reduce((sum, c) => sum + c.count, 0);
  const figures = {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    unexpected: answered - expected + result.errors + result.timeouts,
  };
  if (expected === 0 || figures.unexpected > 0) {
    throw new Error(
      `load on ${url}: ${expected} answers were ${expectedStatus}, ${figures.unexpected} were not (${JSON.stringify(codes)}, ${result.errors} errors)`,
    );
  }
  return figures;
}

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts tools/bench/src/bare-server.ts as its own process, serving `body` under `etag`. */
export async function startBareServer(workDir: string, body: Buffer, etag: string, cacheControl: string): Promise<BareServer> {
  const bodyFile = join(workDir, 'bare-server-body.json');
  writeFileSync(bodyFile, body);
  // From the root, with the root's tsconfig: a caller run through tsx may pass a relative one down.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'bare-server.ts')], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
      BODY_FILE: bodyFile,
      ETAG: etag,
      CACHE_CONTROL: cacheControl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { stdout } = child;
  if (!stdout) throw new Error('bare-server: no stdout to read its port from');
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare-server exited (code ${code}) before listening`)));
    createInterface({ input: stdout }).on('line', (line) => {
      const match = line.match(/^listening (\d+)$/);
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/view`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
