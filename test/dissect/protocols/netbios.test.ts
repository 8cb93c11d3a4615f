import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// pcapplusplus__solaris.snoop #33: an 802.3 frame, LLC SAP 0xF0, NetBIOS Name Query (NetBIOS at 17).
const NAME_QUERY = hex(
  '03000000000100a024c6a144002ff0f0032c00ffef0a176a0000006a00555345523720202020202020202020205553455232302020202020' +
    '2020202000',
);
// #7: a Datagram with ten bytes of user data.
const DATAGRAM = hex(
  '03000000000100105a1f16ce0039f0f0032c00ffef08000000000000004a53504e524d505447534253534449525350485345525645523320' +
    '202020200600105a1f16cef8770000',
);
// #101: a Datagram carrying an SMB Trans to \MAILSLOT\BROWSE (a Host Announcement).
const SMB_DATAGRAM = hex(
  '03000000000100c04fbafb7400a6f0f0032c00ffef08000000000000004d53524450202020202020202020201d4d53524450333020202020' +
    '2020202000ff534d422500000000000000000000000000000000000000000000000000000011000021000000000000000000e80300000000' +
    '0000000021005600030001000100020032005c4d41494c534c4f545c42524f57534500010080fc0a004d5352445033300000000000000000' +
    '000400031001000f0155aa00',
);

describe('netbios (NBF over LLC)', () => {
  it('a Name Query: session number, caller name type and the two names', () => {
    const p = dissect(NAME_QUERY);
    expect(stack(p)).toBe('eth/llc/netbios');
    expect([field(p, 'netbios.hdr_len').value, field(p, 'netbios.delimiter').display]).toEqual([44, 'Delimiter: EFFF (NetBIOS)']);
    expect(field(p, 'netbios.command').display).toBe('Command: Name Query (0x0a)');
    expect([field(p, 'netbios.local_session_no').value, field(p, 'netbios.local_session_no').offset]).toEqual([0x6a, 23]);
    expect([field(p, 'netbios.resp_corrl').value, field(p, 'netbios.resp_corrl').offset]).toEqual([0x006a, 27]);
    expect(values(p, 'netbios.nb_name')).toEqual(['USER7', 'USER20']);
    expect([field(p, 'netbios.nb_name_type').value, field(p, 'netbios.nb_name_type').offset, field(p, 'netbios.nb_name_type').display]).toEqual([0x20, 44, '0x20 (Server service)']);
    expect(layer(p, 'netbios').summary).toBe('Name Query for USER7<20>');
    checkInvariants(p);
  });

  it('datagram user data: SMB when it has the magic, otherwise data', () => {
    expect(stack(dissect(DATAGRAM))).toBe('eth/llc/netbios/data');
    const p = dissect(SMB_DATAGRAM);
    expect(stack(p)).toBe('eth/llc/netbios/smb/mailslot/browser');
    expect(layer(p, 'browser').summary).toBe('Host Announcement MSRDP30, Workstation, Server, NT Workstation, Potential Browser');
    checkInvariants(p);
  });

  it('a frame without the 0xEFFF delimiter is malformed', () => {
    const bad = NAME_QUERY.slice();
    bad[19] = 0;
    expect(layer(dissect(bad), 'netbios').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'netbios.delimiter']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(NAME_QUERY);
    prefixSweep(SMB_DATAGRAM);
  });
});
