import { spawnSync } from 'node:child_process';

const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would (needs `npm run build` first; `npm test` does it). */
export function runCli(args: readonly string[], input?: Uint8Array, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}
