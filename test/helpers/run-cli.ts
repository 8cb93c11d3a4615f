import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

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

export interface RunningCli {
  readonly child: ChildProcess;
  /** Standard output and error so far. */
  readonly out: { stdout: string; stderr: string };
  /** Settles when the process has exited. */
  readonly done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI without waiting for it (to signal it while it runs); `stdin: true` gives it a pipe to write to. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin = false): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out.stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out.stderr += s));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (status, signal) => resolve({ status, signal, stdout: out.stdout, stderr: out.stderr }));
  });
  return { child, out, done };
}
