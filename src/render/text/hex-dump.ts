/** `tshark -x` style hex dump: 16 bytes a line, offset, hex, ASCII; optionally coloured by layer. */
import type { DissectedPacket } from '../../dissect/tree.js';

/** ANSI colours cycled per layer (foreground), as the PDF dump cycles its layer tints. */
const LAYER_COLOURS = ['\u001b[36m', '\u001b[33m', '\u001b[32m', '\u001b[35m', '\u001b[34m', '\u001b[31m', '\u001b[96m', '\u001b[93m'];
const RESET = '\u001b[0m';

/**
 * The layer each captured byte belongs to (index into `p.layers`; -1 for none): the innermost
 * layer whose header holds it.
 */
export function byteLayers(p: DissectedPacket): Int16Array {
  const data = p.frame.data;
  const owner = new Int16Array(data.length).fill(-1);
  p.layers.forEach((l, i) => {
    const end = Math.min(l.offset + l.headerLength, data.length);
    for (let b = l.offset; b < end; b++) owner[b] = i;
  });
  return owner;
}

export function hexDump(p: DissectedPacket, colour: boolean): string {
  const data = p.frame.data;
  const owner = colour ? byteLayers(p) : new Int16Array(data.length).fill(-1);
  const paint = (i: number, text: string): string => (colour && owner[i]! >= 0 ? `${LAYER_COLOURS[owner[i]! % LAYER_COLOURS.length]}${text}${RESET}` : text);
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    let hexPart = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const at = off + i;
      if (i === 8) hexPart += ' ';
      if (at < data.length) {
        const b = data[at]!;
        hexPart += `${paint(at, b.toString(16).padStart(2, '0'))} `;
        ascii += paint(at, b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');
      } else {
        hexPart += '   ';
      }
    }
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hexPart} ${ascii}`);
  }
  return `${lines.join('\n')}\n`;
}
