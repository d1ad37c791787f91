/**
 * `npm run bench [-- --quick] [-- gateway-read projection history freshness rebuild import]`
 *
 * Runs each scenario against the real stack and prints every figure beside a baseline
 * measured in the same run, then writes tools/bench/results/latest.json (quick.json for --quick). Infrastructure as
 * for the tests: KAFKA_BROKERS/MONGO_URL, a Docker engine, or tools/infra. `--quick` runs
 * every scenario small, to check the bench itself (its figures mean little).
 */
import { resolve } from 'node:path';
import { exportToEnvironment, resolveInfrastructure } from '@focus/testing';
import { runBench, Scenario, SCENARIOS } from './src/bench';
import { formatTable, writeResults } from './src/results';
import { FULL_SIZES, QUICK_SIZES } from './src/sizes';

/** A quick run's figures mean little: they never replace a full run's. */
const resultsFile = (quick: boolean) => resolve(__dirname, `results/${quick ? 'quick' : 'latest'}.json`);

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const named = argv.filter((a) => !a.startsWith('--'));
  const unknown = named.filter((a) => !(SCENARIOS as readonly string[]).includes(a));
  if (unknown.length > 0 || argv.some((a) => a.startsWith('--') && a !== '--quick')) {
    console.error(`Usage: npm run bench [-- --quick] [-- ${SCENARIOS.join(' ')}]`);
    return 2;
  }
  const started = Date.now();
  const infra = await resolveInfrastructure((line) => console.log(`bench: ${line}`));
  exportToEnvironment(infra);
  try {
    const { rows, failed } = await runBench({
      sizes: quick ? QUICK_SIZES : FULL_SIZES,
      scenarios: named.length > 0 ? (named as Scenario[]) : undefined,
      log: (line) => console.log(`bench: ${line}`),
    });
    console.log(`\n${formatTable(rows)}\n`);
    writeResults(resultsFile(quick), rows);
    console.log(
      `bench: done in ${Math.round((Date.now() - started) / 1000)} s${quick ? ' (quick: sizes too small to compare)' : ''}; results in ${resultsFile(quick)}`,
    );
    for (const { scenario, reason } of failed) console.error(`bench: ${scenario} failed, its figures are missing: ${reason}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    if (infra.origin !== 'environment') console.log('bench: infrastructure left running; stop it with `npm run infra -- down`');
  }
}

// Ctrl-C ends the run through process.exit, whose hook (startStack's) ends the apps too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
