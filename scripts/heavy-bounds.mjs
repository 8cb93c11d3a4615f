#!/usr/bin/env node
// Runs the full-size resource-bound tests by hand (10 million flows, 20 GB read from a pipe):
//   npm run build && node scripts/heavy-bounds.mjs [vitest -t pattern]
// Each prints its peak RSS and time; docs/limits.md records them. CI runs the scaled sizes.
import { spawnSync } from 'node:child_process';

const pattern = process.argv[2] ?? 'flows|gigabytes';
const r = spawnSync('npx', ['vitest', 'run', 'test/hardening/bounds.test.ts', '-t', pattern], {
  stdio: 'inherit',
  env: { ...process.env, PCAPVIZ_HEAVY: '1' },
});
process.exit(r.status ?? 1);
