import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/capture/frame.js';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { KeyLog } from '../../../src/dissect/keylog.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import { CIPHER_SUITES, headerMask, nextTrafficSecret, packetKeys, QUIC_V2 } from '../../../src/dissect/protocols/quic-crypto.js';
import type { DissectedPacket } from '../../../src/dissect/tree.js';
import { CAPTURES, readBytes, readFile, TRUTH } from '../../helpers/capture-bytes.js';
import { checkInvariants, field, layer, values } from '../../helpers/dissect.js';

// nDPI's quic-v2.pcapng: one QUIC v2 connection (picoquic over ::1) whose TLS secrets are in a
// Decryption Secrets Block; frame 1 holds Initial + 0-RTT, frame 2 Initial + 2 Handshake + 1-RTT.
const CAPTURE = `${CAPTURES}ndpi__quic-v2.pcapng`;

/** What tshark 4.0 printed for `field`, packet by packet (the corpus truth). */
function truthColumn(field: string): string[] {
  const t = JSON.parse(readFileSync(`${TRUTH}ndpi__quic-v2.pcapng.json`, 'utf8')) as { fieldNames: string[]; fields: string[][] };
  const i = t.fieldNames.indexOf(field);
  return t.fields.map((row) => row[i]!);
}

/** The file's blocks without its Decryption Secrets Block, and that block's key log text. */
function splitSecrets(bytes: Buffer): { stripped: Buffer; keylog: string } {
  const kept: Buffer[] = [];
  let keylog = '';
  for (let p = 0; p < bytes.length; ) {
    const type = bytes.readUInt32LE(p);
    const len = bytes.readUInt32LE(p + 4);
    if (type === 0x0a) keylog += bytes.subarray(p + 16, p + 16 + bytes.readUInt32LE(p + 12)).toString('latin1');
    else kept.push(bytes.subarray(p, p + len));
    p += len;
  }
  return { stripped: Buffer.concat(kept), keylog };
}

async function dissectAll(frames: readonly Frame[], keyLog: KeyLog | undefined, mode: 'full' | 'summary' = 'full'): Promise<DissectedPacket[]> {
  const d = new Dissector(defaultRegistry(), { strict: true, mode, keyLog });
  return frames.map((f) => d.dissect(f));
}

const types = (p: DissectedPacket): string => values(p, 'tls.handshake.type').join(',');

