/**
 * `npm run helm -- <helm arguments>`: the helm the chart's checks use (built once from the Go module proxy, cached),
 * run from the repository's root, e.g. `npm run helm -- template focus deploy/helm/focus -f my-values.yaml`.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureHelm } from './helm-binary';

ensureHelm().then(
  (helm) => {
    const result = spawnSync(helm, process.argv.slice(2), { cwd: resolve(__dirname, '../..'), stdio: 'inherit' });
    process.exit(result.status ?? 1);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
