import { listen, runService } from '@focus/service-kit';
import { createNarrativesApp } from './app.module';
import { narrativesConfig } from './config';

runService('narratives', narrativesConfig, async (config) => {
  const app = await createNarrativesApp(config);
  return { app, url: await listen(app, config) };
});
