/**
 * Fuzzing: random packets from a template (Scapy's `fuzz()`: every field not set explicitly
 * gets a random value of its type) and mutations of real packets (bit flips, length fields
 * that lie, truncation, duplicated options), each mutation described in a line of text.
 * Everything is drawn from a seeded `Rng`, so a seed gives the same packets every time.
 */
import type { Frame } from '../capture/frame.js';
import type { Dissector } from '../dissect/dissect-packet.js';
import type { FieldNode } from '../dissect/tree.js';
import { coerce, type FieldSpec, Layer } from './layer.js';
import type { Rng } from './random.js';
import { CraftValueError } from './values.js';

export interface TemplateFuzzOptions {
  /**
   * Also give random values to the fields that are otherwise computed when the packet is built
   * (lengths, checksums, protocol numbers, next headers, counts). Default false: they stay right.
   */
  readonly computed?: boolean;
}

/** Fields with no default that Scapy's fuzz() draws anyway, when no layer above picks them. */
const PORT_FIELDS: Readonly<Record<string, readonly string[]>> = { TCP: ['sport', 'dport'], UDP: ['sport', 'dport'] };

const TEXT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_/ ';

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** A random value of a field's type, in stored form; undefined for structured (custom) fields. */
export function randomValue(spec: FieldSpec, current: unknown, rng: Rng): unknown {
  switch (spec.t) {
    case 'uint':
    case 'flags':
      return rng.bits(spec.bits);
    case 'u64':
      return rng.u64();
    case 'mac':
      return [...rng.bytes(6)].map(hex2).join(':');
    case 'ipv4':
      return [...rng.bytes(4)].join('.');
    case 'ipv6':
      return Array.from({ length: 8 }, () => rng.bits(16).toString(16)).join(':');
    case 'bytes': {
      // A fixed-size default (a TLS random) keeps its size; an empty or absent one gets 0 to 16 bytes.
      const size = current instanceof Uint8Array && current.length > 0 ? current.length : rng.below(17);
      return rng.bytes(size);
    }
    case 'text': {
      const size = rng.between(1, 16);
      let s = '';
      for (let i = 0; i < size; i++) s += TEXT_CHARS[rng.below(TEXT_CHARS.length)]!;
      return s;
    }
    case 'bool':
      return rng.chance(0.5);
    case 'custom':
      return undefined;
  }
}

function fuzzOne(layer: Layer, upper: Layer | undefined, rng: Rng, o: TemplateFuzzOptions, keepText: boolean): Record<string, unknown> {
  const def = layer.def;
  const set: Record<string, unknown> = {};
  const ports = PORT_FIELDS[def.name] !== undefined && upper?.def.ports === undefined ? PORT_FIELDS[def.name]! : [];
  for (const [field, spec] of Object.entries(def.fields)) {
    if (layer.has(field)) {
      const v = layer.set[field];
      // Records set explicitly (DNS(qd=DNSQR(...))) are fuzzed inside: their own unset fields.
      const inner = (x: unknown): unknown => (x instanceof Layer ? new Layer(x.def, fuzzOne(x, undefined, rng, o, keepText)) : x);
      set[field] = Array.isArray(v) ? v.map(inner) : inner(v);
      continue;
    }
    const hasDefault = Object.hasOwn(def.defaults, field);
    if (!hasDefault && o.computed !== true && !ports.includes(field)) continue;
    if (keepText && spec.t === 'text') continue;
    const v = randomValue(spec, def.defaults[field], rng);
    if (v !== undefined) set[field] = coerce(spec, v, `${def.name}.${field}`);
  }
  return set;
}

/** The stack with every field not set explicitly given a random value (a new stack). */
export function fuzzLayer(stack: Layer, rng: Rng, o: TemplateFuzzOptions = {}, keepText = false): Layer {
  const all = stack.layers();
  let top: Layer | undefined;
  for (let i = all.length - 1; i >= 0; i--) top = new Layer(all[i]!.def, fuzzOne(all[i]!, all[i + 1], rng, o, keepText), top);
  return top!;
}

/**
 * A fuzzed packet's layers and bytes. Random text a layer cannot encode (a DNS name with an
 * empty label) is drawn again a few times, then left at its default.
 */
export function fuzzPacket(stack: Layer, rng: Rng, o: TemplateFuzzOptions = {}): { readonly layer: Layer; readonly data: Uint8Array } {
  for (let attempt = 0; attempt < 6; attempt++) {
    const layer = fuzzLayer(stack, rng, o, attempt >= 4);
    try {
      return { layer, data: layer.build() };
    } catch (e) {
      if (!(e instanceof CraftValueError)) throw e;
    }
  }
  return { layer: stack, data: stack.build() };
}

