import { defineBodyProtocol, type ReadPast } from './media-body.js';

/** Most blocks (and sub-blocks) walked in one body. */
const MAX_BLOCKS = 1_000_000;

/**
 * Walks a GIF in `d[from, end)` as tshark's dissector reads it: header, logical screen, global
 * colour table, then extension and image blocks (each with its data sub-blocks) up to the
 * trailer. Returns where the image goes on past `end`.
 */
function walkGif(d: Uint8Array, from: number, end: number): ReadPast | undefined {
  if (end - from < 6 || d[from] !== 0x47 || d[from + 1] !== 0x49 || d[from + 2] !== 0x46) return undefined;
  let p = from + 6;
  const colours = (flags: number): number => ((flags & 0x80) !== 0 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  if (p + 7 > end) return { at: p, n: 7 };
  p += 7 + colours(d[p + 4]!);
  let blocks = 0;
  // Data sub-blocks up to the empty one; where they run past `end`, or undefined.
  const subBlocks = (): ReadPast | undefined => {
    while (blocks++ < MAX_BLOCKS) {
      if (p + 1 > end) return { at: p, n: 1 };
      const len = d[p]!;
      p += 1;
      if (len === 0) return undefined;
      if (p + len > end) return { at: p, n: len };
      p += len;
    }
    return undefined;
  };
  while (blocks++ < MAX_BLOCKS) {
    if (p + 1 > end) return { at: p, n: 1 };
    const kind = d[p]!;
    p += 1;
    if (kind === 0x3b) return undefined;
    if (kind === 0x21) {
      if (p + 1 > end) return { at: p, n: 1 };
      p += 1;
    } else if (kind === 0x2c) {
      if (p + 9 > end) return { at: p, n: 9 };
      p += 9 + colours(d[p + 8]!);
      if (p + 1 > end) return { at: p, n: 1 };
      p += 1;
    } else {
      return undefined;
    }
    const past = subBlocks();
    if (past !== undefined || blocks >= MAX_BLOCKS) return past;
  }
  return undefined;
}

export const imageGif = defineBodyProtocol({
  id: 'image-gif',
  name: 'Compuserve GIF',
  short: 'GIF image',
  column: { info: (http, type, read) => `${http}  (${read?.split(' ')[0] ?? type})` },
  fields: {
    'image-gif.version': { label: 'Version', type: 'string' },
    'image-gif.screen.width': { label: 'Screen width', type: 'u16' },
    'image-gif.screen.height': { label: 'Screen height', type: 'u16' },
  },
  read(c, end) {
    const d = c.data;
    const p = c.pos;
    if (end - p < 6 || d[p] !== 0x47 || d[p + 1] !== 0x49 || d[p + 2] !== 0x46) return undefined;
    const version = c.ascii('image-gif.version', 6);
    if (end - c.pos < 4) return undefined;
    const w = c.u16('image-gif.screen.width', true);
    const h = c.u16('image-gif.screen.height', true);
    return `${version} ${w}x${h}`;
  },
  walk: walkGif,
});
