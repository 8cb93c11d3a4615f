import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// arkime__icmp-frame-relay.pcap style: DLCI 102, Cisco encapsulation (Ethertype 0x0800).
const CISCO = hex(`1861 0800 ${IP4}`);
// RFC 2427: UI control, NLPID 0xCC (IPv4).
const NLPID = hex(`1861 03 cc ${IP4}`);

describe('fr', () => {
  it('Q.922 address bits, DLCI and Cisco type with offsets, then IPv4', () => {
    const p = dissect(CISCO, 107);
    expect(stack(p)).toBe('fr/ip/udp/data');
    const up = field(p, 'fr.upper_dlci');
    expect([up.value, up.offset, up.bits]).toEqual([6, 0, { offset: 0, length: 6 }]);
    expect(field(p, 'fr.second_dlci').bits).toEqual({ offset: 0, length: 4 });
    expect(field(p, 'fr.second_dlci').offset).toBe(1);
    const dlci = field(p, 'fr.dlci');
    expect([dlci.value, dlci.offset, dlci.length]).toEqual([102, 0, 2]);
    expect([field(p, 'fr.chdlctype').value, field(p, 'fr.chdlctype').offset]).toEqual([0x0800, 2]);
    expect(layer(p, 'fr').summary).toBe('DLCI 102');
    checkInvariants(p);
  });

  it('UI control and NLPID 0xCC lead to IPv4', () => {
    const p = dissect(NLPID, 107);
    expect(stack(p)).toBe('fr/ip/udp/data');
    expect([field(p, 'fr.control').value, field(p, 'fr.nlpid').value, field(p, 'fr.nlpid').offset]).toEqual([3, 0xcc, 3]);
  });

  it('SNAP with OUI 0 carries an Ethertype', () => {
    const p = dissect(hex(`1861 03 80 000000 0800 ${IP4}`), 107);
    expect(stack(p)).toBe('fr/ip/udp/data');
    expect(field(p, 'fr.snaptype').value).toBe(0x0800);
  });

  it('an address whose first octet ends it is bogus: nothing more is dissected', () => {
    const p = dissect(hex('19 0800 4500'), 107);
    expect(stack(p)).toBe('fr/data');
    expect(layer(p, 'fr').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['expert', 'fr.first_addr_octet']]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(CISCO, 107);
    prefixSweep(NLPID, 107);
  });
});
