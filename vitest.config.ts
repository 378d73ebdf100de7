import { defineConfig } from 'vitest/config';

/**
 * Two projects: `fast` (unit, golden and property tests of the generator and the runtime; about
 * a minute and a half on two cores) and `e2e` (generated systems built and run, the runtime against real
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
      // Two files at a time: on two cores vitest's default (cores - 1) ran them one by one. The
      // end-to-end files keep that default (they build systems and start servers), so they run
      // as a second group, after the fast one.
      { extends: true, test: { name: 'fast', include: ['tests/**/*.test.ts', 'runtime/test/**/*.test.ts'], exclude: E2E, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e', include: E2E, sequence: { groupOrder: 1 } } },
    ],
  },
});
