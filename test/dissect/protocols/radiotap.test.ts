import { describe, expect, it } from 'vitest';
import { ProtocolHierarchyBuilder } from '../../../src/analyze/protocol-hierarchy.js';
import { dissect, field, hex, layer, stack } from '../../helpers/dissect.js';

// tcpdump__radiotap-heapoverflow.pcap #1: 8 bytes captured of 262144, radiotap version 48
const BAD_VERSION = hex('3030080030303 0fa'.replace(' ', ''));

describe('radiotap', () => {
  it('an unknown version stops the header: 802.11 follows after its length, here cut by the snaplen', () => {
    const p = dissect(BAD_VERSION, 127, {}, 262144);
    expect(stack(p)).toBe('radiotap/wlan_radio/wlan');
    expect([field(p, 'radiotap.version').value, field(p, 'radiotap.length').value]).toEqual([48, 8]);
    expect(() => field(p, 'radiotap.present.word')).toThrow();
    expect(layer(p, 'radiotap').issues.map((i) => [i.kind, i.severity])).toEqual([['expert', 'error']]);
    expect(layer(p, 'radiotap').summary).toBe('Radiotap Header v48, Length 8 (invalid)');
    expect(layer(p, 'wlan').issues.map((i) => i.kind)).toEqual(['truncated']);
  });

  it('the hierarchy keeps 802.11 radio information, made from metadata, even with no byte after it', () => {
    const h = new ProtocolHierarchyBuilder();
    h.add(dissect(BAD_VERSION, 127, {}, 262144));
    const names: string[] = [];
    for (let n = h.finish(); n.children.length > 0; n = n.children[0]!) names.push(n.children[0]!.name);
    expect(names).toEqual(['radiotap', 'wlan_radio', '_ws.short']);
  });
});
