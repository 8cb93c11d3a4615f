import { defineProtocol } from '../protocol.js';

/** Virtual eXtensible Local Area Network (RFC 7348; group-policy extension). UDP 4789 only, as tshark 4.0. */
export const vxlan = defineProtocol({
  id: 'vxlan',
  name: 'Virtual eXtensible Local Area Network',
  short: 'VXLAN',
  bindings: [{ table: 'udp.port', key: 4789 }],
  fields: {
    'vxlan.flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'vxlan.flag_g': { label: 'GBP Extension', type: 'bool', mask: 0x8000, tfs: ['Defined', 'Not defined'] },
    'vxlan.flag_i': { label: 'VXLAN Network ID (VNI)', type: 'bool', mask: 0x0800, tfs: ['True', 'False'] },
    'vxlan.flag_d': { label: "Don't Learn", type: 'bool', mask: 0x0040, tfs: ['True', 'False'] },
    'vxlan.flag_a': { label: 'Policy Applied', type: 'bool', mask: 0x0008, tfs: ['True', 'False'] },
    'vxlan.flags_reserved': { label: 'Reserved(R)', type: 'u16', base: 'hex', mask: 0x77b7 },
    'vxlan.gbp': { label: 'Group Policy ID', type: 'u16' },
    'vxlan.reserved_16': { label: 'Reserved', type: 'u16' },
    'vxlan.vni': { label: 'VXLAN Network Identifier (VNI)', type: 'u24' },
    'vxlan.reserved8': { label: 'Reserved', type: 'u8' },
  },
  dissect(c) {
    const flags = c.peek16();
    c.group('vxlan.flags', () => {
      c.flag('vxlan.flag_g', 2, 0x8000);
      c.bits('vxlan.flags_reserved', 2, 0x77b7);
      c.flag('vxlan.flag_i', 2, 0x0800);
      c.flag('vxlan.flag_d', 2, 0x0040);
      c.flag('vxlan.flag_a', 2, 0x0008);
      return c.u16();
    }, 2);
    if ((flags & 0x8000) !== 0) c.u16('vxlan.gbp');
    else c.u16('vxlan.reserved_16');
    const vni = c.u24('vxlan.vni');
    c.u8('vxlan.reserved8');
    return { summary: c.summaries ? `VNI: ${vni}` : '', info: { vni, flags }, next: { protocol: 'eth' } };
  },
});
