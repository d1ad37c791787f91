import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_PORTS, privateInfraEnvironment, runInfra, STACK_APPS, WORKSPACE_ROOT } from '@focus/testing';

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
    const child = spawn('npm', ['start'], {
      cwd: WORKSPACE_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // At the level a newcomer gets: a healthy start may warn of nothing, and the apps' own streams are checked below.
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close', not 'exit': on SIGINT npm may end before the start script it ran has stopped the
    // apps; the script holds npm's output until it exits itself.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
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

  /** The pids tools/infra recorded in `home` (state.json), by server. */
  const recorded = (home: string): Record<string, number> => {
    const file = join(home, 'state.json');
    if (!existsSync(file)) return {};
    const state = JSON.parse(readFileSync(file, 'utf8')) as { services: Record<string, { pid: number }> };
    return Object.fromEntries(Object.entries(state.services).map(([name, record]) => [name, record.pid]));
  };
  /** Running, not a zombie: a detached server whose parent has gone is reaped by init, a moment after it exits. */
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    return !/\) [ZX] /.test(stat);
  };

  it('Ctrl-C while Kafka is still starting stops the servers it was starting', async () => {
    // Its own tools/infra home and ports, with neither KAFKA_BROKERS nor MONGO_URL: npm start runs `up` itself.
    const { home, env } = await privateInfraEnvironment();
    const { KAFKA_BROKERS: _k, MONGO_URL: _m, ...inherited } = process.env;
    const child = spawn('npm', ['start'], {
      cwd: WORKSPACE_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...inherited, ...env, LOG_LEVEL: 'warn' },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close': once every process holding its output has ended (npm may end first on SIGINT), start.ts included.
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      // Kafka's process is started (recorded, alive) and `up` has not finished: the moment of the old leak.
      const deadline = Date.now() + 240_000;
      let kafkaPid: number | undefined;
      while (Date.now() < deadline && kafkaPid === undefined && !output.includes('2/4 apps')) {
        const pid = recorded(home)['kafka'];
        if (pid !== undefined && alive(pid)) kafkaPid = pid;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const moment = { kafkaStarting: kafkaPid !== undefined, upDone: output.includes('2/4 apps') };
      if (!moment.kafkaStarting || moment.upDone) throw new Error(`not the moment (${JSON.stringify(moment)}):\n${output.slice(-3000)}`);
      process.kill(-child.pid!, 'SIGINT');
      await closed;
      expect(output).toContain('start | stopped.');
      expect(alive(kafkaPid!)).toBe(false);
      const running = Object.entries(recorded(home)).filter(([, pid]) => alive(pid));
      expect(running).toEqual([]);
      const status: string[] = [];
      await runInfra(['status'], (line) => status.push(line), env);
      expect(status.filter((line) => /\|\s(kafka|ferretdb|postgres)\s+running\b/.test(line))).toEqual([]);
    } finally {
      try {
        if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // its group has gone already
      }
      await runInfra(['down', '--wipe'], () => undefined, env).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    }
  }, 300_000);
});
