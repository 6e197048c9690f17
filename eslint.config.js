import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layers of src/server (docs/architecture.md#rules), as `no-restricted-imports` options per folder.
const kyselyOutsideDb = {
  name: 'kysely',
  message: 'Only src/server/db/ and *.repository.ts use Kysely: call a repository (types: Db from db/database.ts).',
};
const driversOutsideDb = ['pg', 'better-sqlite3'].map((name) => ({
  name,
  message: 'The database driver (the dialect) stays inside src/server/db/.',
}));
/** Another folder's repository; `./x.repository.js` (its own) passes. */
const anotherRepository = (except = '') => ({
  regex: `^(?!\\./[^/]+$)${except}.*\\.repository(\\.js)?$`,
  message: "Go through that feature's service: nothing imports another feature's repository.",
});
const dialectHelpers = {
  regex: '/db/dialect(\\.js)?$',
  message: 'Only src/server/db/ and repositories ask which dialect runs.',
};
const dialectName = {
  regex: '/db/database(\\.js)?$',
  importNames: ['DialectName'],
  message: 'The dialect stays inside src/server/db/.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Only config.ts reads the environment; tests and benchmarks describe their own.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/server/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/server/config.ts.' },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/db/**', 'src/server/**/*.repository.ts', 'src/server/bus/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [kyselyOutsideDb, ...driversOutsideDb], patterns: [anotherRepository(), dialectHelpers, dialectName] },
      ],
    },
  },
  {
    // A repository may write the scheduler's due time in its own transaction (`setJob`).
    files: ['src/server/**/*.repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: driversOutsideDb,
          patterns: [anotherRepository('(?!\\.\\./scheduler/jobs\\.repository\\.js$)'), dialectName],
        },
      ],
    },
  },
  {
    // The bus carries events between instances; it knows the shapes it carries, not the features.
    files: ['src/server/bus/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [kyselyOutsideDb, ...driversOutsideDb],
          patterns: [
            {
              regex: '^\\.\\./(?!(config|context)\\.js$|http/|shared/|realtime/presence-store\\.js$)',
              message:
                'src/server/bus/ imports no feature: only config, context, http/, shared/ and the presence store.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.ts', 'src/web/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**', 'node:*'], message: 'Pages import only src/protocol.' }] },
      ],
    },
  },
  {
    // Tests read response bodies as untyped JSON and assert on them; that is their point.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
