import { IsInt, Max, Min } from 'class-validator';
import { loadConfig, ServiceConfig } from '@focus/service-kit';

export class PopulationConfig extends ServiceConfig {
  /** The largest CSV `POST /imports/population` accepts (the full UNHCR file is ~9 MB). */
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  IMPORT_MAX_BYTES = 64 * 1024 * 1024;

  /**
   * How often an import answered 202 records that its process is still at it; four beats
   * missed and it is reported interrupted.
   */
  @IsInt()
  @Min(100)
  @Max(600_000)
  IMPORT_HEARTBEAT_MS = 15_000;
}

export function populationConfig(env: NodeJS.ProcessEnv = process.env): PopulationConfig {
  return loadConfig(PopulationConfig, { PORT: 3101, MONGO_DB: 'focus_population', SERVICE_NAME: 'population' }, env);
}
