// The fault and abuse suite (issue 10): every spec starts a namespaced stack of its own on the
// real broker and server, so the timeouts are generous and the specs run one at a time.
module.exports = {
  displayName: 'faults',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 240_000,
};
