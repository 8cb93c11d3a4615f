import { readFileSync } from 'node:fs';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket, FieldNode } from '../../src/dissect/tree.js';
import { type LayoutContext, type PacketFacts } from '../../src/pdfdump/layout.js';
import { createTextMetrics } from '../../src/pdfdump/text-metrics.js';
import { pageGeometry, type Paper, ProtocolSlots } from '../../src/pdfdump/theme.js';
import { PacketLister } from '../../src/render/list/packet-list.js';
import { packetFacts } from '../../src/run/run-pdfdump.js';

export const CORPUS = '/work/shared/corpus/captures';
export const SMALL_OFFICE = new URL('../../fixtures/small-office.pcap', import.meta.url).pathname;

export interface LoadedPacket {
  readonly packet: DissectedPacket;
  readonly facts: PacketFacts;
}

/** Dissects a capture in full mode (as the dump does) up to frame `last` and keeps the frames `keep` accepts. */
export async function loadPackets(path: string, keep: (index: number) => boolean = () => true, strict = true, last = Infinity): Promise<LoadedPacket[]> {
  const reader = await openCapture(path);
  const d = new Dissector(defaultRegistry(), { mode: 'full', strict });
  const lister = new PacketLister('r');
  const out: LoadedPacket[] = [];
  try {
    for await (const f of reader) {
      if (f.index > last) break;
      const p = d.dissect(f);
      const row = lister.row(p);
      // Frames keep views of the reader's chunks, which stay valid: the reader never reuses them.
      if (keep(f.index)) out.push({ packet: p, facts: packetFacts(p, row, reader.interfaces[f.ifaceGlobal]?.name) });
    }
  } finally {
    await reader.close();
  }
  return out;
}

export async function layoutContext(o: { paper?: Paper; landscape?: boolean; connectors?: boolean } = {}): Promise<LayoutContext> {
  const slots = new ProtocolSlots();
  const registry = defaultRegistry();
  return {
    metrics: await createTextMetrics(),
    page: pageGeometry(o.paper ?? 'a4', o.landscape ?? false),
    protocolName: (id) => registry.protocols.get(id)?.name ?? id,
    slotOf: (p) => slots.slot(p),
    connectors: o.connectors ?? true,
  };
}

/** Every field of a packet with its layer index and depth, depth first. */
export function allFields(p: DissectedPacket): { field: FieldNode; layer: number; depth: number }[] {
  const out: { field: FieldNode; layer: number; depth: number }[] = [];
  p.layers.forEach((l, layer) => {
    const walk = (fs: readonly FieldNode[], depth: number): void => {
      for (const field of fs) {
        out.push({ field, layer, depth });
        if (field.children) walk(field.children, depth + 1);
      }
    };
    walk(l.fields, 0);
  });
  return out;
}

/** Whitespace removed: wrapped text compares with the text it came from. */
export const squash = (s: string): string => s.replace(/\s+/g, '');

export const readBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
