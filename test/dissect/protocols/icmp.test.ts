import { describe, expect, it } from 'vitest';
import { ProtocolHierarchyBuilder } from '../../../src/analyze/protocol-hierarchy.js';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';
import { ethIpv4 } from '../../helpers/misc-packets.js';

// An echo request: type 8, code 0, checksum, identifier 1, sequence 1, 4 bytes of data.
const ECHO = ethIpv4(1, hex('0800f7f9 0001 0001 61626364'));

/** The hierarchy path of one packet. */
function path(p: ReturnType<typeof dissect>): string {
  const h = new ProtocolHierarchyBuilder();
  h.add(p);
  const names: string[] = [];
  for (let n = h.finish(); n.children.length > 0; n = n.children[0]!) names.push(n.children[0]!.name);
  return names.join('/');
}

describe('icmp', () => {
  it('reads type, code and checksum', () => {
    const p = dissect(ECHO);
    expect(stack(p)).toBe('eth/ip/icmp/data');
    expect([field(p, 'icmp.type').value, field(p, 'icmp.type').offset, field(p, 'icmp.code').value]).toEqual([8, 34, 0]);
    checkInvariants(p);
  });

  it('a message shorter than six bytes leaves no ICMP item, only the error (tshark reads byte 5 first)', () => {
    // tcpdump__icmp-icmp_print-oobr-2.pcap #3 in short: the IP length leaves ICMP two bytes.
    const p = dissect(ethIpv4(1, hex('ff00')));
    const icmp = layer(p, 'icmp');
    expect(icmp.fields).toEqual([]);
    expect(icmp.issues.map((i) => [i.kind, i.offset])).toEqual([['malformed', 34]]);
    expect(path(p)).toBe('eth/ip/_ws.malformed');
  });

  it('every prefix', () => prefixSweep(ECHO));
});
