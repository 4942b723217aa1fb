import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts catch hangs, not slowness: the option tests start `npm run bench`'s script in a
    // process of its own (~4 s alone under tsx, several times that while CI runs every package).
    testTimeout: 180_000,
  },
});
