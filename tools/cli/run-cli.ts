/**
 * What every `npm run` tool of this repository shares: its flags, the API it talks to, and
 * how it ends (exit code 0, 1 or 2; an error as one line that names the tool, and says what
 * to do when nothing answers at the URL).
 */

/** The public API and its editor key: --url/--key, else FOCUS_API_URL/FOCUS_API_KEY, else the local stack's. */
export const DEFAULT_API_URL = 'http://localhost:3000/api/v1';
export const DEFAULT_API_KEY = 'local-dev-editor';

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * `--name value` pairs after the positional arguments; a flag not in `allowed` (or one
 * without a value) is a usage error.
 */
export function parseArgs(argv: string[], allowed: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (!allowed.includes(arg) || argv[i + 1] === undefined) throw new UsageError(`unknown flag or missing value: ${arg}`);
    else flags.set(arg, argv[++i] as string);
  }
  return { positional, flags };
}

export function apiTarget(flags: Map<string, string>): { apiUrl: string; apiKey: string } {
  return {
    apiUrl: (flags.get('--url') ?? process.env['FOCUS_API_URL'] ?? DEFAULT_API_URL).replace(/\/$/, ''),
    apiKey: flags.get('--key') ?? process.env['FOCUS_API_KEY'] ?? DEFAULT_API_KEY,
  };
}

export interface CliOptions {
  /** The tool's name, which starts each of its error lines. */
  name: string;
  usage: string;
  /** What to say when nothing answers at the URL (connection refused). */
  unreachable: string;
  /** A tool's own wording of an error it knows, if any. */
  explain?: (error: unknown) => string | undefined;
}

/** Runs `main` with the command line and exits with its code: 2 for a usage error, 1 for any other. */
export function runCli(options: CliOptions, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${options.name}: ${error.message}\n${options.usage}`);
        process.exit(2);
      }
      const cause = (error as { cause?: { code?: string } }).cause;
      const explained = cause?.code === 'ECONNREFUSED' ? options.unreachable : options.explain?.(error);
      console.error(`${options.name}: ${explained ?? (error instanceof Error ? error.message : String(error))}`);
      process.exit(1);
    },
  );
}
