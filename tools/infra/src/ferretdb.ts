import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HOST, InfraConfig, mongoUrl, postgresUrl } from './config';
import { InfraError } from './errors';
import { capture, requireExecutable, runLogged } from './processes';
import { mongoAnswers } from './readiness';
import { installOnce, launch, Service } from './service';

/**
 * FerretDB (MongoDB wire protocol on PostgreSQL or SQLite: FOCUS_FERRETDB_BACKEND), built
 * from tools/infra/ferretdb, a small main package that embeds it: see the comment in main.go
 * for why not `go install`. On PostgreSQL, its data lives in the postgres service's cluster.
 */
export function ferretdbService(config: InfraConfig): Service {
  const { version, port, backend } = config.ferretdb;
  const moduleDir = join(config.sourceDir, 'ferretdb');
  const binary = join(config.home, `ferretdb-${version}`, 'ferretdb');
  const dataDir = join(config.home, 'data', 'ferretdb');

  const service: Service = {
    name: 'ferretdb',
    key: 'ferretdb',
    version,
    ports: [port],
    url: mongoUrl(config),
    dataDir,
    logFile: join(config.home, 'ferretdb.log'),
    commandMarker: binary,
    readyTimeoutMs: 60_000,
    dependsOn: backend === 'postgresql' ? 'postgres' : undefined,
    variant: backend,

    install: (log) =>
      installOnce({
        log,
        marker: `${binary}.inputs`,
        product: binary,
        inputFiles: ['main.go', 'go.mod', 'go.sum'].map((file) => join(moduleDir, file)),
        prerequisites: requireGo,
        announce: `building ${version} with Go (first run only, ~3-5 min)…`,
        run: async (go) => {
          // Built under another name and renamed, so an interrupted build is never taken for done.
          const partial = `${binary}.partial`;
          mkdirSync(dirname(binary), { recursive: true });
          await runLogged(go, ['build', '-buildvcs=false', '-o', partial, '.'], {
            cwd: moduleDir,
            logFile: join(config.home, 'ferretdb-build.log'),
          });
          renameSync(partial, binary);
        },
      }),

    async start() {
      mkdirSync(dataDir, { recursive: true });
      // pool_max_conns: FerretDB 1.x holds one pooled connection per statement of a write
      // command until the command ends, and waits for ever when its pool runs dry (its default
      // is 50): seen with a 50-update bulk write next to a few reads. 100 leaves room for the
      // parallel test processes that share one FerretDB (postgres.ts allows 120 connections).
      const storage = backend === 'postgresql' ? ['-postgresql-url', `${postgresUrl(config)}?pool_max_conns=100`] : ['-data-dir', dataDir];
      return launch(service, binary, ['-listen', `${HOST}:${port}`, ...storage], dataDir);
    },

    answers: () => mongoAnswers(mongoUrl(config)),
  };
  return service;
}

/**
 * go.mod says 1.24 (FerretDB's own minimum). Go 1.21+ fetches that toolchain by itself from
 * the module proxy when it is older, so 1.21 is the real floor.
 */
async function requireGo(): Promise<string> {
  const hint = 'install Go 1.21 or newer (1.24+ avoids a toolchain download), then run `npm run infra -- up` again.';
  const go = requireExecutable('go', hint);
  const found = (await capture(go, ['env', 'GOVERSION'])).trim();
  const match = /^go(\d+)\.(\d+)/.exec(found);
  if (match && (Number(match[1]) > 1 || Number(match[2]) >= 21)) return go;
  throw new InfraError(`${go} is ${found || 'of an unknown version'}: ${hint}`);
}
