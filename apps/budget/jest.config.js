module.exports = {
  displayName: 'budget',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
