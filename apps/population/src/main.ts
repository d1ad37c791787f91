import { listen, runService } from '@focus/service-kit';
import { createPopulationApp } from './app.module';
import { populationConfig } from './config';

runService('population', populationConfig, async (config) => {
  const app = await createPopulationApp(config);
  return { app, url: await listen(app, config) };
});
