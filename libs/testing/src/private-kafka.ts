import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInfra } from './local-infra';

/**
 * A Kafka broker of a test's own, for tests that stop and restart the broker: stopping the
 * shared one would break every suite running beside it. Started by tools/infra on free
 * ports in a throwaway home (its jars resolve from the local Maven repository).
 */
export class PrivateKafka {
  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly home: string,
    readonly brokers: string[],
  ) {}

  static async start(log: (line: string) => void = () => undefined): Promise<PrivateKafka> {
    const home = mkdtempSync(join(tmpdir(), 'focus-private-kafka-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const env = { FOCUS_INFRA_HOME: home, FOCUS_KAFKA_PORT: String(port), FOCUS_KAFKA_CONTROLLER_PORT: String(controllerPort) };
    const kafka = new PrivateKafka(env, home, [`127.0.0.1:${port}`]);
    await kafka.resume(log);
    return kafka;
  }

  /** Stops the broker (SIGTERM, as an operator would); its data stays for `resume`. */
  async pause(log: (line: string) => void = () => undefined): Promise<void> {
    await runInfra(['down', 'kafka'], log, this.env);
  }

  async resume(log: (line: string) => void = () => undefined): Promise<void> {
    await runInfra(['up', 'kafka'], log, this.env);
  }

  async destroy(): Promise<void> {
    await runInfra(['down', 'kafka', '--wipe'], () => undefined, this.env).catch(() => undefined);
    rmSync(this.home, { recursive: true, force: true });
  }
}
