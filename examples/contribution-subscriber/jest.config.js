module.exports = {
  displayName: 'contribution-subscriber',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
