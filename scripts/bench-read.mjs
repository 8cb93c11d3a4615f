#!/usr/bin/env node
// Reads every frame of a capture through pcapviz's reader and prints what it saw.
// Usage: node scripts/bench-read.mjs FILE
// The reader's own entry point (`pcapviz/capture`), as a program that only reads captures loads it.
import { openCapture } from '../dist/capture/index.js';

const reader = await openCapture(process.argv[2]);
let packets = 0;
let bytes = 0;
let touched = 0;
for await (const batch of reader.batches()) {
  for (const f of batch) {
    packets++;
    bytes += f.capLen;
    touched ^= f.data.length > 0 ? f.data[0] : 0;
  }
}
console.log(JSON.stringify({ packets, bytes, touched, damaged: reader.damage !== undefined }));
