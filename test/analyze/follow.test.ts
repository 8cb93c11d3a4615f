import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FollowBuilder } from '../../src/analyze/follow.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { type FollowFormat, followText } from '../../src/run/run-follow.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { ip, packet, resetFrames, tcp } from './make-packets.js';

async function follow(name: string, proto: 'tcp' | 'udp', stream: number): Promise<FollowBuilder> {
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', strict: true });
  const b = new FollowBuilder(proto, stream);
  for await (const frame of reader) b.add(d.dissect(frame));
  await reader.close();
  return b;
}

/** tshark 4.0's `-q -z follow,PROTO,FORMAT,STREAM` output for corpus streams (test/analyze/follow/). */
const CASES: [string, 'tcp' | 'udp', number, FollowFormat, string][] = [
  ['arkime__wireshark-retrans.pcap', 'tcp', 0, 'ascii', 'wireshark-retrans.tcp0.ascii.txt'],
  ['arkime__wireshark-retrans.pcap', 'tcp', 1, 'hex', 'wireshark-retrans.tcp1.hex.txt'],
  ['zeek__retransmit-fast009.pcap', 'tcp', 0, 'raw', 'retransmit-fast009.tcp0.raw.txt'],
  ['ndpi__1kxun.pcap', 'tcp', 3, 'ascii', '1kxun.tcp3.ascii.txt'],
  ['zeek__dns-corrupt.pcap', 'udp', 0, 'hex', 'dns-corrupt.udp0.hex.txt'],
  ['pcapplusplus__tls2.pcap', 'tcp', 0, 'raw', 'tls2.tcp0.raw.txt'],
];

describe('follow', () => {
  for (const [name, proto, stream, format, file] of CASES) {
    it(`${name} ${proto} ${stream} ${format} is what tshark prints`, async () => {
      const expected = readFileSync(new URL(`./follow/${file}`, import.meta.url), 'utf8');
      expect(followText((await follow(name, proto, stream)).finish(), format)).toBe(expected);
    });
  }

  it('sends retransmitted bytes once and marks gaps the other side acknowledged (wireshark-retrans, tls2)', async () => {
    const r = (await follow('arkime__wireshark-retrans.pcap', 'tcp', 0)).finish();
    expect([r.chunks.length, r.chunks.reduce((n, c) => n + c.data.length, 0), r.duplicateBytes]).toEqual([12, 5798, 17394]);
    const t = (await follow('pcapplusplus__tls2.pcap', 'tcp', 1)).finish();
    expect(t.missingBytes).toBeGreaterThan(0);
  });

  it('puts out-of-order and overlapping segments in sequence order', () => {
    resetFrames();
    const b = new FollowBuilder('tcp', 0);
    const seg = (seq: number, text: string) => {
      const bytes = new TextEncoder().encode(text);
      const p = packet(0, 54 + bytes.length, [ip('10.0.0.1', '10.0.0.2'), tcp(1000, 80, 0, { flags: 0x18, seq, ack: 1, len: bytes.length })]);
      const layer = p.layers[1] as { offset: number; headerLength: number; length: number };
      Object.assign(layer, { offset: 0, headerLength: 0, length: bytes.length });
      Object.assign(p.frame, { data: bytes });
      return p;
    };
    b.add(seg(100, 'abc'));
    b.add(seg(106, 'ghi'));
    b.add(seg(102, 'cdef'));
    b.add(seg(100, 'abc'));
    const r = b.finish();
    expect(r.chunks.map((c) => new TextDecoder().decode(c.data))).toEqual(['abc', 'def', 'ghi']);
    expect(r.duplicateBytes).toBe(4);
  });
});
