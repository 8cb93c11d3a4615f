import { defineProtocol } from '../protocol.js';

const STATUS: Record<number, string> = {
  0: 'Status Indication O',
  1: 'Status Indication N',
  2: 'Status Indication E',
  3: 'Status Indication OS',
  4: 'Status Indication PO',
  5: 'Status Indication B',
};

const STATUS_SHORT: Record<number, string> = { 0: 'SIO', 1: 'SIN', 2: 'SIE', 3: 'SIOS', 4: 'SIPO', 5: 'SIB' };

/**
 * SS7 Message Transfer Part level 2 (Q.703; LINKTYPE_MTP2 140, no FCS): backward and forward
 * sequence numbers and indicator bits, the length indicator; a length of 0 is a fill-in signal
 * unit, 1 or 2 a link status unit (status field), more a message signal unit for MTP3.
 */
export const mtp2 = defineProtocol({
  id: 'mtp2',
  name: 'Message Transfer Part Level 2',
  short: 'MTP2',
  bindings: [{ table: 'linktype', key: 140 }],
  fields: {
    'mtp2.bsn': { label: 'Backward sequence number', type: 'u8', mask: 0x7f },
    'mtp2.bib': { label: 'Backward indicator bit', type: 'u8', mask: 0x80 },
    'mtp2.fsn': { label: 'Forward sequence number', type: 'u8', mask: 0x7f },
    'mtp2.fib': { label: 'Forward indicator bit', type: 'u8', mask: 0x80 },
    'mtp2.li': { label: 'Length Indicator', type: 'u8', mask: 0x3f },
    'mtp2.spare': { label: 'Spare', type: 'u8', mask: 0xc0 },
    'mtp2.sf': { label: 'Status field', type: 'u8', values: STATUS },
    'mtp2.sf_extra': { label: 'Status field extra octet', type: 'u8' },
  },
  dissect(c) {
    const start = c.pos;
    c.bits('mtp2.bsn', 1, 0x7f);
    c.bits('mtp2.bib', 1, 0x80);
    c.skip(1);
    c.bits('mtp2.fsn', 1, 0x7f);
    c.bits('mtp2.fib', 1, 0x80);
    c.skip(1);
    const li = c.bits('mtp2.li', 1, 0x3f);
    c.bits('mtp2.spare', 1, 0xc0);
    c.skip(1);
    // The length indicator counts the bytes after the header, up to 63 ("63 or more").
    const payload = c.reportedRemaining();
    if (li !== Math.min(payload, 63)) c.expert('warning', `Bad length value ${li} != payload length ${payload}`, 'mtp2.li', start + 2);
    const info = { li };
    if (li === 0) return { summary: 'FISU', info };
    if (li === 1 || li === 2) {
      const sf = c.u8('mtp2.sf');
      if (li === 2) c.u8('mtp2.sf_extra');
      return { summary: `LSSU (${STATUS_SHORT[sf] ?? `status ${sf}`})`, info };
    }
    return { summary: 'MSU', info, next: { protocol: 'mtp3' } };
  },
});
