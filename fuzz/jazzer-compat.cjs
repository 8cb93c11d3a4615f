// Loaded with `node --require` before Jazzer.js. Jazzer.js 4's prebuilt fuzzer addon for Linux
// x64 is linked against glibc 2.38 and GCC 13's libstdc++, but only through three symbols:
// __isoc23_strtol and __isoc23_strtoul (strtol/strtoul that also read "0b" literals; libFuzzer
// parses its flags with them) and std::ios_base_library_init (a link-time marker GCC 13 headers
// reference, never relocated or called). On an older system (Debian 12: glibc 2.36, GCC 12)
// dlopen refuses the addon for those versions alone. When that happens, this hook loads a
// patched copy instead, kept in .fuzz/addon/ (ignored by git): the two calls are bound to
// strtol@GLIBC_2.2.5 and strtoul@GLIBC_2.2.5, and the two version requirements are marked weak
// so their absence is not fatal. Nothing in node_modules itself is changed; on a system with
// glibc 2.38 or later the original addon loads and this hook does nothing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const ADDON = /[\\/]@jazzer\.js[\\/]fuzzer[\\/]prebuilds[\\/]fuzzer-linux-x64\.node$/;
const loadNode = Module._extensions['.node'];

Module._extensions['.node'] = function (module, filename) {
  if (!ADDON.test(filename)) return loadNode(module, filename);
  try {
    return loadNode(module, filename);
  } catch (e) {
    if (e?.code !== 'ERR_DLOPEN_FAILED' || !/GLIBC(XX)?_\d/.test(String(e.message))) throw e;
    return loadNode(module, patchedCopy(filename));
  }
};

function patchedCopy(filename) {
  const bytes = fs.readFileSync(filename);
  const dir = path.join(__dirname, '..', '.fuzz', 'addon');
  const stat = fs.statSync(filename);
  const out = path.join(dir, `fuzzer-linux-x64-${stat.size}-${Math.floor(stat.mtimeMs)}.node`);
  if (fs.existsSync(out)) return out;
  patchElf(bytes);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, out);
  return out;
}

function patchElf(b) {
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error('not a little-endian ELF64 file');
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({ type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)), link: b.readUInt32LE(o + 0x28), entsize: Number(b.readBigUInt64LE(o + 0x38)), info: b.readUInt32LE(o + 0x2c) });
  }
  const dynsym = sections.find((s) => s.type === 11);
  const versym = sections.find((s) => s.type === 0x6fffffff);
  const verneed = sections.find((s) => s.type === 0x6ffffffe);
  if (!dynsym || !versym || !verneed) throw new Error('no dynamic symbol version tables');
  const dynstr = sections[dynsym.link];
  const str = (off) => {
    const start = dynstr.offset + off;
    return b.toString('latin1', start, b.indexOf(0, start));
  };
  // Version requirements: mark the too-new ones weak, find the index of libc's GLIBC_2.2.5.
  let base = 0;
  let oldLibc = -1;
  for (let n = 0, o = verneed.offset; n < verneed.info; n++) {
    const file = str(b.readUInt32LE(o + 4));
    const cnt = b.readUInt16LE(o + 2);
    let a = o + b.readUInt32LE(o + 8);
    for (let k = 0; k < cnt; k++) {
      const name = str(b.readUInt32LE(a + 8));
      if (name === 'GLIBC_2.38' || name === 'GLIBCXX_3.4.32') b.writeUInt16LE(b.readUInt16LE(a + 4) | 2, a + 4);
      if (file === 'libc.so.6' && name === 'GLIBC_2.2.5') oldLibc = b.readUInt16LE(a + 6);
      a += b.readUInt32LE(a + 12);
    }
    base = b.readUInt32LE(o + 12);
    o += base;
  }
  if (oldLibc < 0) throw new Error('no GLIBC_2.2.5 requirement to bind to');
  // __isoc23_strtol → strtol: the plain name is a suffix of the C23 one in the string table.
  const count = dynsym.size / dynsym.entsize;
  let bound = 0;
  for (let i = 0; i < count; i++) {
    const o = dynsym.offset + i * dynsym.entsize;
    const nameOff = b.readUInt32LE(o);
    const name = str(nameOff);
    if (name === '__isoc23_strtol' || name === '__isoc23_strtoul') {
      b.writeUInt32LE(nameOff + '__isoc23_'.length, o);
      b.writeUInt16LE(oldLibc, versym.offset + i * 2);
      bound++;
    }
  }
  if (bound !== 2) throw new Error(`expected the two C23 strtol symbols, found ${bound}`);
}
