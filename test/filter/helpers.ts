import type { Frame } from '../../src/capture/frame.js';
import { openCapture } from '../../src/capture/read-capture.js';
import type { FieldDecl } from '../../src/dissect/field-types.js';
import { defineProtocol } from '../../src/dissect/protocol.js';
import { createRegistry } from '../../src/dissect/registry.js';
import type { DissectedPacket, FieldNode, FieldValue, LayerNode } from '../../src/dissect/tree.js';
import { compileFilter, type DisplayFilter } from '../../src/filter/index.js';
import { frameOf } from '../helpers/dissect.js';

/** One field of every type, in a protocol `t` (and `u`, a second protocol), for semantic tests. */
const T_FIELDS: Readonly<Record<string, FieldDecl>> = {
  't.u8': { label: 'u8', type: 'u8', values: { 6: 'TCP', 17: 'UDP' } },
  't.u16': { label: 'u16', type: 'u16' },
  't.u32': { label: 'u32', type: 'u32', base: 'hex' },
  't.u64': { label: 'u64', type: 'u64' },
  't.i32': { label: 'i32', type: 'i32' },
  't.flag': { label: 'flag', type: 'bool', mask: 2, tfs: ['Set', 'Not set'] },
  't.addr': { label: 'IPv4', type: 'ipv4' },
  't.addr6': { label: 'IPv6', type: 'ipv6' },
  't.mac': { label: 'MAC', type: 'ether' },
  't.data': { label: 'data', type: 'bytes' },
  't.name': { label: 'name', type: 'string' },
  't.ratio': { label: 'ratio', type: 'double' },
  't.delay': { label: 'delay', type: 'rel_time' },
  't.when': { label: 'when', type: 'abs_time' },
  't.oid': { label: 'oid', type: 'oid' },
  't.label': { label: 'label', type: 'none' },
};

export const testRegistry = createRegistry([
  defineProtocol({ id: 't', name: 'Test', short: 'T', fields: T_FIELDS, dissect: () => ({}) }),
  defineProtocol({ id: 'u', name: 'Other', short: 'U', fields: { 'u.port': { label: 'port', type: 'u16' } }, dissect: () => ({}) }),
]);

const node = (key: string, value: FieldValue): FieldNode => ({ key, label: key, offset: 0, length: 0, bits: undefined, value, display: '', generated: false, children: undefined });

const layerOf = (protocol: string, fields: readonly FieldNode[], offset = 0, length = 8): LayerNode => ({
  protocol,
  name: protocol.toUpperCase(),
  offset,
  headerLength: length,
  length,
  summary: '',
  info: {},
  fields,
  issues: [],
  inError: false,
});

/**
 * A packet of layers `[protocol, [[key, value], ...]]` over `data` (each layer covers 8 bytes
 * from its index times 8, or the rest).
 */
export function packet(layers: readonly (readonly [string, readonly (readonly [string, FieldValue])[]])[], data = new Uint8Array(64), index = 1): DissectedPacket {
  return {
    frame: frameOf(data, 1, data.length, index),
    frameFields: [],
    layers: layers.map(([p, fs], i) => layerOf(p, fs.map(([k, v]) => node(k, v)), i * 8, Math.min(8, data.length - i * 8))),
  };
}

/** Whether `filter` (compiled for the test registry) lets `p` through. */
export function passes(filter: string, p: DissectedPacket): boolean {
  return compileFilter(filter, testRegistry).matches(p);
}

/** The error text (three lines) a filter gives, or undefined when it compiles. */
export function errorOf(filter: string, registry = testRegistry): string | undefined {
  try {
    compileFilter(filter, registry);
    return undefined;
  } catch (e) {
    const lines = (e as { lines?: () => string[] }).lines;
    if (lines === undefined) throw e;
    return lines.call(e).join('\n');
  }
}

/** The frames of a capture, read once. */
export async function readFrames(path: string): Promise<Frame[]> {
  const reader = await openCapture(path);
  const frames: Frame[] = [];
  for await (const f of reader) frames.push(f);
  await reader.close();
  return frames;
}

/** The frame numbers of `packets` that `filter` lets through. */
export function selected(filter: DisplayFilter, packets: readonly DissectedPacket[]): number[] {
  return packets.filter((p) => filter.matches(p)).map((p) => p.frame.index);
}
