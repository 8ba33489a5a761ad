import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The second reporter fails the run if a test secret shows up anywhere in its output.
    reporters: ['default', './test/support/secret-scan-reporter.ts'],
    // Server and fake-provider tests bind loopback ports; two workers suit the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
