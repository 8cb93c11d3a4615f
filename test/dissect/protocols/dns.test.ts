import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// pcapplusplus__DnsPackets.pcap #2: response 0x8185, www.google.com, five A records (compressed names)
const RESPONSE = hex(`
  6cf049b2de6e 30469a23fbfa 0800
  4500008c00004000401125d70a00008a0a000001
  0035dcc80078250c
  8185 8180 0001 0005 0000 0000
  0377777706676f6f676c6503636f6d00 0001 0001
  c00c 0001 0001 00000070 0004 adc27013
  c00c 0001 0001 00000070 0004 adc27012
  c00c 0001 0001 00000070 0004 adc27011
  c00c 0001 0001 00000070 0004 adc27010
  c00c 0001 0001 00000070 0004 adc27014
`);

// tcpdump__dns_udp.pcap #1: query 0x5934 A www.tcpdump.org with an EDNS OPT record (cookie option)
const QUERY = hex(`
  001122334466 001122334455 0800
  4500005459cd0000401194aec0a8010bd157f912
  abbe003500407824
  5934 0120 0001 0000 0000 0001
  037777770774637064756d70036f726700 0001 0001
  00 0029 1000 00 00 0000 000c 000a 0008 42f5d00996f90b13
`);

/** Ethernet + IPv4 + UDP 1234 -> 53 around a DNS message (checksums left 0). */
function overUdp(dnsHex: string, dport = 53): Uint8Array {
  const payload = hex(dnsHex);
  const udpLen = 8 + payload.length;
  const ipLen = 20 + udpLen;
  const h = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  return hex(`020000000002 020000000001 0800 4500${h(ipLen, 4)}000100004011 0000 0a000001 0a000002 04d2${h(dport, 4)}${h(udpLen, 4)}0000 ${Buffer.from(payload).toString('hex')}`);
}

describe('dns', () => {
  it('reads a response: header, flags, counts, the query and the answers as groups', () => {
    const p = dissect(RESPONSE);
    expect(stack(p)).toBe('eth/ip/udp/dns');
    const id = field(p, 'dns.id');
    expect([id.value, id.offset, id.length]).toEqual([0x8185, 42, 2]);
    const flags = field(p, 'dns.flags');
    expect(flags.value).toBe(0x8180);
    expect(flags.children!.map((f) => f.key)).toEqual([
      'dns.flags.response', 'dns.flags.opcode', 'dns.flags.authoritative', 'dns.flags.truncated', 'dns.flags.recdesired',
      'dns.flags.recavail', 'dns.flags.z', 'dns.flags.authenticated', 'dns.flags.checkdisable', 'dns.flags.rcode',
    ]);
    expect(field(p, 'dns.flags.response').value).toBe(true);
    expect(field(p, 'dns.count.answers').value).toBe(5);
    const queries = field(p, 'dns.queries');
    expect(queries.children!.length).toBe(1);
    const q = queries.children![0]!;
    expect(q.display).toBe('www.google.com: type A, class IN');
    const name = field(p, 'dns.qry.name');
    expect([name.value, name.offset, name.length]).toEqual(['www.google.com', 54, 16]);
    expect(field(p, 'dns.qry.name.len').value).toBe(14);
    expect(field(p, 'dns.count.labels').value).toBe(3);
    expect(field(p, 'dns.qry.type').value).toBe(1);
    const answers = field(p, 'dns.answers');
    expect(answers.children!.length).toBe(5);
    expect(answers.children![0]!.children!.map((f) => f.key)).toEqual([
      'dns.resp.name', 'dns.resp.type', 'dns.resp.class', 'dns.resp.ttl', 'dns.resp.len', 'dns.a',
    ]);
    expect(values(p, 'dns.resp.name')).toEqual(Array(5).fill('www.google.com'));
    expect(values(p, 'dns.a')).toEqual(['173.194.112.19', '173.194.112.18', '173.194.112.17', '173.194.112.16', '173.194.112.20']);
    expect([field(p, 'dns.a').offset, field(p, 'dns.a').length]).toEqual([86, 4]);
    expect(layer(p, 'dns').summary).toBe(
      'Standard query response 0x8185 A www.google.com A 173.194.112.19 A 173.194.112.18 A 173.194.112.17 A 173.194.112.16 A 173.194.112.20',
    );
    checkInvariants(p);
  });

  it('reads a query with an EDNS OPT record', () => {
    const p = dissect(QUERY);
    expect(field(p, 'dns.flags.response').value).toBe(false);
    // A query shows no authoritative / recursion-available / rcode flags.
    expect(values(p, 'dns.flags.rcode')).toEqual([]);
    expect(field(p, 'dns.resp.name').value).toBe('<Root>');
    expect(field(p, 'dns.rr.udp_payload_size').value).toBe(4096);
    expect(field(p, 'dns.opt.code').value).toBe(10);
    expect(field(p, 'dns.opt.cookie.client').length).toBe(8);
    expect(layer(p, 'dns').summary).toBe('Standard query 0x5934 A www.tcpdump.org OPT');
    checkInvariants(p);
  });

  it('shows broken names as Wireshark does: loops, too long, escapes', () => {
    const loop = dissect(overUdp('1234 0100 0001 0000 0000 0000 c00c 0001 0001'));
    expect(field(loop, 'dns.qry.name').value).toBe('<Name contains a pointer that loops>');
    const long = '3f' + '61'.repeat(63);
    const tooLong = dissect(overUdp(`1234 0100 0001 0000 0000 0000 ${long}${long}${long}${long}00 0001 0001`));
    expect(field(tooLong, 'dns.qry.name').value).toBe('<Name too long>');
    const ctl = dissect(overUdp('1234 0100 0001 0000 0000 0000 03 6101 62 00 0001 0001'));
    expect(field(ctl, 'dns.qry.name').value).toBe('a\\001b');
  });

  it('a label of reserved type 0x80 is malformed; the header stays', () => {
    const p = dissect(overUdp('1234 0100 0001 0000 0000 0000 0161 8061 00 0001 0001'));
    const d = layer(p, 'dns');
    expect(d.issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(field(p, 'dns.id').value).toBe(0x1234);
    expect(values(p, 'dns.qry.name')).toEqual([]);
  });

  it('decodes DNS-looking payloads on other UDP ports (Wireshark heuristic), not other payloads', () => {
    expect(stack(dissect(overUdp('1234 0100 0001 0000 0000 0000 0161 00 0001 0001', 40001)))).toBe('eth/ip/udp/dns');
    expect(stack(dissect(overUdp('1234 0100 0002 0000 0000 0000 0161 00 0001 0001', 40001)))).toBe('eth/ip/udp/data');
  });

  it('DNS over TCP reads the length prefix', () => {
    const msg = '1234 0100 0001 0000 0000 0000 0161 00 0001 0001';
    const tcp = hex(`020000000002 020000000001 0800 4500003d00014000400600000a0000010a000002
      04d20035 00000001 00000000 5018ffff00000000 0013 ${msg}`);
    const p = dissect(tcp);
    expect(stack(p)).toBe('eth/ip/tcp/dns');
    expect(field(p, 'dns.length').value).toBe(19);
    expect(field(p, 'dns.qry.name').value).toBe('a');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(RESPONSE);
    prefixSweep(QUERY);
  });
});
