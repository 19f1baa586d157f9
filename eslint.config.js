// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/*
 * Layer rules. Dependencies point inward:
 *   clinical → nothing (zod and small pure libraries only); clinical/vocabulary → zod only
 *   store    → clinical types only (`import type`), plus the vocabulary's lists for CHECK constraints
 *   interop  → clinical
 *   app      → store, clinical, interop
 *   server   → app, src/server/**, interop (content types); store and clinical as types only
 *              (plus the vocabulary); server/schemas → zod and clinical only (the web imports them)
 *   cli      → app and server/schemas (shared contracts); src/cli/serve.ts → server, to start it;
 *              src/cli/store.ts → store/open and server/config (opens the database); cli/demo.ts → demo/load
 *   Dynamic `import()` obeys the same rules as static imports (layers/no-restricted-dynamic-imports).
 *   demo     → app, clinical (it generates with the core's rules); never the store, not even types
 *   server/routes/clinic.ts → demo/load as well (the start page's "load demo")
 *   web      → HTTP, plus clinical/vocabulary and server/schemas (shared form contracts)
 * Each rule matches relative import paths by the layer folder they reach (`../../store/users`).
 * src/layers.test.ts lints a violating snippet for every rule and expects the error.
 */

/** A relative import that reaches the top-level folder `dir` (e.g. `../store`, `../../store/users`). */
const into = (dir) => `^(\\.\\./)+${dir}(/|$)`;
/** …the same, except the sub-folders listed, which stay allowed. */
const intoExcept = (dir, ...allowed) => `^(\\.\\./)+${dir}(/(?!(${allowed.join('|')})(/|$)).*)?$`;

const ban = (regex, message, opts = {}) => ({ regex, message, caseSensitive: true, ...opts });

const IO_MODULES = ['node:*', 'fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'path', 'os', 'crypto'];
const FRAMEWORKS = [
  'fastify',
  'fastify*',
  '@fastify/*',
  'drizzle-orm',
  'drizzle-orm/*',
  'drizzle-kit',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  'react-router',
  '@tanstack/*',
  '@mantine/*',
  'pino',
  'commander',
  'pdfkit',
  'ics',
  'argon2',
];

/** What only a shell may use: HTTP, the command line, the browser UI. */
const SHELL_FRAMEWORKS = [
  'fastify',
  'fastify*',
  '@fastify/*',
  'commander',
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  'react-router',
  '@tanstack/*',
  '@mantine/*',
];

const pureCore = [
  { group: IO_MODULES, message: 'src/clinical is pure: no I/O or platform modules.' },
  { group: FRAMEWORKS, message: 'src/clinical is pure: frameworks and drivers belong in the shells.' },
];

/**
 * `import('…')` expressions are not checked by `no-restricted-imports`, so a lazily loaded module
 * could cross a layer unseen. This rule applies the same patterns to them: a dynamic import is a
 * value import, so `allowTypeImports` never exempts it.
 */
const globToRegExp = (glob) =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
const layersPlugin = {
  rules: {
    'no-restricted-dynamic-imports': {
      meta: { type: 'problem', schema: [{ type: 'object', additionalProperties: true }] },
      create(context) {
        const { patterns = [] } = context.options[0] ?? {};
        const tests = patterns.map((p) => ({
          matches: p.regex
            ? (source) => new RegExp(p.regex, p.caseSensitive ? '' : 'i').test(source)
            : (source) => p.group.some((g) => globToRegExp(g).test(source)),
          message: p.message,
        }));
        return {
          ImportExpression(node) {
            const source = node.source;
            if (source.type !== 'Literal' || typeof source.value !== 'string') return;
            const hit = tests.find((t) => t.matches(source.value));
            if (hit)
              context.report({ node, message: `'${source.value}' import is restricted: ${hit.message}` });
          },
        };
      },
    },
  },
};

/** `no-restricted-imports` with the given patterns, for static and dynamic imports alike. */
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
  'layers/no-restricted-dynamic-imports': ['error', { patterns }],
});
const unrestricted = { 'no-restricted-imports': 'off', 'layers/no-restricted-dynamic-imports': 'off' };

