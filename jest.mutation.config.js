// Jest for Stryker (npm run test:mutation): the unit project alone, without the global setup that starts
// PostgreSQL: mutants are judged by the unit specs beside the code, which need no database.
const { projects } = require('./jest.config');

const unit = projects.find((p) => p.displayName === 'unit');
module.exports = { ...unit, displayName: undefined, testTimeout: 30000 };
