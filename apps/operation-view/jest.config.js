module.exports = {
  displayName: 'operation-view',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
