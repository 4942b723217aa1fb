import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for Apollo and Pothos; Vite would hand our sources the ESM
    // build, and two copies of graphql refuse each other's types. One copy for everyone.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Suites in one worker share its PGlite instance (see @chancery/db/testing).
    isolate: false,
    // Timeouts catch hangs, not slowness: CI runs every package's tests at once on two cores, where
    // starting a server process or a browser takes several times as long as alone.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
