import { defineBodyProtocol } from './media-body.js';

/** Most chunks walked in one body. */
const MAX_CHUNKS = 100_000;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG body: the signature and, when present, the image header's size. */
export const png = defineBodyProtocol({
  id: 'png',
  name: 'Portable Network Graphics',
  short: 'PNG',
  column: { info: (http) => `${http}  (PNG)` },
  fields: {
    'png.signature': { label: 'PNG Signature', type: 'bytes' },
    'png.chunk.len': { label: 'Len', type: 'u32' },
    'png.chunk.type': { label: 'Chunk', type: 'string' },
    'png.ihdr.width': { label: 'Width', type: 'u32' },
    'png.ihdr.height': { label: 'Height', type: 'u32' },
  },
  read(c, end) {
    const d = c.data;
    if (end - c.pos < 8 || !SIGNATURE.every((b, i) => d[c.pos + i] === b)) return undefined;
    c.bytes('png.signature', 8);
    if (end - c.pos < 16) return undefined;
    c.u32('png.chunk.len');
    const type = c.ascii('png.chunk.type', 4);
    if (type !== 'IHDR') return undefined;
    const w = c.u32('png.ihdr.width');
    const h = c.u32('png.ihdr.height');
    return `PNG image ${w}x${h}`;
  },
  // tshark reads chunk after chunk (length, type, data, CRC) to the end of the body: an image
  // that goes on in a later segment is read past.
  walk(d, from, end) {
    if (end - from < 8 || !SIGNATURE.every((b, i) => d[from + i] === b)) return undefined;
    let p = from + 8;
    for (let n = 0; p < end && n < MAX_CHUNKS; n++) {
      if (p + 8 > end) return { at: p, n: 8 };
      const len = ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
      if (len > 0x7fffffff) return undefined;
      if (p + 12 + len > end) return { at: p + 8, n: len + 4 };
      p += 12 + len;
    }
    return undefined;
  },
});
