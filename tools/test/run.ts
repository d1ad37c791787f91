/**
 * `npm test`: resolves the infrastructure once (libs/testing), then lints, type-checks and
 * tests every project with nx run-many against it, and closes with one line that counts the
 * tests of the whole workspace. Extra arguments go to nx (e.g. `npm test -- -p messaging`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportToEnvironment, resolveInfrastructure } from '@focus/testing';
import { ensureHelm } from '../helm/helm-binary';

const root = resolve(__dirname, '../..');
const resultsDir = resolve(root, 'tmp/test-results');

async function main(): Promise<number> {
  const started = Date.now();
  console.log('▶ focus tests: resolving infrastructure (first run builds Kafka and FerretDB: a few minutes)');
  const [infra] = await Promise.all([resolveInfrastructure((line) => console.log(line)), prepareHelm(process.argv.slice(2))]);
  exportToEnvironment(infra);

  rmSync(resultsDir, { recursive: true, force: true });
  const targets = process.env['FOCUS_TEST_TARGETS'] ?? 'lint,typecheck,test';
  // One format for the whole repository (Prettier), checked with the lint: reported, then the rest runs.
  const formatted = targets.split(',').includes('lint') ? await checkFormat() : true;
  console.log(`▶ focus tests: nx run-many -t ${targets}`);
  // Two projects at a time unless told otherwise: most suites start a whole stack (six Node
  // apps beside Kafka and FerretDB), and nx's default of three on a 2-core machine kept the
  // load above 9, where deadlines meant for a slow machine became flakes.
  const args = process.argv.slice(2);
  const parallel = args.some((arg) => arg.startsWith('--parallel')) ? [] : ['--parallel=2'];
  const code = await run('npx', ['nx', 'run-many', '-t', targets, '--outputStyle=stream', ...parallel, ...args]);

  const { passed, failed, failures } = countResults();
  if (infra.origin !== 'environment' && process.env['CI']) await infra.stop();
  else if (infra.origin === 'tools/infra') console.log('infrastructure left running; stop it with `npm run infra -- down`');
  const green = code === 0 && formatted;
  for (const failure of failures) console.log(`\n✖ ${failure.path}\n  ${failure.title}\n${indent(failure.message)}`);
  console.log(`▶ focus tests: ${green ? 'green' : 'RED'} in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return code !== 0 ? code : failed > 0 || !formatted ? 1 : 0;
}

/**
 * The chart's checks (tools/helm) need helm, which a fresh machine builds from the Go module proxy: built here,
 * beside the infrastructure and before the suites start, it takes no CPU from timing-sensitive suites. A failure
 * is only reported: the chart's spec tries again and fails with the reason.
 */
async function prepareHelm(args: string[]): Promise<void> {
  const projects = args.flatMap((arg, i) =>
    arg === '-p' || arg === '--projects' ? [args[i + 1] ?? ''] : arg.startsWith('--projects=') ? [arg.slice(11)] : [],
  );
  if (projects.length > 0 && !projects.some((list) => list.split(',').includes('tools'))) return;
  if (!(process.env['FOCUS_TEST_TARGETS'] ?? 'test').split(',').includes('test')) return;
  try {
    await ensureHelm((line) => console.log(line));
  } catch (error) {
    console.log(
      `▶ focus tests: helm is not available, the chart's checks will fail: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function checkFormat(): Promise<boolean> {
  console.log("▶ focus tests: prettier --check (the repository's one format)");
  const ok = (await run('npx', ['prettier', '--check', '--log-level=warn', '.'])) === 0;
  if (!ok) console.log('✖ focus tests: the files above are not formatted: run `npm run format` and commit the result');
  return ok;
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

interface Failure {
  path: string;
  title: string;
  message: string;
}

/** The counts and failures each jest project wrote (libs/testing/src/jest/summary-reporter.js). */
function countResults(): { passed: number; failed: number; failures: Failure[] } {
  const totals = { passed: 0, failed: 0, failures: [] as Failure[] };
  if (!existsSync(resultsDir)) return totals;
  for (const file of readdirSync(resultsDir)) {
    const counts = JSON.parse(readFileSync(resolve(resultsDir, file), 'utf8')) as Partial<typeof totals>;
    totals.passed += counts.passed ?? 0;
    totals.failed += counts.failed ?? 0;
    totals.failures.push(...(counts.failures ?? []));
  }
  return totals;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`✖ focus tests: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
