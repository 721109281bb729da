// Jest test runner for Stryker (jest.mutation.config.js): loads only the spec files that hold a test the
// mutant run asks for. Stryker runs each mutant with --findRelatedTests and a --testNamePattern listing the
// tests that covered the mutant, but jest still loads every related spec file and only then skips its tests:
// field-cipher.ts is imported (through the config) by 17 unit specs, and loading the 16 that run nothing
// took 13 of the 14 seconds of a mutant. The dry run (no name pattern) records each file's test names; a
// mutant run then drops the files none of whose tests match. A file without a record is kept.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const TestRunner = require('jest-runner').default;

const NAMES = Symbol.for('bangfu.mutation.testNamesByFile');

class CoveringFilesRunner extends TestRunner {
  constructor(globalConfig, context) {
    super(globalConfig, context);
    // Kept in the rootDir (Stryker's sandbox, made anew for each run) so a restarted test runner
    // process (after a timeout) keeps the record of the dry run.
    this.file = join(globalConfig.rootDir, '.mutation-test-names.json');
    if (!globalThis[NAMES])
      globalThis[NAMES] = existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : {};
  }

  async runTests(tests, watcher, options) {
    const pattern = this._globalConfig.testNamePattern;
    if (!pattern) {
      const names = (globalThis[NAMES] = {});
      const off = this.on('test-file-success', ([test, result]) => {
        names[test.path] = result.testResults.map((r) => r.fullName);
      });
      try {
        return await super.runTests(tests, watcher, options);
      } finally {
        off();
        writeFileSync(this.file, JSON.stringify(names));
      }
    }
    const names = globalThis[NAMES];
    const wanted = new RegExp(pattern, 'i');
    const needed = tests.filter((t) => !names[t.path] || names[t.path].some((n) => wanted.test(n)));
    return super.runTests(needed, watcher, options);
  }
}

module.exports = CoveringFilesRunner;
