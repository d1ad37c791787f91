module.exports = {
  displayName: 'api-gateway',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The end-to-end suite builds and starts all six apps: give it room on a 2-core machine.
  testTimeout: 120_000,
};
