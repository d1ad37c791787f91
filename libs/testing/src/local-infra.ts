import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const workspaceRoot = resolve(__dirname, '../../..');
const infraCli = resolve(workspaceRoot, 'tools/infra/src/cli.ts');
const tsx = resolve(workspaceRoot, 'node_modules/.bin/tsx');

/**
 * Starts Kafka and FerretDB through tools/infra's CLI, in a child process, so that test
 * tooling depends on its command-line contract (progress on stdout, then KEY=value lines)
 * rather than on its internals.
 *
 * With a `signal`, aborting it at any moment (Ctrl-C while Kafka is still starting) ends the
 * `up` in progress and stops every server that was not running before this call, then
 * rejects: the servers run detached, so ending `up` alone would leave them behind.
 */
export async function startLocalInfrastructure(
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<{ kafkaBrokers: string[]; mongoUrl: string; stop(): Promise<void> }> {
  const runningBefore = signal ? await runningServers() : [];
  const stopStartedHere = async () => {
    const ours = (await runningServers()).filter((service) => !runningBefore.includes(service));
    if (ours.length > 0) await runInfra(['down', ...ours], log);
  };
  let values: Map<string, string>;
  try {
    values = await runInfra(['up'], log, {}, signal);
  } catch (error) {
    if (!signal?.aborted) throw error;
    await stopStartedHere();
    throw new Error('interrupted while the infrastructure was starting');
  }
  const started = (values.get('STARTED') ?? '').split(',').filter(Boolean);
  // Stop only what this call started: a developer's own running infrastructure stays up.
  const stop = async () => {
    for (const service of started) await runInfra(['down', service], log);
  };
  if (signal?.aborted) {
    await stop();
    throw new Error('interrupted while the infrastructure was starting');
  }
  const brokers = values.get('KAFKA_BROKERS');
  const mongoUrl = values.get('MONGO_URL');
  if (!brokers || !mongoUrl) {
    throw new Error('tools/infra up did not print KAFKA_BROKERS and MONGO_URL; run `npm run infra -- up` to see why.');
  }
  return { kafkaBrokers: brokers.split(','), mongoUrl, stop };
}

/** The servers of tools/infra's own that run now (`infra status`: name, or a node's name after it, then running or stopped). */
async function runningServers(): Promise<string[]> {
  const lines: string[] = [];
  await runInfra(['status'], (line) => lines.push(line));
  const names = lines.flatMap((line) => {
    const match = /\|\s(kafka|ferretdb|postgres)\S*\s+running\b/.exec(line);
    return match ? [match[1]] : [];
  });
  return [...new Set(names)];
}

/**
 * Runs the CLI. With a `signal`, the child runs in a process group of its own (a terminal's
 * Ctrl-C reaches only the caller, which decides) and aborting ends that group.
 */
export function runInfra(
  args: string[],
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = {},
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(new Error(`tools/infra ${args.join(' ')}: interrupted`));
    const child = spawn(tsx, [infraCli, ...args], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      detached: signal !== undefined,
    });
    const abort = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    signal?.addEventListener('abort', abort, { once: true });
    const values = new Map<string, string>();
    const tail: string[] = [];
    const onLine = (line: string) => {
      const assignment = /^([A-Z_]+)=(.*)$/.exec(line);
      if (assignment) values.set(assignment[1], assignment[2]);
      else log(`  infra | ${line}`);
      tail.push(line);
      if (tail.length > 30) tail.shift();
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', reject);
    child.on('close', (code) => {
      signal?.removeEventListener('abort', abort);
      if (code === 0 && !signal?.aborted) resolvePromise(values);
      else
        reject(
          new Error(`tools/infra ${args.join(' ')} ${signal?.aborted ? 'interrupted' : `failed (exit ${code})`}:\n${tail.join('\n')}`),
        );
    });
  });
}
