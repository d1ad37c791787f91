import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError, Log } from './errors';
import { isAlive, sleep } from './processes';

/** What `up` records about a server it started, so that `down` stops exactly that process. */
export interface ServiceRecord {
  pid: number;
  version: string;
  /** Client port first. */
  ports: number[];
  url: string;
  /** An argument of the process's command line, checked before signalling a recorded pid. */
  commandMarker: string;
  logFile: string;
  dataDir: string;
  startedAt: string;
  /** Service.variant (FerretDB's backend); absent in records from before it existed. */
  variant?: string;
  /** Service.stopSignal, so that `down` needs no more than this record. */
  stopSignal?: NodeJS.Signals;
}

export interface InfraState {
  /** By Service.key: the service's name, or `kafka.2`, `kafka.3`… for a cluster's further nodes. */
  services: Partial<Record<string, ServiceRecord>>;
}

const stateFile = (home: string) => join(home, 'state.json');

export function readState(home: string): InfraState {
  try {
    const parsed = JSON.parse(readFileSync(stateFile(home), 'utf8')) as Partial<InfraState>;
    return { services: parsed.services ?? {} };
  } catch {
    // Missing or unreadable: nothing recorded, so nothing of ours is running.
    return { services: {} };
  }
}

/**
 * Read-modify-write with synchronous calls only, so that the two services' updates from one
 * `up` never interleave; the rename keeps a crash from leaving half a file behind.
 */
export function updateState(home: string, change: (state: InfraState) => void): void {
  const state = readState(home);
  change(state);
  mkdirSync(home, { recursive: true });
  const temporary = `${stateFile(home)}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, stateFile(home));
}

/**
 * Serialises `up` and `down` across processes: test runners may call `up` from several
 * workers at once, and two concurrent first runs would build into the same folders and race
 * for the same ports. A lock whose owner died is taken over.
 */
export async function withLock<T>(home: string, log: Log, work: () => Promise<T>, waitMs = 15 * 60_000): Promise<T> {
  mkdirSync(home, { recursive: true });
  const lock = join(home, 'lock.json');
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(lock);
    if (owner === 'dead') {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InfraError(`another focus-infra (pid ${owner}) has held ${lock} for too long; stop it or delete the file.`);
    }
    if (!announced) log(`waiting for another focus-infra command (pid ${owner || '?'}) to finish…`);
    announced = true;
    await sleep(500);
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockOwner(lock: string): number | 'dead' {
  try {
    const { pid } = JSON.parse(readFileSync(lock, 'utf8')) as { pid?: unknown };
    if (typeof pid === 'number' && pid > 0) return isAlive(pid) ? pid : 'dead';
  } catch {
    // Gone already, or being written this very moment: decided below.
  }
  // An unreadable lock is only trusted while it is fresh, i.e. possibly mid-write.
  try {
    return Date.now() - statSync(lock).mtimeMs > 5_000 ? 'dead' : 0;
  } catch {
    return 'dead';
  }
}
