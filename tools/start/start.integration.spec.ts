import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DEFAULT_PORTS, STACK_APPS, WORKSPACE_ROOT } from '@focus/testing';

/*
 * README's first command, as a newcomer runs it: `npm start`, on the standard ports, against
 * the infrastructure jest resolved (KAFKA_BROKERS/MONGO_URL, so it starts none of its own).
 * It must end with the seed page's figures at the printed URL, double nothing when started a
 * second time, and leave nothing behind after Ctrl-C (SIGINT to its process group).
 */
describe('npm start', () => {
  const viewUrl = 'http://localhost:3000/api/v1/operations/KAZ-RO?year=2018';

  interface Started {
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
  }

  function npmStart(): Promise<Started> {
    const child = spawn('npm', ['start'], { cwd: WORKSPACE_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes('Focus is running.')) {
          clearInterval(timer);
          resolve({ child, output: () => output, exited });
        }
      }, 200);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`npm start exited (${code}) before it was running:\n${output.slice(-3000)}`));
      });
    });
  }

  async function ctrlC(started: Started): Promise<void> {
    process.kill(-started.child.pid!, 'SIGINT');
    await started.exited;
  }

  interface View {
    peopleOfConcern: { total: number };
    latestContributions: unknown[];
    meta: { version: number };
  }

  /** The view once the aggregator has projected the whole seed (start waits only for a first view). */
  async function settledView(): Promise<View> {
    const deadline = Date.now() + 60_000;
    let last: View | undefined;
    while (Date.now() < deadline) {
      const response = await fetch(viewUrl);
      if (response.status === 200) {
        last = (await response.json()) as View;
        if (last.peopleOfConcern.total === 88_419 && last.latestContributions.length === 10) return last;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the seed's view never settled: ${JSON.stringify(last)?.slice(0, 500)}`);
  }

  /** The owner's own list, not a projection: what is stored, at once. */
  async function storedContributions(): Promise<number> {
    const response = await fetch('http://localhost:3000/api/v1/contributions?operation=KAZ-RO');
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: unknown[] }).items.length;
  }

  const portFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });

  it('starts everything, loads the seed, says where to look, and Ctrl-C stops it all; a second start doubles nothing', async () => {
    for (const app of STACK_APPS) expect({ app, free: await portFree(DEFAULT_PORTS[app]) }).toEqual({ app, free: true });

    let once: View | undefined;
    const first = await npmStart();
    try {
      expect(first.output()).toContain(viewUrl);
      expect(first.output()).toContain('http://localhost:3000/api/docs');
      expect(first.output()).toContain('x-api-key: local-dev-editor');
      expect(first.output()).toMatch(/^population\s+\| /m); // the apps' logs, one stream prefixed per app
      once = await settledView();
      expect(await storedContributions()).toBe(10);
      const docs = await fetch('http://localhost:3000/api/openapi.json');
      expect(docs.status).toBe(200);
    } finally {
      await ctrlC(first);
    }
    expect(first.output()).toContain('start | stopped.');
    for (const app of STACK_APPS) expect({ app, free: await portFree(DEFAULT_PORTS[app]) }).toEqual({ app, free: true });

    const second = await npmStart();
    try {
      expect(await storedContributions()).toBe(10);
      expect((await settledView()).meta.version).toBe(once!.meta.version);
    } finally {
      await ctrlC(second);
    }
  }, 360_000);
});
