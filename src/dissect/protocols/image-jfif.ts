import { defineBodyProtocol, type ReadPast } from './media-body.js';

/** Most markers walked in one body. */
const MAX_MARKERS = 100_000;

/** Markers without a length: start and end of image, restarts, TEM. */
const noLength = (m: number): boolean => m === 0xffd8 || m === 0xffd9 || m === 0xff01 || (m >= 0xffd0 && m <= 0xffd7);

/**
 * Walks a JPEG as tshark's dissector reads it: entropy-coded bytes up to the next marker (a 0xFF
 * not followed by 0x00), fill bytes, the marker and, for most markers, a segment of the length
 * it gives, in `d[from, end)`. Returns where a marker or segment goes on past `end`.
 */
function walkJfif(d: Uint8Array, from: number, end: number): ReadPast | undefined {
  if (end - from < 2 || d[from] !== 0xff || d[from + 1] !== 0xd8) return undefined;
  let entropy = from;
  for (let n = 0; n < MAX_MARKERS; n++) {
    let f = entropy;
    for (;;) {
      f = d.indexOf(0xff, f);
      if (f < 0 || f >= end || end - f === 1 || d[f + 1] !== 0) break;
      f += 2;
    }
    if (f < 0 || f >= end) return undefined;
    let m = f;
    for (;;) {
      if (m + 1 >= end) return { at: m + 1, n: 1 };
      if (d[m + 1] !== 0xff) break;
      m++;
    }
    const marker = (d[m]! << 8) | d[m + 1]!;
    if (marker < 0xffc0 && marker !== 0xff01) {
      entropy = m + 2;
      continue;
    }
    if (noLength(marker)) {
      entropy = m + 2;
      continue;
    }
    if (m + 4 > end) return { at: m + 2, n: 2 };
    const len = (d[m + 2]! << 8) | d[m + 3]!;
    if (m + 2 + len > end) return { at: m + 2, n: len };
    entropy = m + 2 + len;
  }
  return undefined;
}

/** A JPEG body: the start-of-image marker is recorded. */
export const imageJfif = defineBodyProtocol({
  id: 'image-jfif',
  name: 'JPEG File Interchange Format',
  short: 'JFIF (JPEG) image',
  column: { info: (http) => `${http}  (JPEG JFIF image)` },
  fields: { 'image-jfif.marker': { label: 'Marker', type: 'u16', base: 'hex', values: { 0xffd8: 'Start of Image' } } },
  read(c, end) {
    if (end - c.pos >= 2 && c.peek16() === 0xffd8) c.u16('image-jfif.marker');
    return undefined;
  },
  walk: walkJfif,
});
