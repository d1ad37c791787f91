import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The messaging counters every app exposes at /metrics. One instance per registry: the
 * outbox relay and the consumer of an app share it.
 */
export class MessagingMetrics {
  readonly published: Counter<'topic'>;
  readonly consumed: Counter<'topic' | 'group'>;
  readonly skipped: Counter<'topic' | 'group' | 'reason'>;
  readonly deadLettered: Counter<'topic' | 'group' | 'reason'>;
  readonly lag: Gauge<'topic' | 'partition' | 'group'>;
  readonly outboxBacklog: Gauge<'collection'>;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.published = new Counter({
      name: 'focus_events_published_total',
      help: 'Events published by the outbox relay',
      labelNames: ['topic'],
      registers,
    });
    this.consumed = new Counter({
      name: 'focus_events_consumed_total',
      help: 'Events handled with an effect',
      labelNames: ['topic', 'group'],
      registers,
    });
    this.skipped = new Counter({
      name: 'focus_events_skipped_total',
      help: 'Events handled without effect (stale, duplicate, not ours)',
      labelNames: ['topic', 'group', 'reason'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'focus_events_dead_lettered_total',
      help: 'Messages sent to a dead-letter topic',
      labelNames: ['topic', 'group', 'reason'],
      registers,
    });
    this.lag = new Gauge({
      name: 'focus_consumer_lag',
      help: 'Messages behind the high watermark at the last batch',
      labelNames: ['topic', 'partition', 'group'],
      registers,
    });
    this.outboxBacklog = new Gauge({
      name: 'focus_outbox_backlog',
      help: 'Documents with events not yet published, as the relay last saw them (at most one round of its batch size)',
      labelNames: ['collection'],
      registers,
    });
  }

  /** Sum of a counter over its labels: handy for health reports and tests. */
  static async total(metric: Counter<string>): Promise<number> {
    const { values } = await metric.get();
    return values.reduce((sum, v) => sum + v.value, 0);
  }
}
