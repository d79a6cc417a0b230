import { availableParallelism } from 'node:os';
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
    // vitest's default in run mode is one worker fewer than the cores: one worker on the 2-core CI
    // machines, where most of a test's time is spent waiting on real servers (hubs, nginx, Redis,
    // git, Chromium) rather than on the CPU. Two there: the suite takes ~6 min instead of ~10.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
