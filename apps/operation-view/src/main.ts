import { listen, runService } from '@focus/service-kit';
import { createOperationViewApp, startOperationView } from './app.module';
import { operationViewConfig } from './config';

runService('operation-view', operationViewConfig, async (config) => {
  const app = await createOperationViewApp(config);
  await startOperationView(app);
  return { app, url: await listen(app, config) };
});
