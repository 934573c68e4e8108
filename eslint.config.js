import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const rendererPaths = ['electron', 'better-sqlite3', 'drizzle-orm', 'fs', 'path', 'child_process'];
const rendererPatterns = [
  { group: ['node:*'], message: 'The renderer has no Node access.' },
  { group: ['**/core/**', '**/db/**', '**/electron/**'], message: 'The renderer talks only to window.kansli.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench/**', 'db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // The core and shared code never import Electron: they must run under plain Node (and shared/ in the browser).
    files: ['core/**', 'shared/**', 'db/**', 'server/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core never imports electron.' }] }],
    },
  },
  {
    // shared/domain is what the renderer may import values from: it must stay free of zod (its JIT needs
    // `new Function`, refused by the CSP) and of the contract modules that build zod schemas.
    files: ['shared/domain/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The core never imports electron.' },
            { name: 'zod', message: 'shared/domain is zod-free: the renderer imports it (see shared/domain/register.ts).' },
          ],
          patterns: [{ group: ['**/api/*', 'zod/*'], message: 'shared/domain is zod-free: shared/api builds on it, not the other way round.' }],
        },
      ],
    },
  },
  {
    // The renderer talks only to window.kansli: no Node, no database, no core.
    files: ['renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: rendererPaths, patterns: rendererPatterns }],
    },
  },
  {
    // Values from shared/domain, types from shared/api: a value import from a contract module brings zod
    // into the bundle (the build fails then too, see scripts/renderer-bundle-check.ts; this says it sooner).
    // shared/api/client.ts is the zod-free transport. Tests and the dev-only fake may use the real schemas.
    files: ['renderer/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'renderer/src/dev/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...rendererPaths, { name: 'zod', message: 'zod stays out of the renderer bundle (CSP): check input with shared/domain values.' }],
          patterns: [
            ...rendererPatterns,
            {
              group: ['**/shared/api/*', '!**/shared/api/client'],
              allowTypeImports: true,
              message: 'Import only types from shared/api; values come from shared/domain (zod-free).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
