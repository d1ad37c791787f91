import { listen, runService } from '@focus/service-kit';
import { createBudgetApp } from './app.module';
import { budgetConfig } from './config';

runService('budget', budgetConfig, async (config) => {
  const app = await createBudgetApp(config);
  return { app, url: await listen(app, config) };
});
