// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const shells = ['store', 'server', 'interop', 'cli', 'web'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.rein', 'drizzle', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // DESIGN.md §1: the clinical core is pure. It imports nothing from the shells and no I/O module.
    files: ['src/clinical/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: shells.flatMap((s) => [`**/${s}`, `**/${s}/**`]),
              message: 'src/clinical must not import from store, server, interop, cli or web (DESIGN.md §1).',
            },
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'http',
                'https',
                'net',
                'child_process',
                'path',
                'os',
                'crypto',
              ],
              message: 'src/clinical is pure: no I/O or platform modules.',
            },
            {
              group: [
                'fastify',
                'fastify*',
                '@fastify/*',
                'drizzle-orm',
                'drizzle-orm/*',
                'pg',
                '@electric-sql/*',
                'react',
                'react-dom',
                'react/*',
                'pino',
                'commander',
              ],
              message: 'src/clinical is pure: frameworks and drivers belong in the shells.',
            },
          ],
        },
      ],
    },
  },
  {
    // Dependencies point inward: interop may use clinical only; store may use clinical types only.
    files: ['src/interop/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/server',
                '**/server/**',
                '**/cli',
                '**/cli/**',
                '**/web',
                '**/web/**',
                '**/store',
                '**/store/**',
              ],
              message: 'interop depends on clinical only (DESIGN.md §1).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/server',
                '**/server/**',
                '**/cli',
                '**/cli/**',
                '**/web',
                '**/web/**',
                '**/interop',
                '**/interop/**',
              ],
              message: 'store depends on clinical (types) only (DESIGN.md §1).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/store/**', '**/cli/**', '**/interop/**'],
              allowTypeImports: true,
              message: 'web talks to the server over HTTP only (DESIGN.md §1).',
            },
          ],
        },
      ],
    },
  },
);
