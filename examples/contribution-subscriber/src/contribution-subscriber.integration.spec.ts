import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Kafka, Producer } from 'kafkajs';
import { ContributionState, createEvent, dlqTopicOf, DLQ_HEADERS, EventEnvelope, EVENTS, TOPICS } from '@focus/contracts';
import { cleanUp, createTopics, eventually, readTopic, testKafka, testNamespace } from '@focus/testing';
import { ContributionLedger } from './contribution-ledger';
import { SubscriberModule } from './subscriber.module';

// The subscriber as it runs, a Nest microservice on the real broker, fed what the
// contributions service publishes (@focus/contracts is only the publisher's side here):
// duplicates, a late older version and poison in the stream leave the ledger as one clean,
// in-order delivery would, and poison goes to the DLQ.
describe('contribution subscriber example', () => {
  const ns = testNamespace('contribution-subscriber');
  const topic = ns.topic(TOPICS.contributions);
  let kafka: Kafka;
  let producer: Producer;
  let app: INestMicroservice | undefined;

  beforeAll(async () => {
    kafka = testKafka(ns);
    await createTopics(kafka, [topic, dlqTopicOf(topic)], 1);
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await app?.close();
    await producer.disconnect();
    await cleanUp(ns, kafka);
  });

  const eu: ContributionState = {
    id: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3',
    donor: { name: 'European Union', type: 'eu' },
    date: '2019-07-08',
    operationCode: 'KAZ',
    status: 'pledged',
    amountCents: 125000005,
  };
  const kuwait: ContributionState = {
    id: '016bd1e3-4160-7f49-b0eb-98683e221414',
    donor: { name: 'Kuwait', type: 'government' },
    date: '2019-07-08',
    status: 'paid',
  };
  const subject = (state: ContributionState, version: number) => ({
    operationCode: state.operationCode ?? 'UNEARMARKED',
    entityId: state.id,
    version,
  });

  it('keeps the newest state of each contribution and dead-letters poison', async () => {
    const euRecorded = createEvent(EVENTS.contributionsContributionRecorded, { subject: subject(eu, 1), data: eu });
    const euPaid = createEvent(EVENTS.contributionsContributionUpdated, { subject: subject(eu, 2), data: { ...eu, status: 'paid' } });
    const kuwaitRecorded = createEvent(EVENTS.contributionsContributionRecorded, { subject: subject(kuwait, 1), data: kuwait });
    const kuwaitCancelled = createEvent(EVENTS.contributionsContributionCancelled, {
      subject: subject(kuwait, 2),
      data: { ...kuwait, status: 'cancelled' },
    });
    const values: Array<EventEnvelope | string> = [
      euRecorded,
      euPaid,
      euRecorded, // a duplicate of an older version, delivered late
      '{not json',
      kuwaitRecorded,
      { ...kuwaitCancelled, data: { ...kuwait, status: 'refunded' } } as EventEnvelope, // breaks the contract
      kuwaitCancelled,
      kuwaitCancelled,
    ];
    await producer.send({
      topic,
      messages: values.map((v) => ({
        key: typeof v === 'string' ? 'KAZ' : v.subject.operationCode,
        value: typeof v === 'string' ? v : JSON.stringify(v),
      })),
    });

    const outcomes: string[] = [];
    const deadLettered: string[] = [];
    app = await NestFactory.createMicroservice<MicroserviceOptions>(
      SubscriberModule.forTopic(topic, (outcome, detail) =>
        outcome === 'dead-lettered' ? deadLettered.push(detail) : outcomes.push(outcome),
      ),
      {
        transport: Transport.KAFKA,
        options: {
          postfixId: '',
          client: { clientId: ns.groupId('ledger'), brokers: (process.env['KAFKA_BROKERS'] ?? '').split(',') },
          consumer: { groupId: ns.groupId('ledger'), allowAutoTopicCreation: false },
          subscribe: { fromBeginning: true },
          parser: { keepBinary: true },
        },
        logger: ['error'],
      },
    );
    await app.listen();
    const ledger = app.get(ContributionLedger);

    await eventually(async () => (outcomes.length === 6 ? true : undefined), 30_000, 'six events handled');
    expect(outcomes).toEqual(['applied', 'applied', 'skipped', 'applied', 'applied', 'skipped']);
    expect(ledger.get(eu.id)).toEqual({ version: 2, contribution: { ...eu, status: 'paid' } });
    expect(ledger.get(kuwait.id)).toEqual({ version: 2, contribution: { ...kuwait, status: 'cancelled' } });
    expect(ledger.totals()).toEqual([{ operationCode: 'KAZ', pledgedCents: 0, paidCents: 125000005, undisclosed: 0 }]);

    expect(deadLettered).toEqual(['invalid-json', 'invalid-payload']);
    const dead = await readTopic(kafka, dlqTopicOf(topic), (messages) => messages.length >= 2);
    expect(dead.map((m) => m.headers[DLQ_HEADERS.reason])).toEqual(['invalid-json', 'invalid-payload']);
  });
});
