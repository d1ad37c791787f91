import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInfra } from './local-infra';
import { freePort, freePortRun } from './ports';

type Log = (line: string) => void;
const quiet: Log = () => undefined;

/**
 * One server of a test's own, for tests that stop and restart it: stopping the shared one
 * would break every suite running beside it. Started by tools/infra on free ports in a
 * throwaway home; `pause` stops it as an operator would (SIGTERM), its data kept for `resume`.
 */
abstract class PrivateServer {
  protected constructor(
    private readonly service: 'kafka' | 'ferretdb',
    private readonly env: NodeJS.ProcessEnv,
    private readonly home: string,
  ) {}

  async pause(log: Log = quiet): Promise<void> {
    await runInfra(['down', this.service], log, this.env);
  }

  async resume(log: Log = quiet): Promise<void> {
    await runInfra(['up', this.service], log, this.env);
  }

  async destroy(): Promise<void> {
    await runInfra(['down', this.service, '--wipe'], quiet, this.env).catch(() => undefined);
    rmSync(this.home, { recursive: true, force: true });
  }
}

/**
 * A Kafka broker of its own (its jars resolve from the local Maven repository), or with
 * `nodes: 3` a KRaft cluster of its own (tools/infra's `up --brokers 3`), whose nodes a test
 * can kill one at a time; `resume` starts again whichever are down.
 */
export class PrivateKafka extends PrivateServer {
  private constructor(
    private readonly infraEnv: NodeJS.ProcessEnv,
    home: string,
    readonly brokers: string[],
  ) {
    super('kafka', infraEnv, home);
  }

  static async start(log: Log = quiet, { nodes = 1 }: { nodes?: number } = {}): Promise<PrivateKafka> {
    const home = mkdtempSync(join(tmpdir(), 'focus-private-kafka-'));
    // A cluster's nodes take consecutive ports; the jars already resolved are linked in.
    if (nodes > 1) linkSharedBuilds(home, 'kafka-');
    const [port, controllerPort] = nodes > 1 ? [await freePortRun(nodes), await freePortRun(nodes)] : [await freePort(), await freePort()];
    const env = {
      FOCUS_INFRA_HOME: home,
      FOCUS_KAFKA_PORT: String(port),
      FOCUS_KAFKA_CONTROLLER_PORT: String(controllerPort),
      FOCUS_KAFKA_NODES: String(nodes),
    };
    const brokers = Array.from({ length: nodes }, (_, i) => `127.0.0.1:${port + i}`);
    const kafka = new PrivateKafka(env, home, brokers);
    await kafka.resume(log);
    return kafka;
  }

  /** The pid of a running node (node ids are 1-based, as in the brokers' metadata). */
  async pidOf(nodeId: number): Promise<number> {
    const lines: string[] = [];
    await runInfra(['status', 'kafka'], (line) => lines.push(line), this.infraEnv);
    const key = nodeId === 1 ? 'kafka' : `kafka.${nodeId}`;
    for (const line of lines) {
      const match = /^\s*infra \| (\S+)\s+running\s+pid (\d+)/.exec(line);
      if (match?.[1] === key) return Number(match[2]);
    }
    throw new Error(`node ${nodeId} is not running:\n${lines.join('\n')}`);
  }

  /** Kills one node as a crash would (SIGKILL by default) and returns once it is gone. */
  async kill(nodeId: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = await this.pidOf(nodeId);
    process.kill(pid, signal);
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A FerretDB of its own, on SQLite: nothing else to start, and nothing shared with the
 * PostgreSQL cluster other suites use. Its binary is the shared home's build, linked in, so
 * that it is not compiled again (minutes) for every test that needs one.
 */
export class PrivateFerretDB extends PrivateServer {
  private constructor(
    env: NodeJS.ProcessEnv,
    home: string,
    readonly url: string,
  ) {
    super('ferretdb', env, home);
  }

  static async start(log: Log = quiet): Promise<PrivateFerretDB> {
    const home = mkdtempSync(join(tmpdir(), 'focus-private-ferretdb-'));
    linkFerretdbBuilds(home);
    const [port, kafkaPort, controllerPort, postgresPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    // Only FerretDB starts; the other ports are set so that the config's "four different ports" holds.
    const env = {
      FOCUS_INFRA_HOME: home,
      FOCUS_FERRETDB_BACKEND: 'sqlite',
      FOCUS_MONGO_PORT: String(port),
      FOCUS_KAFKA_PORT: String(kafkaPort),
      FOCUS_KAFKA_CONTROLLER_PORT: String(controllerPort),
      FOCUS_POSTGRES_PORT: String(postgresPort),
    };
    const ferretdb = new PrivateFerretDB(env, home, `mongodb://127.0.0.1:${port}/`);
    await ferretdb.resume(log);
    return ferretdb;
  }
}

/**
 * A tools/infra home of its own on free ports, FerretDB on SQLite with the shared build linked
 * in: for a test that runs `up` itself (`npm start` without KAFKA_BROKERS and MONGO_URL).
 */
export async function privateInfraEnvironment(): Promise<{ home: string; env: Record<string, string> }> {
  const home = mkdtempSync(join(tmpdir(), 'focus-private-infra-'));
  linkFerretdbBuilds(home);
  const [mongo, kafka, controller, postgres] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return {
    home,
    env: {
      FOCUS_INFRA_HOME: home,
      FOCUS_FERRETDB_BACKEND: 'sqlite',
      FOCUS_MONGO_PORT: String(mongo),
      FOCUS_KAFKA_PORT: String(kafka),
      FOCUS_KAFKA_CONTROLLER_PORT: String(controller),
      FOCUS_POSTGRES_PORT: String(postgres),
    },
  };
}

/** tools/infra keeps each FerretDB build in `<home>/ferretdb-<version>/`. */
function linkFerretdbBuilds(home: string): void {
  linkSharedBuilds(home, 'ferretdb-');
}

/** Links the shared home's builds (`ferretdb-<version>/`, `kafka-<version>/`) into `home`, so none is built again. */
function linkSharedBuilds(home: string, prefix: 'ferretdb-' | 'kafka-'): void {
  const shared = resolve(process.env['FOCUS_INFRA_HOME'] || join(homedir(), '.cache', 'focus-infra'));
  if (!existsSync(shared)) return;
  for (const entry of readdirSync(shared, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith(prefix)) symlinkSync(join(shared, entry.name), join(home, entry.name));
  }
}
