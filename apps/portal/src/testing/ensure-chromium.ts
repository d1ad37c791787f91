/**
 * Finds a Chromium for playwright-core to drive, or installs Debian's `chromium` package.
 *
 * Order: $CHROMIUM_PATH, then /usr/bin/chromium (and chromium-browser), then
 * `apt-get install -y --no-install-recommends chromium` (as root, as CI runs), with apt's
 * progress shown. Run on its own: `npx tsx apps/portal/src/testing/ensure-chromium.ts`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(): string | null {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv && executable(fromEnv)) return fromEnv;
  return CANDIDATES.find(executable) ?? null;
}

function apt(args: string[], log: (line: string) => void): void {
  log(`$ apt-get ${args.join(' ')}`);
  // stdio inherited: apt's own progress is the progress bar.
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.error)
    throw new Error(
      `could not run apt-get (${result.error.message}); install Chromium yourself (Debian: apt-get install chromium) or set CHROMIUM_PATH`,
    );
  if (result.status !== 0) {
    throw new Error(
      `apt-get ${args[0]} failed with exit code ${result.status}; install Chromium yourself (Debian: apt-get install chromium, as root) or set CHROMIUM_PATH`,
    );
  }
}

/** The path of a Chromium executable, installing Debian's package if none is found. */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const found = findChromium();
  if (found) return found;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      'Chromium not found at /usr/bin/chromium and not running as root to install it: run `sudo apt-get install -y --no-install-recommends chromium` or set CHROMIUM_PATH',
    );
  }
  log("▶ Chromium not found: installing Debian's chromium package (a few minutes the first time)");
  apt(['update'], log);
  apt(['install', '-y', '--no-install-recommends', 'chromium'], log);
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium but no executable is at /usr/bin/chromium; set CHROMIUM_PATH');
  log(`✔ Chromium installed at ${installed}`);
  return installed;
}

if (require.main === module) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
