// Writes each jest project's counts, and each failure with the start of its message, to
// tmp/test-results/, so that `npm test` can close with one line for the whole workspace ("N passed,
// N failed") and the failures right above it, where a CI log's tail shows them.
const { mkdirSync, writeFileSync } = require('node:fs');
const { basename, relative, resolve } = require('node:path');

const root = resolve(__dirname, '../../../..');
// What a failure message needs to be understood without the log around it: its first lines.
const messageLines = 20;

class SummaryReporter {
  constructor(globalConfig) {
    this.name = globalConfig.rootDir ? basename(globalConfig.rootDir) : 'jest';
  }

  onRunComplete(_contexts, results) {
    const dir = resolve(root, 'tmp/test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      resolve(dir, `${this.name}.json`),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        failures: results.testResults.flatMap(failuresOf),
      }),
    );
  }
}

function failuresOf(file) {
  const path = relative(root, file.testFilePath);
  if (file.testExecError) return [{ path, title: '(the suite could not run)', message: shorten(file.testExecError.message) }];
  return file.testResults
    .filter((test) => test.status === 'failed')
    .map((test) => ({ path, title: test.fullName, message: shorten(test.failureMessages.join('\n')) }));
}

function shorten(text) {
  return text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => !line.includes('/node_modules/')) // jest's own frames say nothing of the failure
    .slice(0, messageLines)
    .join('\n');
}

module.exports = SummaryReporter;
