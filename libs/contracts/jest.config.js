module.exports = {
  displayName: 'contracts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Pure code: no broker or database, so no infrastructure to resolve.
  globalSetup: null,
};
