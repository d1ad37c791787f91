import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
  pid: number;
  stop(): Promise<void>;
}

/** What the gateway answered, to be answered the same by the bare server. */
export interface RecordedAnswers {
  body: Buffer;
  etag: string;
  headers200: Record<string, string>;
  headers304: Record<string, string>;
}

/**
 * What the gateway answers at `url`, with and without its ETag in If-None-Match: the bytes and
 * headers a bare server is to replay. Asked twice, so both are the cache's answers.
 */
export async function recordAnswers(url: string): Promise<RecordedAnswers> {
  const first = await fetch(url);
  const body = Buffer.from(await first.arrayBuffer());
  if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}: ${body.toString().slice(0, 300)}`);
  const etag = first.headers.get('etag') ?? '';
  const notModified = await fetch(url, { headers: { 'if-none-match': etag } });
  if (notModified.status !== 304) throw new Error(`GET ${url} with If-None-Match ${etag} answered ${notModified.status}`);
  return { body, etag, headers200: replayableHeaders(first.headers), headers304: replayableHeaders(notModified.headers) };
}

/** Starts tools/bench/src/bare-server.ts as its own process, answering what the gateway answered. */
export async function startBareServer(workDir: string, answers: RecordedAnswers): Promise<BareServer> {
  const bodyFile = join(workDir, 'bare-server-body.json');
  writeFileSync(bodyFile, answers.body);
  // From the root, with the root's tsconfig: a caller run through tsx may pass a relative one down.
  const child = spawn(process.execPath, [...profileFlags(), '--import', 'tsx', join(__dirname, 'bare-server.ts')], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
      BODY_FILE: bodyFile,
      ETAG: answers.etag,
      HEADERS_200: JSON.stringify(answers.headers200),
      HEADERS_304: JSON.stringify(answers.headers304),
      BENCH_CPU_PROFILE_LABEL: 'bare-server',
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
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Headers a server sets per connection or per moment: left out of what the bare server replays. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** An answer's headers as the bare server should replay them. */
export function replayableHeaders(headers: Headers): Record<string, string> {
  const replay: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!TRANSPORT_HEADERS.has(name)) replay[name] = value;
  });
  return replay;
}

/** BENCH_CPU_PROFILE_DIR: the flags that load the profiler hook (tools/bench/profile/cpu-profile-hook.js). */
export function profileFlags(): string[] {
  return process.env['BENCH_CPU_PROFILE_DIR'] ? ['--require', CPU_PROFILE_HOOK] : [];
}

export const CPU_PROFILE_HOOK = join(WORKSPACE_ROOT, 'tools/bench/profile/cpu-profile-hook.js');

/** CPU ticks (10 ms) a process has used so far, from /proc. */
export function processTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
