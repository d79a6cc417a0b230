import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Test hubs do not probe providers (catalog providers point at real hosts); the health
    // monitor's tests turn probes on (docs/health.md).
    env: { SIL_HEALTH_PROBES: 'off' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
