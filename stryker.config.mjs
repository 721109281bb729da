// Mutation testing (npm run test:mutation; see docs/mutation.md). Only the unit specs run, each mutant
// against the specs that covered its code (perTest), and results are kept between runs (incremental).
// One folder at a time: npm run test:mutation -- --mutate 'src/common/crypto/**/*.ts' ...
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  ignorePatterns: ['.mutation-test-names.json'],
  concurrency: 1,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignoreStatic: true,
  mutate: [
    'src/modules/*/rules/**/*.ts',
    'src/modules/*/*/rules/**/*.ts',
    'src/modules/archives/workflow/*.rule.ts',
    'src/modules/auth/authorization/**/*.ts',
    'src/modules/audit/**/*.ts',
    'src/common/crypto/**/*.ts',
    'src/modules/auth/sessions/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/**/*.entity.ts',
    '!src/**/*.entities.ts',
    '!src/**/*.cli.ts',
  ],
};
