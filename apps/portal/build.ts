/**
 * Builds the portal as a static directory (default dist/portal): index.html, app.js (the
 * page, ECharts and the world-atlas shapes in one bundle) and app.css. The gateway serves it
 * at `/`. Run: `npx tsx apps/portal/build.ts [outdir]` (or `npx nx run portal:build`).
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const src = resolve(__dirname, 'src');

export async function buildPortal(outdir = resolve(root, 'dist/portal')): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: resolve(src, 'main.ts') },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    tsconfig: resolve(__dirname, 'tsconfig.json'),
    logLevel: 'warning',
  });
  copyFileSync(resolve(src, 'index.html'), resolve(outdir, 'index.html'));
  copyFileSync(resolve(src, 'app.css'), resolve(outdir, 'app.css'));
  return outdir;
}

if (require.main === module) {
  const started = Date.now();
  buildPortal(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    (outdir) => {
      const kb = (file: string) => Math.round(statSync(resolve(outdir, file)).size / 1024);
      console.log(`portal built in ${Date.now() - started} ms: ${outdir} (app.js ${kb('app.js')} KiB, app.css ${kb('app.css')} KiB)`);
    },
    (error: unknown) => {
      console.error(`✖ portal build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
