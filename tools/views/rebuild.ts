/**
 * `npm run views:rebuild [-- --url http://127.0.0.1:3105]`
 *
 * Rebuilds the read model from the topics: asks the aggregator (its own port, not the
 * gateway's) to replay every domain topic from offset 0 into a fresh collection and swap it
 * in, showing progress until it is done. The old views keep serving meanwhile.
 */
import { progressBar } from '../cli/progress';
import { parseArgs, runCli, UsageError } from '../cli/run-cli';

interface RebuildStatus {
  phase: 'replaying' | 'swapping' | 'tailing' | 'done' | 'failed';
  collection: string;
  eventsRead: number;
  eventsAtStart: number;
  operations?: number;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, ['--url']);
  if (positional.length > 0) throw new UsageError(`unexpected argument: ${positional[0]}`);
  const base = (flags.get('--url') ?? process.env['OPERATION_VIEW_URL'] ?? 'http://127.0.0.1:3105').replace(/\/$/, '');
  const started = await fetch(`${base}/admin/rebuild`, { method: 'POST' });
  if (started.status !== 202) {
    console.error(`rebuild: the aggregator at ${base} answered ${started.status}: ${await started.text()}`);
    return 1;
  }
  let status = (await started.json()) as RebuildStatus;
  console.error(`rebuild: replaying ${status.eventsAtStart} events into ${status.collection}`);
  const interactive = process.stderr.isTTY;
  let lastLine = '';
  while (status.phase !== 'done' && status.phase !== 'failed') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = (await (await fetch(`${base}/admin/rebuild`)).json()) as RebuildStatus;
    const line = `${progressBar(Math.min(status.eventsRead, status.eventsAtStart), Math.max(1, status.eventsAtStart))} ${status.phase}`;
    if (interactive) process.stderr.write(`\r${line}`);
    else if (line !== lastLine) console.error(line);
    lastLine = line;
  }
  if (interactive) process.stderr.write('\n');
  const seconds = (Date.parse(status.finishedAt ?? new Date().toISOString()) - Date.parse(status.startedAt)) / 1000;
  if (status.phase === 'failed') {
    console.error(`rebuild: failed after ${seconds.toFixed(1)} s: ${status.error}. The old views are still live; run it again.`);
    return 1;
  }
  console.error(
    `rebuild: done in ${seconds.toFixed(1)} s: ${status.operations} operations from ${status.eventsRead} events, now served from ${status.collection}`,
  );
  return 0;
}

runCli(
  {
    name: 'rebuild',
    usage: 'Usage: npm run views:rebuild [-- --url http://127.0.0.1:3105]',
    unreachable: 'no aggregator answers there; is the system running (npm start)? Pass --url to point elsewhere.',
  },
  main,
);
