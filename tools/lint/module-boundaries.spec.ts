import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/**
 * Lints a would-be file, as if it stood at `path`, and returns the boundary rule's messages.
 * ESLint runs as its own process, exactly as the lint target runs it.
 */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const run = spawnSync(
    resolve(root, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', resolve(root, path), '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  if (!run.stdout) throw new Error(`eslint did not run: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

// The architecture is only real if breaking it fails the build: these are the imports the
// lint target must refuse, next to ones it must accept.
describe('module boundaries', () => {
  it('an app may not import another app', async () => {
    expect(
      await boundaryErrors(
        'apps/budget/src/probe.ts',
        "import { createPopulationApp } from '../../population/src/app.module';\nvoid createPopulationApp;\n",
      ),
    ).not.toEqual([]);
  });

  it('libs/contracts may not import a framework', async () => {
    const errors = await boundaryErrors('libs/contracts/src/probe.ts', "import { Kafka } from 'kafkajs';\nvoid Kafka;\n");
    expect(errors.join('\n')).toMatch(/kafkajs/);
  });

  it('production code may not import libs/testing; its tests may', async () => {
    const code = "import { testNamespace } from '@focus/testing';\nvoid testNamespace;\n";
    expect(await boundaryErrors('libs/messaging/src/probe.ts', code)).not.toEqual([]);
    expect(await boundaryErrors('libs/messaging/src/probe.spec.ts', code)).toEqual([]);
  });

  it('an app may import the libs it builds on', async () => {
    expect(
      await boundaryErrors(
        'apps/budget/src/probe.ts',
        "import { TOPICS } from '@focus/contracts';\nimport { OutboxRelay } from '@focus/messaging';\nvoid TOPICS;\nvoid OutboxRelay;\n",
      ),
    ).toEqual([]);
  });
});
