/**
 * The worker-thread side of `pcapviz batch` (a piscina task): runs one capture and answers with
 * its result. What the capture's run would print on stderr is kept for its summary instead, so
 * the main thread's progress line is not interleaved with it.
 */
import { runCaptureTask, type CaptureResult, type CaptureTask } from './capture-job.js';

let sink: string[] | undefined;
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
  if (sink === undefined) return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  for (const line of text.split('\n')) if (line.trim() !== '') sink.push(line.replace(/^pcapviz: /, ''));
  const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
  cb?.();
  return true;
}) as typeof process.stderr.write;

export default async function run(task: CaptureTask): Promise<CaptureResult> {
  const warnings: string[] = [];
  sink = warnings;
  try {
    return await runCaptureTask(task, warnings);
  } finally {
    sink = undefined;
  }
}
