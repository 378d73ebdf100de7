import { defineConfig } from 'vitest/config';

/**
 * Two projects: `fast` (unit, golden and property tests of the generator and the runtime; about a
 * minute on two cores) and `e2e` (generated systems built and run, the runtime against real
 * servers). `npm test` runs both; `npm run test:fast` only the first.
 */
const E2E = ['tests/e2e/**/*.test.ts', 'runtime/test/**/*.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // End-to-end tests install and build generated systems; they set their own longer timeouts.
    hookTimeout: 600_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'fast', include: ['tests/**/*.test.ts', 'runtime/test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
