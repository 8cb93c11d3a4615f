/**
 * The layered tree of one packet as text (`pcapviz show`, like `tshark -V`), with every field's
 * byte offset and length (and bit range) so a reader can find its bytes; issues flagged.
 * Also the stable text form the golden tests compare.
 */
import type { Registry } from '../../dissect/registry.js';
import type { DissectedPacket, FieldNode, Issue, LayerNode } from '../../dissect/tree.js';
import { escapeControl } from '../text-safety.js';

export interface PacketTextOptions {
  readonly colour?: boolean;
  /** Column where offsets start (default 64). */
  readonly offsetColumn?: number;
}

const DIM = '\u001b[2m';
const RED = '\u001b[31m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

function where(f: FieldNode): string {
  if (f.length === 0) return '';
  const bits = f.bits ? `.${f.bits.offset}-${f.bits.offset + f.bits.length - 1}` : '';
  return `@${f.offset}${bits}+${f.length}`;
}

function issueLine(i: Issue): string {
  return `[${i.kind === 'expert' ? i.severity : i.kind}] ${i.message}${i.fieldKey ? ` (${i.fieldKey})` : ''}`;
}

export function packetText(p: DissectedPacket, registry: Registry, options: PacketTextOptions = {}): string {
  const colour = options.colour === true;
  const col = options.offsetColumn ?? 64;
  const out: string[] = [];
  const f = p.frame;
  const head = `Frame ${f.index}: ${f.origLen} bytes on wire (${f.origLen * 8} bits), ${f.capLen} bytes captured (${f.capLen * 8} bits)${f.kind === 'packet' ? ` on interface ${f.iface}` : ' (custom block)'}`;
  out.push(colour ? `${BOLD}${head}${RESET}` : head);
  for (const ff of p.frameFields) out.push(`    ${escapeControl(ff.display)}`);
  const line = (depth: number, text: string, at: string, bad: boolean): void => {
    const body = `${'    '.repeat(depth)}${escapeControl(text)}`;
    const padded = at === '' ? body : `${body.padEnd(Math.max(col, body.length + 2))}${colour ? `${DIM}${at}${RESET}` : at}`;
    out.push(bad && colour ? `${RED}${padded}${RESET}` : padded);
  };
  const walk = (fields: readonly FieldNode[], depth: number, issues: readonly Issue[]): void => {
    for (const fl of fields) {
      line(depth, fl.generated ? `[${fl.display}]` : fl.display, where(fl), false);
      for (const i of issues) if (i.fieldKey === fl.key && i.offset >= fl.offset && i.offset < fl.offset + Math.max(1, fl.length)) line(depth + 1, issueLine(i), '', true);
      if (fl.children) walk(fl.children, depth + 1, issues);
    }
  };
  for (const l of p.layers) {
    out.push(layerTitle(l, registry, colour));
    walk(l.fields, 1, l.issues);
    const shown = new Set<Issue>();
    const mark = (fs: readonly FieldNode[]): void => {
      for (const fl of fs) {
        for (const i of l.issues) if (i.fieldKey === fl.key && i.offset >= fl.offset && i.offset < fl.offset + Math.max(1, fl.length)) shown.add(i);
        if (fl.children) mark(fl.children);
      }
    };
    mark(l.fields);
    for (const i of l.issues) if (!shown.has(i)) line(1, issueLine(i), '', true);
  }
  return `${out.join('\n')}\n`;
}

function layerTitle(l: LayerNode, registry: Registry, colour: boolean): string {
  const full = registry.protocols.get(l.protocol)?.name ?? l.name;
  const title = `${full}${l.summary !== '' ? `, ${l.summary}` : ''}`;
  const at = `@${l.offset}+${l.length}${l.headerLength !== l.length ? ` (header ${l.headerLength})` : ''}`;
  const text = `${escapeControl(title)}  ${at}`;
  return colour ? `${BOLD}${escapeControl(title)}${RESET}  ${DIM}${at}${RESET}` : text;
}

/** A JSON-ready tree (our answer to PDML): offsets, lengths, bit ranges, values, issues. */
export function packetJson(p: DissectedPacket): Record<string, unknown> {
  const value = (v: FieldNode['value']): unknown =>
    v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : typeof v === 'bigint' ? v.toString() : v;
  const field = (fl: FieldNode): Record<string, unknown> => ({
    key: fl.key,
    label: fl.label,
    offset: fl.offset,
    length: fl.length,
    ...(fl.bits ? { bits: fl.bits } : {}),
    value: value(fl.value),
    display: fl.display,
    ...(fl.generated ? { generated: true } : {}),
    ...(fl.children ? { children: fl.children.map(field) } : {}),
  });
  const f = p.frame;
  return {
    frame: {
      number: f.index,
      time: `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`,
      capturedLength: f.capLen,
      length: f.origLen,
      linkType: f.linkType,
      interface: f.iface,
      ...(f.comments ? { comments: f.comments } : {}),
    },
    layers: p.layers.map((l) => ({
      protocol: l.protocol,
      name: l.name,
      offset: l.offset,
      headerLength: l.headerLength,
      length: l.length,
      summary: l.summary,
      ...(l.inError ? { inError: true } : {}),
      issues: l.issues,
      fields: l.fields.map(field),
    })),
  };
}
