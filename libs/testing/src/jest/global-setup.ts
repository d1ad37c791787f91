import { exportToEnvironment, resolveInfrastructure } from '../infrastructure';

/**
 * Runs once per jest project before any worker starts; workers inherit process.env, so
 * every suite finds KAFKA_BROKERS and MONGO_URL. Under `npm test` they are already set and
 * this only probes them; a project run on its own starts what it needs and leaves it
 * running for the next run (`npm run infra -- down` stops it).
 */
export default async function globalSetup(): Promise<void> {
  const infra = await resolveInfrastructure((line) => process.stdout.write(`${line}\n`));
  exportToEnvironment(infra);
  // Every producer in this repo states its partitioner; kafkajs's v2 migration notice is noise.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
}
