import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

/** Cisco VN-Tag (IEEE 802.1Qbh precursor): direction, pointer, destination and source VIFs, then an ethertype. */
export const vntag = defineProtocol({
  id: 'vntag',
  name: 'VN-Tag',
  short: 'VN-Tag',
  chained: true,
  bindings: [{ table: 'ethertype', key: 0x8926 }],
  fields: {
    'vntag.dir': { label: 'Direction', type: 'bool', mask: 0x80000000, tfs: ['From Bridge', 'To Bridge'] },
    'vntag.ptr': { label: 'Pointer', type: 'bool', mask: 0x40000000, tfs: ['vif_list_id', 'vif_id'] },
    'vntag.dst': { label: 'Destination', type: 'u32', mask: 0x3fff0000 },
    'vntag.looped': { label: 'Looped', type: 'bool', mask: 0x8000, tfs: ['Yes', 'No'] },
    'vntag.r': { label: 'Reserved', type: 'u32', mask: 0x4000 },
    'vntag.version': { label: 'Version', type: 'u32', mask: 0x3000 },
    'vntag.src': { label: 'Source', type: 'u32', mask: 0x0fff },
    'vntag.etype': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
  },
  dissect(c) {
    c.flag('vntag.dir', 4, 0x80000000);
    c.flag('vntag.ptr', 4, 0x40000000);
    const dst = c.bits('vntag.dst', 4, 0x3fff0000);
    c.flag('vntag.looped', 4, 0x8000);
    c.bits('vntag.r', 4, 0x4000);
    c.bits('vntag.version', 4, 0x3000);
    const src = c.bits('vntag.src', 4, 0x0fff);
    c.skip(4);
    const type = c.u16('vntag.etype');
    return { summary: () => `Destination: ${dst}, Source: ${src}`, info: { dst, src, type }, next: { table: 'ethertype', keys: [type] } };
  },
});
