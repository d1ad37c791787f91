import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { ContributionLedger } from './contribution-ledger';
import { SubscriberModule } from './subscriber.module';

/**
 * `KAFKA_BROKERS=127.0.0.1:9092 npx nx run contribution-subscriber:serve`: follows
 * contributions.events from the beginning and prints each change and the running totals.
 */
async function main(): Promise<void> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const topic = `${process.env['KAFKA_TOPIC_PREFIX'] ?? ''}contributions.events`;
  const groupId = process.env['GROUP_ID'] ?? 'example.contribution-subscriber';
  // The ledger is the module's; the listener reads it once the app has made it.
  const held: { ledger?: ContributionLedger } = {};
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    SubscriberModule.forTopic(topic, (outcome, detail) => {
      process.stdout.write(`${outcome} ${detail}\n`);
      if (outcome === 'applied' && held.ledger) process.stdout.write(`  totals: ${JSON.stringify(held.ledger.totals())}\n`);
    }),
    {
      transport: Transport.KAFKA,
      options: {
        postfixId: '',
        client: { clientId: groupId, brokers },
        consumer: { groupId, allowAutoTopicCreation: false },
        subscribe: { fromBeginning: true },
        // The value as bytes: the contract's schemas judge it (contract.ts), not a parser's guess.
        parser: { keepBinary: true },
      },
    },
  );
  held.ledger = app.get(ContributionLedger);
  app.enableShutdownHooks();
  await app.listen();
}

main().catch((error: unknown) => {
  process.stderr.write(`contribution-subscriber: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
