import { loadConfig, ServiceConfig } from '@focus/service-kit';

export class BudgetConfig extends ServiceConfig {}

export function budgetConfig(env: NodeJS.ProcessEnv = process.env): BudgetConfig {
  return loadConfig(BudgetConfig, { PORT: 3102, MONGO_DB: 'focus_budget', SERVICE_NAME: 'budget' }, env);
}
