module.exports = {
  displayName: 'service-kit',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Unit tests only: the services' integration suites exercise this kit on real infrastructure.
  globalSetup: null,
};