// ---------------------------------------------------------------------------------------------
// Mutation of captured packets.

/** A field the dissector found: where it is, in bytes and bits. */
interface Place {
  readonly key: string;
  readonly offset: number;
  readonly length: number;
  readonly bits: { readonly offset: number; readonly length: number } | undefined;
}

/** An option inside a header, and the header-length field that counts it (in 4-byte words). */
interface OptionPlace {
  readonly key: string;
  readonly offset: number;
  readonly length: number;
  readonly headerLength: Place | undefined;
}

/** What the dissector says about a packet that mutations can use. */
export interface MutationTargets {
  readonly lengths: readonly Place[];
  readonly options: readonly OptionPlace[];
}

/** Field keys that hold a length or a count of what follows. */
const LENGTH_KEY = /(?:^|[._])(?:len|length|hdr_len|plen|option_len|count\.[a-z_]+|[a-z]+count)$/;
const OPTION_PARENTS: Readonly<Record<string, string>> = { 'tcp.options': 'tcp.hdr_len', 'ip.options': 'ip.hdr_len' };

function placeOf(f: FieldNode): Place {
  return { key: f.key, offset: f.offset, length: f.length, bits: f.bits };
}

/** Length-like fields and options of a packet, from a full dissection. */
export function mutationTargets(frame: Frame, dissector: Dissector): MutationTargets {
  const p = dissector.dissect(frame);
  const size = frame.data.length;
  const lengths: Place[] = [];
  const options: OptionPlace[] = [];
  const fits = (f: FieldNode): boolean => f.length > 0 && f.offset >= 0 && f.offset + f.length <= size;
  for (const layer of p.layers) {
    const headerLengths = new Map<string, Place>();
    const walk = (fields: readonly FieldNode[], parent: string | undefined): void => {
      for (const f of fields) {
        if (!f.generated && fits(f)) {
          if (LENGTH_KEY.test(f.key) && f.length <= 4 && (f.bits === undefined || f.bits.length <= 32)) {
            lengths.push(placeOf(f));
            if (Object.values(OPTION_PARENTS).includes(f.key)) headerLengths.set(f.key, placeOf(f));
          }
          const counter = parent !== undefined ? OPTION_PARENTS[parent] : undefined;
          if (counter !== undefined && f.length > 1) options.push({ key: f.key, offset: f.offset, length: f.length, headerLength: headerLengths.get(counter) });
          // DHCP options are the layer's own fields (type with length and value below it).
          if (f.key === 'dhcp.option.type' && f.length > 2) options.push({ key: 'dhcp.option', offset: f.offset, length: f.length, headerLength: undefined });
        }
        if (f.children !== undefined) walk(f.children, f.key);
      }
    };
    walk(layer.fields, undefined);
  }
  return { lengths, options };
}

function readField(data: Uint8Array, p: Place): number {
  let v = 0;
  for (let i = 0; i < p.length; i++) v = v * 256 + data[p.offset + i]!;
  if (p.bits === undefined) return v;
  const shift = p.length * 8 - p.bits.offset - p.bits.length;
  return Math.floor(v / 2 ** shift) % 2 ** p.bits.length;
}

function writeField(data: Uint8Array, p: Place, value: number): void {
  let whole = 0;
  for (let i = 0; i < p.length; i++) whole = whole * 256 + data[p.offset + i]!;
  if (p.bits !== undefined) {
    const shift = 2 ** (p.length * 8 - p.bits.offset - p.bits.length);
    const span = 2 ** p.bits.length;
    const old = Math.floor(whole / shift) % span;
    whole += (value - old) * shift;
  } else whole = value;
  for (let i = p.length - 1; i >= 0; i--) {
    data[p.offset + i] = whole % 256;
    whole = Math.floor(whole / 256);
  }
}

function widthOf(p: Place): number {
  return p.bits?.length ?? p.length * 8;
}

function bytesText(offset: number, length: number): string {
  return length === 1 ? `byte ${offset}` : `bytes ${offset}-${offset + length - 1}`;
}

function placeText(p: Place): string {
  return p.bits === undefined || p.bits.length === p.length * 8 ? `at ${bytesText(p.offset, p.length)}` : `at ${bytesText(p.offset, p.length)} bits ${p.bits.offset}-${p.bits.offset + p.bits.length - 1}`;
}

