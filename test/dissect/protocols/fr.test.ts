import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// arkime__icmp-frame-relay.pcap style: DLCI 102, Cisco encapsulation (Ethertype 0x0800).
const CISCO = hex(`1861 0800 ${IP4}`);
// RFC 2427: UI control, NLPID 0xCC (IPv4).
const NLPID = hex(`1861 03 cc ${IP4}`);

// tcpdump__q933-heapoverflow-2.pcap #3: a 7-octet address (three bogus extra octets), then 3 bytes
const BOGUS_EXTRA = hex('d4000000001 4a5 000000'.replace(/ /g, ''));
// tcpdump__q933-heapoverflow-2.pcap #2: a 4-octet address, then a bridged Ethernet frame with its FCS
const RAW_ETHERNET = hex('b0003a01 0011886b68300014a530b0af0011 886b6830a002010001000000dd090010 18020010000000');
// An I-frame control field (extended, two bytes), then NLPID 0x08: a Q.933 STATUS ENQUIRY with
// call reference 0x88 (flag set), a locking shift, a Report type element and a Link verification.
const Q933 = hex('0841 2c00 08 01 88 75 95 51 01 01 53 02 05 04');

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

  it('address octets without EA after the third are bogus extras, flagged and skipped', () => {
    const p = dissect(BOGUS_EXTRA, 107);
    expect(stack(p)).toBe('fr/data');
    expect([field(p, 'fr.dlci').value, field(p, 'fr.dlci').length]).toEqual([6946857, 7]);
    expect(layer(p, 'fr').issues.map((i) => i.message)).toEqual(['Bogus extra address octet', 'Bogus extra address octet', 'Bogus extra address octet']);
    expect(layer(p, 'data').offset).toBe(7);
  });

  it('neither UI nor a Cisco type nor an NLPID after a control field: raw Ethernet (with FCS) when it looks like it', () => {
    const p = dissect(RAW_ETHERNET, 107);
    expect(stack(p)).toBe('fr/eth/llc/data/padding');
    expect(field(p, 'fr.dlci').value).toBe(5769024);
    expect([field(p, 'eth.dst').value, field(p, 'eth.dst').offset]).toEqual(['00:11:88:6b:68:30', 4]);
    expect(layer(p, 'padding').offset).toBe(35);
    checkInvariants(p);
  });

  it('an information frame (two-byte control) with NLPID 0x08 is Q.933, the NLPID its discriminator', () => {
    const p = dissect(Q933, 107);
    expect(stack(p)).toBe('fr/q933');
    expect([field(p, 'fr.control').value, field(p, 'fr.control').length]).toEqual([0x002c, 2]);
    const f = (k: string, n = 0): unknown[] => [field(p, k, n).value, field(p, k, n).offset];
    expect(f('q933.disc')).toEqual([8, 4]);
    expect(f('q933.call_ref_len')).toEqual([1, 5]);
    expect(f('q933.call_ref_flag')).toEqual([true, 6]);
    expect(f('q933.call_ref')).toEqual([Uint8Array.of(0x08), 6]);
    expect(f('q933.message_type')).toEqual([0x75, 7]);
    expect(f('q933.locking_shift_to_codeset')).toEqual([5, 8]);
    expect([f('q933.information_element', 0), f('q933.information_element', 1)]).toEqual([[0x51, 9], [0x53, 12]]);
    expect(layer(p, 'q933').summary).toBe('STATUS ENQUIRY');
    checkInvariants(p);
  });

  it('a Q.933 element running past the frame is malformed', () => {
    const bad = Q933.slice();
    bad[13] = 0x09;
    expect(layer(dissect(bad, 107), 'q933').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'q933.data']]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(CISCO, 107);
    prefixSweep(NLPID, 107);
    prefixSweep(BOGUS_EXTRA, 107);
    prefixSweep(Q933, 107);
  });
});
