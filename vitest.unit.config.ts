import { defineConfig } from 'vitest/config';

// The pure tests: modules under src/ tested alone, no database setup and no server (npm run test:unit).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/support/scripted-llm.test.ts'],
    pool: 'threads',
    testTimeout: 30_000,
  },
});
