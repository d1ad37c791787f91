// The architecture, enforced: apps are thin and import libs, never another app;
// libs/contracts is plain classes that any team can read, so it imports no framework.
const nx = require('@nx/eslint-plugin');

const frameworks = ['@nestjs/*', 'mongoose', 'mongodb', 'kafkajs', 'fastify', 'pino', 'prom-client'];

/** Who may import whom. Tests may also import libs/testing, production code may not. */
function boundaries({ tests }) {
  const withTesting = (tags) => (tests ? [...tags, 'type:testing'] : tags);
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: withTesting([]), bannedExternalImports: tests ? [] : frameworks },
        { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: withTesting(['type:contracts']) },
        { sourceTag: 'type:service-kit', onlyDependOnLibsWithTags: withTesting(['type:contracts', 'type:messaging']) },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:messaging'] },
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: withTesting(['type:contracts', 'type:messaging', 'type:service-kit']) },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:service-kit', 'type:testing'] },
        // What a team outside this repository writes: the published contract (JSON Schemas) only; its tests publish with ours.
        { sourceTag: 'type:example', onlyDependOnLibsWithTags: tests ? ['type:contracts', 'type:testing'] : [] },
      ],
    },
  ];
}

module.exports = [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ tests: false }),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Specs and the fixtures that only they load.
    files: ['**/*.spec.ts', '**/src/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ tests: true }),
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
