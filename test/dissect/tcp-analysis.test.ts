import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { FieldNode } from '../../src/dissect/tree.js';
import { PacketLister } from '../../src/render/list/packet-list.js';
import { CAPTURES } from '../helpers/capture-bytes.js';

/**
 * TCP sequence analysis against tshark 4.0's answers (test/dissect/tcp-analysis/*.tsv, one row
 * per frame: stream, analysis flags, duplicate ACK number and frame, acked frame, ACK RTT, bytes in
 * flight, Info prefix), on the two corpus captures made to show retransmissions. Every column
 * agrees on every frame.
 */
const NAMES = ['arkime__wireshark-retrans.pcap', 'zeek__retransmit-fast009.pcap'];

async function ours(name: string): Promise<string[][]> {
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { strict: true });
  const lister = new PacketLister('r');
  const rows: string[][] = [];
  for await (const frame of reader) {
    const p = d.dissect(frame);
    const tcp = p.layers.find((l) => l.protocol === 'tcp')!;
    const values: Record<string, string[]> = {};
    const walk = (fs: readonly FieldNode[]): void => {
      for (const f of fs) {
        (values[f.key] ??= []).push(String(f.value));
        if (f.children) walk(f.children);
      }
    };
    walk(tcp.fields);
    const flags = Object.keys(values)
      .filter((k) => k.startsWith('tcp.analysis.') && !/(flags|_num|_frame|ack_rtt|bytes_in_flight)$/.test(k))
      .map((k) => k.slice('tcp.analysis.'.length))
      .sort();
    const v = (k: string): string => (values[k] ?? []).join(',');
    const info = lister.row(p).info;
    const prefix = (/^(\[TCP [^\]]*\] )+/.exec(info)?.[0] ?? '').trimEnd();
    rows.push([String(frame.index), v('tcp.stream'), flags.join(','), v('tcp.analysis.duplicate_ack_num'), v('tcp.analysis.duplicate_ack_frame'), v('tcp.analysis.acks_frame'), v('tcp.analysis.ack_rtt'), v('tcp.analysis.bytes_in_flight'), prefix]);
  }
  await reader.close();
  return rows;
}

describe('TCP analysis agrees with tshark', () => {
  for (const name of NAMES) {
    it(name, async () => {
      const truth = readFileSync(new URL(`./tcp-analysis/${name}.tsv`, import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.split('\t'));
      const got = await ours(name);
      expect(got.length).toBe(truth.length);
      // Compared frame by frame so a difference names its frame.
      for (let i = 0; i < truth.length; i++) expect(got[i], `frame ${i + 1}`).toEqual(truth[i]);
    });
  }

  it('counts what the retransmission capture shows', async () => {
    const rows = await ours('arkime__wireshark-retrans.pcap');
    const count = (flag: string): number => rows.filter((r) => r[2]!.split(',').includes(flag)).length;
    expect([count('retransmission'), count('fast_retransmission'), count('spurious_retransmission'), count('duplicate_ack'), count('out_of_order'), count('keep_alive')]).toEqual([47, 14, 5, 27, 1, 1]);
  });
});
