// Writes each jest project's counts to tmp/test-results/, so that `npm test` can close with
// one line for the whole workspace ("N passed, N failed") however many projects ran.
const { mkdirSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.name = globalConfig.rootDir ? require('node:path').basename(globalConfig.rootDir) : 'jest';
  }

  onRunComplete(_contexts, results) {
    const dir = resolve(__dirname, '../../../../tmp/test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      resolve(dir, `${this.name}.json`),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}

module.exports = SummaryReporter;
