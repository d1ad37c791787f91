import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@focus/contracts';
import { createServiceApp, KafkaModule, OutboxModule, ServiceCoreModule } from '@focus/service-kit';
import { BudgetConfig } from './config';
import { BudgetLinesController } from './lines/budget-lines.controller';
import { BUDGET_LINES, budgetLineSchema, BudgetLinesService } from './lines/budget-lines.service';

@Module({})
export class BudgetModule {
  static forRoot(config: BudgetConfig): DynamicModule {
    return {
      module: BudgetModule,
      imports: [
        ServiceCoreModule.forRoot(config, 'budget'),
        MongooseModule.forFeature([{ name: BUDGET_LINES, schema: budgetLineSchema }]),
        KafkaModule.forRoot({ topics: [TOPICS.budget] }),
        OutboxModule.forRoot({ collections: [BUDGET_LINES] }),
      ],
      controllers: [BudgetLinesController],
      providers: [BudgetLinesService],
    };
  }
}

export function createBudgetApp(config: BudgetConfig): Promise<NestFastifyApplication> {
  return createServiceApp(BudgetModule.forRoot(config), config);
}
