import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // As in apps/server: Apollo and Pothos load graphql's CommonJS build under Node, so the SDK and
    // the in-process server must share that one copy (two copies refuse each other's types).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Suites in one worker share its PGlite instance (see @chancery/db/testing).
    isolate: false,
    // Timeouts catch hangs, not slowness: CI runs every package's tests at once on two cores, where
    // type-checking the consumer project or starting a server process takes several times as long.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
