// Shared by every project's jest.config.ts. ts-jest transpiles only (isolatedModules in
// tsconfig.spec.json): type errors are the typecheck target's job, so tests start fast.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Integration suites share one broker and one server: one worker per project keeps a
  // 2-core machine responsive; projects still run side by side under nx run-many.
  maxWorkers: 1,
  testTimeout: 60_000,
  // A failed integration test can leave a consumer or a client behind; jest would then wait
  // for it forever and a red run would never end (seen on a CI-like run). Failures still fail.
  forceExit: true,
  globalSetup: `${__dirname}/libs/testing/src/jest/global-setup.ts`,
  reporters: ['default', `${__dirname}/libs/testing/src/jest/summary-reporter.js`],
};
