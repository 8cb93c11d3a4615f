/**
 * Value helpers for packet building: addresses from their text forms, byte strings, and a
 * growable big-endian byte writer.
 */

/** Thrown for a field value a layer cannot take; the CLI points at the value's text. */
export class CraftValueError extends Error {
  /** Set by `Layer.build`: the index in the stack of the layer that could not be encoded. */
  layerIndex: number | undefined;

  constructor(message: string) {
    super(message);
    this.name = 'CraftValueError';
  }
}

export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new CraftValueError(`"${text}" is not a MAC address`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function parseIPv4(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new CraftValueError(`"${text}" is not an IPv4 address`);
  return Uint8Array.from(parts.map(Number));
}

export function parseIPv6(text: string): Uint8Array {
  const bad = (): never => {
    throw new CraftValueError(`"${text}" is not an IPv6 address`);
  };
  let s = text;
  const tail: number[] = [];
  // An embedded IPv4 address at the end (::ffff:1.2.3.4).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = parseIPv4(v4[1]!);
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    s = s.slice(0, -v4[1]!.length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) bad();
  const words = (h: string): number[] => (h === '' ? [] : h.split(':').map((w) => (/^[0-9a-fA-F]{1,4}$/.test(w) ? parseInt(w, 16) : bad())));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  const all = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - rest.length - tail.length).fill(0), ...rest, ...tail] : [...head, ...tail];
  if (all.length !== 8 || (halves.length === 2 && head.length + rest.length + tail.length > 7)) bad();
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Bytes of a value given as text (UTF-8) or bytes. */
export function toBytes(v: string | Uint8Array): Uint8Array {
  return typeof v === 'string' ? new TextEncoder().encode(v) : v;
}

/** A big-endian byte writer that grows as it is written. */
export class ByteWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }

  u24(v: number): this {
    return this.u8(v >>> 16).u16(v);
  }

  u32(v: number): this {
    return this.u16(Math.floor(v / 0x10000) & 0xffff).u16(v & 0xffff);
  }

  u64(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  zeros(n: number): this {
    this.room(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }

  /** Overwrites a 16-bit value already written at `at`. */
  set16(at: number, v: number): this {
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
    return this;
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** The Internet checksum of byte runs, with an optional starting sum. */
export function internetChecksum(parts: readonly Uint8Array[], start = 0): number {
  let sum = start;
  let odd = false;
  let carry = 0;
  for (const p of parts) {
    for (const b of p) {
      if (odd) sum += carry | b;
      else carry = b << 8;
      odd = !odd;
      if (sum > 0xffffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
    }
  }
  if (odd) sum += carry;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
