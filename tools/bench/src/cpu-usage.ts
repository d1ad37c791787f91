import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Stack, STACK_APPS, StackApp } from '@focus/testing';

/** Clock ticks per second of /proc's counters (USER_HZ: 100 on every Linux that Node runs on). */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  /** Ticks every core spent busy (not idle or waiting on I/O), the whole machine. */
  machineBusy: number;
  /** Ticks each app's process has used. */
  apps: Map<StackApp, number>;
}

export interface CpuUsage {
  /** Cores kept busy on average, out of `cores`: the stack, its infrastructure and the bench itself. */
  coresBusy: number;
  cores: number;
  /** CPU milliseconds the whole machine spent, and each app spent, per unit of work. */
  msPerUnit: number;
  appMsPerUnit: Map<StackApp, number>;
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
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    apps.set(app, Number(fields[11]) + Number(fields[12]));
  }
  return { at: Date.now(), machineBusy: user + nice + system + irq + softirq + steal, apps };
}

export function cpuUsage(before: CpuSnapshot, after: CpuSnapshot, units: number): CpuUsage {
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  const appMsPerUnit = new Map<StackApp, number>();
  for (const [app, ticks] of after.apps) appMsPerUnit.set(app, ms(ticks - (before.apps.get(app) ?? ticks)) / units);
  return {
    coresBusy: ms(after.machineBusy - before.machineBusy) / (after.at - before.at),
    cores: availableParallelism(),
    msPerUnit: ms(after.machineBusy - before.machineBusy) / units,
    appMsPerUnit,
  };
}
