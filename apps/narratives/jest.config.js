module.exports = {
  displayName: 'narratives',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
