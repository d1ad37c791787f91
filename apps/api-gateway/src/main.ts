import { listen, runService } from '@focus/service-kit';
import { createGatewayApp } from './app.module';
import { gatewayConfig } from './config';

runService('api-gateway', gatewayConfig, async (config) => {
  const app = await createGatewayApp(config);
  return { app, url: await listen(app, config) };
});
