#!/usr/bin/env node
// The dissector under 1,000,000 fuzzed packets (needs `npm run build`): half fuzz() packets from
// the templates in src/craft/fuzz-check.ts, half mutated packets of the fixtures' captures, each
// dissected in full mode by a strict dissector (a dissector bug throws). The run is a worker
// thread watched from here: no progress for --stall seconds counts as a hang.
//
//   node scripts/fuzz-dissector.mjs                          # 1,000,000 packets, seed "robust"
//   node scripts/fuzz-dissector.mjs --count 100000 --seed 9
//
// A failure prints the packet's fuzz comment, its bytes in hex and the stack; the same seed
// makes the same packet again. Exit 0 when every packet was dissected, 1 otherwise.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

if (isMainThread) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const count = Number(opt('count', '1000000'));
  const seed = opt('seed', 'robust');
  const stall = Number(opt('stall', '30'));
  const started = performance.now();
  let last = { done: 0, at: performance.now() };
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { count, seed } });
  const watchdog = setInterval(() => {
    if (performance.now() - last.at > stall * 1000) {
      clearInterval(watchdog);
      console.error(`HANG: no progress for ${stall} s after packet ${last.done} (seed ${seed}); the next 10,000 packets hold the culprit`);
      void worker.terminate().then(() => process.exit(1));
    }
  }, 1000);
  worker.on('message', (m) => {
    if (m.kind === 'progress') {
      last = { done: m.done, at: performance.now() };
      process.stderr.write(`\r${m.done.toLocaleString('en')} packets, ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    clearInterval(watchdog);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write('\n');
    console.log(`${m.packets.toLocaleString('en')} fuzzed packets (seed ${seed}, corpus ${m.corpus} packets) dissected in ${secs} s: ${m.failures.length} failure(s); slowest packet ${m.slowestMs.toFixed(1)} ms`);
    console.log(`  slowest: ${m.slowestComment}`);
    for (const f of m.failures) {
      console.log(`\nFAIL packet ${f.index} (link type ${f.linkType}): ${f.comment}\n  ${Buffer.from(f.data).toString('hex')}\n  ${f.error.split('\n').slice(0, 6).join('\n  ')}`);
    }
    process.exitCode = m.failures.length === 0 && m.packets === count ? 0 : 1;
  });
  worker.on('error', (e) => {
    clearInterval(watchdog);
    console.error(`worker failed: ${e.stack ?? e}`);
    process.exitCode = 1;
  });
} else {
  const { fuzzDissector } = await import(join(root, 'dist/craft/fuzz-check.js'));
  const { openCapture } = await import(join(root, 'dist/capture/index.js'));
  const corpus = [];
  for (const name of readdirSync(join(root, 'fixtures')).sort()) {
    if (!/\.(pcap|pcapng)(\.gz)?$/.test(name)) continue;
    for await (const f of await openCapture(join(root, 'fixtures', name))) if (f.kind === 'packet') corpus.push({ ...f, data: Uint8Array.from(f.data) });
  }
  const { count, seed } = workerData;
  const r = fuzzDissector({ seed, count, corpus, every: 10_000, progress: (done) => parentPort.postMessage({ kind: 'progress', done }) });
  parentPort.postMessage({ kind: 'done', corpus: corpus.length, ...r });
}
