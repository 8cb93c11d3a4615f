#!/usr/bin/env node
// In-process timing of the stages of `list` and `fields` (best of N passes over frames held
// in memory, CPU time), to see where the time goes. Not a target check: `npm run bench` is.
// Usage: [STAGES=select,summary,full] node scripts/bench-stages.mjs FILE [passes]
import { openCapture } from '../dist/capture/read-capture.js';
import { Dissector } from '../dist/dissect/dissect-packet.js';
import { defaultRegistry } from '../dist/dissect/protocols/index.js';
import { PacketLister } from '../dist/render/list/packet-list.js';
import { listLine } from '../dist/run/packet-jobs.js';

const file = process.argv[2];
const passes = Number(process.argv[3] ?? 5);
const frames = [];
const reader = await openCapture(file);
for await (const batch of reader.batches()) for (const f of batch) frames.push({ ...f, data: f.data.slice() });
await reader.close();
const registry = defaultRegistry();
const FIELDS = ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport'];

const only = process.env.STAGES?.split(',');
function time(name, run) {
  if (only !== undefined && !only.some((o) => name.startsWith(o))) return;
  const times = [];
  for (let i = 0; i < passes; i++) {
    // CPU time of this process: less disturbed than wall time by other work on a shared machine.
    const t0 = process.cpuUsage();
    run();
    const t = process.cpuUsage(t0);
    times.push((t.user + t.system) / 1e3);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} best ${times[0].toFixed(0).padStart(6)} ms  median ${times[times.length >> 1].toFixed(0).padStart(6)} ms  ${((times[0] * 1000) / frames.length).toFixed(2)} µs/packet`);
}

let sink = 0;
time('select 4 fields (dissect only)', () => {
  const d = new Dissector(registry, { mode: 'select', fields: FIELDS });
  for (const f of frames) sink += d.dissect(f).layers.length;
});
time('summary (dissect only)', () => {
  const d = new Dissector(registry, { mode: 'summary' });
  for (const f of frames) sink += d.dissect(f).layers.length;
});
time('summary + row', () => {
  const d = new Dissector(registry, { mode: 'summary' });
  const l = new PacketLister('r');
  for (const f of frames) sink += l.row(d.dissect(f)).info.length;
});
time('summary + row + line', () => {
  const d = new Dissector(registry, { mode: 'summary' });
  const l = new PacketLister('r');
  let out = '';
  for (const f of frames) {
    out += listLine(l.row(d.dissect(f)), false) + '\n';
    if (out.length > 65536) { sink += out.length; out = ''; }
  }
});
time('full (dissect only)', () => {
  const d = new Dissector(registry, { mode: 'full' });
  for (const f of frames) sink += d.dissect(f).layers.length;
});
console.log(`${frames.length} frames (${sink & 1})`);
