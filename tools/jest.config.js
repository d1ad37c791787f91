module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // tools/faults is a project of its own (the fault suite, which runs whole stacks).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/faults/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
  // Most tools tests read code; the seed's acceptance test runs the whole stack.
  globalSetup: `${__dirname}/../libs/testing/src/jest/global-setup.ts`,
  testTimeout: 60_000,
  maxWorkers: 1,
};
