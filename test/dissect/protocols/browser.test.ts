import { describe, expect, it } from 'vitest';
import { msecsText } from '../../../src/dissect/protocols/browser.js';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__Teredo.pcap #1: NetBIOS datagram (UDP 138) with an SMB Trans request to \MAILSLOT\BROWSE
// carrying a Local Master Announcement (SMB at 124, setup words at 185, mail data at 210).
const ANNOUNCEMENT = hex(
  'ffffffffffff0016cf419c200800450000e587c0000080112be8c0a80210c0a802ff008a008a00d1d63911028661c0a80210008a00bb0000' +
    '204546464446464643454f454a4643434e454d45424641464545504641434143410020454e464445494550454e4546434143414341434143' +
    '414341434143414341424f00ff534d4225000000000000000000000000000000000000000000000000000000110000210000000000000000' +
    '00e803000000000000000021005600030001000000020032005c4d41494c534c4f545c42524f575345000f0080fc0a00455355524e49522d' +
    '4c4150544f50002c0501031207000f0155aa00',
);

// zeek__Teredo.pcap #77: a Domain/Workgroup Announcement from an older sender (no version and
// signature after the server type: tshark's "Mysterious Field").
const DOMAIN_ANNOUNCEMENT = hex(
  'ffffffffffff0016cf419c200800450000f38814000080112b86c0a80210c0a802ff008a008a00df4cd911028665c0a80210008a00c90000' +
    '204546464446464643454f454a4643434e454d454246414645455046414341414100204142414346504650454e4644454346434550464846' +
    '444546465046504143414200ff534d42250000000000000000000000000000000000000000000000000000001100002f0000000000000000' +
    '00e80300000000000000002f005600030001000100020040005c4d41494c534c4f545c42524f575345000c00a0bb0d004d53484f4d450000' +
    '000070e362030020030a001000800020f67f455355524e49522d4c4150544f5000',
);

/** The announcement with its last byte (the comment's NUL) gone, lengths fixed to match. */
function withoutTerminator(): Uint8Array {
  const b = ANNOUNCEMENT.slice(0, ANNOUNCEMENT.length - 1);
  b[17] = b[17]! - 1; // IPv4 total length
  b[39] = b[39]! - 1; // UDP length
  b[159] = 32; // SMB total data count
  b[179] = 32; // SMB data count
  b[191] = 49; // SMB byte count
  return b;
}

