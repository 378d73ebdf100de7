import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests install and build generated systems; they set their own longer timeouts.
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
