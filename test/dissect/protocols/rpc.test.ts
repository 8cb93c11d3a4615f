import { describe, expect, it } from 'vitest';
import { hierarchyPath } from '../../../src/analyze/protocol-hierarchy.js';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../../src/dissect/tree.js';
import { checkInvariants, dissect, field, frameOf, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// ndpi__nfsv2.pcap: #1 portmap V3 GETADDR call (RPC at 42), #2 its reply.
const GETADDR_CALL = hex(
  '00c095f84dd300c095e019be08004500005c64c200004011d3348b1916028b1916660cd9006f00486de23841169f00000000000000020001' +
    '86a0000000030000000300000000000000000000000000000000000186a50000000100000003756470000000000000000000',
);
const GETADDR_REPLY = hex(
  '00c095e019be00c095f84dd308004500004c8e3400004011a9d28b1916668b191602006f0cd9003899f03841169f00000001000000000000' +
    '00000000000000000000000000123133392e32352e32322e3130322e342e32340000',
);
// #3 mount V1 MNT call with AUTH_UNIX credentials, #4 its reply with the file handle.
const MNT_CALL = hex(
  '00c095f84dd300c095e019be08004500009064c300004011d2ff8b1916028b191666029f0418007c1a153841169f00000000000000020001' +
    '86a500000001000000010000000100000034384775d000000009776572726d73636865000000000000000000000100000005000000010000' +
    '00000000000200000003000000110000000000000000000000142f686f6d652f6769726c6963682f6578706f7274',
);
const MNT_REPLY = hex(
  '00c095e019be00c095f84dd30800450000588e4000004011a9ba8b1916668b1916020418029f0044ed9b3841169f00000001000000000000' +
    '000000000000000000000000000000101085000003e7000a00000000b25a00000029000a00000000b25a00000029',
);
// #7 NFS V2 NULL call, #8 its reply: no body at all.
const NULL_CALL = hex(
  '00c095f84dd300c095e019be08004500004464c500004011d3498b1916028b1916660cdc080100303e4d3841aadf00000000000000020001' +
    '86a3000000020000000000000000000000000000000000000000',
);
const NULL_REPLY = hex(
  '00c095e019be00c095f84dd30800450000348e490000ff11ead48b1916668b19160208010cdc0020c5143841aadf00000001000000000000' +
    '00000000000000000000',
);
// #13 LOOKUP "a" in the exported directory, #14 its NOENT reply.
const LOOKUP_CALL = hex(
  '00c095f84dd300c095e019be0800450000a064c90000ff1113e98b1916028b19166603ff0801008c171c5e1d0b9600000000000000020001' +
    '86a300000002000000040000000100000034384775d000000009776572726d73636865000000000000000000000100000005000000010000' +
    '0000000000020000000300000011000000000000000000101085000003e7000a00000000b25a00000029000a00000000b25a000000290000' +
    '000161000000',
);
const LOOKUP_REPLY = hex(
  '00c095e019be00c095f84dd30800450000388e700000ff11eaa98b1916668b191602080103ff002447555e1d0b9600000001000000000000' +
    '0000000000000000000000000002',
);
// #63 READDIR call, #64 its reply with six entries.
const READDIR_CALL = hex(
  '00c095f84dd300c095e019be0800450000a064e20000ff1113d08b1916028b19166603ff0801008c73f85e1d0baf00000000000000020001' +
    '86a300000002000000100000000100000034384775d000000009776572726d73636865000000000000000000000100000005000000010000' +
    '0000000000020000000300000011000000000000000000101085000003e7000a00000000b25a00000029000a00000000b25a000000290000' +
    '000000000400',
);
const READDIR_REPLY = hex(
  '00c095e019be00c095f84dd30800450000b88ecd0000ff11e9cc8b1916668b191602080103ff00a4731c5e1d0baf00000001000000000000' +
    '0000000000000000000000000000000000010000b25a000000012e00000000000001000000010000b259000000022e2e0000000000040000' +
    '00010000b25d00000001620000000000001c000000010000a3e700000002616d000000000028000000010000b25d00000003626c6e000000' +
    '0038000000010000a3ec00000004626c6e73000000600000000000000001',
);
// #25: SETATTR setting only the times (mode, uid, gid and size all ones: left unset).
const SETATTR_CALL = hex(
  '00c095f84dd300c095e019be0800450000b864cf0000ff1113cb8b1916028b19166603ff080100a4720e5e1d0b9c00000000000000020001' +
    '86a300000002000000020000000100000034384775d000000009776572726d73636865000000000000000000000100000005000000010000' +
    '0000000000020000000300000011000000000000000000101085000003e7000a00000000a3e70000000f000a00000000b25a00000029ffff' +
    'ffffffffffffffffffffffffffff384775d0000975e0384775d0000f4240',
);
// pcapplusplus__ip4_fragments.pcap #1, first 200 bytes: an NFS V3 WRITE call of 8192 bytes in
// the first fragment of its datagram (the IPv4 total length is set to what is kept; MF stays set).
const WRITE3_FIRST_FRAGMENT = ((): Uint8Array => {
  const b = hex(
    '000bdb941470000bdb9414800800450005dc1ea02000401175dd0a76d5d40a76d5d303150801208085f6a13928f700000000000000020001' +
      '86a3000000030000000700000001000000200032f2bc00000008726e63746573743200000234000001f400000001000001f4000000000000' +
      '00000000001801000002000800080200000028c00800958486d926c0080000000000000120000000200000000000000020002e2e2e2e2e2e' +
      '2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e0a5b',
  );
  b[16] = 0;
  b[17] = b.length - 14;
  return b;
})();

/** Dissects frames in order with one dissector (calls are remembered for their replies). */
function run(...frames: Uint8Array[]): DissectedPacket[] {
  const d = new Dissector(defaultRegistry(), { strict: true });
  return frames.map((f, i) => d.dissect(frameOf(f, 1, f.length, i + 1)));
}

const hierarchy = (p: DissectedPacket): string[] => {
  const out: string[] = [];
  hierarchyPath(p, (n) => out.push(n));
  return out;
};

/** Ethernet, IPv4 and a 20-byte TCP header (ports 1023 → 111) around `payload`. */
function overTcp(payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(54 + payload.length);
  b.set(hex('00c095f84dd300c095e019be0800'), 0);
  b.set(hex('4500 0000 0000 4000 4006 0000 8b191602 8b191666'), 14);
  b[16] = (40 + payload.length) >> 8;
  b[17] = (40 + payload.length) & 0xff;
  b.set(hex('03ff 006f 00000001 00000001 5018 0200 0000 0000'), 34);
  b.set(payload, 54);
  return b;
}

describe('rpc', () => {
  it('a portmap GETADDR call and its reply, matched by XID', () => {
    const [call, reply] = run(GETADDR_CALL, GETADDR_REPLY);
    expect(stack(call!)).toBe('eth/ip/udp/rpc/portmap');
    expect(field(call!, 'rpc.xid').display).toBe('XID: 0x3841169f (943789727)');
    expect([field(call!, 'rpc.program').display, field(call!, 'rpc.program').offset]).toEqual(['Program: Portmap (100000)', 54]);
    expect([field(call!, 'rpc.procedure').display, field(call!, 'rpc.procedure').offset]).toEqual(['Procedure: GETADDR (3)', 62]);
    expect(values(call!, 'rpc.auth.flavor')).toEqual([0, 0]);
    expect([layer(call!, 'rpc').offset, layer(call!, 'rpc').headerLength]).toEqual([42, 40]);
    expect([field(call!, 'portmap.rpcb.prog').value, field(call!, 'portmap.rpcb.prog').offset]).toEqual([100005, 82]);
    const netid = field(call!, 'portmap.rpcb.netid');
    expect([netid.value, netid.offset, netid.length]).toEqual(['udp', 94, 3]);
    expect([field(call!, 'rpc.fill_bytes').offset, field(call!, 'rpc.fill_bytes').length]).toEqual([97, 1]);
    expect(layer(call!, 'portmap').summary).toBe('V3 GETADDR Call');

    expect(stack(reply!)).toBe('eth/ip/udp/rpc/portmap');
    expect(field(reply!, 'rpc.program').value).toBe(100000);
    expect(field(reply!, 'rpc.program').generated).toBe(true);
    expect(field(reply!, 'rpc.repframe').value).toBe(1);
    expect(field(reply!, 'rpc.time').value).toBe('0.000000000');
    expect(field(reply!, 'rpc.state_accept').value).toBe(0);
    const uaddr = field(reply!, 'portmap.uaddr');
    expect([uaddr.value, uaddr.offset, uaddr.length]).toEqual(['139.25.22.102.4.24', 70, 18]);
    expect(layer(reply!, 'portmap').summary).toBe('V3 GETADDR Reply (Call In 1)');
    checkInvariants(call!);
    checkInvariants(reply!);
  });

  it('a reply whose call was not seen is not taken for RPC', () => {
    expect(stack(dissect(GETADDR_REPLY))).toBe('eth/ip/udp/data');
  });

  it('mount: MNT with AUTH_UNIX credentials, the reply file handle and its hash', () => {
    const [call, reply] = run(MNT_CALL, MNT_REPLY);
    expect(stack(call!)).toBe('eth/ip/udp/rpc/mount');
    expect([field(call!, 'rpc.auth.stamp').value, field(call!, 'rpc.auth.machinename').value, field(call!, 'rpc.auth.uid').value]).toEqual([0x384775d0, 'werrmsche', 0]);
    expect(values(call!, 'rpc.auth.gid')).toEqual([1, 1, 0, 2, 3, 17]);
    const path = field(call!, 'mount.path');
    expect([path.value, path.offset, path.length]).toEqual(['/home/girlich/export', 138, 20]);
    expect(layer(call!, 'mount').summary).toBe('V1 MNT Call /home/girlich/export');
    expect(stack(reply!)).toBe('eth/ip/udp/rpc/mount');
    expect(field(reply!, 'mount.status').display).toBe('Status: OK (0)');
    const hash = field(reply!, 'nfs.fh.hash');
    expect([hash.value, hash.offset, hash.length]).toEqual([0x38a4e9f6, 70, 32]);
    expect(layer(reply!, 'mount').summary).toBe('V1 MNT Reply (Call In 1)');
  });

  it('NFS NULL: the program layer is there although the message has no body', () => {
    const [call, reply] = run(NULL_CALL, NULL_REPLY);
    expect(stack(call!)).toBe('eth/ip/udp/rpc/nfs');
    expect([layer(call!, 'nfs').offset, layer(call!, 'nfs').length]).toEqual([82, 0]);
    expect(hierarchy(call!)).toEqual(['eth', 'ip', 'udp', 'rpc', 'nfs']);
    expect(hierarchy(reply!)).toEqual(['eth', 'ip', 'udp', 'rpc', 'nfs']);
    expect(layer(reply!, 'nfs').summary).toBe('V2 NULL Reply (Call In 1)');
  });

  it('NFS V2 LOOKUP and READDIR: names, file handle hashes, errors and entries', () => {
    const [call, reply, rdCall, rdReply] = run(LOOKUP_CALL, LOOKUP_REPLY, READDIR_CALL, READDIR_REPLY);
    expect(layer(call!, 'nfs').summary).toBe('V2 LOOKUP Call, DH: 0x38a4e9f6/a');
    const name = field(call!, 'nfs.name');
    expect([name.value, name.offset, name.length]).toEqual(['a', 170, 1]);
    expect(field(call!, 'nfs.procedure_v2').value).toBe(4);
    expect(layer(reply!, 'nfs').summary).toBe('V2 LOOKUP Reply (Call In 1) Error: NFS2ERR_NOENT');
    expect(field(reply!, 'nfs.status2').display).toBe('Status: NFS2ERR_NOENT (2)');
    expect(layer(rdCall!, 'nfs').summary).toBe('V2 READDIR Call, FH: 0x38a4e9f6');
    expect(values(rdReply!, 'nfs.readdir.entry.name')).toEqual(['.', '..', 'b', 'am', 'bln', 'blns']);
    expect(values(rdReply!, 'nfs.readdir.entry.fileid')).toEqual([45658, 45657, 45661, 41959, 45661, 41964]);
    expect(field(rdReply!, 'nfs.readdir.entry').display).toBe('Entry: file ID 45658, name .');
    expect([field(rdReply!, 'nfs.readdir.eof').value, field(rdReply!, 'nfs.readdir.eof').offset]).toEqual([1, 194]);
    for (const p of [call, reply, rdCall, rdReply]) checkInvariants(p!);
  });

  it('settable attributes left unset: the mode shows no bits, a time of all ones no parts', () => {
    const p = dissect(SETATTR_CALL);
    expect(layer(p, 'nfs').summary).toBe('V2 SETATTR Call, FH: 0x7b0e545a');
    const mode = field(p, 'nfs.mode');
    expect([mode.value, mode.offset, mode.display, mode.children?.length ?? 0]).toEqual([0xffffffff, 166, 'mode: no value', 0]);
    expect(values(p, 'nfs.fattr.uid')).toEqual([0xffffffff]);
    expect(field(p, 'nfs.atime').display).toBe('atime: Dec  3, 1999 07:48:32.620000000 UTC');
    expect(values(p, 'nfs.atime.usec')).toEqual([620000]);
    checkInvariants(p);
    const unset = SETATTR_CALL.slice();
    unset.fill(0xff, 190, 198);
    const q = dissect(unset);
    expect([field(q, 'nfs.mtime').display, values(q, 'nfs.mtime.sec').length]).toEqual(['mtime: no value', 0]);
  });

  it('a V3 WRITE whose data goes on in later IP fragments: read past the end, shown as unreassembled', () => {
    const p = dissect(WRITE3_FIRST_FRAGMENT);
    expect(stack(p)).toBe('eth/ip/udp/rpc/nfs');
    expect(layer(p, 'nfs').summary).toBe('V3 WRITE Call, FH: 0x89686ab3 Offset: 73728 Len: 8192 UNSTABLE');
    expect([field(p, 'nfs.fh.length').value, field(p, 'nfs.offset3').value, field(p, 'nfs.count3').value]).toEqual([24, 73728n, 8192]);
    expect(layer(p, 'nfs').issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(hierarchy(p)).toEqual(['eth', 'ip', 'udp', 'rpc', 'nfs', '_ws.unreassembled']);
  });

  it('over TCP: the record mark, then the message', () => {
    const rpcBytes = GETADDR_CALL.subarray(42);
    const mark = new Uint8Array(4 + rpcBytes.length);
    mark.set([0x80, 0, 0, rpcBytes.length], 0);
    mark.set(rpcBytes, 4);
    const p = dissect(overTcp(mark));
    expect(stack(p)).toBe('eth/ip/tcp/rpc/portmap');
    expect([field(p, 'rpc.lastfrag').value, field(p, 'rpc.fraglen').value, field(p, 'rpc.fraglen').offset]).toEqual([true, 64, 54]);
    expect(field(p, 'rpc.xid').offset).toBe(58);
    checkInvariants(p);
  });

  it('a verifier longer than RFC 5531 allows is malformed', () => {
    const bad = MNT_CALL.slice();
    bad[132] = 0x02; // the verifier's length: 0x234 = 564 bytes (the credentials pass the heuristic)
    const p = dissect(bad);
    expect(layer(p, 'rpc').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'rpc.auth.length']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(GETADDR_CALL);
    prefixSweep(MNT_CALL);
    prefixSweep(LOOKUP_CALL);
    prefixSweep(WRITE3_FIRST_FRAGMENT);
  });
});
