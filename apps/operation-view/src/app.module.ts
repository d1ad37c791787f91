import { DynamicModule, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@focus/contracts';
import { createServiceApp, KafkaModule, ServiceCoreModule } from '@focus/service-kit';
import { OperationViewConfig } from './config';
import { HistoryController } from './history/history.controller';
import { RevisionStore } from './history/revision-store';
import { ProjectionConsumer } from './projection/projection.consumer';
import { ProjectionStore } from './projection/projection.store';
import { SOURCE_TOPICS } from './projection/source-topics';
import { ViewAnnouncer } from './projection/view-announcer';
import { ViewGenerations } from './projection/view-generations';
import { RebuildController } from './rebuild/rebuild.controller';
import { RebuildService } from './rebuild/rebuild.service';
import { ViewsController } from './view/views.controller';
import { DataController } from './data/data.controller';

@Module({})
export class OperationViewModule {
  static forRoot(config: OperationViewConfig): DynamicModule {
    return {
      module: OperationViewModule,
      imports: [
        ServiceCoreModule.forRoot(config, 'operation-view'),
        // No outbox (ViewAnnouncer says why): Kafka, the producer and the topics. The view's
        // own topic, and the domain topics too (ensureTopics is idempotent), so the
        // aggregator can start before their owners.
        KafkaModule.forRoot({ topics: [TOPICS.operationView, ...SOURCE_TOPICS] }),
      ],
      controllers: [ViewsController, RebuildController, DataController, HistoryController],
      providers: [
        { provide: OperationViewConfig, useValue: config },
        ViewGenerations,
        RevisionStore,
        ViewAnnouncer,
        ProjectionStore,
        ProjectionConsumer,
        RebuildService,
      ],
    };
  }
}

/** The aggregator: HTTP for reads, and a consumer projecting the four domain topics. */
export function createOperationViewApp(config: OperationViewConfig): Promise<NestFastifyApplication> {
  return createServiceApp(OperationViewModule.forRoot(config), config);
}

/** Starts HTTP and the consumer; the consumer needs the topics KafkaModule creates. */
export async function startOperationView(app: NestFastifyApplication): Promise<void> {
  await app.init();
  await app.get(ProjectionConsumer).start();
}
