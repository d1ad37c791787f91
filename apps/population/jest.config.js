module.exports = {
  displayName: 'population',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
