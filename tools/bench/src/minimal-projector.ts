import type { Consumer, Kafka } from 'kafkajs';
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { EventEnvelope } from '@focus/contracts';
import { bulkWriteInChunks } from '@focus/messaging';

/**
 * The projection baseline: the least a consumer can do and still land the same entity states
 * in one document per operation. kafkajs eachBatch, JSON.parse, one upsert per operation per
 * batch setting each entity's state, committed after the write. No validation, no version
 * check, no read of the view, no announcement, no dead letters: everything the real
 * aggregator does on top is what the ratio prices.
 */
export class MinimalProjector {
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly collection: Collection<Document>,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    // Started means in the group, as the live aggregator is when the corpus arrives.
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const byOperation = new Map<string, Record<string, unknown>>();
        for (const message of batch.messages) {
          if (!message.value) continue;
          const event = JSON.parse(message.value.toString()) as EventEnvelope;
          const code = event.subject.operationCode;
          const set = byOperation.get(code) ?? {};
          // "population.figure.upserted" → the "figure" bucket; ids hold ':' only, never '.'.
          set[`${event.type.split('.')[1]}.${event.subject.entityId}`] = { v: event.subject.version, s: event.data };
          byOperation.set(code, set);
        }
        const writes: AnyBulkWriteOperation<Document>[] = [...byOperation].map(([code, set]) => ({
          updateOne: { filter: { _id: code as unknown as Document['_id'] }, update: { $set: set }, upsert: true },
        }));
        if (writes.length > 0) await bulkWriteInChunks(this.collection, writes, { ordered: false });
        const last = batch.messages[batch.messages.length - 1];
        if (last)
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
