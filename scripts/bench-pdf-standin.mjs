#!/usr/bin/env node
// The stand-in the pdfdump benchmark compares against: plain pdfkit pages, each with 40 lines of
// Courier hex, 30 filled rectangles and 30 lines of Helvetica text, drawn through pdfkit's own
// text and vector calls and written to a file. It reads no capture; it shows what a page of
// about that much content costs in pdfkit on this machine.
//
//   node scripts/bench-pdf-standin.mjs --pages 2000 -o /tmp/standin.pdf
import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const pages = Number(opt('--pages', '1000'));
const out = createWriteStream(opt('-o', '/dev/null'));
const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, compress: true });
doc.pipe(out);
const colours = ['#cfe2f3', '#d9ead3', '#fff2cc', '#f4cccc', '#d9d2e9', '#fce5cd'];
let seed = 1;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};
const hexLine = (off) => {
  let s = off.toString(16).padStart(4, '0') + '  ';
  let a = '';
  for (let i = 0; i < 16; i++) {
    const b = rnd() & 0xff;
    s += b.toString(16).padStart(2, '0') + (i === 7 ? '  ' : ' ');
    a += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return `${s} ${a}`;
};
for (let p = 0; p < pages; p++) {
  doc.addPage();
  for (let i = 0; i < 30; i++) {
    doc.rect(30 + (i % 3) * 60, 40 + i * 24, 50 + (rnd() % 150), 12).fill(colours[i % colours.length]);
  }
  doc.fillColor('black').font('Helvetica').fontSize(7);
  for (let i = 0; i < 30; i++) doc.text(`Field ${i} label: value ${rnd()} (${rnd() % 65536})`, 30, 42 + i * 24, { lineBreak: false });
  doc.font('Courier').fontSize(7);
  for (let i = 0; i < 40; i++) doc.text(hexLine(i * 16), 300, 40 + i * 10, { lineBreak: false });
  // Like the real dump: do not let pdfkit's output run ahead of the file.
  if (out.writableNeedDrain) await new Promise((r) => out.once('drain', r));
}
doc.end();
await new Promise((r) => out.on('finish', r));
