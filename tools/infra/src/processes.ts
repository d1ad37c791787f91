import { execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InfraError } from './errors';

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Looks a command up on PATH without running it, so a missing tool gets our hint, not ENOENT. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

export function requireExecutable(name: string, hint: string): string {
  const found = findExecutable(name);
  if (!found) throw new InfraError(`\`${name}\` is not on PATH: ${hint}`);
  return found;
}

/** Runs a short command and returns its combined output (for version checks and the like). */
export function capture(command: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(command, args, { cwd, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new InfraError(`\`${displayCommand(command, args)}\` failed: ${(stderr || error.message).trim()}`));
      else done(`${stdout}${stderr}`);
    });
  });
}

/**
 * Runs a long install step (Maven, Go) with its output sent to a log file instead of the
 * terminal, where two of them at once would be unreadable. On failure the error carries the
 * log's tail and the exact command to retry by hand.
 */
export function runLogged(command: string, args: string[], options: { cwd: string; logFile: string }): Promise<void> {
  const out = openSync(options.logFile, 'w');
  return new Promise<void>((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', out, out] });
    child.once('error', (error) => fail(new InfraError(`could not run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) return done();
      fail(
        new InfraError(
          `\`${command}\` failed (${signal ?? `exit ${code}`}). Last lines of ${options.logFile}:\n` +
            `${indent(tailFile(options.logFile, 30))}\n` +
            `Fix the cause (network, disk space, proxy settings), then retry by hand with:\n` +
            `  cd ${quote(options.cwd)} && ${displayCommand(command, args)}\n` +
            'or simply run `npm run infra -- up` again.',
        ),
      );
    });
  }).finally(() => closeSync(out));
}

/**
 * Starts a server that outlives this process: its own process group (so a Ctrl-C in the
 * terminal that ran `up` does not reach it), output appended to a log file, and unref'd so
 * that Node can exit.
 */
export function spawnDetached(
  command: string,
  args: string[],
  options: { cwd: string; logFile: string },
): Promise<number> {
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', out, out] });
    return new Promise((done, fail) => {
      child.once('error', (error) => fail(new InfraError(`could not start ${command}: ${error.message}`)));
      child.once('spawn', () => {
        child.unref();
        done(child.pid as number);
      });
    });
  } finally {
    // The child has its own copy of the descriptor by now.
    closeSync(out);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A child of this very process (in-process use of up/down) lingers as a zombie until reaped.
  const stat = readProc(pid, 'stat');
  return stat === undefined || !/^\d+ \(.*\) Z/s.test(stat);
}

/**
 * True when pid is alive and still the process we started: a recorded pid may since have
 * been reused by something else, which `down` must never signal. Where /proc is missing
 * (macOS), liveness is all we can check.
 */
export function isOurProcess(pid: number, commandMarker: string): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = readProc(pid, 'cmdline');
  return cmdline === undefined || cmdline.split('\0').includes(commandMarker);
}

function readProc(pid: number, file: string): string | undefined {
  const path = `/proc/${pid}/${file}`;
  if (!existsSync('/proc/self')) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** SIGTERM lets Kafka and FerretDB shut down cleanly; SIGKILL only when they won't. */
export async function stopProcess(pid: number, graceMs = 20_000): Promise<'terminated' | 'killed' | 'gone'> {
  if (!signal(pid, 'SIGTERM')) return 'gone';
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(200);
  }
  signal(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return 'killed';
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

export function tailFile(file: string, lines: number): string {
  if (!existsSync(file)) return `(${file} does not exist)`;
  const all = readFileSync(file, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

export function indent(text: string): string {
  return text.replace(/^/gm, '  | ');
}

export function displayCommand(command: string, args: string[]): string {
  return [command, ...args].map(quote).join(' ');
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
