import { describe, expect, it } from 'vitest';
import { encodeEnhancedPacket, encodeInterfaceDescription, encodeSectionHeader } from '../../src/capture/write-capture.js';
import { SECRETS_TYPE } from '../../src/capture/secrets.js';
import { readBytes } from '../helpers/capture-bytes.js';

/** A Decryption Secrets Block, built by hand: type 0x0a, length, secrets type, secrets length, secrets, padding, length. */
function dsb(type: number, secrets: Uint8Array, bigEndian = false, claimed = secrets.length): Buffer {
  const padded = (secrets.length + 3) & ~3;
  const total = 20 + padded;
  const b = Buffer.alloc(total);
  const w = (v: number, at: number): number => (bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  w(0x0000000a, 0);
  w(total, 4);
  w(type, 8);
  w(claimed, 12);
  b.set(secrets, 16);
  w(total, total - 4);
  return b;
}

const KEYLOG = 'CLIENT_HANDSHAKE_TRAFFIC_SECRET 0101010101010101010101010101010101010101010101010101010101010101 aabbccdd\n';
const packet = (n: number): { tsSec: number; tsNsec: number; data: Uint8Array } => ({ tsSec: 1_700_000_000 + n, tsNsec: 0, data: new Uint8Array(60).fill(n) });

describe('pcapng Decryption Secrets Blocks', () => {
  it('are kept in file order wherever they appear, with their type and exact bytes, across chunk boundaries', async () => {
    const iface = { linkType: 1 };
    const bytes = Buffer.concat([
      encodeSectionHeader(),
      encodeInterfaceDescription(iface),
      dsb(SECRETS_TYPE.TLS_KEY_LOG, Buffer.from(KEYLOG, 'latin1')),
      encodeEnhancedPacket(packet(1), iface),
      dsb(SECRETS_TYPE.WIREGUARD_KEY_LOG, Buffer.from('abc')), // 3 bytes: one byte of padding
      encodeEnhancedPacket(packet(2), iface),
    ]);
    for (const chunks of [[1 << 20], [7], [13, 5]]) {
      const { reader, frames } = await readBytes(bytes, chunks);
      expect(reader.damage).toBeUndefined();
      expect(frames.map((f) => f.index)).toEqual([1, 2]);
      expect(reader.blockCounts.get('DSB')).toBe(2);
      expect(reader.secrets.map((s) => s.type)).toEqual([0x544c534b, 0x57474b4c]);
      expect(Buffer.from(reader.secrets[0]!.data).toString('latin1')).toBe(KEYLOG);
      expect(Buffer.from(reader.secrets[1]!.data).toString('latin1')).toBe('abc');
      // Offsets of the blocks in the file: after SHB (28) and IDB (20), then after the first EPB.
      const shb = encodeSectionHeader().length;
      const idb = encodeInterfaceDescription(iface).length;
      expect(reader.secrets[0]!.offset).toBe(shb + idb);
    }
  });

  it('big-endian sections', async () => {
    const iface = { linkType: 1 };
    const bytes = Buffer.concat([
      encodeSectionHeader({ bigEndian: true }),
      encodeInterfaceDescription(iface, true),
      dsb(SECRETS_TYPE.TLS_KEY_LOG, Buffer.from(KEYLOG, 'latin1'), true),
      encodeEnhancedPacket(packet(1), iface, true),
    ]);
    const { reader, frames } = await readBytes(bytes);
    expect(frames).toHaveLength(1);
    expect(reader.secrets.map((s) => [s.type, s.data.length])).toEqual([[SECRETS_TYPE.TLS_KEY_LOG, KEYLOG.length]]);
  });

  it('a secrets length overrunning its block is damage: the packets before it are delivered', async () => {
    const iface = { linkType: 1 };
    const bytes = Buffer.concat([
      encodeSectionHeader(),
      encodeInterfaceDescription(iface),
      encodeEnhancedPacket(packet(1), iface),
      dsb(SECRETS_TYPE.TLS_KEY_LOG, Buffer.from('x'.repeat(8)), false, 9),
      encodeEnhancedPacket(packet(2), iface),
    ]);
    const { reader, frames } = await readBytes(bytes);
    expect(frames).toHaveLength(1);
    expect(reader.damage?.message).toBe('decryption secrets of 9 bytes overrun their block (8 bytes)');
    expect(reader.secrets).toEqual([]);
  });

  it('classic pcap files have none', async () => {
    const { reader } = await readBytes(Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'));
    expect(reader.secrets).toEqual([]);
  });
});
