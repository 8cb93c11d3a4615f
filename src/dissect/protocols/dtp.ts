import { defineProtocol } from '../protocol.js';

const TLV_TYPES: Readonly<Record<number, string>> = { 1: 'Domain', 2: 'Trunk Status', 3: 'Trunk Type', 4: 'Sender ID' };

/** Most TLVs read from one frame. */
const MAX_TLVS = 64;

/** Cisco Dynamic Trunk Protocol (LLC SNAP, Cisco OUI, PID 0x2004): version and TLVs. */
export const dtp = defineProtocol({
  id: 'dtp',
  name: 'Dynamic Trunk Protocol',
  short: 'DTP',
  bindings: [{ table: 'llc.snap', key: 0x00000c * 0x10000 + 0x2004 }],
  fields: {
    'dtp.version': { label: 'Version', type: 'u8' },
    'dtp.tlv_type': { label: 'Type', type: 'u16', base: 'hex', values: TLV_TYPES },
    'dtp.tlv_len': { label: 'Length', type: 'u16' },
    'dtp.domain': { label: 'Domain', type: 'string' },
    'dtp.tos': { label: 'Trunk Operating Status', type: 'u8', base: 'hex', mask: 0x80 },
    'dtp.tas': { label: 'Trunk Administrative Status', type: 'u8', base: 'hex', mask: 0x07 },
    'dtp.tot': { label: 'Trunk Operating Type', type: 'u8', base: 'hex', mask: 0xe0 },
    'dtp.tat': { label: 'Trunk Administrative Type', type: 'u8', base: 'hex', mask: 0x07 },
    'dtp.senderid': { label: 'Sender ID', type: 'ether' },
  },
  dissect(c) {
    c.u8('dtp.version');
    let n = 0;
    while (c.capEnd - c.pos >= 4 && n++ < MAX_TLVS) {
      const at = c.pos;
      const type = c.u16('dtp.tlv_type');
      const len = c.u16('dtp.tlv_len');
      if (len < 4) {
        c.expert('warning', `TLV length ${len} is less than 4`, 'dtp.tlv_len');
        break;
      }
      const vlen = Math.min(len - 4, c.capEnd - c.pos);
      if (type === 1 && vlen > 0) {
        const v = c.ascii(undefined, vlen);
        const nul = v.indexOf('\0');
        c.add('dtp.domain', nul < 0 ? v : v.substring(0, nul), at + 4, vlen);
      } else if (type === 2 && vlen >= 1) {
        c.bits('dtp.tos', 1, 0x80);
        c.bits('dtp.tas', 1, 0x07);
      } else if (type === 3 && vlen >= 1) {
        c.bits('dtp.tot', 1, 0xe0);
        c.bits('dtp.tat', 1, 0x07);
      } else if (type === 4 && vlen >= 6) c.mac('dtp.senderid');
      c.seek(Math.min(at + len, c.capEnd));
    }
    if (n > MAX_TLVS) c.expert('note', `more than ${MAX_TLVS} TLVs; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary: 'Dynamic Trunk Protocol', info: {} };
  },
});
