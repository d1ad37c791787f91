/**
 * `npm run import -- population FILE [--url URL] [--key KEY] [--source NAME]`
 *
 * Streams UNHCR population statistics (CSV, the columns of UNHCR's population API) to
 * `POST /imports/population` with a progress bar, then prints the import's summary.
 * Defaults: the local gateway (http://localhost:3000/api/v1) and its documented editor key;
 * the source, the release named after the file (releaseName).
 */
import { existsSync } from 'node:fs';
import { megabytes, progressBar } from '../cli/progress';
import { apiTarget, parseArgs, runCli, UsageError } from '../cli/run-cli';
import { releaseName } from './release-name';
import { uploadCsv } from './upload';

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
  let lastPrinted = -1;
  console.error(`import: streaming ${file} to ${url} (each figure's source: "${source}")`);
  const started = Date.now();
  const { status, body } = await uploadCsv({
    file,
    url,
    apiKey,
    onProgress: (sent, total) => {
      const percent = Math.floor((sent / total) * 100);
      if (interactive) process.stderr.write(`\r${progressBar(sent, total, megabytes)}`);
      else if (percent >= lastPrinted + 10) {
        lastPrinted = percent - (percent % 10);
        console.error(progressBar(sent, total, megabytes));
      }
    },
  });
  if (interactive) process.stderr.write('\n');
  console.error(`import: uploaded; the server answered ${status} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(body, null, 2));
  if (status >= 400) {
    console.error('import: the import was refused; the problem above says why (nothing was changed).');
    return 1;
  }
  return 0;
}

runCli(
  {
    name: 'import',
    usage: USAGE,
    unreachable: 'nothing answers at that URL. Start the system (npm start) or pass --url to a running gateway or population service.',
  },
  main,
);
