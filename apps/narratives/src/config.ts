import { loadConfig, ServiceConfig } from '@focus/service-kit';

export class NarrativesConfig extends ServiceConfig {}

export function narrativesConfig(env: NodeJS.ProcessEnv = process.env): NarrativesConfig {
  return loadConfig(NarrativesConfig, { PORT: 3103, MONGO_DB: 'focus_narratives', SERVICE_NAME: 'narratives' }, env);
}
