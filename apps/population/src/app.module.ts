import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@focus/contracts';
import { createServiceApp, KafkaModule, OutboxModule, ServiceCoreModule } from '@focus/service-kit';
import { PopulationConfig } from './config';
import { FIGURES, figureSchema, TOTALS, totalSchema } from './figures/figure.models';
import { FiguresController } from './figures/figures.controller';
import { FiguresService } from './figures/figures.service';
import { ImportJobs } from './imports/import-jobs';
import { PopulationImportController } from './imports/population-import.controller';
import { PopulationImportService } from './imports/population-import.service';

@Module({})
export class PopulationModule {
  static forRoot(config: PopulationConfig): DynamicModule {
    return {
      module: PopulationModule,
      imports: [
        ServiceCoreModule.forRoot(config, 'population'),
        MongooseModule.forFeature([
          { name: FIGURES, schema: figureSchema },
          { name: TOTALS, schema: totalSchema },
        ]),
        KafkaModule.forRoot({ topics: [TOPICS.population] }),
        OutboxModule.forRoot({ collections: [FIGURES, TOTALS] }),
      ],
      controllers: [FiguresController, PopulationImportController],
      providers: [FiguresService, PopulationImportService, ImportJobs],
    };
  }
}

/** The population service, ready to listen; main.ts and the tests build it the same way. */
export async function createPopulationApp(config: PopulationConfig): Promise<NestFastifyApplication> {
  const app = await createServiceApp(PopulationModule.forRoot(config), config);
  // An import is streamed to the importer as it arrives, never buffered whole.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  return app;
}
