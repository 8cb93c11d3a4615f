import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// zeek__snmpv1_get.pcap #1: SNMPv1 get-request, community "public", sysObjectID.0
const GET = hex(
  '08003715e6bc00123f4a33d2080045000044aa190000801111d2ac1f1336ac1f13493e2c00a100300ca5' +
    '302602010004067075626c6963a019020126020100020100300e300c06082b060102010102000500',
);

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
    expect(layer(p, 'snmp').summary).toBe('get-request 38');
    checkInvariants(p);
  });

  it('a message that is not a BER sequence is malformed', () => {
    const bad = GET.slice();
    bad[42] = 0x31;
    expect(layer(dissect(bad), 'snmp').issues[0]!.kind).toBe('malformed');
  });

  it('every prefix: no throw', () => prefixSweep(GET));
});
