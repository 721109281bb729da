// Jest for Stryker (npm run test:mutation): the unit project alone, without the global setup that starts
// PostgreSQL: mutants are judged by the unit specs beside the code, which need no database. The runner
// loads only the spec files holding a test that covered the mutant (see jest.mutation.runner.js).
const { projects } = require('./jest.config');

const unit = projects.find((p) => p.displayName === 'unit');
module.exports = {
  ...unit,
  displayName: undefined,
  testTimeout: 30000,
  runner: '<rootDir>/jest.mutation.runner.js',
};
