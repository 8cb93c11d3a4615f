/**
 * What a name in a filter can refer to: a protocol (present when one of its layers is), a
 * registry field, a `frame.*` field (read from the frame itself), or one of Wireshark's
 * either-direction fields (`ip.addr` is every `ip.src` and `ip.dst`), which we read from the
 * fields they repeat so they work in every dissection mode.
 */
import type { FieldDecl, FieldType } from '../dissect/field-types.js';
import type { Registry } from '../dissect/registry.js';

/** The value classes filters compare (several field types share one). */
export type FilterType =
  | 'int'
  | 'bool'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'bytes'
  | 'string'
  | 'double'
  | 'rel_time'
  | 'abs_time'
  | 'oid'
  | 'none'
  | 'protocol';

export type FieldSource =
  /** Values of these recorded field keys, in this order. */
  | { readonly kind: 'keys'; readonly keys: readonly string[] }
  /** Present when a layer of this protocol is; its value is the layer's bytes. */
  | { readonly kind: 'protocol'; readonly id: string }
  /** Read from the frame (`frame.number`, `frame.len`, ...). */
  | { readonly kind: 'frame'; readonly name: string };

export interface FieldRef {
  readonly name: string;
  readonly type: FilterType;
  /** How messages name the type: `an unsigned integer (2 bytes)`. */
  readonly typeLabel: string;
  readonly decl: FieldDecl | undefined;
  readonly source: FieldSource;
  /** The protocol whose layers number the values (`ip.src#2`). */
  readonly protocol: string;
}

const INT_BYTES: Partial<Record<FieldType, number>> = { u8: 1, u16: 2, u24: 3, u32: 4, u40: 5, u48: 6, u64: 8, i8: 1, i16: 2, i32: 4, i64: 8 };

export function filterTypeOf(t: FieldType): FilterType {
  switch (t) {
    case 'bool':
      return 'bool';
    case 'ipv4':
    case 'ipv6':
    case 'ether':
    case 'string':
    case 'bytes':
    case 'none':
    case 'protocol':
    case 'double':
    case 'abs_time':
    case 'rel_time':
    case 'oid':
      return t;
    case 'eui64':
      return 'bytes';
    case 'guid':
      return 'string';
    default:
      return 'int';
  }
}

export function typeLabel(t: FieldType | FilterType): string {
  const bytes = INT_BYTES[t as FieldType];
  if (bytes !== undefined) return `${t.startsWith('u') ? 'an unsigned' : 'a signed'} integer (${bytes} byte${bytes === 1 ? '' : 's'})`;
  const labels: Record<string, string> = {
    int: 'an integer',
    framenum: 'a frame number',
    bool: 'a boolean',
    ipv4: 'an IPv4 address',
    ipv6: 'an IPv6 address',
    ether: 'an Ethernet address',
    eui64: 'an EUI-64 address',
    bytes: 'a byte string',
    string: 'a character string',
    guid: 'a GUID',
    double: 'a floating point number',
    rel_time: 'a time offset',
    abs_time: 'a date and time',
    oid: 'an object identifier',
    none: 'a label (present or not, no value)',
    protocol: 'a protocol',
  };
  return labels[t] ?? t;
}

/** `frame.*` fields: their types (the values come from the frame or its generated fields). */
const FRAME_FIELDS: Readonly<Record<string, { readonly type: FieldType; readonly label: string }>> = {
  'frame.number': { type: 'framenum', label: 'Frame Number' },
  'frame.len': { type: 'u32', label: 'Frame Length' },
  'frame.cap_len': { type: 'u32', label: 'Capture Length' },
  'frame.interface_id': { type: 'u32', label: 'Interface id' },
  'frame.time': { type: 'abs_time', label: 'Arrival Time' },
  'frame.time_epoch': { type: 'rel_time', label: 'Epoch Time' },
  'frame.time_relative': { type: 'rel_time', label: 'Time since reference or first frame' },
  'frame.time_delta': { type: 'rel_time', label: 'Time delta from previous captured frame' },
  'frame.protocols': { type: 'string', label: 'Protocols in frame' },
  'frame.comment': { type: 'string', label: 'Comment' },
  'frame.marked': { type: 'bool', label: 'Frame is marked' },
  'frame.ignored': { type: 'bool', label: 'Frame is ignored' },
};

