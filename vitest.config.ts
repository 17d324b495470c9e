import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (dir: string) => fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url));

// Tests run against the TypeScript sources of the workspace packages; the end-to-end tests start
// the built apps (`npm test` builds first).
const alias = {
  '@harmonizer/config': src('packages/config'),
  '@harmonizer/core': src('packages/core'),
  '@harmonizer/db': src('packages/db'),
  '@harmonizer/queue': src('packages/queue'),
  '@harmonizer/storage': src('packages/storage'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
