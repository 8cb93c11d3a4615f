import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__snmpv1_get.pcap #1: SNMPv1 get-request, community "public", sysObjectID.0
const GET = hex(
  '08003715e6bc00123f4a33d2080045000044aa190000801111d2ac1f1336ac1f13493e2c00a100300ca5' +
    '302602010004067075626c6963a019020126020100020100300e300c06082b060102010102000500',
);

// zeek__snmpv3_get_next.pcap #3: SNMPv3 get-next-request, USM user "username", plaintext scoped PDU
const V3 = hex(`
  0605040302010102030405060800450000970200000040117a547f0000017f000001d3c300a100830929307902010330
  100204207b2f72020240000401040201030431302f040d80001f8880a9498e5e3a2c30430201dd0201dd040875736572
  6e616d65040c0000000000000000000000000400302f040d80001f8880a9498e5e3a2c30430400a11c0204207b2f7202
  0100020100300e300c06082b060102010106000500
`);

// tcpdump__snmp-heapoverflow-1.pcap #5: an SNMPv3 message cut by the snaplen inside msgFlags
const CUT_V3 = hex(`
  30303030303030303030303008004530303030304000301130303030303030303030303000a130303030308201300201
  03303002043030303002033030300401
`);

describe('snmp', () => {
  it('reads version, community, PDU, request id and the varbind OIDs', () => {
    const p = dissect(GET);
    expect(stack(p)).toBe('eth/ip/udp/snmp');
    expect(field(p, 'snmp.version').value).toBe(0);
    expect([field(p, 'snmp.community').value, field(p, 'snmp.community').offset]).toEqual(['public', 49]);
    expect(field(p, 'snmp.data').value).toBe(0);
    expect(field(p, 'snmp.request_id').value).toBe(38);
    expect(field(p, 'snmp.VarBind_element').children!.map((f) => [f.key, f.value])).toEqual([
      ['snmp.name', '1.3.6.1.2.1.1.2.0'], ['snmp.value.null', 0],
    ]);
    expect(layer(p, 'snmp').summary).toBe('get-request 1.3.6.1.2.1.1.2.0');
    checkInvariants(p);
  });

  it('a message that is not a BER sequence is malformed', () => {
    const bad = GET.slice();
    bad[42] = 0x31;
    expect(layer(dissect(bad), 'snmp').issues[0]!.kind).toBe('malformed');
  });

  it('reads the SNMPv3 header, the USM parameters and the scoped PDU', () => {
    const p = dissect(V3);
    expect(stack(p)).toBe('eth/ip/udp/snmp');
    expect([field(p, 'snmp.msgVersion').value, field(p, 'snmp.msgVersion').offset]).toEqual([3, 46]);
    expect([field(p, 'snmp.msgID').value, field(p, 'snmp.msgID').offset, field(p, 'snmp.msgID').length]).toEqual([544943986, 51, 4]);
    expect(field(p, 'snmp.msgMaxSize').value).toBe(16384);
    expect([field(p, 'snmp.v3.flags.report').value, field(p, 'snmp.v3.flags.crypt').value]).toEqual([true, false]);
    expect(field(p, 'snmp.msgSecurityModel').value).toBe(3);
    expect([field(p, 'snmp.msgAuthoritativeEngineID').offset, field(p, 'snmp.msgAuthoritativeEngineID').length]).toEqual([71, 13]);
    expect(values(p, 'snmp.msgAuthoritativeEngineBoots')).toEqual([221]);
    expect([field(p, 'snmp.msgUserName').value, field(p, 'snmp.msgUserName').offset]).toEqual(['username', 92]);
    expect(field(p, 'snmp.msgAuthenticationParameters').length).toBe(12);
    expect(field(p, 'snmp.msgData').value).toBe(0);
    expect(field(p, 'snmp.contextName').value).toBe('');
    expect(field(p, 'snmp.data').value).toBe(1);
    expect(field(p, 'snmp.request_id').value).toBe(544943986);
    expect(layer(p, 'snmp').summary).toBe('get-next-request 1.3.6.1.2.1.1.6.0');
    checkInvariants(p);
  });

  it('an SNMPv3 message cut inside its global data is short, not silent', () => {
    const p = dissect(CUT_V3, 1, {}, 262144);
    const snmp = layer(p, 'snmp');
    expect(values(p, 'snmp.msgID')).toEqual([808464432]);
    expect(values(p, 'snmp.msgMaxSize')).toEqual([3158064]);
    expect(snmp.issues.map((i) => i.kind)).toEqual(['truncated']);
  });

  it('security parameters longer than their octet string are malformed', () => {
    const bad = V3.slice();
    bad[66] = 0x10; // msgSecurityParameters: 16 bytes instead of 49
    expect(layer(dissect(bad), 'snmp').issues.map((i) => i.kind)).toContain('malformed');
  });

  it('a VarBind longer than the packet: the VarBind item ends with the bytes', () => {
    const long = GET.slice();
    expect([long[68], long[69]]).toEqual([0x30, 0x0c]);
    long[69] = 0x0e; // 14 bytes claimed, 12 left
    const p = dissect(long);
    const vb = field(p, 'snmp.VarBind_element');
    expect([vb.offset, vb.length]).toEqual([70, 12]);
    expect(layer(p, 'snmp').issues).toHaveLength(1);
    checkInvariants(p);
  });

  it('every prefix: no throw', () => {
    prefixSweep(GET);
    prefixSweep(V3);
  });
});
