import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__radiotap.pcap #1 without its 48-byte radiotap header: a QoS data frame to the DS
// carrying a DNS query, then a 4-byte FCS (a3 c6 12 03 little-endian).
const WLAN = '88012c00 8a15149b5ae0 90724097b6f5 442b03aaab8d 1000 0600' +
  'aaaa030000000800 4500003fd68d00004011aea2ac119c4cd043dcdc f12a0035002bc5df' +
  'a72f010000010000000000000763617074697665056170706c6503636f6d0000010001 0312c6a7';
const RADIOTAP = '000030006b081c00 e161565600000000 10 00 a415 4001 b6 a3 01 4e 34974001 0100a415 6c22 1f0107 00 0100000000000000';
const FRAME = hex(RADIOTAP + WLAN);
// A beacon (LINKTYPE_IEEE802_11): SSID "NETGEAR", supported rates, DS parameter set.
const BEACON = hex(`
  8000 0000 ffffffffffff 001f334528a0 001f334528a0 e02b
  81510ee6b9010000 6400 2105
  0007 4e4554474541 52  0108 82848b960c121824  030106
`);

describe('radiotap + wlan', () => {
  it('radiotap: length, present word, flags (FCS), channel; then wlan_radio and wlan', () => {
    const p = dissect(FRAME, 127);
    expect(stack(p)).toBe('radiotap/wlan_radio/wlan/llc/ip/udp/dns/padding');
    expect([field(p, 'radiotap.length').value, field(p, 'radiotap.length').offset]).toEqual([48, 2]);
    expect(field(p, 'radiotap.present.word').value).toBe(0x001c086b);
    const flags = field(p, 'radiotap.flags');
    expect([flags.value, flags.offset]).toEqual([0x10, 16]);
    expect(field(p, 'radiotap.flags.fcs').bits).toEqual({ offset: 3, length: 1 });
    expect([field(p, 'radiotap.channel.freq').value, field(p, 'radiotap.channel.freq').offset]).toEqual([5540, 18]);
    expect([field(p, 'radiotap.dbm_antsignal').value, field(p, 'radiotap.dbm_antsignal').offset]).toEqual([-74, 22]);
    expect(layer(p, 'radiotap').headerLength).toBe(48);
    expect(layer(p, 'wlan_radio').headerLength).toBe(0);
    checkInvariants(p);
  });

  it('wlan: frame control, addresses named by the DS bits, sequence, QoS; the FCS is not payload', () => {
    const p = dissect(FRAME, 127);
    const ts = field(p, 'wlan.fc.type_subtype');
    expect([ts.value, ts.offset]).toEqual([0x28, 48]);
    expect(field(p, 'wlan.fc.type').bits).toEqual({ offset: 4, length: 2 });
    expect([field(p, 'wlan.fc.ds').value, field(p, 'wlan.fc.tods').value]).toEqual([1, true]);
    expect(field(p, 'wlan.duration').value).toBe(44);
    expect([field(p, 'wlan.ra').value, field(p, 'wlan.ra').offset]).toEqual(['8a:15:14:9b:5a:e0', 52]);
    expect([field(p, 'wlan.da').value, field(p, 'wlan.da').offset]).toEqual(['44:2b:03:aa:ab:8d', 64]);
    expect([field(p, 'wlan.sa').value, field(p, 'wlan.sa').offset]).toEqual(['90:72:40:97:b6:f5', 58]);
    expect([field(p, 'wlan.bssid').value, field(p, 'wlan.bssid').offset]).toEqual(['8a:15:14:9b:5a:e0', 52]);
    expect([field(p, 'wlan.seq').value, field(p, 'wlan.frag').value]).toEqual([1, 0]);
    expect([field(p, 'wlan.qos').value, field(p, 'wlan.qos.tid').value]).toEqual([6, 6]);
    expect(field(p, 'wlan.fcs').value).toBe(0xa7c61203);
    expect(layer(p, 'padding').length).toBe(4);
    expect(field(p, 'udp.length').value).toBe(43);
    expect(layer(p, 'wlan').summary).toBe('QoS Data, SN=1, FN=0, Flags=.......T');
  });

  it('LINKTYPE 105 with no FCS flag keeps every byte as payload', () => {
    const p = dissect(hex(WLAN), 105);
    expect(stack(p)).toBe('wlan/llc/ip/udp/dns/padding');
    expect(values(p, 'wlan.fcs')).toEqual([]);
  });

  it('a management frame: fixed parameters and tags in wlan.mgt', () => {
    const p = dissect(BEACON, 105);
    expect(stack(p)).toBe('wlan/wlan.mgt');
    expect([field(p, 'wlan.da').value, field(p, 'wlan.bssid').value]).toEqual(['ff:ff:ff:ff:ff:ff', '00:1f:33:45:28:a0']);
    expect([field(p, 'wlan.fixed.beacon').value, field(p, 'wlan.fixed.beacon').offset]).toEqual([100, 32]);
    expect(field(p, 'wlan.fixed.capabilities').value).toBe(0x0521);
    const ssid = field(p, 'wlan.ssid');
    expect([Buffer.from(ssid.value as Uint8Array).toString(), ssid.offset, ssid.length]).toEqual(['NETGEAR', 38, 7]);
    expect(values(p, 'wlan.tag.number')).toEqual([0, 1, 3]);
    expect(field(p, 'wlan.ds.current_channel').value).toBe(6);
    expect(layer(p, 'wlan.mgt').summary).toBe('SSID=NETGEAR');
  });

  it('a radiotap length shorter than its fixed part is malformed', () => {
    const bad = FRAME.slice();
    bad[2] = 4;
    const p = dissect(bad, 127);
    expect(layer(p, 'radiotap').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'radiotap.length']]);
  });

  it('a tag running past the frame is truncated, not silently read', () => {
    const p = dissect(BEACON.subarray(0, 42), 105, {}, BEACON.length);
    expect(layer(p, 'wlan.mgt').issues[0]!.kind).toBe('truncated');
  });

  it('a control frame keeps the bytes after its addresses (no data after it)', () => {
    // packetnet__80211_per_packet_information.pcap #2 without PPI: CF-End, RA, BSSID, 8 more bytes
    const p = dissect(hex('e4000000ffffffffffff061f334528a0 061f334528a0de57'), 105);
    expect(stack(p)).toBe('wlan');
    expect([field(p, 'wlan.ra').value, field(p, 'wlan.bssid').value]).toEqual(['ff:ff:ff:ff:ff:ff', '06:1f:33:45:28:a0']);
  });

  it('a protocol version other than 0 stops at the frame control', () => {
    const p = dissect(hex('0b00 0000 ffffffffffff 0011223344 55'), 105);
    expect(stack(p)).toBe('wlan');
    expect(() => field(p, 'wlan.duration')).toThrow();
    expect(layer(p, 'wlan').summary).toBe('Unknown protocol version: 3');
  });

  it('an extension frame: duration and receiver address, then its body as wlan_ext', () => {
    // packetnet__80211_plus_radiotap_header.pcap #48 without radiotap (its first bytes)
    const p = dissect(hex('6c915ed55da1ce5ec49f 01bf09a5729e6ef48bcac1b5'), 105);
    expect(stack(p)).toBe('wlan/wlan_ext');
    expect([field(p, 'wlan.duration').value, field(p, 'wlan.ra').value]).toEqual([0xd55e, '5d:a1:ce:5e:c4:9f']);
    expect([layer(p, 'wlan_ext').offset, field(p, 'wlan_ext.body').length]).toEqual([10, 12]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(FRAME, 127);
    prefixSweep(BEACON, 105);
  });
});
