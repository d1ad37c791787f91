import { Inject, Injectable } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { createEvent, EventEnvelope, EVENTS, entityIds } from '@focus/contracts';
import { EntryPublisher, MessagingMetrics, toOutboxEntry } from '@focus/messaging';
import { PRODUCER } from '@focus/service-kit';
import { OperationViewConfig } from '../config';
import { ViewVersion } from './view-writer';

/** Announcements per produce request: a rebuilt collection announces every view at once. */
const PER_REQUEST = 1_000;

/** `operation-view.updated` for a view at a version: what caches listen for. */
export function viewUpdatedEvent(code: string, version: number, correlationId?: string): EventEnvelope {
  return createEvent(EVENTS.operationViewUpdated, {
    subject: { operationCode: code, entityId: entityIds.operationView(code), version },
    data: { operationCode: code, version },
    correlationId,
  });
}

/**
 * Tells caches which views changed. The aggregator has no outbox: it announces after writing
 * a batch and before its consumer commits the batch's offsets, so a crash in between
 * redelivers the batch, which announces again. That is why every view a batch touches is
 * announced, changed or not: on redelivery the views are already written, and unchanged.
 * Announcements are idempotent (a cache drops what is older), so duplicates cost nothing.
 * Views are large, and an outbox inside them made FerretDB rewrite each one twice per batch.
 */
@Injectable()
export class ViewAnnouncer {
  private readonly publisher: EntryPublisher;

  constructor(@Inject(PRODUCER) producer: Producer, config: OperationViewConfig, metrics: MessagingMetrics) {
    this.publisher = new EntryPublisher({ producer, topicPrefix: config.KAFKA_TOPIC_PREFIX, metrics });
  }

  async announce(versions: ReadonlyMap<string, ViewVersion>): Promise<void> {
    const entries = [...versions].map(([code, { version, correlationId }]) =>
      toOutboxEntry(viewUpdatedEvent(code, version, correlationId)),
    );
    for (let start = 0; start < entries.length; start += PER_REQUEST)
      await this.publisher.publish(entries.slice(start, start + PER_REQUEST));
  }
}
