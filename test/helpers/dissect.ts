import { expect } from 'vitest';
import { type Frame, memoryFrame } from '../../src/capture/frame.js';
import { Dissector, type DissectOptions } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { invariantProblem, packetLabel } from '../../src/dissect/invariants.js';
import type { DissectedPacket, FieldNode, LayerNode } from '../../src/dissect/tree.js';

/** Bytes from a hex string; spaces, newlines and `#` comments are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/#.*$/gm, '').replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new Error('odd number of hex digits');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** A frame around `data` (captured length = data length; `origLen` for snaplen-cut cases). */
export function frameOf(data: Uint8Array, linkType = 1, origLen = data.length, index = 1): Frame {
  return memoryFrame(data, { index, linkType, origLen, tsSec: 1_700_000_000, tsDigits: 6 });
}

/** Dissects bytes in full mode, strictly (a dissector bug throws). */
export function dissect(data: Uint8Array, linkType = 1, options: DissectOptions = {}, origLen = data.length): DissectedPacket {
  return new Dissector(defaultRegistry(), { strict: true, ...options }).dissect(frameOf(data, linkType, origLen));
}

/** Every field of a packet (frame fields, then each layer's, depth first). */
export function allFields(p: DissectedPacket): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (fs: readonly FieldNode[]): void => {
    for (const f of fs) {
      out.push(f);
      if (f.children) walk(f.children);
    }
  };
  walk(p.frameFields);
  for (const l of p.layers) walk(l.fields);
  return out;
}

/** The first field with `key` (throws if there is none). */
export function field(p: DissectedPacket, key: string, nth = 0): FieldNode {
  const f = allFields(p).filter((x) => x.key === key)[nth];
  if (f === undefined) throw new Error(`no field ${key} (#${nth}) in ${p.layers.map((l) => l.protocol).join('/')}`);
  return f;
}

/** Every value of `key`, in tree order. */
export function values(p: DissectedPacket, key: string): unknown[] {
  return allFields(p).filter((x) => x.key === key).map((x) => x.value);
}

export const stack = (p: DissectedPacket): string => p.layers.map((l) => l.protocol).join('/');

export function layer(p: DissectedPacket, protocol: string): LayerNode {
  const l = p.layers.find((x) => x.protocol === protocol);
  if (l === undefined) throw new Error(`no ${protocol} layer in ${stack(p)}`);
  return l;
}

/**
 * Invariants every dissected packet must satisfy (`invariantProblem`: fields inside their layer
 * and the captured bytes, layers tiling the frame); strict mode checks recorded keys.
 */
export function checkInvariants(p: DissectedPacket): void {
  const problem = invariantProblem(p);
  if (problem !== undefined) throw new Error(`${packetLabel(p)}: ${problem}`);
}

/**
 * The every-prefix sweep: dissect each prefix of `data` as a snaplen cut (original length kept).
 * Never a throw; the layers before the cut keep their fields; the first incomplete layer is
 * marked truncated, not malformed.
 */
export function prefixSweep(data: Uint8Array, linkType = 1): void {
  const full = dissect(data, linkType);
  for (let n = 0; n < data.length; n++) {
    const p = dissect(data.subarray(0, n), linkType, {}, data.length);
    checkInvariants(p);
    for (const l of p.layers) {
      for (const i of l.issues) {
        expect(i.kind === 'malformed' && !full.layers.some((fl) => fl.issues.some((fi) => fi.kind === 'malformed')), `cut at ${n}: ${l.protocol} ${i.message}`).toBe(false);
      }
    }
  }
}
