import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Stack, STACK_APPS, StackApp } from '@focus/testing';

/** Clock ticks per second of /proc's counters (USER_HZ: 100 on every Linux that Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * What else a write costs, by process name (`comm`): the infrastructure, however it was
 * started (tools/infra, Docker, or given), is a process on this machine's /proc. Every `java`
 * here is Kafka (brokers and controllers). A PostgreSQL backend that exits meanwhile takes
 * its ticks with it, so that part is a lower bound.
 */
const INFRASTRUCTURE: Record<string, string> = { ferretdb: 'FerretDB', postgres: 'PostgreSQL', java: 'Kafka' };
const BENCH = 'bench';

export interface CpuSnapshot {
  at: number;
  /** Ticks every core spent busy (not idle or waiting on I/O), the whole machine. */
  machineBusy: number;
  /** Ticks each app's process has used. */
  apps: Map<StackApp, number>;
  /** Ticks the infrastructure (by INFRASTRUCTURE's names) and the bench's own process have used. */
  others: Map<string, number>;
}

export interface CpuUsage {
  /** Cores kept busy on average, out of `cores`: the stack, its infrastructure and the bench itself. */
  coresBusy: number;
  cores: number;
  /** CPU milliseconds the whole machine spent, and each app spent, per unit of work. */
  msPerUnit: number;
  appMsPerUnit: Map<StackApp, number>;
  /** The same for the infrastructure and the bench. */
  othersMsPerUnit: Map<string, number>;
}

/**
 * What a scenario costs in CPU, read from /proc: whether a rate is out of reach because the
 * machine is saturated, and who spends it.
 */
export function cpuSnapshot(stack: Stack): CpuSnapshot {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const apps = new Map<StackApp, number>();
  for (const app of STACK_APPS) {
    const pid = stack.pid(app);
    if (pid === undefined) continue;
    apps.set(app, processTicks(pid) ?? 0);
  }
  const others = new Map<string, number>([[BENCH, processTicks(process.pid) ?? 0]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const name = INFRASTRUCTURE[readOrEmpty(`/proc/${entry}/comm`).trim()];
    if (!name) continue;
    others.set(name, (others.get(name) ?? 0) + (processTicks(Number(entry)) ?? 0));
  }
  return { at: Date.now(), machineBusy: user + nice + system + irq + softirq + steal, apps, others };
}

export function cpuUsage(before: CpuSnapshot, after: CpuSnapshot, units: number): CpuUsage {
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  const perUnit = <K>(was: Map<K, number>, now: Map<K, number>) => {
    const result = new Map<K, number>();
    for (const [key, ticks] of now) result.set(key, Math.max(0, ms(ticks - (was.get(key) ?? ticks))) / units);
    return result;
  };
  return {
    coresBusy: ms(after.machineBusy - before.machineBusy) / (after.at - before.at),
    cores: availableParallelism(),
    msPerUnit: ms(after.machineBusy - before.machineBusy) / units,
    appMsPerUnit: perUnit(before.apps, after.apps),
    othersMsPerUnit: perUnit(before.others, after.others),
  };
}

/** utime + stime of a process, or undefined if it is gone. */
function processTicks(pid: number): number | undefined {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // a process that exited between the listing and the read
  }
}
