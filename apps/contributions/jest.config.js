module.exports = {
  displayName: 'contributions',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