describe('SMB Trans, mailslot and browser', () => {
  it('hands a Trans request to \\MAILSLOT\\BROWSE to the mailslot and browser dissectors', () => {
    const p = dissect(ANNOUNCEMENT);
    expect(stack(p)).toBe('eth/ip/udp/nbdgm/smb/mailslot/browser');
    const name = field(p, 'smb.trans_name');
    expect([name.value, name.offset, name.length]).toEqual(['\\MAILSLOT\\BROWSE', 193, 17]);
    expect([field(p, 'smb.tdc').value, field(p, 'smb.dc').value, field(p, 'smb.data_offset').value, field(p, 'smb.sc').value]).toEqual([33, 33, 86, 3]);
    expect(field(p, 'smb.timeout').display).toBe('Timeout: 1 second');
    expect(layer(p, 'smb').summary).toBe('Trans Request');
    const ms = layer(p, 'mailslot');
    expect([ms.offset, ms.headerLength]).toEqual([185, 25]);
    expect([field(p, 'mailslot.opcode').value, field(p, 'mailslot.opcode').offset]).toEqual([1, 185]);
    expect(field(p, 'mailslot.class').display).toBe('Class: Unreliable & Broadcast (2)');
    expect([field(p, 'mailslot.size').value, field(p, 'mailslot.size').offset]).toEqual([50, 191]);
    expect([field(p, 'mailslot.name').value, field(p, 'mailslot.name').offset, field(p, 'mailslot.name').length]).toEqual(['\\MAILSLOT\\BROWSE', 193, 17]);
    checkInvariants(p);
  });

  it('reads a Local Master Announcement as tshark shows it', () => {
    const p = dissect(ANNOUNCEMENT);
    const b = layer(p, 'browser');
    expect([b.offset, b.length]).toEqual([210, 33]);
    expect(b.summary).toBe('Local Master Announcement ESURNIR-LAPTOP, Workstation, Server, Print Queue Server, NT Workstation, Potential Browser, Backup Browser, Master Browser');
    expect(b.name).toBe('BROWSER');
    expect(field(p, 'browser.command').display).toBe('Command: Local Master Announcement (0x0f)');
    expect([field(p, 'browser.period').value, field(p, 'browser.period').display]).toEqual([720000, 'Update Periodicity: 12 minutes']);
    const host = field(p, 'browser.server');
    expect([host.value, host.offset, host.length, host.display]).toEqual(['ESURNIR-LAPTOP', 216, 16, 'Host Name: ESURNIR-LAPTOP']);
    expect([field(p, 'browser.windows_version').value, field(p, 'browser.os_major').value, field(p, 'browser.os_minor').offset]).toEqual(['Windows XP', 5, 233]);
    const type = field(p, 'browser.server_type');
    expect([type.value, type.offset, type.length]).toEqual([0x00071203, 234, 4]);
    expect(type.display).toBe('Server Type: 0x00071203, Workstation, Server, Print, NT Workstation, Potential Browser, Backup Browser, Master Browser');
    // Little-endian flags sit in the byte that holds them: Print (0x200) in the second byte.
    expect([field(p, 'browser.server_type.print').value, field(p, 'browser.server_type.print').offset]).toEqual([true, 235]);
    expect(field(p, 'browser.server_type.domainenum').value).toBe(false);
    expect([field(p, 'browser.sig').value, field(p, 'browser.sig').offset]).toEqual([0xaa55, 240]);
    expect([field(p, 'browser.comment').value, field(p, 'browser.comment').offset, field(p, 'browser.comment').length]).toEqual(['', 242, 1]);
  });

  it('a Domain/Workgroup Announcement without the signature: the word after the server type, then the master browser', () => {
    const p = dissect(DOMAIN_ANNOUNCEMENT);
    expect(field(p, 'browser.server').display).toBe('Domain/Workgroup: MSHOME');
    expect(field(p, 'browser.windows_version').value).toBe('');
    expect([field(p, 'browser.mysterious_field').value, field(p, 'browser.mysterious_field').offset]).toEqual([0x7ff62000, 238]);
    expect(values(p, 'browser.sig')).toEqual([]);
    expect([field(p, 'browser.mb_server').value, field(p, 'browser.mb_server').offset, field(p, 'browser.mb_server').length]).toEqual(['ESURNIR-LAPTOP', 242, 15]);
    expect(layer(p, 'browser').summary).toBe('Domain/Workgroup Announcement MSHOME, NT Workstation, Domain Enum');
    checkInvariants(p);
  });

  it('a Trans to another name keeps its setup words and data as SMB fields', () => {
    const other = ANNOUNCEMENT.slice();
    other[200] = 0x3f; // \MAILS?OT\BROWSE
    const p = dissect(other);
    expect(stack(p)).toBe('eth/ip/udp/nbdgm/smb');
    expect(values(p, 'smb.trans_data.setup_word')).toEqual([1, 0, 2]);
    const data = field(p, 'smb.trans_data');
    expect([data.offset, data.length]).toEqual([210, 33]);
    checkInvariants(p);
  });

  it('data placed past the message is not handed on (and nothing is left as data)', () => {
    const far = ANNOUNCEMENT.slice();
    far[181] = 0xc1; // data offset 193 + 124 > the datagram
    const p = dissect(far);
    expect(stack(p)).toBe('eth/ip/udp/nbdgm/smb');
    // As tshark shows it: the setup words unshown, the rest of the byte block as padding.
    expect(values(p, 'smb.trans_data.setup_word')).toEqual([]);
    expect([field(p, 'smb.padding').offset, field(p, 'smb.padding').length]).toEqual([210, 33]);
  });

  it('a host comment without its terminator at the end of the packet is malformed', () => {
    const p = dissect(withoutTerminator());
    expect(stack(p)).toBe('eth/ip/udp/nbdgm/smb/mailslot/browser');
    expect(layer(p, 'browser').issues.map((i) => [i.kind, i.offset])).toEqual([['malformed', 242]]);
    expect(layer(p, 'browser').summary).toContain('Local Master Announcement ESURNIR-LAPTOP');
  });

  it('durations in milliseconds as tshark words them', () => {
    expect(msecsText(0)).toBe('0 seconds');
    expect(msecsText(60000)).toBe('1 minute');
    expect(msecsText(1154662982)).toBe('13 days, 8 hours, 44 minutes, 22.982 seconds');
  });

  it('every prefix: no throw', () => {
    prefixSweep(ANNOUNCEMENT);
  });
});
