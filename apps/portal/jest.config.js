module.exports = {
  displayName: 'portal',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // View-model tests, a browser spec against an in-test fixture API, and one against the real
  // system (portal.stack.spec.ts), which needs the shared infrastructure.
};
