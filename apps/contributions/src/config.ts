import { loadConfig, ServiceConfig } from '@focus/service-kit';

export class ContributionsConfig extends ServiceConfig {}

export function contributionsConfig(env: NodeJS.ProcessEnv = process.env): ContributionsConfig {
  return loadConfig(ContributionsConfig, { PORT: 3104, MONGO_DB: 'focus_contributions', SERVICE_NAME: 'contributions' }, env);
}
