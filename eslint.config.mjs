// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'coverage/**',
      '.stryker-tmp/**',
      'reports/**',
      'node_modules/**',
      'src/database/migrations/*.ts',
      '*.js',
      '*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // Configuration is read in one place only (src/config); everything else is handed an AppConfig.
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: '只在 src/config 中读取 process.env (read the environment in src/config only)',
        },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts', 'test/helpers/global-setup.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Build and maintenance scripts: plain Node.js ES modules, outside the app (no AppConfig to read).
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The api bench's probe, preloaded into the compiled app (`node -r`): plain CommonJS, no loader.
    files: ['bench/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
