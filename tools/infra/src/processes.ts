import { execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { InfraError, Log } from './errors';

/** A system user to run a server as (PostgreSQL refuses to run as root). */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

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
export function runLogged(
  command: string,
  args: string[],
  options: {
    cwd: string;
    logFile: string;
    runAs?: RunAs;
    env?: NodeJS.ProcessEnv;
    /** Also shows each output line as progress (apt-get), besides writing it to the log. */
    echo?: Log;
    /** What to fix when it fails; network, disk space and proxy settings by default. */
    hint?: string;
  },
): Promise<void> {
  const out = openSync(options.logFile, 'w');
  return new Promise<void>((done, fail) => {
    const output = options.echo ? 'pipe' : out;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', output, output],
      ...userOptions(options.runAs),
    });
    if (options.echo) {
      const echo = options.echo;
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream }).on('line', (line) => {
          writeSync(out, `${line}\n`);
          if (line.trim()) echo(line);
        });
      }
    }
    child.once('error', (error) => fail(new InfraError(`could not run ${command}: ${error.message}`)));
    // 'close', not 'exit': echoed output is written to the log until the pipes are drained.
    child.once('close', (code, signal) => {
      if (code === 0) return done();
      const asUser = options.runAs ? `runuser -u ${options.runAs.name} -- ` : '';
      fail(
        new InfraError(
          `\`${command}\` failed (${signal ?? `exit ${code}`}). Last lines of ${options.logFile}:\n` +
            `${indent(tailFile(options.logFile, 30))}\n` +
            `${options.hint ?? 'Fix the cause (network, disk space, proxy settings)'}, then retry by hand with:\n` +
            `  cd ${quote(options.cwd)} && ${asUser}${displayCommand(command, args)}\n` +
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
  options: { cwd: string; logFile: string; runAs?: RunAs; env?: NodeJS.ProcessEnv },
): Promise<number> {
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
      ...userOptions(options.runAs),
    });
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

/**
 * Node switches user itself (setgid, setgroups, setuid) before exec, so the pid we record
 * is the server's own, as with any other service; runuser/su would put a process of
 * theirs in between that `down` would have to signal instead.
 */
function userOptions(runAs: RunAs | undefined): { uid?: number; gid?: number } {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
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

/**
 * SIGTERM (or the server's own clean-shutdown signal: PostgreSQL's fast shutdown is SIGINT)
 * lets it shut down cleanly; SIGKILL only when it won't.
 */
export async function stopProcess(
  pid: number,
  stopSignal: NodeJS.Signals = 'SIGTERM',
  graceMs = 20_000,
): Promise<'terminated' | 'killed' | 'gone'> {
  if (!signal(pid, stopSignal)) return 'gone';
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
