import { defineConfig } from 'vitest/config';
import { FAST_TMP } from './tests/helpers/fast-tmp.js';

/**
 * Two projects: `fast` (unit, golden and property tests of the generator and the runtime; at most a
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
      // Two files at a time: on two cores vitest's default (cores - 1) ran them one by one. The
      // end-to-end files keep that default (they build systems and start servers), so they run
      // as a second group, after the fast one.
      //
      // The fast files share their worker's modules (`isolate: false`): isolated, each of the ~70
      // files imported TypeScript, ts-morph, ajv, yaml and the generator afresh, about a third of
      // the project's CPU time. So a fast test must leave no process-wide state behind: no
      // process.env or cwd change, no fake timers or spies left on, no server left listening; a
      // setter such as setPrompter is restored in afterEach. Their temporary files go to a folder
      // of the run's own, in memory when there is room (tests/helpers/fast-tmp.ts).
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['tests/**/*.test.ts', 'runtime/test/**/*.test.ts'],
          exclude: E2E,
          maxWorkers: 2,
          isolate: false,
          env: { TMPDIR: FAST_TMP },
          globalSetup: ['tests/helpers/fast-tmp.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E, sequence: { groupOrder: 1 } } },
    ],
  },
});
