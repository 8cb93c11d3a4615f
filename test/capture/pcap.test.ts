import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import { encodePcapHeader, encodePcapRecord, PcapWriter } from '../../src/capture/write-capture.js';
import { readBytes, Sink } from '../helpers/capture-bytes.js';

const packetArb = fc.record({
  tsSec: fc.integer({ min: 0, max: 0xffffffff }),
  usec: fc.integer({ min: 0, max: 999_999 }),
  nsecExtra: fc.integer({ min: 0, max: 999 }),
  data: fc.uint8Array({ minLength: 0, maxLength: 300 }),
  extraOrig: fc.integer({ min: 0, max: 2000 }),
});

describe('classic pcap round trip', () => {
  for (const nanosecond of [false, true]) {
    for (const bigEndian of [false, true]) {
      it(`${nanosecond ? 'ns' : 'µs'} ${bigEndian ? 'big' : 'little'}-endian: frames come back exactly, in any chunking`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(packetArb, { maxLength: 30 }),
            fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 }),
            fc.integer({ min: 0, max: 300 }),
            async (packets, chunks, linkType) => {
              const sink = new Sink();
              const w = new PcapWriter(sink, { linkType, nanosecond, bigEndian, snaplen: 65535 });
              const input = packets.map((p) => ({
                tsSec: p.tsSec,
                tsNsec: p.usec * 1000 + (nanosecond ? p.nsecExtra : 0),
                data: p.data,
                origLen: p.data.length + p.extraOrig,
              }));
              for (const p of input) await w.write(p);
              await w.close();
              const { reader, frames } = await readBytes(sink.bytes(), chunks);
              expect(reader.damage).toBeUndefined();
              expect(reader.format).toBe(nanosecond ? 'nsecpcap' : 'pcap');
              expect(reader.byteOrder).toBe(bigEndian ? 'big' : 'little');
              expect(reader.interfaces.map((i) => [i.linkType, i.snaplen])).toEqual([[linkType, 65535]]);
              expect(frames.map((f) => f.index)).toEqual(input.map((_, i) => i + 1));
              frames.forEach((f, i) => {
                const p = input[i]!;
                expect([f.tsSec, f.tsNsec, f.tsDigits]).toEqual([p.tsSec, p.tsNsec, nanosecond ? 9 : 6]);
                expect([f.capLen, f.origLen, f.linkType, f.kind]).toEqual([p.data.length, p.origLen, linkType, 'packet']);
                expect(Buffer.from(f.data).equals(Buffer.from(p.data))).toBe(true);
              });
            },
          ),
          { numRuns: 60 },
        );
      });
    }
  }
});

/** Hand-built header bytes for the cases the writer does not make. */
function header(fields: { magic?: number; major?: number; minor?: number; snaplen?: number; linkType?: number; le?: boolean }): Buffer {
  const b = Buffer.alloc(24);
  const le = fields.le ?? true;
  const dv = new DataView(b.buffer);
  dv.setUint32(0, fields.magic ?? 0xa1b2c3d4, le);
  dv.setUint16(4, fields.major ?? 2, le);
  dv.setUint16(6, fields.minor ?? 4, le);
  dv.setUint32(16, fields.snaplen ?? 65535, le);
  dv.setUint32(20, fields.linkType ?? 1, le);
  return b;
}

function rawRecord(cap: number, orig: number, data: Uint8Array, extra = 0): Buffer {
  const b = Buffer.alloc(16 + extra + data.length);
  b.writeUInt32LE(1000, 0);
  b.writeUInt32LE(5, 4);
  b.writeUInt32LE(cap, 8);
  b.writeUInt32LE(orig, 12);
  b.set(data, 16 + extra);
  return b;
}

