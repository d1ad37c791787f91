import { listen, runService } from '@focus/service-kit';
import { createContributionsApp } from './app.module';
import { contributionsConfig } from './config';

runService('contributions', contributionsConfig, async (config) => {
  const app = await createContributionsApp(config);
  return { app, url: await listen(app, config) };
});