describe('QUIC decryption with the capture\'s secrets', () => {
  it('gives tshark\'s tls.handshake.type for every packet (Handshake and 1-RTT decrypted)', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    expect(reader.secrets).toHaveLength(1);
    const packets = await dissectAll(frames, new KeyLog({ blocks: reader.secrets }));
    const expected = truthColumn('tls.handshake.type');
    expect(expected.slice(0, 4)).toEqual(['1', '2,8,11,15,20,4', '', '20']);
    expect(packets.map(types)).toEqual(expected);
    expect(packets.map((p) => values(p, 'tls.handshake.extensions_server_name').join(','))).toEqual(truthColumn('tls.handshake.extensions_server_name'));
    for (const p of packets) checkInvariants(p);
  });

  it('reads every coalesced packet and the 1-RTT frames, as tshark shows them', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    const [, second, , fourth, fifth] = await dissectAll(frames, new KeyLog({ blocks: reader.secrets }));
    // Frame 2: Initial (ACK, CRYPTO), Handshake, Handshake, then a short header packet.
    expect(values(second!, 'quic.packet_length')).toEqual([184, 1048, 363, 439]);
    expect(values(second!, 'quic.packet_number')).toEqual([128705, 0, 1, 0]);
    expect(values(second!, 'quic.frame_type')).toEqual([3, 6, 6, 6, 6, 7, 24, 24, 24, 24, 24, 24, 24, 10, 10, 10, 0]);
    expect(values(second!, 'quic.stream.stream_id')).toEqual([3, 7, 11]);
    expect(values(second!, 'quic.nci.sequence')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const cid = field(second!, 'quic.nci.connection_id');
    expect(Buffer.from(cid.value as Uint8Array).toString('hex')).toBe('c07de136adb175d7');
    const data = field(second!, 'quic.stream_data');
    expect(Buffer.from(data.value as Uint8Array).toString('hex')).toBe('00040401000700');
    expect(layer(second!, 'quic').summary).toBe('Protected Payload (KP0), DCID=11fffdea452422b8, PKN: 0, CRYPTO, NT, NCI, NCI, NCI, NCI, NCI, NCI, NCI, STREAM(3), STREAM(7), STREAM(11), PADDING');
    // The Certificate arrived in two CRYPTO frames: one message, reassembled, with generated fields.
    const cert = field(second!, 'tls.handshake.type', 2);
    expect([cert.value, cert.length, cert.generated]).toEqual([11, 0, true]);
    // The Finished message lay whole in one frame: read in place, over the bytes it decrypts from.
    const fin = field(fourth!, 'tls.handshake.type');
    expect([fin.value, fin.length, fin.offset]).toEqual([20, 1, 105]);
    // A short header alone in its datagram (reached through the UDP conversation).
    expect(layer(fifth!, 'quic').summary).toBe('Protected Payload (KP0), DCID=b844d6f71875fd1d, PKN: 2, PC, TS, ACK_ECN, PADDING');
    expect(Buffer.from(field(fifth!, 'quic.path_challenge.data').value as Uint8Array).toString('hex')).toBe('cae43bce8065ffac');
    expect(values(fifth!, 'quic.ts')).toEqual([881]);
  });

  it('without secrets only the Initial packets are read; the rest stays protected', async () => {
    const { stripped } = splitSecrets(readFileSync(CAPTURE));
    const { reader, frames } = await readBytes(stripped);
    expect(reader.secrets).toEqual([]);
    const packets = await dissectAll(frames, new KeyLog({ blocks: reader.secrets }));
    expect(packets.map(types).slice(0, 4)).toEqual(['1', '2', '', '']);
    expect(packets.every((p) => p.layers.some((l) => l.protocol === 'quic'))).toBe(true);
    expect(values(packets[2]!, 'quic.protected_payload')).toHaveLength(1);
    expect(values(packets[2]!, 'quic.frame_type')).toEqual([]);
    expect(layer(packets[2]!, 'quic').issues).toEqual([]);
  });

  it('a key log given apart from the capture (as --tls-keylog) decrypts the same', async () => {
    const { stripped, keylog } = splitSecrets(readFileSync(CAPTURE));
    const { frames } = await readBytes(stripped);
    const user = KeyLog.fromText(`# exported\n${keylog}`);
    expect(user.size).toBe(69);
    const packets = await dissectAll(frames, new KeyLog({ fallback: user, blocks: [] }));
    expect(packets.map(types)).toEqual(truthColumn('tls.handshake.type'));
  });

  it('a damaged 1-RTT packet stays protected with an expert note, and the next one still decrypts', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    const damaged = frames.map((f) => (f.index === 3 ? { ...f, data: Uint8Array.from(f.data, (b, i) => (i === f.data.length - 1 ? b ^ 0xff : b)) } : f));
    const packets = await dissectAll(damaged, new KeyLog({ blocks: reader.secrets }));
    const q = layer(packets[2]!, 'quic');
    expect(q.issues.map((i) => i.message)).toEqual(['1-RTT packet could not be decrypted']);
    expect(values(packets[2]!, 'quic.frame_type')).toEqual([]);
    expect(values(packets[5]!, 'quic.frame_type')).toEqual([27, 30, 175, 0]);
  });

  it('every prefix of the coalesced datagram, with keys: no throw, the header read so far kept', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    const keyLog = new KeyLog({ blocks: reader.secrets });
    const second = frames[1]!;
    for (let n = 0; n < second.data.length; n += 7) {
      const d = new Dissector(defaultRegistry(), { strict: true, keyLog });
      d.dissect(frames[0]!);
      const p = d.dissect({ ...second, data: second.data.subarray(0, n), capLen: n });
      checkInvariants(p);
      // Packets end at 248 (Initial), 1296 and 1659 (Handshake), 2098 (1-RTT): each one whole decrypts.
      const expected = n < 248 ? [] : n < 1296 ? [2] : n < 1659 ? [2, 8] : [2, 8, 11, 15, 20];
      expect(values(p, 'tls.handshake.type')).toEqual(expected);
    }
  });

  it('follows a 1-RTT key update (key phase bit) and still reads a late packet of the old phase', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    const keyLog = new KeyLog({ blocks: reader.secrets });
    const d = new Dissector(defaultRegistry(), { strict: true, keyLog });
    const packets = frames.map((f) => d.dissect(f));
    const random = field(packets[0]!, 'tls.handshake.random').value as Uint8Array;
    const suite = CIPHER_SUITES.get(0x1301)!;
    const secret0 = keyLog.secret('CLIENT_TRAFFIC_SECRET_0', random)!;
    const gen0 = packetKeys(suite, secret0, QUIC_V2);
    const gen1 = packetKeys(suite, nextTrafficSecret(suite, secret0, QUIC_V2), QUIC_V2);
    const dcid = Buffer.from('b844d6f71875fd1d', 'hex');
    // A client 1-RTT packet: short header, 2-byte packet number, PING then padding, sealed with
    // `keys`, header protected with the first generation's hp key (it never changes).
    const seal = (keys: typeof gen0, phase: number, pn: number): Buffer => {
      const header = Buffer.concat([Buffer.from([0x40 | (phase << 2) | 0x01]), dcid, Buffer.from([pn >> 8, pn & 0xff])]);
      const nonce = Buffer.from(keys.iv);
      nonce[11]! ^= pn & 0xff;
      nonce[10]! ^= pn >> 8;
      const gcm = createCipheriv('aes-128-gcm', keys.key, nonce);
      gcm.setAAD(header);
      const body = Buffer.concat([gcm.update(Buffer.concat([Buffer.from([0x01]), Buffer.alloc(23)])), gcm.final(), gcm.getAuthTag()]);
      const packet = Buffer.concat([header, body]);
      const mask = headerMask(gen0, packet.subarray(1 + 8 + 4, 1 + 8 + 4 + 16));
      packet[0]! ^= mask[0]! & 0x1f;
      packet[9]! ^= mask[1]!;
      packet[10]! ^= mask[2]!;
      return packet;
    };
    // Frame 5's link, IPv6 and UDP headers (client to server), lengths set for the new payload.
    const withPayload = (quicBytes: Buffer, index: number): Frame => {
      const base = Buffer.from(frames[4]!.data.subarray(0, 64));
      base.writeUInt16BE(8 + quicBytes.length, 16 + 4);
      base.writeUInt16BE(8 + quicBytes.length, 56 + 4);
      base.writeUInt16BE(0, 56 + 6);
      const data = Buffer.concat([base, quicBytes]);
      return { ...frames[4]!, index, data, capLen: data.length, origLen: data.length };
    };
    const updated = d.dissect(withPayload(seal(gen1, 1, 100), 20));
    expect(layer(updated, 'quic').summary).toBe('Protected Payload (KP1), DCID=b844d6f71875fd1d, PKN: 100, PING, PADDING');
    expect(values(updated, 'quic.key_phase')).toEqual([true]);
    const late = d.dissect(withPayload(seal(gen0, 0, 99), 21));
    expect(layer(late, 'quic').summary).toBe('Protected Payload (KP0), DCID=b844d6f71875fd1d, PKN: 99, PING, PADDING');
    const wrong = d.dissect(withPayload(seal(gen0, 1, 101), 22));
    expect(layer(wrong, 'quic').issues.map((i) => i.message)).toEqual(['1-RTT packet could not be decrypted']);
  });

  it('any decrypted payload (random frames sealed with the real keys): no throw, invariants hold', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    const keyLog = new KeyLog({ blocks: reader.secrets });
    const d = new Dissector(defaultRegistry(), { strict: true, keyLog });
    const packets = frames.map((f) => d.dissect(f));
    const random = field(packets[0]!, 'tls.handshake.random').value as Uint8Array;
    const suite = CIPHER_SUITES.get(0x1301)!;
    const keys = packetKeys(suite, keyLog.secret('CLIENT_TRAFFIC_SECRET_0', random)!, QUIC_V2);
    const dcid = Buffer.from('b844d6f71875fd1d', 'hex');
    let index = 20;
    let decrypted = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 300 }), fc.integer({ min: 200, max: 60000 }), (plain, pn) => {
        const header = Buffer.concat([Buffer.from([0x41]), dcid, Buffer.from([pn >> 8, pn & 0xff])]);
        const nonce = Buffer.from(keys.iv);
        nonce[11]! ^= pn & 0xff;
        nonce[10]! ^= pn >> 8;
        const gcm = createCipheriv('aes-128-gcm', keys.key, nonce);
        gcm.setAAD(header);
        const packet = Buffer.concat([header, gcm.update(plain), gcm.final(), gcm.getAuthTag()]);
        const mask = headerMask(keys, packet.subarray(13, 29));
        packet[0]! ^= mask[0]! & 0x1f;
        packet[9]! ^= mask[1]!;
        packet[10]! ^= mask[2]!;
        const base = Buffer.from(frames[4]!.data.subarray(0, 64));
        base.writeUInt16BE(8 + packet.length, 20);
        base.writeUInt16BE(8 + packet.length, 60);
        base.writeUInt16BE(0, 62);
        const data = Buffer.concat([base, packet]);
        const p = d.dissect({ ...frames[4]!, index: index++, data, capLen: data.length, origLen: data.length });
        checkInvariants(p);
        if (values(p, 'quic.packet_number').length === 1) decrypted++;
      }),
      { numRuns: 3000 },
    );
    // Packet numbers jump around, so a few fall outside the window and do not decrypt.
    expect(decrypted).toBeGreaterThan(1000);
  });

  it('summary mode (list, stats) keeps the same connection state', async () => {
    const { reader, frames } = await readFile(CAPTURE);
    const packets = await dissectAll(frames, new KeyLog({ blocks: reader.secrets }), 'summary');
    expect(layer(packets[3]!, 'quic').summary).toBe('Protected Payload (KP0), DCID=b844d6f71875fd1d, PKN: 1, PC, TS, ACK_ECN, PADDING');
    expect(layer(packets[0]!, 'quic').summary).toBe('0-RTT, DCID=0726272642fc2eb2, PKN: 0, STREAM(2), STREAM(6), STREAM(10), STREAM(0), PADDING');
  });
});

