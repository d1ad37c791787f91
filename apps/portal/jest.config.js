module.exports = {
  displayName: 'portal',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Pure view-model tests and a browser spec against an in-test fixture API: no Kafka, no MongoDB.
  globalSetup: null,
};
