import { IsInt, Max, Min } from 'class-validator';
import { loadConfig, ServiceConfig } from '@focus/service-kit';

export class PopulationConfig extends ServiceConfig {
  /** The largest CSV `POST /imports/population` accepts (the full UNHCR file is ~9 MB). */
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  IMPORT_MAX_BYTES = 64 * 1024 * 1024;
}

export function populationConfig(env: NodeJS.ProcessEnv = process.env): PopulationConfig {
  return loadConfig(PopulationConfig, { PORT: 3101, MONGO_DB: 'focus_population', SERVICE_NAME: 'population' }, env);
}
