import { TOPICS } from '@focus/contracts';
import { createIdempotentProducer, createKafka, EventConsumer } from '@focus/messaging';
import { ContributionLedger } from './contribution-ledger';

/**
 * `KAFKA_BROKERS=127.0.0.1:9092 npx nx run contribution-subscriber:serve`: follows
 * contributions.events from the beginning and prints each change and the running totals.
 */
async function main(): Promise<void> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
  const groupId = process.env['GROUP_ID'] ?? 'example.contribution-subscriber';
  const kafka = createKafka({ clientId: groupId, brokers });
  // Poison messages go to contributions.events.dlq; the producer is only used for that.
  const producer = createIdempotentProducer(kafka);
  await producer.connect();

  const ledger = new ContributionLedger();
  const printing = {
    handle: async (...args: Parameters<ContributionLedger['handle']>) => {
      const outcome = await ledger.handle(...args);
      const [event] = args;
      process.stdout.write(`${outcome} ${event.type} ${event.subject.entityId} v${event.subject.version}\n`);
      if (outcome === 'applied') process.stdout.write(`  totals: ${JSON.stringify(ledger.totals())}\n`);
      return outcome;
    },
  };
  const consumer = new EventConsumer({
    kafka,
    groupId,
    topics: [`${prefix}${TOPICS.contributions}`],
    handler: printing,
    producer,
    log: (level, message) => process.stderr.write(`${level}: ${message}\n`),
  });
  await consumer.start();

  const stop = async () => {
    await consumer.stop();
    await producer.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`contribution-subscriber: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
