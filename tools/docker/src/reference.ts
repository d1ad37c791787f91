import { cleanUpStack, exportToEnvironment, resolveInfrastructure, startStack, testKafka, testNamespace } from '@focus/testing';
import { Log } from '../../infra/src/errors';
import { loadSeed } from '../../seed/load';
import { readSeed } from '../../seed/seed-requests';
import { EDITOR_KEY } from '../../start/banner';
import { settledView, View } from './views';

/**
 * The seed operation's view as `npm start` serves it: the same apps as processes from the
 * build, on Kafka and a MongoDB-wire server (libs/testing's: the environment's, or tools/infra),
 * in a namespace of their own. Run before the containers, which take the same host ports.
 */
export async function referenceView(log: Log): Promise<{ view: View; writes: number }> {
  const infra = await resolveInfrastructure(log);
  const ns = testNamespace('docker-reference');
  try {
    exportToEnvironment(infra);
    log('reference: building (when the build is stale) and starting the six apps as processes…');
    const stack = await startStack({ namespace: ns, env: { NODE_ENV: 'development' } });
    try {
      const seed = readSeed();
      const summary = await loadSeed(seed, { apiUrl: `${stack.gatewayUrl}/api/v1`, apiKey: EDITOR_KEY });
      log(`reference: the seed loaded (${summary.requests} writes); waiting for its view`);
      const view = await settledView(stack.gatewayUrl, seed.code, 2018, summary.requests);
      return { view, writes: summary.requests };
    } finally {
      await stack.stop();
      await cleanUpStack(ns, infra.mongoUrl, testKafka(ns));
    }
  } finally {
    await infra.stop();
  }
}
