import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@focus/contracts';
import { createServiceApp, KafkaModule, OutboxModule, ServiceCoreModule } from '@focus/service-kit';
import { NarrativesConfig } from './config';
import { KEY_FIGURE_SETS, keyFigureSetSchema, PROFILES, profileSchema, SECTIONS, sectionSchema } from './narratives/narrative.models';
import { NarrativesController } from './narratives/narratives.controller';
import { NarrativesService } from './narratives/narratives.service';

const COLLECTIONS = [PROFILES, KEY_FIGURE_SETS, SECTIONS];

@Module({})
export class NarrativesModule {
  static forRoot(config: NarrativesConfig): DynamicModule {
    return {
      module: NarrativesModule,
      imports: [
        ServiceCoreModule.forRoot(config, 'narratives'),
        MongooseModule.forFeature([
          { name: PROFILES, schema: profileSchema },
          { name: KEY_FIGURE_SETS, schema: keyFigureSetSchema },
          { name: SECTIONS, schema: sectionSchema },
        ]),
        KafkaModule.forRoot({ topics: [TOPICS.narratives] }),
        OutboxModule.forRoot({ collections: COLLECTIONS }),
      ],
      controllers: [NarrativesController],
      providers: [NarrativesService],
    };
  }
}

/** The narratives service, ready to listen; main.ts and the tests build it the same way. */
export function createNarrativesApp(config: NarrativesConfig): Promise<NestFastifyApplication> {
  return createServiceApp(NarrativesModule.forRoot(config), config);
}
