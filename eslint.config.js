import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'bench/out/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The engine is pure: no I/O, no environment, no clocks of its own. Apps feed it data.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
            'https', 'node:https', 'child_process', 'node:child_process', 'dgram', 'node:dgram',
            'worker_threads', 'node:worker_threads', 'cluster', 'node:cluster', 'os', 'node:os',
            'readline', 'node:readline', 'bullmq', 'ioredis', 'pg', 'better-sqlite3', 'drizzle-orm',
          ].map((name) => ({ name, message: 'packages/core is pure: do I/O in the apps and pass data in.' })),
          patterns: [{ group: ['@harmonizer/*'], message: 'packages/core depends on no other workspace package.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'packages/core reads no environment or process state.' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'packages/core reads no environment.' }],
    },
  },
);
