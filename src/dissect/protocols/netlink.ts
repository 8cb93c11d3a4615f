import { defineProtocol } from '../protocol.js';

const FAMILIES: Readonly<Record<number, string>> = {
  0: 'Route',
  4: 'Socket monitoring',
  12: 'Netfilter',
  16: 'Generic',
};

/**
 * Linux netlink as captured on an nlmon interface (LINKTYPE_NETLINK 253): the 16-byte cooked
 * header, whose family picks the message dissector (`netlink.protocol`: 0 is rtnetlink). The
 * message header keys (`netlink.hdr_*`) are declared here and read by the family dissectors,
 * in the byte order of the capturing host.
 */
export const netlink = defineProtocol({
  id: 'netlink',
  name: 'Linux netlink protocol',
  short: 'Netlink',
  bindings: [{ table: 'linktype', key: 253 }],
  fields: {
    'netlink.hatype': { label: 'Link-layer address type', type: 'u16' },
    'netlink.family': { label: 'Family', type: 'u16', base: 'hex', values: FAMILIES },
    'netlink.hdr_len': { label: 'Length', type: 'u32' },
    'netlink.hdr_type': { label: 'Message type', type: 'u16', base: 'hex' },
    'netlink.hdr_flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'netlink.hdr_seq': { label: 'Sequence', type: 'u32' },
    'netlink.hdr_pid': { label: 'Port ID', type: 'u32' },
  },
  dissect(c) {
    c.skip(2); // packet type
    c.u16('netlink.hatype');
    c.skip(2 + 8); // address length and address
    const family = c.u16('netlink.family');
    return { summary: '', info: { family }, next: { table: 'netlink.protocol', keys: [family] } };
  },
});
