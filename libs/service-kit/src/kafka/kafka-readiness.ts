import type { Admin, Kafka } from 'kafkajs';
import { describeError } from '@focus/messaging';
import { CheckResult } from '../health/readiness';

/**
 * Readiness's question to the broker: does the cluster answer a metadata request? One
 * long-lived admin client asks; while a question is in flight, later checks share it, so a
 * broker that hangs never piles up requests (the registry's deadline answers "not ready").
 */
export class KafkaReadiness {
  private admin?: Admin;
  private inFlight?: Promise<CheckResult>;

  constructor(private readonly kafka: Kafka) {}

  check(): Promise<CheckResult> {
    this.inFlight ??= this.ask().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  private async ask(): Promise<CheckResult> {
    try {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect();
      const { brokers, controller } = await this.admin.describeCluster();
      return { ok: brokers.length > 0, detail: { brokers: brokers.length, controller } };
    } catch (error) {
      // A fresh client next time: kafkajs' admin may not recover from a broker that restarted.
      await this.close();
      return { ok: false, detail: describeError(error) };
    }
  }
}
