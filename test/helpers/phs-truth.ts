/**
 * Protocol hierarchies against tshark's `-z io,phs` in the corpus truth: the truth of a capture,
 * ours made the way `stats protocols` makes it, and both flattened to comparable lines.
 */
import { readFileSync } from 'node:fs';
import { ProtocolHierarchyBuilder, type HierarchyNode } from '../../src/analyze/protocol-hierarchy.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { CAPTURES, TRUTH } from './capture-bytes.js';

/** A node of tshark's hierarchy as the truth files keep it. */
export interface TruthNode {
  readonly name: string;
  readonly frames: number;
  readonly bytes: number;
  readonly children: readonly TruthNode[];
}

/** Any of the hierarchy shapes: the truth's, the builder's and the JSON output's. */
type AnyNode = { readonly name: string; readonly bytes: number; readonly children: readonly AnyNode[] } & ({ readonly frames: number } | { readonly packets: number });

/** The truth file of a corpus capture. */
export const truthOf = <T = { phs: TruthNode }>(name: string): T => JSON.parse(readFileSync(`${TRUTH}${name}.json`, 'utf8')) as T;

/** Every node below the root as `path packets/bytes` (`/eth/ip/udp 12/3456`), sorted. */
export function phsLines(n: AnyNode, path = ''): string[] {
  const own = path === '' ? [] : [`${path} ${'frames' in n ? n.frames : n.packets}/${n.bytes}`];
  return [...own, ...n.children.flatMap((c) => phsLines(c, `${path}/${c.name}`))].sort();
}

/** Our hierarchy of a corpus capture (summary mode, dissector bugs thrown). */
export async function captureHierarchy(name: string): Promise<HierarchyNode> {
  const phs = new ProtocolHierarchyBuilder();
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) phs.add(d.dissect(f));
  await reader.close();
  return phs.finish();
}
