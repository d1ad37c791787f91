/**
 * The Helm binary the chart's checks run (`helm lint`, `helm template`), built from the Go module proxy
 * once per machine and cached: no prebuilt binary download is needed, only Go 1.21+ (the one
 * tools/infra builds FerretDB with). `npx tsx tools/helm/helm-binary.ts` builds it ahead of a run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { capture, findExecutable, isAlive, sleep } from '../infra/src/processes';

export const HELM_VERSION = 'v3.16.4';
const HELM_PACKAGE = 'helm.sh/helm/v3/cmd/helm';

/**
 * What Helm's own release build stamps in with -ldflags (its Makefile), so this binary reports
 * its version and, with no cluster to ask, assumes the Kubernetes its client-go speaks (v0.31:
 * 1.31) instead of the fallback of a bare `go install` (1.20, which the chart's kubeVersion refuses).
 */
const LDFLAGS = [
  '-s -w',
  `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
  ...['pkg/lint/rules', 'pkg/chartutil'].flatMap((pkg) => [
    `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
    `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=31`,
  ]),
].join(' ');

export class HelmUnavailableError extends Error {
  override name = 'HelmUnavailableError';
}

/** Where built binaries are kept: FOCUS_HELM_HOME, by default ~/.cache/focus-helm. */
export function helmHome(): string {
  return process.env['FOCUS_HELM_HOME'] || join(homedir(), '.cache', 'focus-helm');
}

/** The path of a working helm of HELM_VERSION, built first when the cache has none. */
export async function ensureHelm(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  const dir = join(helmHome(), HELM_VERSION);
  const binary = join(dir, 'helm');
  if (works(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'build.lock');
  // Another process (a second worktree, a parallel run) may be building it: wait for that build.
  while (!takeLock(lock)) {
    log(`helm: waiting for the build of another process (${lock})…`);
    await sleep(10_000);
    if (works(binary)) return binary;
  }
  try {
    if (works(binary)) return binary;
    await build(dir, binary, log);
    if (!works(binary)) throw new HelmUnavailableError(`helm: ${binary} was built but does not report ${HELM_VERSION}`);
    return binary;
  } finally {
    rmSync(lock, { force: true });
  }
}

function works(binary: string): boolean {
  if (!existsSync(binary)) return false;
  const result = spawnSync(binary, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === HELM_VERSION;
}

/** An exclusive lock file holding our pid; one left by a process that died is taken over. */
function takeLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return false;
    rmSync(lock, { force: true });
    return takeLock(lock);
  }
}

async function build(dir: string, binary: string, log: (line: string) => void): Promise<void> {
  const go = await requireGo();
  const partial = join(dir, `partial-${process.pid}`);
  const logFile = join(dir, 'build.log');
  rmSync(partial, { recursive: true, force: true });
  log(`helm: building ${HELM_VERSION} from the Go module proxy with ${go} (first run only, ~3-5 min; log: ${logFile})`);
  const args = ['install', '-trimpath', '-ldflags', LDFLAGS, `${HELM_PACKAGE}@${HELM_VERSION}`];
  // cgo off: a static binary, and no C compiler needed on a fresh machine.
  const env = { ...process.env, GOBIN: partial, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  const started = Date.now();
  let modules = 0;
  const out = openSync(logFile, 'w');
  const code = await new Promise<number | string>((done) => {
    const child = spawn(go, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const heartbeat = setInterval(
      () =>
        log(`helm: still building (${Math.round((Date.now() - started) / 1000)} s${modules > 0 ? `, ${modules} modules fetched` : ''})…`),
      30_000,
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        writeSync(out, `${line}\n`);
        if (line.startsWith('go: downloading')) modules += 1;
      });
    }
    child.once('error', (error) => done(error.message));
    child.once('close', (status, signal) => {
      clearInterval(heartbeat);
      done(status ?? signal ?? 'unknown');
    });
  }).finally(() => closeSync(out));
  if (code !== 0) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-20).join('\n') : '';
    throw new HelmUnavailableError(
      `helm: \`go ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}\` failed (${code}). Last lines of ${logFile}:\n${tail}\n` +
        'Check that the Go module proxy answers (GOPROXY) and there is disk space, then run the tests again ' +
        '(or build it alone: npx tsx tools/helm/helm-binary.ts).',
    );
  }
  renameSync(join(partial, 'helm'), binary);
  rmSync(partial, { recursive: true, force: true });
  log(`helm: ${HELM_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s, cached in ${binary}`);
}

/** Helm 3.16 needs Go 1.22; Go 1.21+ fetches a newer toolchain itself from the module proxy when asked for one. */
async function requireGo(): Promise<string> {
  const hint = 'install Go 1.21 or newer (Go builds helm from the module proxy), then run the tests again.';
  const go = findExecutable('go') ?? ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'].find((path) => existsSync(path));
  if (!go) throw new HelmUnavailableError(`helm: \`go\` is not on PATH: ${hint}`);
  const found = (await capture(go, ['env', 'GOVERSION'])).trim();
  const match = /^go(\d+)\.(\d+)/.exec(found);
  if (match && (Number(match[1]) > 1 || Number(match[2]) >= 21)) return go;
  throw new HelmUnavailableError(`helm: ${go} is ${found || 'of an unknown version'}: ${hint}`);
}

if (require.main === module) {
  ensureHelm().then(
    (binary) => console.log(binary),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
