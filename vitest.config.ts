import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A guard against a hung test, not a speed limit: multi-process e2e tests on a busy 2-core machine (another test
    // run beside them) take minutes. Speed is measured by `npm run bench`.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
