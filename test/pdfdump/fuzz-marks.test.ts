/**
 * The bytes `pcapviz fuzz` says it changed (in its pcapng comment on the packet) are marked in
 * the PDF dump's hex column, under exactly those bytes, as issue bytes are.
 */
import { describe, expect, it } from 'vitest';
import { mutatedBytes, mutationComment } from '../../src/craft/fuzz-comment.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { cellX, layoutPacket } from '../../src/pdfdump/layout.js';
import { frameOf } from '../helpers/dissect.js';
import { udpPacket } from '../helpers/misc-packets.js';
import { layoutContext } from './helpers.js';

const FACTS = { summary: 'fuzzed packet', absoluteTime: '', relativeTime: '0.000000', interfaceName: undefined };

describe('fuzz comments', () => {
  it('name the bytes of each change, and only mutation comments count', () => {
    const c = mutationComment('s1', 4, 2, ['ip.len 60→4095 at bytes 16-17', 'bit flip byte 40 bit 3', 'tcp.hdr_len 8→0 at byte 46 bits 0-3', 'cut to 30 bytes']);
    expect(c).toBe('fuzz: seed s1 packet 4 from packet 2: ip.len 60→4095 at bytes 16-17; bit flip byte 40 bit 3; tcp.hdr_len 8→0 at byte 46 bits 0-3; cut to 30 bytes');
    expect(mutatedBytes(c)).toEqual([16, 17, 40, 46]);
    expect(mutatedBytes('first DNS query at bytes 1-2')).toEqual([]);
    expect(mutatedBytes('fuzz: seed s packet 1: IP(src="1.2.3.4")/Raw(load="at bytes 3-4")')).toEqual([]);
  });

  it('mark the changed bytes in the hex column', async () => {
    const ctx = await layoutContext();
    const bytes = udpPacket(1000, 2000, 'abcdefgh');
    const columnsMarked = (comments: string[] | undefined): number[] => {
      const p = new Dissector(defaultRegistry(), { mode: 'full' }).dissect({ ...frameOf(bytes), ...(comments ? { comments } : {}) });
      const l = layoutPacket(p, FACTS, ctx);
      // Row 2 holds bytes 32..47; a mark's column is the cell it starts in.
      return l.chunks.flatMap((c) => c.issueMarks).map((m) => [...Array(16).keys()].find((col) => Math.abs(cellX(l.columns, col) + 1 - m.x) < 0.01)!).sort((a, b) => a - b);
    };
    const own = columnsMarked(undefined);
    const fuzzed = columnsMarked([mutationComment('s', 1, 1, ['udp.length 16→255 at bytes 38-39', 'bit flip byte 45 bit 0'])]);
    // The packet's own issue marks stay; bytes 38, 39 (columns 6, 7) and 45 (13) are added.
    expect(fuzzed.filter((c) => !own.includes(c))).toEqual([6, 7, 13]);
    expect(fuzzed.length).toBe(own.length + 3);
  });
});
