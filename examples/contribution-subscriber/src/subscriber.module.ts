import { Controller, DynamicModule, Inject, Logger, Module } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ContributionContract } from './contract';
import { ContributionLedger, Outcome } from './contribution-ledger';

/** Told of each message as it is handled: what the ledger did, or why it was dead-lettered. */
export type OutcomeListener = (outcome: Outcome | 'dead-lettered', detail: string) => void;
export const OUTCOME_LISTENER = Symbol('OUTCOME_LISTENER');

/** Where a message this subscriber refuses goes: the publisher's convention, `<topic>.dlq`. */
export const deadLetterTopicOf = (topic: string) => `${topic}.dlq`;

/**
 * A NestJS microservice on @nestjs/microservices' own Kafka transport (Transport.KAFKA), as a
 * team outside this repository writes one: `topic` is contributions.events (with your
 * environment's prefix, if any), its handler an @EventPattern of it.
 */
@Module({})
export class SubscriberModule {
  static forTopic(topic: string, onOutcome: OutcomeListener = () => undefined): DynamicModule {
    @Controller()
    class ContributionsSubscriber {
      private readonly logger = new Logger('ContributionsSubscriber');

      // Injected by name, not by design-time types: `serve` runs through tsx, which emits none.
      constructor(
        @Inject(ContributionContract) private readonly contract: ContributionContract,
        @Inject(ContributionLedger) private readonly ledger: ContributionLedger,
      ) {}

      /**
       * Handled one at a time, in the order of each partition. A message that breaks the contract
       * is set aside on the dead-letter topic with the reason, so that it neither stops the
       * partition nor goes unnoticed; the transport commits past it.
       */
      @EventPattern(topic)
      async handle(@Payload() value: Buffer | null, @Ctx() context: KafkaContext): Promise<void> {
        const reading = this.contract.read(value);
        if (reading.kind === 'other') return onOutcome('skipped', `${reading.type} v${String(reading.schemaVersion)}`);
        if (reading.kind === 'refused') {
          const message = context.getMessage();
          await context.getProducer().send({
            topic: deadLetterTopicOf(topic),
            messages: [
              {
                key: message.key,
                value: message.value,
                headers: {
                  ...message.headers,
                  'dlq-reason': reading.reason,
                  'dlq-error': reading.error.slice(0, 1_000),
                  'dlq-original-topic': context.getTopic(),
                  'dlq-original-partition': String(context.getPartition()),
                  'dlq-original-offset': message.offset,
                },
              },
            ],
          });
          this.logger.warn(`offset ${message.offset} dead-lettered: ${reading.reason}: ${reading.error}`);
          return onOutcome('dead-lettered', reading.reason);
        }
        const { event } = reading;
        onOutcome(this.ledger.apply(event), `${event.type} ${event.subject.entityId} v${event.subject.version}`);
      }
    }

    return {
      module: SubscriberModule,
      controllers: [ContributionsSubscriber],
      providers: [{ provide: ContributionContract, useFactory: () => new ContributionContract() }, ContributionLedger],
      exports: [ContributionLedger],
    };
  }
}
