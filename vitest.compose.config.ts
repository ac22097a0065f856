// The docker compose end-to-end test (test/compose): needs a Docker engine and the base images
// (scripts/docker-images.sh). One file, steps in order, long bounded waits for image builds.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/compose/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 1_500_000,
    hookTimeout: 300_000,
  },
});
