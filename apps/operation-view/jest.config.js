module.exports = {
  displayName: 'operation-view',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // So far the pure derivation and projection rules: no infrastructure needed.
  globalSetup: null,
};
