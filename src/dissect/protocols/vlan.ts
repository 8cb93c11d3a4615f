import { defineProtocol, keyedNext } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

const ETHERTYPE_NEXT = keyedNext('ethertype');

/** IEEE 802.1Q VLAN tag (any depth: each tag is a layer). */
export const vlan = defineProtocol({
  id: 'vlan',
  chained: true,
  name: '802.1Q Virtual LAN',
  short: '802.1Q',
  bindings: [
    { table: 'ethertype', key: 0x8100 },
    { table: 'ethertype', key: 0x9100 },
  ],
  fields: {
    'vlan.priority': { label: 'Priority', type: 'u16', mask: 0xe000, values: { 0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications', 4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter', 6: 'Internetwork Control', 7: 'Network Control' } },
    'vlan.dei': { label: 'DEI', type: 'u16', mask: 0x1000 },
    'vlan.id': { label: 'ID', type: 'u16', mask: 0x0fff },
    'vlan.etype': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'vlan.len': { label: 'Length', type: 'u16' },
    'vlan.trailer': { label: 'Trailer', type: 'bytes' },
  },
  dissect(c) {
    const pri = c.bits('vlan.priority', 2, 0xe000);
    const dei = c.bits('vlan.dei', 2, 0x1000);
    const id = c.bits('vlan.id', 2, 0x0fff);
    c.skip(2);
    const type = c.peek16();
    const summary = c.summaries ? (): string => `PRI: ${pri}, DEI: ${dei}, ID: ${id}` : undefined;
    if (type <= 1500) {
      c.u16('vlan.len');
      c.limit(4 + type, 'vlan.len');
      return { summary, info: { id, priority: pri, dei, length: type }, next: { protocol: 'llc' } };
    }
    c.u16('vlan.etype');
    return { summary, info: c.infoWanted ? { id, priority: pri, dei, type } : undefined, next: ETHERTYPE_NEXT(type) };
  },
});

/** IEEE 802.1ad provider bridge (S-tag). */
export const ieee8021ad = defineProtocol({
  id: 'ieee8021ad',
  chained: true,
  name: 'IEEE 802.1ad',
  short: '802.1ad',
  bindings: [{ table: 'ethertype', key: 0x88a8 }],
  fields: {
    'ieee8021ad.priority': { label: 'Priority', type: 'u16', mask: 0xe000 },
    'ieee8021ad.dei': { label: 'DEI', type: 'u16', mask: 0x1000 },
    'ieee8021ad.id': { label: 'ID', type: 'u16', mask: 0x0fff },
    'ieee8021ad.type': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
  },
  dissect(c) {
    const pri = c.bits('ieee8021ad.priority', 2, 0xe000);
    const dei = c.bits('ieee8021ad.dei', 2, 0x1000);
    const id = c.bits('ieee8021ad.id', 2, 0x0fff);
    c.skip(2);
    const type = c.u16('ieee8021ad.type');
    return {
      summary: () => `PRI: ${pri}, DEI: ${dei}, ID: ${id}`,
      info: { id, priority: pri, dei, type },
      next: ETHERTYPE_NEXT(type),
    };
  },
});
