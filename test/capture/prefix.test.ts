import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import { CAPTURES, readBytes } from '../helpers/capture-bytes.js';

/**
 * An independent walk of a file's record boundaries: where the file header ends and where each
 * frame's record (pcap) or block (pcapng packet or custom block) ends.
 */
function recordEnds(file: Buffer): { headerEnd: number; frameEnds: number[] } {
  const magic = file.readUInt32LE(0);
  const ends: number[] = [];
  if (magic === 0x0a0d0d0a) {
    let le = file.readUInt32LE(8) === 0x1a2b3c4d;
    let o = 0;
    let headerEnd = -1;
    while (o + 12 <= file.length) {
      const type = le ? file.readUInt32LE(o) : file.readUInt32BE(o);
      if (type === 0x0a0d0d0a) le = file.readUInt32LE(o + 8) === 0x1a2b3c4d;
      const len = le ? file.readUInt32LE(o + 4) : file.readUInt32BE(o + 4);
      if (headerEnd < 0) headerEnd = o + len;
      if ([2, 3, 6, 0xbad, 0x40000bad].includes(type)) ends.push(o + len);
      o += len;
    }
    return { headerEnd, frameEnds: ends };
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  let o = 24;
  while (o + 16 <= file.length) {
    const cap = le ? file.readUInt32LE(o + 8) : file.readUInt32BE(o + 8);
    o += 16 + cap;
    ends.push(o);
  }
  return { headerEnd: 24, frameEnds: ends };
}

const SAMPLES = [
  'tcpdump__pptp.pcap', // big-endian µs pcap
  'tcpdump__tcp-handshake-nano.pcap', // ns pcap
  'pcapng-test-generator__le__test202.pcapng', // three sections, both byte orders, every block type
  'pcapng-test-generator__be__test018.pcapng', // custom blocks between packets
];

describe('every prefix of real captures', () => {
  for (const name of SAMPLES) {
    it(`${name}: a cut at any byte yields exactly the complete frames before it`, async () => {
      const file = readFileSync(`${CAPTURES}${name}`);
      const { headerEnd, frameEnds } = recordEnds(file);
      const full = await readBytes(file);
      expect(full.frames.length).toBe(frameEnds.length);
      for (let n = 0; n <= file.length; n++) {
        const cut = file.subarray(0, n);
        if (n < headerEnd) {
          await expect(readBytes(cut), `cut at ${n}`).rejects.toBeInstanceOf(CaptureError);
          continue;
        }
        const complete = frameEnds.filter((e) => e <= n).length;
        const { frames, reader } = await readBytes(cut, [n % 97 + 1, 4096]);
        expect(frames.length, `cut at ${n}`).toBe(complete);
        for (let i = 0; i < frames.length; i++) {
          expect(Buffer.from(frames[i]!.data).equals(Buffer.from(full.frames[i]!.data))).toBe(true);
        }
        // Damage exactly when the cut falls inside a record or block.
        const inside = reader.damage !== undefined;
        const boundaries = new Set([headerEnd, file.length, ...blockBoundaries(file, name)]);
        expect(inside, `cut at ${n}: ${reader.damage?.message}`).toBe(!boundaries.has(n));
        if (inside) expect(reader.damage!.frame).toBe(complete + 1);
      }
    });
  }

  it('a gzip-compressed capture cut anywhere yields a prefix of its frames and reports the damage', async () => {
    const raw = readFileSync(`${CAPTURES}tcpdump__pptp.pcap`);
    const gz = gzipSync(raw);
    const full = await readBytes(raw);
    for (let n = 30; n < gz.length; n += 7) {
      const { frames, reader } = await readBytes(gz.subarray(0, n)).catch((e: unknown) => {
        expect(e).toBeInstanceOf(CaptureError);
        return { frames: [], reader: undefined };
      });
      if (reader === undefined) continue;
      expect(reader.compression).toBe('gzip');
      expect(reader.damage, `cut at ${n}`).toBeDefined();
      // A cut in the 8-byte gzip trailer loses no frame, but the file is still damaged.
      expect(frames.length).toBeLessThanOrEqual(full.frames.length);
      if (n < gz.length - 8) expect(frames.length).toBeLessThan(full.frames.length);
      frames.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(full.frames[i]!.data))).toBe(true));
    }
    const whole = await readBytes(gz, [100]);
    expect(whole.reader.damage).toBeUndefined();
    expect(whole.frames.length).toBe(full.frames.length);
  });
});

/** Every record or block boundary after the header (non-frame blocks included). */
function blockBoundaries(file: Buffer, name: string): number[] {
  const out: number[] = [];
  if (!name.endsWith('.pcapng')) {
    return recordEnds(file).frameEnds;
  }
  let le = file.readUInt32LE(8) === 0x1a2b3c4d;
  let o = 0;
  while (o + 12 <= file.length) {
    const type = le ? file.readUInt32LE(o) : file.readUInt32BE(o);
    if (type === 0x0a0d0d0a) le = file.readUInt32LE(o + 8) === 0x1a2b3c4d;
    o += le ? file.readUInt32LE(o + 4) : file.readUInt32BE(o + 4);
    out.push(o);
  }
  return out;
}
