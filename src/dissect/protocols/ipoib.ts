import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

/**
 * IP over InfiniBand (LINKTYPE_IPOIB 242): a 40-byte pseudo GRH whose last 20 bytes hold the
 * destination address (queue pair number and GID), then the RFC 4391 header: an Ethertype
 * and two reserved bytes.
 */
export const ipoib = defineProtocol({
  id: 'ipoib',
  name: 'IP over Infiniband',
  short: 'IPoIB',
  bindings: [{ table: 'linktype', key: 242 }],
  fields: {
    'ipoib.daddr': { label: 'Destination address', type: 'none' },
    'ipoib.daddr.qpn': { label: 'Destination QPN', type: 'u24', base: 'hex' },
    'ipoib.dgid': { label: 'Destination GID', type: 'ipv6' },
    'ipoib.type': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'ipoib.reserved': { label: 'Reserved', type: 'u16', base: 'hex' },
  },
  dissect(c) {
    const start = c.pos;
    c.skip(20);
    let qpn = 0;
    let dgid = '';
    c.group('ipoib.daddr', () => {
      c.skip(1);
      qpn = c.u24('ipoib.daddr.qpn');
      dgid = c.ipv6('ipoib.dgid');
      return '';
    }, 20, () => 'Destination address');
    const type = c.u16('ipoib.type');
    c.u16('ipoib.reserved');
    return {
      summary: () => `Dst QPN: 0x${qpn.toString(16).padStart(6, '0')}, GID: ${dgid}, Type: ${ETHERTYPES[type] ?? `0x${type.toString(16).padStart(4, '0')}`}`,
      info: { qpn, dgid, type },
      payloadOffset: start + 44,
      next: { table: 'ethertype', keys: [type] },
    };
  },
});