/**
 * Files that still break a layer rule, listed so the debt stays visible; the layer rule is off for
 * these files only. The list is empty: a new file is never added here.
 */
export const pendingLayerExceptions = [];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.rein', 'drizzle', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { layers: layersPlugin },
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
    files: ['src/clinical/**/*.ts'],
    rules: restrict(
      ban(
        into('(app|store|server|interop|cli|demo|web)'),
        'clinical depends on nothing: no app, store, server, interop, cli, demo or web.',
      ),
      ...pureCore,
    ),
  },
  {
    // The vocabulary is what the web bundles: data and zod only.
    files: ['src/clinical/vocabulary/**/*.ts'],
    rules: restrict(
      ban('^\\.\\./', 'clinical/vocabulary imports only zod and its own files (the web bundles it).'),
      ...pureCore,
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict(
      ban(into('(app|server|interop|cli|demo|web)'), 'store depends on clinical (types) only.'),
      ban(
        intoExcept('clinical', 'vocabulary'),
        'store may use clinical types only (`import type`); lists come from clinical/vocabulary.',
        { allowTypeImports: true },
      ),
    ),
  },
  {
    files: ['src/interop/**/*.ts'],
    rules: restrict(
      ban(
        into('(app|store|server|cli|demo|web)'),
        'interop depends on clinical only: it maps, it does not load.',
      ),
    ),
  },
  {
    files: ['src/app/**/*.ts'],
    rules: restrict(
      // server/schemas are the shared request contracts (pure zod, lint-checked below): importers in
      // app validate with the same schemas as HTTP.
      ban(
        intoExcept('server', 'schemas'),
        'app depends on store, clinical, interop and the shared contracts in server/schemas only: shells call it.',
      ),
      ban(into('(cli|demo|web)'), 'app depends on store, clinical and interop only: shells call it.'),
      {
        group: SHELL_FRAMEWORKS,
        message: 'app knows no transport or UI: HTTP, the CLI and React stay in the shells.',
      },
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/schemas/**'],
    rules: restrict(
      ban(into('(cli|demo|web)'), 'server depends on app, its own files and interop only.'),
      ban(into('store'), 'server reaches the database through src/app; store types only (`import type`).', {
        allowTypeImports: true,
      }),
      ban(
        intoExcept('clinical', 'vocabulary'),
        'server decides nothing itself: clinical rules run in src/app (types and clinical/vocabulary only here).',
        { allowTypeImports: true },
      ),
    ),
  },
  {
    // The start page's "load demo" is the one route that reaches the demo generator, and only its
    // entry (src/demo/load.ts): the demo is a client of src/app like the route itself.
    files: ['src/server/routes/clinic.ts'],
    rules: restrict(
      ban(into('(cli|web)'), 'server depends on app, its own files and interop only.'),
      ban(intoExcept('demo', 'load'), 'the clinic route reaches the demo through src/demo/load.ts only.'),
      ban(into('store'), 'server reaches the database through src/app; store types only (`import type`).', {
        allowTypeImports: true,
      }),
      ban(
        intoExcept('clinical', 'vocabulary'),
        'server decides nothing itself: clinical rules run in src/app (types and clinical/vocabulary only here).',
        { allowTypeImports: true },
      ),
    ),
  },
  {
    // The composition root: builds the server around an open store (opened by the CLI).
    files: ['src/server/app.ts', 'src/server/config.ts'],
    rules: restrict(
      ban(into('(cli|demo|web)'), 'server depends on app, its own files and interop only.'),
      ban(
        intoExcept('store', 'open'),
        'the server is built around an open store; everything else goes through src/app.',
        {
          allowTypeImports: true,
        },
      ),
      ban(
        intoExcept('clinical', 'vocabulary'),
        'server decides nothing itself: clinical rules run in src/app.',
        {
          allowTypeImports: true,
        },
      ),
    ),
  },
  {
    // Shared request/response contracts: the web validates its forms with them.
    files: ['src/server/schemas/**/*.ts'],
    rules: restrict(
      ban(
        into('(app|store|interop|cli|demo|web)'),
        'server/schemas are pure zod: they import only zod, clinical and each other.',
      ),
      ban('^\\.\\./(?!\\.\\./clinical(/|$))', 'server/schemas import only zod, clinical and each other.'),
      {
        group: [...IO_MODULES, ...FRAMEWORKS],
        message: 'server/schemas are pure zod (the web bundles them).',
      },
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/serve.ts', 'src/cli/store.ts', 'src/cli/**/*.test.ts'],
    rules: restrict(
      ban(into('(web|interop)'), 'cli calls src/app.'),
      // server/schemas are the shared contracts: a flag is validated like the API field it fills.
      ban(
        intoExcept('server', 'schemas'),
        'cli calls src/app and validates with src/server/schemas (only src/cli/serve.ts starts the server).',
      ),
      ban(
        intoExcept('demo', 'load'),
        '`rein demo` reaches the demo generator through src/demo/load.ts only.',
      ),
      ban(into('store'), 'cli calls src/app, not the store (types only).', { allowTypeImports: true }),
      ban(intoExcept('clinical', 'vocabulary'), 'cli calls src/app, not the clinical core (types only).', {
        allowTypeImports: true,
      }),
    ),
  },
  {
    // The command line's composition root: opens the database the environment names.
    files: ['src/cli/store.ts'],
    rules: restrict(
      ban(into('(web|interop|demo)'), 'cli calls src/app.'),
      ban(
        intoExcept('server', 'config'),
        'cli/store.ts reads the configuration, nothing more of the server.',
      ),
      ban(
        intoExcept('store', 'open'),
        'cli/store.ts opens the store; everything else goes through src/app.',
        {
          allowTypeImports: true,
        },
      ),
      ban(intoExcept('clinical', 'vocabulary'), 'cli calls src/app, not the clinical core (types only).', {
        allowTypeImports: true,
      }),
    ),
  },
  {
    files: ['src/cli/serve.ts'],
    rules: restrict(
      ban(into('(web|demo|interop)'), 'cli calls src/app.'),
      ban(into('store'), 'cli calls src/app, not the store (types only).', { allowTypeImports: true }),
      ban(intoExcept('server', 'app\\.ts', 'app', 'config', 'log-format'), 'cli may only start the server.'),
      ban(intoExcept('clinical', 'vocabulary'), 'cli calls src/app, not the clinical core (types only).', {
        allowTypeImports: true,
      }),
    ),
  },
  {
    files: ['src/demo/**/*.ts'],
    rules: restrict(
      ban(into('(server|cli|web|interop)'), 'the demo generator is a client of src/app, not of a shell.'),
      ban(
        into('store'),
        'the demo generator persists through src/app (src/app/demo.ts), never the store, not even its types.',
      ),
    ),
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    ignores: ['src/web/api/schema.d.ts'],
    rules: restrict(
      ban(
        into('(app|store|interop|cli|demo)'),
        'web talks to the server over HTTP only (types allowed, they vanish from the bundle).',
        { allowTypeImports: true },
      ),
      ban(
        intoExcept('server', 'schemas'),
        'web may import src/server/schemas (shared contracts), nothing else.',
        {
          allowTypeImports: true,
        },
      ),
      ban(
        intoExcept('clinical', 'vocabulary'),
        'web may import src/clinical/vocabulary only; clinical rules run on the server.',
        { allowTypeImports: true },
      ),
    ),
  },
  {
    ...reactHooks.configs.flat.recommended,
    files: ['src/web/**/*.{ts,tsx}'],
  },
  {
    // Tests set up fixtures in every layer; the rules are about what ships.
    files: ['**/*.test.ts', '**/*.test.tsx', 'src/server/test-support.ts', 'src/store/test-harness.ts'],
    rules: unrestricted,
  },
  ...(pendingLayerExceptions.length > 0 ? [{ files: pendingLayerExceptions, rules: unrestricted }] : []),
);
