import { BeforeApplicationShutdown, ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import {
  committedOffsets,
  endOffsets,
  MessagingMetrics,
  messagesBehind,
  PartitionOffsets,
  sleep,
  totalOffsets,
  withWriteLock,
} from '@focus/messaging';
import { KAFKA, PRODUCER } from '@focus/service-kit';
import { OperationViewConfig } from '../config';
import { RevisionStore } from '../history/revision-store';
import { createProjectionConsumer } from '../projection/projection-entry';
import { GENERATION_LOCK } from '../projection/projection.store';
import { sourceTopics } from '../projection/source-topics';
import { ViewAnnouncer } from '../projection/view-announcer';
import { ViewGenerations } from '../projection/view-generations';
import { ViewVersion, ViewWriter } from '../projection/view-writer';

export type RebuildPhase = 'replaying' | 'swapping' | 'tailing' | 'done' | 'failed';

export interface RebuildStatus {
  phase: RebuildPhase;
  collection: string;
  startedAt: string;
  finishedAt?: string;
  /** Events read from the topics so far, and how many there were when the rebuild began. */
  eventsRead: number;
  eventsAtStart: number;
  operations?: number;
  error?: string;
}

/** After the swap, how long instances still on the old generation may go on writing it. */
const TAIL_GRACE_MS = 2 * 1_000;
const POLL_MS = 200;
const ANNOUNCE_ATTEMPTS = 5;

/**
 * Rebuilds the read model from the topics: a fresh consumer group replays every topic from
 * offset 0 into a fresh collection while the live one keeps serving; once it has caught up,
 * the pointer swaps to it. It then keeps consuming a little longer, so an event the live
 * consumers wrote into the old generation around the swap is in the new one too (applying it
 * twice is harmless: versions).
 */
@Injectable()
export class RebuildService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Rebuild');
  private status?: RebuildStatus;
  private running?: Promise<void>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: Producer,
    private readonly config: OperationViewConfig,
    private readonly metrics: MessagingMetrics,
    private readonly generations: ViewGenerations,
    private readonly announcer: ViewAnnouncer,
    private readonly revisions: RevisionStore,
  ) {}

  current(): RebuildStatus | undefined {
    return this.status;
  }

  /** Starts a rebuild in the background; one at a time. */
  async start(): Promise<RebuildStatus> {
    if (this.running) throw new ConflictException('A rebuild is already running.');
    const target = this.generations.create();
    const topics = sourceTopics(this.config.KAFKA_TOPIC_PREFIX);
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await endOffsets(admin, topics);
    const status: RebuildStatus = {
      phase: 'replaying',
      collection: target.collectionName,
      startedAt: new Date().toISOString(),
      eventsRead: 0,
      eventsAtStart: totalOffsets(ends),
    };
    this.status = status;
    // Nobody reads the new collection while it catches up, so nobody is told until the swap.
    const writer = this.generations.writerFor(target);
    const groupId = `${this.config.KAFKA_TOPIC_PREFIX}${this.config.CONSUMER_GROUP}-rebuild-${Date.now()}`;
    const consumer = createProjectionConsumer({
      kafka: this.kafka,
      producer: this.producer,
      metrics: this.metrics,
      groupId,
      topicPrefix: this.config.KAFKA_TOPIC_PREFIX,
      logger: this.logger,
      apply: (events) => this.write(writer, events),
    });

    const progress = async () => (status.eventsRead = totalOffsets(await committedOffsets(admin, groupId, topics)));
    const caughtUpWith = async (targets: PartitionOffsets) => {
      for (;;) {
        const committed = await committedOffsets(admin, groupId, topics);
        status.eventsRead = totalOffsets(committed);
        if (messagesBehind(committed, targets) === 0) return;
        await sleep(POLL_MS);
      }
    };

    this.running = (async () => {
      try {
        await consumer.start();
        await caughtUpWith(ends);
        status.phase = 'swapping';
        await withWriteLock(GENERATION_LOCK, async () => {
          const replaced = (await this.generations.current()).collectionName;
          await this.generations.swapTo(target);
          status.phase = 'tailing';
          this.logger.log(`swapped ${replaced} → ${target.collectionName}`);
          // Caches drop what they hold; the live consumers announce their batches from now on.
          const versions = await writer.storedVersions();
          status.operations = versions.size;
          await this.announceSwapped(versions);
          await this.generations.dropAllBut([target.collectionName, replaced]);
        });
        await sleep(TAIL_GRACE_MS);
        await caughtUpWith(await endOffsets(admin, topics));
        await progress();
      } catch (error) {
        status.error = (error as Error).message;
        this.logger.error(`rebuild into ${target.collectionName} failed: ${status.error}`);
      }
      // 'done' only once the replay's consumer group is gone.
      await consumer.stop().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      status.finishedAt = new Date().toISOString();
      status.phase = status.error ? 'failed' : 'done';
      this.running = undefined;
    })();
    return status;
  }

  /** A rebuild in progress finishes first; stopping halfway would only waste it. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.running;
  }

  /**
   * The new generation is live whatever happens here, so a broker that is away does not fail
   * the rebuild: the announcement is retried a while, then given up with an error in the log
   * (gateways then serve their copies until VIEW_CACHE_TTL_MS, or the views' next change).
   */
  private async announceSwapped(versions: ReadonlyMap<string, ViewVersion>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.announcer.announce(versions);
      } catch (error) {
        if (attempt === ANNOUNCE_ATTEMPTS) {
          this.logger.error(`the rebuilt views are live but were not announced: ${(error as Error).message}`);
          return;
        }
        await sleep(attempt * 1_000);
      }
    }
  }

  /** As the live projection writes (ProjectionStore.applyBatch): revisions restored first. */
  private async write(writer: ViewWriter, events: Parameters<ViewWriter['applyBatch']>[0]) {
    const toApply = [...events, ...(await this.revisions.record(events))];
    return (await writer.applyBatch(toApply)).outcomes.slice(0, events.length);
  }
}
