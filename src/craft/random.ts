/**
 * A small seeded random number generator for fuzzing: Marsaglia's xorshift128 over four 32-bit
 * words, seeded from any text by an FNV-1a style hash. Not for secrets; only for reproducible
 * series (the same seed always gives the same numbers, on every machine).
 */

/** Four 32-bit words from a text, never all zero. */
function seedWords(text: string): [number, number, number, number] {
  const words: [number, number, number, number] = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x7f4a7c15];
  const bytes = new TextEncoder().encode(text);
  for (let w = 0; w < 4; w++) {
    let h = words[w]! ^ Math.imul(w + 1, 0x27d4eb2d);
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    words[w] = h >>> 0;
  }
  if (words.every((v) => v === 0)) words[3] = 1;
  return words;
}

export class Rng {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  /** A generator for a seed (any text: "42", "run-7"). */
  constructor(seed: string) {
    [this.x, this.y, this.z, this.w] = seedWords(seed);
    // The first outputs of a freshly seeded xorshift still show the seed's bits: skip them.
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = (this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.w;
  }

  /** A uniform integer of `bits` bits (0 to 53). */
  bits(bits: number): number {
    if (bits <= 0) return 0;
    if (bits <= 32) return bits === 32 ? this.u32() : this.u32() >>> (32 - bits);
    const high = this.u32() >>> (64 - bits);
    return high * 0x1_0000_0000 + this.u32();
  }

  /** A uniform unsigned 64-bit integer. */
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  /** A uniform integer from 0 to n - 1 (n from 1 to 2^32). */
  below(n: number): number {
    if (n <= 1) return 0;
    // Rejection keeps every value equally likely.
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const v = this.u32();
      if (v < limit) return v % n;
    }
  }

  /** An integer from lo to hi, both included. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() < p * 0x1_0000_0000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: nothing to pick from');
    return items[this.below(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() >>> 24;
    return out;
  }
}
