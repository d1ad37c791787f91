import { IsString, Matches } from 'class-validator';
import { loadConfig, ServiceConfig } from '@focus/service-kit';

export class OperationViewConfig extends ServiceConfig {
  /** The consumer group: instances sharing it split the partitions between them. */
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/)
  CONSUMER_GROUP = 'operation-view';
}

export function operationViewConfig(env: NodeJS.ProcessEnv = process.env): OperationViewConfig {
  return loadConfig(OperationViewConfig, { PORT: 3105, MONGO_DB: 'focus_operation_view', SERVICE_NAME: 'operation-view' }, env);
}
