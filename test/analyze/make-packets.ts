/**
 * Hand-made dissected packets for the analyser tests: only what the analysers read (layer ids,
 * `info`, issues, `inError`, frame lengths and times).
 */
import type { Frame } from '../../src/capture/frame.js';
import type { DissectedPacket, Issue, LayerNode } from '../../src/dissect/tree.js';

export interface LayerSpec {
  readonly protocol: string;
  readonly info?: Record<string, unknown>;
  readonly issues?: readonly Partial<Issue>[];
  readonly inError?: boolean;
  /** Byte offset of the layer (for the hierarchy's "nothing captured" rule); default 14 × index. */
  readonly offset?: number;
}

let frameIndex = 0;

/** Starts numbering frames from 1 again (call at the start of each sequence). */
export function resetFrames(): void {
  frameIndex = 0;
}

/** A packet of `length` bytes at `time` seconds (+ nanoseconds) with the given layers. */
export function packet(time: number, length: number, layers: readonly LayerSpec[], extra: Partial<Frame> = {}): DissectedPacket {
  const sec = Math.floor(time);
  const frame: Frame = {
    index: ++frameIndex,
    kind: 'packet',
    tsSec: 1_700_000_000 + sec,
    tsNsec: Math.round((time - sec) * 1e9),
    tsDigits: 9,
    hasTimestamp: true,
    capLen: length,
    origLen: length,
    linkType: 1,
    iface: 0,
    ifaceGlobal: 0,
    fileOffset: 0,
    data: new Uint8Array(0),
    comments: undefined,
    flags: undefined,
    ...extra,
  };
  return {
    frame,
    frameFields: [],
    layers: layers.map(
      (l, i): LayerNode => ({
        protocol: l.protocol,
        name: l.protocol,
        offset: l.offset ?? i * 14,
        headerLength: 0,
        length: 0,
        summary: '',
        info: l.info ?? {},
        fields: [],
        issues: (l.issues ?? []).map((x) => ({ kind: 'expert', severity: 'note', offset: 0, fieldKey: undefined, message: '', ...x })),
        inError: l.inError ?? false,
      }),
    ),
  };
}

export const eth = (src: string, dst: string): LayerSpec => ({ protocol: 'eth', info: { src, dst, type: 0x0800 } });
export const ip = (src: string, dst: string, more: Record<string, unknown> = {}): LayerSpec => ({ protocol: 'ip', info: { src, dst, mf: false, fragOffset: 0, ...more } });
export const ipv6 = (src: string, dst: string, nxt = 17): LayerSpec => ({ protocol: 'ipv6', info: { src, dst, nxt } });
export const tcp = (srcport: number, dstport: number, stream: number, more: Record<string, unknown> = {}): LayerSpec => ({
  protocol: 'tcp',
  info: { srcport, dstport, stream, ...more },
});
export const udp = (srcport: number, dstport: number): LayerSpec => ({ protocol: 'udp', info: { srcport, dstport } });
export const layer = (protocol: string, info: Record<string, unknown> = {}): LayerSpec => ({ protocol, info });
/** The same layer, quoted inside an ICMP error. */
export const quoted = (l: LayerSpec): LayerSpec => ({ ...l, inError: true });

/** A read past the end of the packet, worded as the cursor words it. */
export const malformedRead = (offset = 0): Partial<Issue> => ({
  kind: 'malformed',
  severity: 'error',
  offset,
  message: `field: 4 bytes needed at offset ${offset}, packet ends at ${offset + 2}`,
});
export const truncatedRead = (offset = 0): Partial<Issue> => ({
  kind: 'truncated',
  severity: 'note',
  offset,
  message: `field: 4 bytes needed at offset ${offset}, capture ends at ${offset + 2}`,
});
