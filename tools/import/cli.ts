/**
 * `npm run import -- population FILE [--url URL] [--key KEY] [--source NAME]`
 *
 * Streams UNHCR population statistics (CSV, the columns of UNHCR's population API) to
 * `POST /imports/population` with a progress bar, then follows the import as it is written
 * (Prefer: respond-async: the whole UNHCR file takes longer to write than an HTTP answer may
 * be waited for) with another, and prints the import's summary.
 * Defaults: the local gateway (http://localhost:3000/api/v1) and its documented editor key;
 * the source, the release named after the file (releaseName).
 */
import { existsSync } from 'node:fs';
import { megabytes, progressBar } from '../cli/progress';
import { apiTarget, parseArgs, runCli, UsageError } from '../cli/run-cli';
import { releaseName } from './release-name';
import { followImport, uploadCsv } from './upload';

const USAGE =
  'Usage: npm run import -- population FILE [--url http://localhost:3000/api/v1] [--key local-dev-editor] [--source "UNHCR population statistics 2025.06.1"]';

async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, ['--url', '--key', '--source']);
  const [kind, file] = positional;
  if (kind !== 'population' || !file || positional.length > 2) throw new UsageError('expected: population FILE');
  if (!existsSync(file)) {
    console.error(`import: no such file: ${file}`);
    return 2;
  }
  const { apiUrl: base, apiKey } = apiTarget(flags);
  const source = flags.get('--source') || releaseName(file);
  const url = `${base}/imports/population?source=${encodeURIComponent(source)}`;
  const interactive = process.stderr.isTTY;
  console.error(`import: streaming ${file} to ${url} (each figure's source: "${source}")`);
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  const { status, body, location } = await uploadCsv({ file, url, apiKey, respondAsync: true, onProgress: progressLine(megabytes) });
  if (interactive) process.stderr.write('\n');
  console.error(`import: uploaded; the server answered ${status} after ${seconds()} s`);
  if (status >= 400) {
    console.log(JSON.stringify(body, null, 2));
    console.error('import: the import was refused; the problem above says why (nothing was changed).');
    return 1;
  }
  if (status !== 202 || !location) {
    console.log(JSON.stringify(body, null, 2));
    return 0;
  }
  console.error(`import: the file was read and checked; writing its figures (${location})`);
  const figures = (n: number) => `${n.toLocaleString('en')} figures`;
  const end = await followImport({ url: location, apiKey, onProgress: progressLine(figures) });
  if (interactive) process.stderr.write('\n');
  // The profiles created for new operations came with the 202; the summary once written.
  const { profiles } = body as { profiles?: unknown };
  console.log(JSON.stringify(end.state === 'succeeded' ? { ...(end.summary as object), profiles } : end, null, 2));
  if (end.state !== 'succeeded') {
    console.error(
      end.state === 'interrupted'
        ? 'import: the population service stopped before the import finished. Import the same file again to finish it (what is written stays).'
        : `import: the import failed after ${seconds()} s: ${end.problem?.detail ?? 'see the status above'}. Importing the same file again finishes what is left.`,
    );
    return 1;
  }
  console.error(`import: done after ${seconds()} s`);
  return 0;
}

/** A progress bar on the same line in a terminal; every 10 % on its own line otherwise (CI logs, pipes). */
function progressLine(unit: (n: number) => string): (done: number, total: number) => void {
  let lastPrinted = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (process.stderr.isTTY) process.stderr.write(`\r${progressBar(done, total, unit)}`);
    else if (percent >= lastPrinted + 10) {
      lastPrinted = percent - (percent % 10);
      console.error(progressBar(done, total, unit));
    }
  };
}

runCli(
  {
    name: 'import',
    usage: USAGE,
    unreachable: 'nothing answers at that URL. Start the system (npm start) or pass --url to a running gateway or population service.',
  },
  main,
);
