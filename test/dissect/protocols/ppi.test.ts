import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// libpcap__http_PPI.pcap #1: PPI (84 bytes: 802.11-Common with the FCS flag, 802.11n MAC+PHY),
// then a QoS data frame with a DNS query and its FCS.
const PPI = hex(`
000054006900000002001400637ecdf300000000010058027609c0000000c8a0040030000600000002000000000f022822221eff242721ff8a09c000c2a0c2a0bea080801611131d1511171619121a16000000
0088012c000014a5cd747b0014a5cb6e1a00010227f9b2a0ed0000aaaa0300000008004500003b8d060000801129d6c0a80184c0a80101040700350027ab1596c1010000010000000000000377777706706f6c69746f026974000001000178805937
`);

describe('ppi', () => {
  it('header fields with offsets, the 802.11-Common FCS flag, then 802.11 through wlan_radio', () => {
    const p = dissect(PPI, 192);
    expect(stack(p)).toBe('ppi/wlan_radio/wlan/llc/ip/udp/dns/padding');
    expect([field(p, 'ppi.length').value, field(p, 'ppi.length').offset]).toEqual([84, 2]);
    expect([field(p, 'ppi.dlt').value, field(p, 'ppi.dlt').offset]).toEqual([105, 4]);
    expect([field(p, 'ppi.field_type').value, field(p, 'ppi.field_type').offset]).toEqual([2, 8]);
    expect([field(p, 'ppi.80211-common.flags').value, field(p, 'ppi.80211-common.flags').offset]).toEqual([1, 20]);
    expect(field(p, 'ppi.80211-common.chan.freq').value).toBe(2422);
    expect(field(p, 'ppi.80211-common.dbm.antsignal').value).toBe(-56);
    expect(layer(p, 'ppi').headerLength).toBe(84);
    expect(layer(p, 'ppi').summary).toBe('PPI version 0, 84 bytes');
    expect(layer(p, 'padding').length).toBe(4);
    checkInvariants(p);
  });

  it('a field running past the header is malformed', () => {
    const bad = PPI.slice();
    bad[10] = 0xff;
    const p = dissect(bad, 192);
    expect(layer(p, 'ppi').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'ppi.field_len']]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PPI, 192);
  });
});