/** A value for a length field that is not its own: zero, one off, the largest, or anything. */
function lyingValue(old: number, bits: number, rng: Rng): number {
  const max = 2 ** bits - 1;
  for (let i = 0; i < 4; i++) {
    const choice = rng.below(6);
    const v = choice === 0 ? 0 : choice === 1 ? old + 1 : choice === 2 ? old - 1 : choice === 3 ? max : choice === 4 ? Math.min(max, old * 2 + 1) : rng.bits(bits);
    if (v >= 0 && v <= max && v !== old) return v;
  }
  return old === max ? 0 : max;
}

export interface MutatedPacket {
  readonly data: Uint8Array;
  /** The on-the-wire length to record (the new length, or the old one for a snaplen-style cut). */
  readonly origLen: number;
  /** What changed, one entry per mutation: "ip.len 60→4095 at bytes 16-17". */
  readonly changes: readonly string[];
}

export interface MutateOptions {
  /** Most mutations per packet (default 3; at least one is always made). */
  readonly most?: number;
}

/**
 * A mutated copy of a packet: one to `most` mutations among bit flips, a length field that
 * lies, a duplicated option (TCP, IPv4, DHCP; the header length grows when it can) and
 * truncation. Byte offsets in the descriptions count from 0, as `show` prints them.
 */
export function mutatePacket(data: Uint8Array, targets: MutationTargets, rng: Rng, o: MutateOptions = {}): MutatedPacket {
  type Kind = 'flip' | 'length' | 'option' | 'truncate';
  const kinds: Kind[] = ['flip', 'flip', 'truncate'];
  if (targets.lengths.length > 0) kinds.push('length', 'length', 'length');
  if (targets.options.length > 0) kinds.push('option', 'option');
  const n = rng.between(1, Math.max(1, o.most ?? 3));
  const chosen: Kind[] = [];
  for (let i = 0; i < n; i++) chosen.push(rng.pick(kinds));
  // Offsets come from the packet as captured: lengths first, then options (which move what
  // follows them), then bit flips anywhere, and a cut last.
  const order: readonly Kind[] = ['length', 'option', 'flip', 'truncate'];
  chosen.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  let out = Uint8Array.from(data);
  let origLen = data.length;
  const changes: string[] = [];
  let cut = false;
  // Options inserted so far, to move later offsets found before them.
  const inserted: { at: number; n: number }[] = [];
  const moved = (offset: number): number => inserted.reduce((o2, i) => (offset >= i.at ? o2 + i.n : o2), offset);
  for (const kind of chosen) {
    switch (kind) {
      case 'length': {
        const p = rng.pick(targets.lengths);
        const old = readField(out, p);
        const v = lyingValue(old, widthOf(p), rng);
        writeField(out, p, v);
        changes.push(`${p.key} ${old}→${v} ${placeText(p)}`);
        break;
      }
      case 'option': {
        const found = rng.pick(targets.options);
        const opt = { ...found, offset: moved(found.offset) };
        if (opt.offset + opt.length > out.length) break;
        const copy = out.slice(opt.offset, opt.offset + opt.length);
        const at = opt.offset + opt.length;
        const grown = new Uint8Array(out.length + copy.length);
        grown.set(out.subarray(0, at));
        grown.set(copy, at);
        grown.set(out.subarray(at), at + copy.length);
        out = grown;
        origLen += copy.length;
        inserted.push({ at, n: copy.length });
        let note = `duplicated ${opt.key} (${bytesText(opt.offset, opt.length)}) at byte ${at}`;
        const h = opt.headerLength !== undefined ? { ...opt.headerLength, offset: moved(opt.headerLength.offset) } : undefined;
        if (h !== undefined && copy.length % 4 === 0) {
          const old = readField(out, h);
          const v = old + copy.length / 4;
          if (v < 2 ** widthOf(h)) {
            writeField(out, h, v);
            note += `; ${h.key} ${old}→${v} ${placeText(h)}`;
          }
        }
        changes.push(note);
        break;
      }
      case 'flip': {
        if (out.length === 0) break;
        const byte = rng.below(out.length);
        const bit = rng.below(8);
        out[byte] = out[byte]! ^ (0x80 >> bit);
        changes.push(`bit flip byte ${byte} bit ${bit}`);
        break;
      }
      case 'truncate': {
        if (cut || out.length === 0) break;
        cut = true;
        const keep = rng.below(out.length);
        const snap = rng.chance(0.5);
        changes.push(snap ? `cut to ${keep} of ${out.length} bytes (wire length kept)` : `truncated ${out.length}→${keep} bytes`);
        out = out.slice(0, keep);
        if (!snap) origLen = keep;
        break;
      }
    }
  }
  if (changes.length === 0) {
    // Every chosen mutation found nothing to do (an empty packet): say so rather than nothing.
    changes.push('unchanged (nothing to mutate)');
  }
  return { data: out, origLen: Math.max(origLen, out.length), changes };
}
