import { Controller, Injectable, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { INestMicroservice } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { DLQ_HEADERS, EventEnvelope, PopulationFigureState } from '@focus/contracts';
import { cleanUp, createTopics, eventually, readTopic, testKafka, testNamespace } from '@focus/testing';
import { PermanentError } from '../errors';
import { figureEvent } from '../testing/fixtures';
import { KafkaEventContext, KafkaEventTransport, RethrowEventErrors } from './kafka-event-transport';

@Injectable()
class Received {
  readonly events: Array<{ value: number; offset: string }> = [];
}

@Controller()
class FiguresListener {
  constructor(private readonly received: Received) {}

  @EventPattern('population.figure.upserted')
  onFigure(@Payload() event: EventEnvelope<PopulationFigureState>, @Ctx() context: KafkaEventContext) {
    if (event.data!.value === 666) throw new PermanentError('the number of the beast is not a population');
    this.received.events.push({ value: event.data!.value, offset: context.message.offset });
  }
}

@Module({ controllers: [FiguresListener], providers: [Received] })
class ListenerModule {}

// The NestJS face of the consumer: ordinary @EventPattern handlers, errors that keep their
// type through Nest's exception layer so poison still reaches the DLQ.
describe('KafkaEventTransport', () => {
  const ns = testNamespace('transport');
  const topic = ns.topic('population.events');
  let kafka: Kafka;
  let producer: Producer;
  let app: INestMicroservice;
  let transport: KafkaEventTransport;

  beforeAll(async () => {
    kafka = testKafka(ns);
    producer = kafka.producer();
    await producer.connect();
    await createTopics(kafka, [topic, `${topic}.dlq`], 1);
    transport = new KafkaEventTransport({ kafka, groupId: ns.groupId('listener'), topics: [topic], producer });
    const moduleRef = await Test.createTestingModule({ imports: [ListenerModule] }).compile();
    app = moduleRef.createNestMicroservice({ strategy: transport, logger: false });
    app.useGlobalFilters(new RethrowEventErrors());
    await app.listen();
  });

  afterAll(async () => {
    await app.close();
    await producer.disconnect();
    await cleanUp(ns, kafka);
  });

  it('delivers validated events to @EventPattern handlers and dead-letters what they refuse', async () => {
    await producer.send({
      topic,
      messages: [figureEvent('KAZ', 2018, 588, 1), figureEvent('KAZ', 2017, 666, 1), figureEvent('KAZ', 2016, 195, 1)].map((e) => ({
        key: 'KAZ',
        value: JSON.stringify(e),
      })),
    });
    const received = app.get(Received);
    await eventually(async () => (received.events.length === 2 ? true : undefined));
    expect(received.events).toEqual([
      { value: 588, offset: '0' },
      { value: 195, offset: '2' },
    ]);
    const [letter] = await readTopic(kafka, `${topic}.dlq`, (m) => m.length >= 1);
    expect(letter.headers[DLQ_HEADERS.reason]).toBe('permanent-error');
    expect(letter.headers[DLQ_HEADERS.error]).toMatch(/beast/);
    expect(transport.health()).toMatchObject({ state: 'running', healthy: true });
  });
});
