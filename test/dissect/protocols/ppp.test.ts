import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// HDLC-like framing (LINKTYPE_PPP 9): address FF, control 03, 2-byte protocol 0x0021.
const HDLC = hex(`ff03 0021 ${IP4}`);
// suricata bug-6887 capture: a compressed 1-byte protocol field (0x21), no address/control.
const PFC = hex(`21 ${IP4}`);
// An LCP Configure-Ack (from pcapplusplus__PPPoESession.pcap), MRU 1500, PAP, magic number.
const LCP = hex('ff03 c021 02 02 0012 0104 05dc 0304 c023 0506 01fccbfb');

describe('ppp', () => {
  it('address, control and protocol with offsets, then IPv4', () => {
    const p = dissect(HDLC, 9);
    expect(stack(p)).toBe('ppp/ip/udp/data');
    expect([field(p, 'ppp.address').value, field(p, 'ppp.address').offset]).toEqual([0xff, 0]);
    expect([field(p, 'ppp.control').value, field(p, 'ppp.control').offset]).toEqual([0x03, 1]);
    const pr = field(p, 'ppp.protocol');
    expect([pr.value, pr.offset, pr.length]).toEqual([0x21, 2, 2]);
    expect(layer(p, 'ppp').summary).toBe('Protocol: Internet Protocol version 4 (0x0021)');
    checkInvariants(p);
  });

  it('a compressed protocol field is one byte', () => {
    const p = dissect(PFC, 9);
    expect(stack(p)).toBe('ppp/ip/udp/data');
    const pr = field(p, 'ppp.protocol');
    expect([pr.value, pr.offset, pr.length]).toEqual([0x21, 0, 1]);
    expect(values(p, 'ppp.address')).toEqual([]);
  });

  it('LCP: code, identifier, length and options', () => {
    const p = dissect(LCP, 50);
    expect(stack(p)).toBe('ppp/lcp');
    expect([field(p, 'ppp.code').value, field(p, 'ppp.code').offset]).toEqual([2, 4]);
    expect(field(p, 'ppp.length').value).toBe(18);
    expect(values(p, 'lcp.opt.type')).toEqual([1, 3, 5]);
    expect([field(p, 'lcp.opt.mru').value, field(p, 'lcp.opt.mru').offset]).toEqual([1500, 10]);
    expect(field(p, 'lcp.opt.auth_protocol').value).toBe(0xc023);
    expect(field(p, 'lcp.opt.magic_number').value).toBe(0x01fccbfb);
    expect(layer(p, 'lcp').summary).toBe('Configuration Ack');
  });

  it('an LCP option whose length overruns the packet is malformed', () => {
    const bad = LCP.slice();
    bad[13] = 0x20; // the auth option claims 32 bytes
    const p = dissect(bad, 50);
    expect(layer(p, 'lcp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'lcp.opt.length']]);
  });

  it('a Cisco HDLC address hands the frame to chdlc', () => {
    expect(stack(dissect(hex('8f00 8035 00000002 00000005 00000002 ffff'), 9))).toBe('chdlc/slarp');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(HDLC, 9);
    prefixSweep(LCP, 50);
  });
});
