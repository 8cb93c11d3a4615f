import type { DissectedPacket, FieldNode } from './tree.js';

/**
 * What is wrong with a dissected packet's shape, or undefined when nothing is: fields must lie
 * inside their layer and the captured bytes, and the layers' headers must tile the frame in
 * order with no gap or overlap. Tests and the fuzz targets check every packet with it.
 */
export function invariantProblem(p: DissectedPacket): string | undefined {
  const cap = p.frame.data.length;
  let pos = 0;
  for (const l of p.layers) {
    if (l.offset !== pos) return `${l.protocol} starts at ${l.offset}, the previous header ended at ${pos}`;
    if (l.headerLength < 0) return `${l.protocol} has a negative header length`;
    if (l.offset + l.length > cap) return `${l.protocol} ends past the captured bytes`;
    pos = l.offset + l.headerLength;
    const end = l.offset + Math.max(l.length, l.headerLength);
    const outside = (fs: readonly FieldNode[]): string | undefined => {
      for (const f of fs) {
        if (f.offset < 0 || f.offset + f.length > cap) return `${f.key} lies outside the captured bytes`;
        if (f.length > 0 && (f.offset < l.offset || f.offset + f.length > end)) return `${f.key} @${f.offset}+${f.length} lies outside ${l.protocol} @${l.offset}+${l.length}`;
        const inner = f.children ? outside(f.children) : undefined;
        if (inner !== undefined) return inner;
      }
      return undefined;
    };
    const bad = outside(l.fields);
    if (bad !== undefined) return bad;
  }
  if (p.layers.length > 0 && pos !== cap) return `layers cover ${pos} of ${cap} captured bytes`;
  return undefined;
}

/** "frame N (eth/ip/udp): " before a problem, for messages. */
export const packetLabel = (p: DissectedPacket): string => `frame ${p.frame.index} (${p.layers.map((l) => l.protocol).join('/')})`;
