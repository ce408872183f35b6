import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**'],
    // Suites start real servers and spawn kubectl; 2-core machines need headroom,
    // but no test relies on wall-clock timing (see DEVELOPERS notes in README).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