describe('KeyLog', () => {
  it('reads NSS key log lines, ignores comments and junk, looks secrets up by label and client random', () => {
    const random = '0123456789abcdef'.repeat(4);
    const k = KeyLog.fromText(
      [`# comment`, `CLIENT_TRAFFIC_SECRET_0 ${random.toUpperCase()} 00ff`, `not a line`, `SERVER_TRAFFIC_SECRET_0 ${random} 0`, `CLIENT_RANDOM ${random} ${'ab'.repeat(48)}`, ''].join('\r\n'),
    );
    expect(k.size).toBe(2);
    const cr = Buffer.from(random, 'hex');
    expect(Buffer.from(k.secret('CLIENT_TRAFFIC_SECRET_0', cr)!).toString('hex')).toBe('00ff');
    expect(k.secret('SERVER_TRAFFIC_SECRET_0', cr)).toBeUndefined();
    expect(k.secret('CLIENT_TRAFFIC_SECRET_0', Buffer.alloc(32))).toBeUndefined();
  });

  it('takes a capture\'s TLSK blocks as they arrive, then falls back to the user\'s file', () => {
    const blocks: { type: number; data: Uint8Array; offset: number }[] = [];
    const user = KeyLog.fromText(`CLIENT_TRAFFIC_SECRET_0 ${'11'.repeat(32)} 01`);
    const k = new KeyLog({ fallback: user, blocks });
    expect(k.size).toBe(1);
    blocks.push({ type: 0x57474b4c, data: Buffer.from('ignored'), offset: 0 });
    blocks.push({ type: 0x544c534b, data: Buffer.from(`CLIENT_TRAFFIC_SECRET_0 ${'11'.repeat(32)} 02\n`), offset: 0 });
    expect(k.size).toBe(2);
    expect(Buffer.from(k.secret('CLIENT_TRAFFIC_SECRET_0', Buffer.alloc(32, 0x11))!).toString('hex')).toBe('02');
  });
});