describe('classic pcap variants and damage', () => {
  it('swaps the record lengths of format 2.2 and earlier files (original length stored first)', async () => {
    const data = Buffer.alloc(40, 7);
    const file = Buffer.concat([header({ minor: 1 }), rawRecord(1500, 40, data)]);
    const { frames, reader } = await readBytes(file);
    expect(reader.version).toBe('2.1');
    expect(frames.map((f) => [f.capLen, f.origLen])).toEqual([[40, 1500]]);
  });

  it('reads modified (Kuznetzov) pcap with 24-byte record headers', async () => {
    const data = Buffer.from('abcdef');
    const file = Buffer.concat([header({ magic: 0xa1b2cd34 }), rawRecord(6, 6, data, 8), rawRecord(6, 60, data, 8)]);
    const { frames, reader } = await readBytes(file);
    expect(reader.format).toBe('modpcap');
    expect(frames.map((f) => [f.capLen, f.origLen, Buffer.from(f.data).toString()])).toEqual([
      [6, 6, 'abcdef'],
      [6, 60, 'abcdef'],
    ]);
  });

  it('keeps the link-type field low 16 bits and accepts FCS bits, refuses reserved bits', async () => {
    const ok = await readBytes(Buffer.concat([header({ linkType: 0x30000001 }), rawRecord(2, 2, Buffer.from('hi'))]));
    expect(ok.frames[0]!.linkType).toBe(1);
    expect(ok.reader.interfaces[0]!.fcsLength).toBeUndefined();
    await expect(readBytes(header({ linkType: 0x00300001 }))).rejects.toThrow(/reserved bits/);
  });

  it('refuses major version 1 as unreadable, with the reason', async () => {
    const err = await readBytes(header({ major: 1, minor: 4 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).message).toMatch(/<stdin>: pcap version 1\.4 is not supported/);
  });

  it('stops at a record whose captured length exceeds the snaplen and 256 KiB, keeping what came before', async () => {
    const good = rawRecord(4, 4, Buffer.from('good'));
    const bad = rawRecord(300_000, 300_000, Buffer.alloc(0));
    const { frames, reader } = await readBytes(Buffer.concat([header({}), good, good, bad, good]));
    expect(frames).toHaveLength(2);
    expect(reader.damage).toEqual({
      message: 'record claims 300000 captured bytes, more than the snaplen (65535) and the 262144-byte limit',
      offset: 24 + 2 * 20,
      frame: 3,
    });
  });

  it('reads a record above the snaplen but within 256 KiB as given', async () => {
    const data = Buffer.alloc(2000, 1);
    const { frames, reader } = await readBytes(Buffer.concat([header({ snaplen: 100 }), rawRecord(2000, 2000, data)]));
    expect(reader.damage).toBeUndefined();
    expect(frames[0]!.capLen).toBe(2000);
  });

  it('keeps an out-of-range microsecond field as Wireshark does (not normalised)', async () => {
    const r = rawRecord(1, 1, Buffer.from('x'));
    r.writeUInt32LE(1_000_000, 4);
    const { frames } = await readBytes(Buffer.concat([header({}), r]));
    expect([frames[0]!.tsSec, frames[0]!.tsNsec]).toEqual([1000, 1_000_000_000]);
  });

  it('yields record bytes as views of the read chunk, not copies, unless a record straddles chunks', async () => {
    const p = { tsSec: 1, tsNsec: 0, data: Buffer.alloc(100, 3) };
    const o = { linkType: 1 };
    const file = Buffer.concat([encodePcapHeader(o), encodePcapRecord(p, o), encodePcapRecord(p, o), encodePcapRecord(p, o)]);
    // One chunk holding the header and the first two records, then the rest.
    const { frames } = await readBytes(file, [24 + 2 * 116 + 50, 1000]);
    expect(frames[0]!.data.buffer).toBe(frames[1]!.data.buffer);
    expect(frames[0]!.data.byteLength).toBe(100);
    expect(frames[2]!.data.buffer).not.toBe(frames[0]!.data.buffer);
    expect(frames[2]!.data.byteLength).toBe(100);
  });
});
