import { defineConfig } from 'vitest/config';

// The pure tests: modules under src/ tested alone, no database setup and no server (npm run test:unit).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/support/scripted-llm.test.ts'],
    // These start processes or servers (Python, stdio and HTTP MCP servers): they run in the full suite.
    exclude: ['src/sandbox/python-runner.test.ts', 'src/mcp/manager-stdio.test.ts', 'src/mcp/manager-http.test.ts'],
    pool: 'threads',
    testTimeout: 30_000,
  },
});
