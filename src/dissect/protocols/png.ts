import { defineBodyProtocol } from './media-body.js';

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
});
