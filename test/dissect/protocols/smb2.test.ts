import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// No corpus capture carries SMB2: these were built by hand and checked against tshark 4.0.
// Checked with tshark 4.0: an SMB2 Tree Connect Request for \\\\srv\\share (NBSS at 54, SMB2 at 58).
const TREE_CONNECT = hex(
  '00000000000200000000000108004500008a00004000400600000a0000010a0000029c4101bd00000001000000015018ffff000000000000' +
    '005efe534d4240000100000000000300010000000000000000000200000000000000fffe0000000000000500000000000000000000000000' +
    '0000000000000000000009000000480016005c005c007300720076005c0073006800610072006500',
);
// A compound request: Create (dir\\file.txt), then a chained Close at 0x90.
const COMPOUND = hex(
  '00000000000200000000000108004500011400004000400600000a0000010a0000029c4301bd00000001000000015018ffff000000000000' +
    '00e8fe534d4240000100000000000500010000000000900000000400000000000000fffe0000010000000500000000000000000000000000' +
    '0000000000000000000039000000020000000000000000000000000000000000000080000000000000000700000001000000400000007800' +
    '180000000000000000006400690072005c00660069006c0065002e00740078007400fe534d42400001000000000006000100040000000000' +
    '00000500000000000000fffe0000010000000500000000000000000000000000000000000000000000001800000000000000ffffffffffff' +
    'ffffffffffffffffffff',
);
// Session Setup Response, STATUS_MORE_PROCESSING_REQUIRED.
const SETUP_ERROR = hex(
  '00000000000200000000000108004500007400004000400600000a0000010a00000201bd9c4700000001000000015018ffff000000000000' +
    '0048fe534d4240000100160000c00100010001000000000000000100000000000000fffe0000000000000500000000040000000000000000' +
    '000000000000000000000900000000000000',
);
// An async Notify Response (STATUS_PENDING), async id 0x1234.
const ASYNC = hex(
  '00000000000200000000000108004500007400004000400600000a0000010a00000201bd9c4a00000001000000015018ffff000000000000' +
    '0048fe534d4240000100030100000f0001000300000000000000090000000000000034120000000000000500000000000000000000000000' +
    '000000000000000000000900000000000000',
);
// An SMB3 transform header and 20 bytes of ciphertext.
const ENCRYPTED = hex(
  '00000000000200000000000108004500007400004000400600000a0000010a0000029c4401bd00000001000000015018ffff000000000000' +
    '0048fd534d421111111111111111111111111111111122222222222222222222222222222222140000000000010005000000000000003333' +
    '333333333333333333333333333333333333',
);

describe('smb2', () => {
  it('reads the 64-byte header and the tree of a Tree Connect request', () => {
    const p = dissect(TREE_CONNECT);
    expect(stack(p)).toBe('eth/ip/tcp/nbss/smb2');
    expect([field(p, 'smb2.protocol_id').value, field(p, 'smb2.protocol_id').offset]).toEqual([0xfe534d42, 58]);
    expect(field(p, 'smb2.header_len').value).toBe(64);
    // a request carries the channel sequence where a response carries the status
    expect(values(p, 'smb2.nt_status')).toEqual([]);
    expect(field(p, 'smb2.channel_sequence').offset).toBe(66);
    const cmd = field(p, 'smb2.cmd');
    expect([cmd.value, cmd.offset, cmd.length, cmd.display]).toEqual([3, 70, 2, 'Command: Tree Connect (3)']);
    expect([field(p, 'smb2.msg_id').value, field(p, 'smb2.msg_id').offset]).toEqual([2n, 82]);
    expect([field(p, 'smb2.pid').value, field(p, 'smb2.tid').value, field(p, 'smb2.sesid').value]).toEqual([0xfeff, 0, 5n]);
    expect([field(p, 'smb2.buffer_code').value, field(p, 'smb2.buffer_code.length').value, field(p, 'smb2.buffer_code.dynamic').value]).toEqual([9, 4, true]);
    const tree = field(p, 'smb2.tree');
    expect([tree.value, tree.offset, tree.length]).toEqual(['\\\\srv\\share', 130, 22]);
    expect(layer(p, 'smb2').summary).toBe('Tree Connect Request Tree: \\\\srv\\share');
    checkInvariants(p);
  });

  it('flags are little-endian bits: each read from the byte that holds it', () => {
    const p = dissect(SETUP_ERROR);
    expect([field(p, 'smb2.flags').value, field(p, 'smb2.flags.response').value, field(p, 'smb2.flags.response').offset, field(p, 'smb2.flags.response').bits]).toEqual([1, true, 74, { offset: 7, length: 1 }]);
    expect([field(p, 'smb2.flags.dfs').offset, field(p, 'smb2.flags.dfs').bits]).toEqual([77, { offset: 3, length: 1 }]);
    expect(field(p, 'smb2.nt_status').value).toBe(0xc0000016);
    expect(field(p, 'smb2.credits.granted').value).toBe(1);
    expect(layer(p, 'smb2').summary).toBe('Session Setup Response, Error: STATUS_MORE_PROCESSING_REQUIRED');
  });

  it('an async header has an async id instead of process and tree ids', () => {
    const p = dissect(ASYNC);
    expect([field(p, 'smb2.flags.async').value, field(p, 'smb2.aid').value, field(p, 'smb2.aid').offset]).toEqual([true, 0x1234n, 90]);
    expect(values(p, 'smb2.tid')).toEqual([]);
    expect(layer(p, 'smb2').summary).toBe('Notify Response, Error: STATUS_PENDING');
  });

  it('a compound request: every chained header, the Info joined by ";"', () => {
    const p = dissect(COMPOUND);
    expect(values(p, 'smb2.cmd')).toEqual([5, 6]);
    expect(values(p, 'smb2.chain_offset')).toEqual([0x90, 0]);
    expect(values(p, 'smb2.flags.chained')).toEqual([false, true]);
    expect(field(p, 'smb2.protocol_id', 1).offset).toBe(58 + 0x90);
    expect(field(p, 'smb2.filename').value).toBe('dir\\file.txt');
    expect(layer(p, 'smb2').summary).toBe('Create Request File: dir\\file.txt;Close Request');
    checkInvariants(p);
  });

  it('an SMB3 transform header', () => {
    const p = dissect(ENCRYPTED);
    expect(stack(p)).toBe('eth/ip/tcp/nbss/smb2');
    expect([field(p, 'smb2.protocol_id').value, field(p, 'smb2.header.transform.msg_size').value, field(p, 'smb2.sesid').value]).toEqual([0xfd534d42, 20, 5n]);
    expect(field(p, 'smb2.header.transform.enc_data').length).toBe(20);
    expect(layer(p, 'smb2').summary).toBe('Encrypted SMB3');
  });

  it('a chain offset that leads nowhere is an expert note', () => {
    const bad = COMPOUND.slice();
    bad[58 + 20] = 0x08; // NextCommand 8: inside the header
    const p = dissect(bad);
    expect(layer(p, 'smb2').issues.map((i) => i.fieldKey)).toEqual(['smb2.chain_offset']);
    expect(values(p, 'smb2.cmd')).toEqual([5]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(TREE_CONNECT);
    prefixSweep(COMPOUND);
    prefixSweep(ENCRYPTED);
  });
});
