import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@focus/contracts';
import { createServiceApp, KafkaModule, OutboxModule, ServiceCoreModule } from '@focus/service-kit';
import { ContributionsConfig } from './config';
import { CONTRIBUTIONS, contributionSchema, IDEMPOTENCY_KEYS, idempotencyKeySchema } from './contributions/contribution.models';
import { ContributionsController } from './contributions/contributions.controller';
import { ContributionsService } from './contributions/contributions.service';

@Module({})
export class ContributionsModule {
  static forRoot(config: ContributionsConfig): DynamicModule {
    return {
      module: ContributionsModule,
      imports: [
        ServiceCoreModule.forRoot(config, 'contributions'),
        MongooseModule.forFeature([
          { name: CONTRIBUTIONS, schema: contributionSchema },
          { name: IDEMPOTENCY_KEYS, schema: idempotencyKeySchema },
        ]),
        // Only contributions carry an outbox; idempotency keys publish nothing.
        KafkaModule.forRoot({ topics: [TOPICS.contributions] }),
        OutboxModule.forRoot({ collections: [CONTRIBUTIONS] }),
      ],
      controllers: [ContributionsController],
      providers: [ContributionsService],
    };
  }
}

/** The contributions service, ready to listen; main.ts and the tests build it the same way. */
export function createContributionsApp(config: ContributionsConfig): Promise<NestFastifyApplication> {
  return createServiceApp(ContributionsModule.forRoot(config), config);
}
