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
 */
export async function startLocalInfrastructure(
  log: (line: string) => void,
): Promise<{ kafkaBrokers: string[]; mongoUrl: string; stop(): Promise<void> }> {
  const values = await runInfra(['up'], log);
  const brokers = values.get('KAFKA_BROKERS');
  const mongoUrl = values.get('MONGO_URL');
  if (!brokers || !mongoUrl) {
    throw new Error('tools/infra up did not print KAFKA_BROKERS and MONGO_URL; run `npm run infra -- up` to see why.');
  }
  const started = (values.get('STARTED') ?? '').split(',').filter(Boolean);
  return {
    kafkaBrokers: brokers.split(','),
    mongoUrl,
    // Stop only what this call started: a developer's own running infrastructure stays up.
    stop: async () => {
      for (const service of started) await runInfra(['down', service], log);
    },
  };
}

export function runInfra(args: string[], log: (line: string) => void, env: NodeJS.ProcessEnv = {}): Promise<Map<string, string>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tsx, [infraCli, ...args], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
      if (code === 0) resolvePromise(values);
      else reject(new Error(`tools/infra ${args.join(' ')} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}
