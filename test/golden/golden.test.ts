import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { PacketLister } from '../../src/render/list/packet-list.js';
import { packetText } from '../../src/render/text/packet-text.js';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';

/**
 * Golden text: the packet list and the full tree of the first packets of a dozen captures
 * covering many link types and protocols. A change in any dissector shows up here as a diff to
 * review (`npx vitest run test/golden -u` rewrites the files after review).
 */
const CASES: readonly [string, number][] = [
  [`${FIXTURES}small-office.pcapng`, 40],
  [`${CAPTURES}tcpdump__pptp.pcap`, 12],
  [`${CAPTURES}pcapplusplus__sll.pcap`, 8],
  [`${CAPTURES}zeek__radiotap.pcap`, 8],
  [`${CAPTURES}tcpdump__vxlan.pcap`, 6],
  [`${CAPTURES}arkime__mpls-basic.pcap`, 6],
  [`${CAPTURES}zeek__dhcp.pcap`, 4],
  [`${CAPTURES}zeek__dns-corrupt.pcap`, 6],
  [`${CAPTURES}pcapplusplus__tls2.pcap`, 12],
  [`${CAPTURES}zeek__icmp6-router-advert.pcap`, 3],
  [`${CAPTURES}libpcap__ipv6_ext_headers.pcap`, 2],
  [`${CAPTURES}ndpi__sctp.cap`, 6],
  [`${CAPTURES}zeek__pppoe-over-qinq.pcap`, 4],
];

describe('golden text', () => {
  for (const [path, count] of CASES) {
    const name = path.split('/').pop()!;
    it(name, async () => {
      const registry = defaultRegistry();
      const reader = await openCapture(path);
      const dissector = new Dissector(registry, { strict: true });
      const lister = new PacketLister('r');
      const list: string[] = [];
      const trees: string[] = [];
      let n = 0;
      for await (const frame of reader) {
        const p = dissector.dissect(frame);
        const r = lister.row(p);
        list.push(`${r.number} ${r.time} ${r.source} → ${r.destination} ${r.protocol} ${r.length} ${r.info}`);
        trees.push(packetText(p, registry));
        if (++n >= count) break;
      }
      await reader.close();
      await expect(`${list.join('\n')}\n\n${trees.join('\n')}`).toMatchFileSnapshot(`./__golden__/${name}.txt`);
    });
  }
});
