import { defineBodyProtocol } from './media-body.js';

/** A GIF body: the version and the logical screen's size (little-endian, as GIF stores them). */
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
});
