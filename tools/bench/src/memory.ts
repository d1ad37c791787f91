import { readFileSync } from 'node:fs';
import { Stack, STACK_APPS } from '@focus/testing';
import { BenchRow, row } from './results';

/** Peak resident memory of each app so far (Linux VmHWM: the kernel's own high-water mark). */
export function memoryRows(stack: Stack): BenchRow[] {
  return STACK_APPS.flatMap((app) => {
    const pid = stack.pid(app);
    if (pid === undefined) return [];
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
    return match ? [row('memory', `rss_mb:${app}`, 'MB', Number(match[1]) / 1024, null, '< 200')] : [];
  });
}
