import { defineProtocol } from '../protocol.js';

const TYPES: Record<number, string> = {
  1: 'Hello Packet',
  2: 'DB Description',
  3: 'LS Request',
  4: 'LS Update',
  5: 'LS Acknowledge',
};

/** Most neighbours read from one Hello. */
const MAX_NEIGHBORS = 256;

/** Open Shortest Path First, versions 2 (RFC 2328) and 3 (RFC 5340): the header and Hello bodies. */
export const ospf = defineProtocol({
  id: 'ospf',
  name: 'Open Shortest Path First',
  short: 'OSPF',
  bindings: [{ table: 'ip.proto', key: 89 }],
  fields: {
    'ospf.version': { label: 'Version', type: 'u8' },
    'ospf.msg': { label: 'Message Type', type: 'u8', values: TYPES },
    'ospf.packet_length': { label: 'Packet Length', type: 'u16' },
    'ospf.srcrouter': { label: 'Source OSPF Router', type: 'ipv4' },
    'ospf.area_id': { label: 'Area ID', type: 'ipv4' },
    'ospf.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'ospf.auth.type': { label: 'Auth Type', type: 'u16', values: { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' } },
    'ospf.auth.none': { label: 'Auth Data (none)', type: 'bytes' },
    'ospf.auth.simple': { label: 'Auth Data (Simple)', type: 'string' },
    'ospf.instance_id': { label: 'Instance ID', type: 'u8' },
    'ospf.hello.network_mask': { label: 'Network Mask', type: 'ipv4' },
    'ospf.hello.interface_id': { label: 'Interface ID', type: 'u32' },
    'ospf.hello.hello_interval': { label: 'Hello Interval [sec]', type: 'u32' },
    'ospf.hello.router_priority': { label: 'Router Priority', type: 'u8' },
    'ospf.hello.router_dead_interval': { label: 'Router Dead Interval [sec]', type: 'u32' },
    'ospf.hello.designated_router': { label: 'Designated Router', type: 'ipv4' },
    'ospf.hello.backup_designated_router': { label: 'Backup Designated Router', type: 'ipv4' },
    'ospf.hello.active_neighbor': { label: 'Active Neighbor', type: 'ipv4' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.u8('ospf.version');
    const type = c.u8('ospf.msg');
    const length = c.u16('ospf.packet_length');
    const router = c.ipv4('ospf.srcrouter');
    c.ipv4('ospf.area_id');
    c.u16('ospf.checksum');
    const name = TYPES[type] ?? `Unknown (${type})`;
    const summary = c.summaries ? name : '';
    const info = { version, type, router };
    if (version !== 2 && version !== 3) {
      c.expert('warning', `unknown OSPF version ${version}`, 'ospf.version', start);
      return { summary, info, payloadOffset: c.capEnd };
    }
    const headerLen = version === 2 ? 24 : 16;
    if (length < headerLen) c.malformed(`OSPF packet length ${length} is shorter than the header`, 'ospf.packet_length', start + 2);
    c.limit(length, 'ospf.packet_length');
    if (version === 2) {
      const auth = c.u16('ospf.auth.type');
      if (auth === 1) {
        const raw = c.bytes(undefined, 8);
        const nul = raw.indexOf(0);
        c.add('ospf.auth.simple', String.fromCharCode(...raw.subarray(0, nul < 0 ? 8 : nul)), c.pos - 8, 8);
      } else if (auth === 0) c.bytes('ospf.auth.none', 8);
      else c.skip(8);
    } else {
      c.u8('ospf.instance_id');
      c.skip(1);
    }
    if (type === 1) {
      if (version === 2) {
        c.ipv4('ospf.hello.network_mask');
        c.add('ospf.hello.hello_interval', c.u16(), c.pos - 2, 2);
        c.skip(1);
        c.u8('ospf.hello.router_priority');
        c.u32('ospf.hello.router_dead_interval');
      } else {
        c.u32('ospf.hello.interface_id');
        c.u8('ospf.hello.router_priority');
        c.skip(3);
        c.add('ospf.hello.hello_interval', c.u16(), c.pos - 2, 2);
        c.add('ospf.hello.router_dead_interval', c.u16(), c.pos - 2, 2);
      }
      c.ipv4('ospf.hello.designated_router');
      c.ipv4('ospf.hello.backup_designated_router');
      for (let i = 0; i < MAX_NEIGHBORS && c.has(4) && c.pos + 4 <= start + length; i++) c.ipv4('ospf.hello.active_neighbor');
    }
    return { summary, info, payloadOffset: Math.max(c.pos, c.capEnd) };
  },
});
