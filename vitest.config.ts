import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Test files share their worker's module cache: loading the dissector and renderers once per
    // worker instead of once per file saves most of the suite's start-up time. Tests keep no
    // global state between files (each makes its own temporary folders and registries).
    isolate: false,
    // Vitest's default is one worker per core but one; most files spend their time waiting on
    // the CLI processes they start, so two workers keep both cores busy.
    maxWorkers: 2,
  },
});
