// The architecture, enforced: apps are thin and import libs, never another app;
// libs/contracts is plain classes that any team can read, so it imports no framework.
const nx = require('@nx/eslint-plugin');

const frameworks = ['@nestjs/*', 'mongoose', 'mongodb', 'kafkajs', 'fastify', 'pino', 'prom-client'];

module.exports = [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: frameworks,
            },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:service-kit', onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:service-kit', 'type:testing'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:testing'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
