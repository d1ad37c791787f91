import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { InfraError, Log } from '../../infra/src/errors';
import { displayCommand } from '../../infra/src/processes';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Killed (SIGKILL) after this long: a daemon that stopped answering must not hang CI. */
  timeoutMs?: number;
  /** Each output line as progress; otherwise output is only kept for the error. */
  echo?: Log;
  /** Written to the command's stdin. */
  input?: string;
  /** What to do when it fails, appended to the error. */
  hint?: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (see `run`). */
export function attempt(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: string[] = [];
    const err: string[] = [];
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    for (const [stream, sink] of [
      [child.stdout, out],
      [child.stderr, err],
    ] as const) {
      createInterface({ input: stream }).on('line', (line) => {
        sink.push(line);
        if (options.echo && line.trim()) options.echo(line);
      });
    }
    child.stdin.end(options.input ?? '');
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      fail(new InfraError(`could not run ${command}: ${error.message}`));
    });
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      done({ code, stdout: out.join('\n'), stderr: err.join('\n') });
    });
  });
}

/** Runs a command and returns its stdout; a failure carries its last lines and what to do. */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await attempt(command, args, options);
  if (result.code === 0) return result.stdout;
  const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
  const how = result.code === null ? `was stopped after ${Math.round((options.timeoutMs ?? 0) / 1000)} s` : `failed (exit ${result.code})`;
  throw new InfraError(
    `\`${displayCommand(command, args)}\` ${how}:\n${tail.replace(/^/gm, '  | ')}` + (options.hint ? `\n${options.hint}` : ''),
  );
}
