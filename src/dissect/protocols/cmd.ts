import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

/** Cisco MetaData (Ethernet type 0x8909): a security group tag and the carried Ethernet type. */
export const cmd = defineProtocol({
  id: 'cmd',
  name: 'Cisco MetaData',
  short: 'CMD',
  bindings: [{ table: 'ethertype', key: 0x8909 }],
  fields: {
    'cmd.version': { label: 'Version', type: 'u8' },
    'cmd.length': { label: 'Length', type: 'u8' },
    'cmd.options': { label: 'Options', type: 'u16', base: 'hex' },
    'cmd.sgt': { label: 'SGT', type: 'u16' },
    'cmd.type': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
  },
  dissect(c) {
    // Carried by GRE (protocol type 0x8909) the carried type comes first, as tshark reads it.
    const inGre = c.below[c.below.length - 1]?.protocol === 'gre';
    const first = inGre ? c.u16('cmd.type') : undefined;
    c.u8('cmd.version');
    c.u8('cmd.length');
    c.u16('cmd.options');
    const sgt = c.u16('cmd.sgt');
    const type = first ?? c.u16('cmd.type');
    return { summary: c.summaries ? `SGT: ${sgt}` : '', info: { sgt, type }, next: { table: 'ethertype', keys: [type] } };
  },
});
