import { defineProtocol } from '../protocol.js';

/**
 * Adaptive Multi-Rate speech (RFC 4867 payload) on RTP, as tshark 4.0 reads it by default:
 * octet-aligned whatever the SDP's fmtp says, narrowband or wideband as the payload type was
 * mapped (AMR, AMR-WB). The codec mode request, the reserved bits and the table of contents
 * (F, FT, Q per frame); reserved bits that are not zero end the reading with a warning, as in
 * tshark (which then calls the payload bandwidth-efficient and shows nothing more).
 */

const NB_MODES: Readonly<Record<number, string>> = {
  0: 'AMR 4,75 kbit/s',
  1: 'AMR 5,15 kbit/s',
  2: 'AMR 5,90 kbit/s',
  3: 'AMR 6,70 kbit/s (PDC-EFR)',
  4: 'AMR 7,40 kbit/s (TDMA-EFR)',
  5: 'AMR 7,95 kbit/s',
  6: 'AMR 10,2 kbit/s',
  7: 'AMR 12,2 kbit/s (GSM-EFR)',
};
const WB_MODES: Readonly<Record<number, string>> = {
  0: 'AMR-WB 6.60 kbit/s',
  1: 'AMR-WB 8.85 kbit/s',
  2: 'AMR-WB 12.65 kbit/s',
  3: 'AMR-WB 14.25 kbit/s',
  4: 'AMR-WB 15.85 kbit/s',
  5: 'AMR-WB 18.25 kbit/s',
  6: 'AMR-WB 19.85 kbit/s',
  7: 'AMR-WB 23.05 kbit/s',
  8: 'AMR-WB 23.85 kbit/s',
};

function table(base: Readonly<Record<number, string>>, rest: (n: number) => string): Record<number, string> {
  const out: Record<number, string> = {};
  for (let n = 0; n < 16; n++) out[n] = base[n] ?? rest(n);
  return out;
}

const NB_CMR = table(NB_MODES, (n) => (n === 15 ? 'No mode request' : 'Illegal Frametype - For future use'));
const WB_CMR = table(WB_MODES, (n) => (n === 15 ? 'No mode request' : 'Illegal Frametype - For future use'));
const NB_FT = table(
  { ...NB_MODES, 8: 'AMR SID (Comfort Noise Frame)', 9: 'GSM-EFR SID', 10: 'TDMA-EFR SID ', 11: 'PDC-EFR SID', 15: 'No Data (No transmission/No reception)' },
  () => 'Illegal Frametype - for future use',
);
const WB_FT = table(
  { ...WB_MODES, 9: 'AMR-WB SID (Comfort Noise Frame)', 14: 'Speech lost', 15: 'No Data (No transmission/No reception)' },
  () => 'Illegal Frametype',
);

export const amr = defineProtocol({
  id: 'amr',
  name: 'Adaptive Multi-Rate',
  short: 'AMR',
  fields: {
    'amr.payload_decoded_as': { label: 'Payload decoded as', type: 'u32', values: { 0: 'RFC 3267', 1: 'RFC 3267 BE', 2: 'AMR IF1', 3: 'AMR IF2' } },
    'amr.nb.cmr': { label: 'CMR', type: 'u8', mask: 0xf0, values: NB_CMR },
    'amr.wb.cmr': { label: 'CMR', type: 'u8', mask: 0xf0, values: WB_CMR },
    'amr.reserved': { label: 'Reserved', type: 'u8', mask: 0x0f },
    'amr.toc': { label: 'Payload Table of Contents', type: 'none' },
    'amr.toc.f': { label: 'F bit', type: 'bool', mask: 0x80, tfs: ['Followed by another speech frame', 'Last frame in this payload'] },
    'amr.nb.toc.ft': { label: 'FT bits', type: 'u8', mask: 0x78, values: NB_FT },
    'amr.wb.toc.ft': { label: 'FT bits', type: 'u8', mask: 0x78, values: WB_FT },
    'amr.toc.q': { label: 'Q bit', type: 'bool', mask: 0x04, tfs: ['Ok', 'Severely damaged frame'] },
  },
  dissect(c) {
    const start = c.pos;
    const end = Math.min((c.ctx['rtpPayloadEnd'] as number | undefined) ?? c.repEnd, c.repEnd);
    const wide = String(c.ctx['rtpEncoding'] ?? '').toLowerCase() === 'amr-wb';
    const carrier = c.below[c.below.length - 1];
    const summary = typeof carrier?.summary === 'string' ? carrier.summary : '';
    const name = wide ? 'AMR-WB' : 'AMR';
    c.provisional = summary;
    c.add('amr.payload_decoded_as', 0, start, 0, 'Payload decoded as: RFC 3267 (0)');
    c.bits(wide ? 'amr.wb.cmr' : 'amr.nb.cmr', 1, 0xf0);
    const reserved = c.data[start]! & 0x0f;
    if (reserved !== 0) {
      c.add('amr.reserved', reserved, start, 0, `.... ${reserved.toString(2).padStart(4, '0')} = Reserved: ${reserved}`);
      c.expert('warning', 'Reserved != 0, wrongly encoded or not octet aligned. Decoding as bandwidth-efficient mode', 'amr.reserved', start);
      c.seek(c.capEnd);
      return { summary, name, info: { wideband: wide } };
    }
    c.bits('amr.reserved', 1, 0x0f);
    c.skip(1);
    {
      c.group('amr.toc', () => {
        let follow = true;
        for (let i = 0; follow && i < 0x10000; i++) {
          follow = c.flag('amr.toc.f', 1, 0x80);
          c.bits(wide ? 'amr.wb.toc.ft' : 'amr.nb.toc.ft', 1, 0x78);
          c.flag('amr.toc.q', 1, 0x04);
          c.skip(1);
        }
        return true;
      }, Math.max(0, Math.min(end, c.capEnd) - c.pos));
    }
    if (c.pos < c.capEnd) c.seek(c.capEnd);
    return { summary, name, info: { wideband: wide } };
  },
});
