import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

const OPTION_CLASSES: Record<number, string> = {
  0x0000: 'Standard',
  0x0100: 'Linux',
  0x0101: 'Open vSwitch',
  0x0102: 'Open Virtual Networking (OVN)',
  0x0103: 'In-band Network Telemetry (INT)',
  0x0104: 'VMware',
  0x0105: 'Amazon.com, Inc.',
  0x0106: 'Cisco Systems, Inc.',
  0x0107: 'Oracle Corporation',
  0x0110: 'Amazon.com, Inc.',
  0x0118: 'IBM',
  0x0128: 'Ericsson',
  0x0129: 'Oxide Computer Company',
  0x0130: 'Cisco Systems, Inc.',
  0x0131: 'Google LLC',
  0xffff: 'Experimental',
};

/** Generic Network Virtualization Encapsulation (RFC 8926), UDP 6081. */
export const geneve = defineProtocol({
  id: 'geneve',
  name: 'Generic Network Virtualization Encapsulation',
  short: 'Geneve',
  bindings: [{ table: 'udp.port', key: 6081 }],
  fields: {
    'geneve.version': { label: 'Version', type: 'u8', mask: 0xc0 },
    'geneve.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'geneve.flags.oam': { label: 'Operations, Administration and Management Frame', type: 'bool', mask: 0x80 },
    'geneve.flags.critical': { label: 'Critical Options Present', type: 'bool', mask: 0x40 },
    'geneve.flags.reserved': { label: 'Reserved', type: 'bool', mask: 0x3f },
    'geneve.proto_type': { label: 'Protocol Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'geneve.vni': { label: 'Virtual Network Identifier (VNI)', type: 'u24', base: 'hex_dec' },
    'geneve.reserved': { label: 'Reserved', type: 'u8', base: 'hex' },
    'geneve.options': { label: 'Geneve Options', type: 'bytes' },
    'geneve.option': { label: 'Option', type: 'bytes' },
    'geneve.option.class': { label: 'Class', type: 'u16', base: 'hex', values: OPTION_CLASSES },
    'geneve.option.type': { label: 'Type', type: 'u8', base: 'hex' },
    'geneve.option.type.critical': { label: 'Critical Option', type: 'bool', mask: 0x80 },
    'geneve.option.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'geneve.option.flags.reserved': { label: 'Reserved', type: 'bool', mask: 0xe0 },
    'geneve.option.length': { label: 'Length', type: 'u8' },
    'geneve.option.unknown.data': { label: 'Unknown Option Data', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.bits('geneve.version', 1, 0xc0);
    const optLen = (c.u8() & 0x3f) * 4;
    if (c.summaries && c.mode === 'full') c.add('geneve.options', c.data.subarray(start, start + 1), start, 0, `Length: ${optLen} bytes`);
    if (version !== 0) {
      c.expert('warning', `unknown Geneve version ${version}`, 'geneve.version', start);
      return { summary: `Unknown version ${version}`, info: { version } };
    }
    c.group('geneve.flags', () => {
      c.flag('geneve.flags.oam', 1, 0x80);
      c.flag('geneve.flags.critical', 1, 0x40);
      c.flag('geneve.flags.reserved', 1, 0x3f);
      return c.u8();
    }, 1);
    const proto = c.u16('geneve.proto_type');
    const vni = c.u24('geneve.vni');
    c.u8('geneve.reserved');
    if (optLen > 0) {
      c.need(optLen, 'geneve.options');
      const end = c.pos + optLen;
      c.group('geneve.options', () => {
        let guard = 0;
        while (c.pos < end && guard++ < 64) {
          const at = c.pos;
          if (at + 4 > end) c.malformed('Geneve option header runs past the options', 'geneve.option', at);
          const len = 4 + (c.peek8(3) & 0x1f) * 4;
          if (at + len > end) c.malformed(`Geneve option of ${len} bytes runs past the options`, 'geneve.option.length', at + 3);
          c.group('geneve.option', () => {
            c.u16('geneve.option.class');
            c.group('geneve.option.type', () => {
              c.flag('geneve.option.type.critical', 1, 0x80);
              return c.u8();
            }, 1);
            c.group('geneve.option.flags', () => {
              c.flag('geneve.option.flags.reserved', 1, 0xe0);
              return c.u8() & 0xe0;
            }, 1);
            c.add('geneve.option.length', len, at + 3, 1, `Length: ${len} bytes`);
            if (len > 4) c.bytes('geneve.option.unknown.data', len - 4);
            return c.data.subarray(at, at + len);
          }, len);
        }
        return c.data.subarray(end - optLen, end);
      }, optLen, () => `Options: (${optLen} bytes)`);
    }
    return {
      summary: c.summaries ? `VNI: 0x${vni.toString(16).padStart(6, '0')}` : '',
      info: { vni, proto },
      next: { table: 'ethertype', keys: [proto] },
    };
  },
});
