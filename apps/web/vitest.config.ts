import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The end-to-end suite starts the API server in-process: Apollo and Pothos load graphql's
    // CommonJS build under Node, so everything must share that one copy (as in apps/server).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Suites in one worker share its PGlite instance (see @chancery/db/testing).
    isolate: false,
    // Timeouts catch hangs, not slowness: CI runs every package's tests at once on two cores, where
    // starting a server process or a browser takes several times as long as alone.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
