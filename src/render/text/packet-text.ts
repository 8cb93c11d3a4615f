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

/** One line of a packet's tree, tagged with what it belongs to (the report colours by layer). */
export interface TreeLine {
  /** Indent depth (0: frame and layer titles). */
  readonly depth: number;
  /** The line, control characters escaped. */
  readonly text: string;
  /** `@offset+length` (and bits) of a field or layer; '' for none. */
  readonly at: string;
  /** Index of the layer in `p.layers`; -1 for the frame lines. */
  readonly layer: number;
  readonly kind: 'frame' | 'layer' | 'field' | 'issue';
}

/** The tree of one packet as lines: the frame, then each layer's title, fields (nested) and issues. */
export function packetTreeLines(p: DissectedPacket, registry: Registry): TreeLine[] {
  const out: TreeLine[] = [];
  const f = p.frame;
  out.push({ depth: 0, text: `Frame ${f.index}: ${f.origLen} bytes on wire (${f.origLen * 8} bits), ${f.capLen} bytes captured (${f.capLen * 8} bits)${f.kind === 'packet' ? ` on interface ${f.iface}` : ' (custom block)'}`, at: '', layer: -1, kind: 'frame' });
  for (const ff of p.frameFields) out.push({ depth: 1, text: escapeControl(ff.display), at: '', layer: -1, kind: 'frame' });
  const concerns = (i: Issue, fl: FieldNode): boolean => i.fieldKey === fl.key && i.offset >= fl.offset && i.offset < fl.offset + Math.max(1, fl.length);
  p.layers.forEach((l, li) => {
    const full = registry.protocols.get(l.protocol)?.name ?? l.name;
    out.push({ depth: 0, text: escapeControl(`${full}${l.summary !== '' ? `, ${l.summary}` : ''}`), at: `@${l.offset}+${l.length}${l.headerLength !== l.length ? ` (header ${l.headerLength})` : ''}`, layer: li, kind: 'layer' });
    const shown = new Set<Issue>();
    const walk = (fields: readonly FieldNode[], depth: number): void => {
      for (const fl of fields) {
        out.push({ depth, text: escapeControl(fl.generated ? `[${fl.display}]` : fl.display), at: where(fl), layer: li, kind: 'field' });
        for (const i of l.issues) {
          if (!concerns(i, fl)) continue;
          shown.add(i);
          out.push({ depth: depth + 1, text: escapeControl(issueLine(i)), at: '', layer: li, kind: 'issue' });
        }
        if (fl.children) walk(fl.children, depth + 1);
      }
    };
    walk(l.fields, 1);
    for (const i of l.issues) if (!shown.has(i)) out.push({ depth: 1, text: escapeControl(issueLine(i)), at: '', layer: li, kind: 'issue' });
  });
  return out;
}

export function packetText(p: DissectedPacket, registry: Registry, options: PacketTextOptions = {}): string {
  const colour = options.colour === true;
  const col = options.offsetColumn ?? 64;
  const out: string[] = [];
  for (const t of packetTreeLines(p, registry)) {
    if (t.kind === 'frame' && t.depth === 0) {
      out.push(colour ? `${BOLD}${t.text}${RESET}` : t.text);
    } else if (t.kind === 'layer') {
      out.push(colour ? `${BOLD}${t.text}${RESET}  ${DIM}${t.at}${RESET}` : `${t.text}  ${t.at}`);
    } else {
      const body = `${'    '.repeat(t.depth)}${t.text}`;
      const padded = t.at === '' ? body : `${body.padEnd(Math.max(col, body.length + 2))}${colour ? `${DIM}${t.at}${RESET}` : t.at}`;
      out.push(t.kind === 'issue' && colour ? `${RED}${padded}${RESET}` : padded);
    }
  }
  return `${out.join('\n')}\n`;
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