/** frame.* fields that the dissector generates (the others are read from the frame). */
export const GENERATED_FRAME_FIELDS: ReadonlySet<string> = new Set(['frame.time_relative', 'frame.time_delta', 'frame.protocols', 'frame.comment']);

/** Wireshark's either-direction fields, as the fields they repeat (and the type when it differs). */
const ALIASES: Readonly<Record<string, { readonly keys: readonly string[]; readonly type?: FieldType }>> = {
  'ip.addr': { keys: ['ip.src', 'ip.dst'] },
  'ip.host': { keys: ['ip.src', 'ip.dst'], type: 'string' },
  'ip.src_host': { keys: ['ip.src'], type: 'string' },
  'ip.dst_host': { keys: ['ip.dst'], type: 'string' },
  'ipv6.addr': { keys: ['ipv6.src', 'ipv6.dst'] },
  'ipv6.host': { keys: ['ipv6.src', 'ipv6.dst'], type: 'string' },
  'ipv6.src_host': { keys: ['ipv6.src'], type: 'string' },
  'ipv6.dst_host': { keys: ['ipv6.dst'], type: 'string' },
  'eth.addr': { keys: ['eth.src', 'eth.dst'] },
  'tcp.port': { keys: ['tcp.srcport', 'tcp.dstport'] },
  'udp.port': { keys: ['udp.srcport', 'udp.dstport'] },
  'fddi.addr': { keys: ['fddi.src', 'fddi.dst'] },
  // Every address of an 802.11 header, whatever its role.
  'wlan.addr': { keys: ['wlan.ra', 'wlan.ta', 'wlan.da', 'wlan.sa', 'wlan.bssid', 'wlan.staa'] },
};

/** Resolves filter names against one registry (names are looked up once per filter). */
export class FieldCatalog {
  readonly registry: Registry;
  private names: string[] | undefined;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  /** What `name` refers to, or undefined when it is no field or protocol we know. */
  lookup(name: string): FieldRef | undefined {
    const frame = FRAME_FIELDS[name];
    if (frame !== undefined) {
      return { name, type: filterTypeOf(frame.type), typeLabel: typeLabel(frame.type), decl: { label: frame.label, type: frame.type }, source: { kind: 'frame', name }, protocol: 'frame' };
    }
    if (name === 'frame') return { name, type: 'protocol', typeLabel: typeLabel('protocol'), decl: undefined, source: { kind: 'protocol', id: 'frame' }, protocol: 'frame' };
    const alias = ALIASES[name];
    if (alias !== undefined) {
      const first = this.registry.fields.get(alias.keys[0]!);
      if (first !== undefined) {
        const type = alias.type ?? first.type;
        const decl: FieldDecl = alias.type === undefined ? first : { label: name, type };
        return { name, type: filterTypeOf(type), typeLabel: typeLabel(type), decl, source: { kind: 'keys', keys: alias.keys }, protocol: first.protocol };
      }
    }
    if (this.registry.protocols.has(name)) {
      return { name, type: 'protocol', typeLabel: typeLabel('protocol'), decl: undefined, source: { kind: 'protocol', id: name }, protocol: name };
    }
    const f = this.registry.fields.get(name);
    if (f !== undefined) return { name, type: filterTypeOf(f.type), typeLabel: typeLabel(f.type), decl: f, source: { kind: 'keys', keys: [name] }, protocol: f.protocol };
    return undefined;
  }

  /** Every name a filter may use (for "did you mean"). */
  allNames(): readonly string[] {
    this.names ??= [...new Set([...Object.keys(FRAME_FIELDS), 'frame', ...Object.keys(ALIASES), ...this.registry.protocols.keys(), ...this.registry.fields.keys()])];
    return this.names;
  }
}
