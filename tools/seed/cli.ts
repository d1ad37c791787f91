/**
 * `npm run seed [-- --url http://localhost:3000/api/v1] [--key local-dev-editor]`
 *
 * Loads the seed operation (the Kazakhstan Regional Office page) through the gateway's public
 * API. Idempotent: a second run changes nothing.
 */
import { progressBar } from '../cli/progress';
import { apiTarget, parseArgs, runCli, UsageError } from '../cli/run-cli';
import { loadSeed, SeedLoadError } from './load';
import { readSeed } from './seed-requests';

async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, ['--url', '--key']);
  if (positional.length > 0) throw new UsageError(`unexpected argument: ${positional[0]}`);
  const { apiUrl, apiKey } = apiTarget(flags);
  const seed = readSeed();
  console.error(`seed: loading ${seed.code} through ${apiUrl}`);
  const summary = await loadSeed(seed, {
    apiUrl,
    apiKey,
    onProgress: (done, total) => process.stderr.isTTY && process.stderr.write(`\r${progressBar(done, total)}`),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.error(`seed: ${summary.requests} writes, answers ${JSON.stringify(summary.statuses)}`);
  return 0;
}

runCli(
  {
    name: 'seed',
    usage: 'Usage: npm run seed [-- --url http://localhost:3000/api/v1] [--key local-dev-editor]',
    unreachable: 'nothing answers at that URL; start the system first (npm start) or pass --url.',
    explain: (error) => (error instanceof SeedLoadError ? `refused: ${error.message}` : undefined),
  },
  main,
);
