/**
 * `npm run seed [-- --url http://localhost:3000/api/v1] [--key local-dev-editor]`
 *
 * Loads the seed operation (the Kazakhstan Regional Office page) through the gateway's public
 * API. Idempotent: a second run changes nothing.
 */
import { progressBar } from '../cli/progress';
import { loadSeed, SeedLoadError } from './load';
import { readSeed } from './seed-requests';

async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const apiUrl = (flag('--url') ?? process.env['FOCUS_API_URL'] ?? 'http://localhost:3000/api/v1').replace(/\/$/, '');
  const apiKey = flag('--key') ?? process.env['FOCUS_API_KEY'] ?? 'local-dev-editor';
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') console.error('seed: nothing answers at that URL; start the system first (npm start) or pass --url.');
    else if (error instanceof SeedLoadError) console.error(`seed: refused: ${error.message}`);
    else console.error(`seed: ${(error as Error).message}`);
    process.exit(1);
  },
);
