import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

const SAPS: Record<number, string> = {
  0x00: 'NULL LSAP',
  0x02: 'LLC Sub-Layer Management',
  0x06: 'TCP/IP',
  0x42: 'Spanning Tree BPDU',
  0x7e: 'ISO 8208 (X.25 over 802.2)',
  0xaa: 'SNAP',
  0xe0: 'NetWare',
  0xf0: 'NetBIOS',
  0xf4: 'IBM Net Management',
  0xfe: 'ISO Network Layer',
  0xff: 'Global LSAP',
};

const U_MODIFIERS: Record<number, string> = { 0x00: 'UI', 0x2f: 'SABME', 0x43: 'DISC', 0x63: 'UA', 0x0f: 'DM', 0x87: 'FRMR', 0xaf: 'XID', 0xe3: 'TEST' };

/** IEEE 802.2 Logical Link Control, with SNAP. */
export const llc = defineProtocol({
  id: 'llc',
  name: 'Logical-Link Control',
  short: 'LLC',
  bindings: [{ table: 'sll.ltype', key: 0x0004 }],
  fields: {
    'llc.dsap': { label: 'DSAP', type: 'u8', base: 'hex', values: SAPS },
    'llc.dsap.sap': { label: 'SAP', type: 'u8', base: 'hex', mask: 0xfe, values: SAPS },
    'llc.dsap.ig': { label: 'IG Bit', type: 'bool', mask: 0x01, tfs: ['Group', 'Individual'] },
    'llc.ssap': { label: 'SSAP', type: 'u8', base: 'hex', values: SAPS },
    'llc.ssap.sap': { label: 'SAP', type: 'u8', base: 'hex', mask: 0xfe, values: SAPS },
    'llc.ssap.cr': { label: 'CR Bit', type: 'bool', mask: 0x01, tfs: ['Response', 'Command'] },
    'llc.control': { label: 'Control field', type: 'u16', base: 'hex' },
    'llc.control.ftype': { label: 'Frame type', type: 'u8', mask: 0x03, values: { 0: 'Information frame', 1: 'Supervisory frame', 2: 'Information frame', 3: 'Unnumbered frame' } },
    'llc.control.u_modifier_cmd': { label: 'Command', type: 'u8', base: 'hex', mask: 0xec, values: U_MODIFIERS },
    'llc.oui': { label: 'Organization Code', type: 'u24', base: 'hex' },
    'llc.pid': { label: 'PID', type: 'u16', base: 'hex' },
    'llc.type': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
  },
  dissect(c) {
    const dsap = c.group('llc.dsap', () => {
      c.bits('llc.dsap.sap', 1, 0xfe);
      c.flag('llc.dsap.ig', 1, 0x01);
      return c.u8();
    }, 1);
    const ssap = c.group('llc.ssap', () => {
      c.bits('llc.ssap.sap', 1, 0xfe);
      c.flag('llc.ssap.cr', 1, 0x01);
      return c.u8();
    }, 1);
    const first = c.peek8();
    const unnumbered = (first & 0x03) === 0x03;
    const control = c.group('llc.control', () => {
      c.bits('llc.control.ftype', 1, 0x03);
      if (unnumbered) {
        c.bits('llc.control.u_modifier_cmd', 1, 0xec);
        return c.u8();
      }
      return c.u16();
    }, unnumbered ? 1 : 2);
    const summary = (): string =>
      `DSAP ${SAPS[dsap & 0xfe] ?? `0x${dsap.toString(16).padStart(2, '0')}`} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${SAPS[ssap & 0xfe] ?? `0x${ssap.toString(16).padStart(2, '0')}`} ${ssap & 1 ? 'Response' : 'Command'}`;
    if (dsap === 0xaa && ssap === 0xaa) {
      const oui = c.u24('llc.oui');
      if (oui === 0 || oui === 0xf8) {
        const type = c.u16('llc.type');
        return { summary, info: { dsap, ssap, control, oui, type }, next: { table: 'ethertype', keys: [type] } };
      }
      const pid = c.u16('llc.pid');
      return { summary, info: { dsap, ssap, control, oui, pid }, next: { table: 'llc.snap', keys: [oui * 0x10000 + pid] } };
    }
    return { summary, info: { dsap, ssap, control }, next: { table: 'llc.dsap', keys: [dsap & 0xfe] } };
  },
});
