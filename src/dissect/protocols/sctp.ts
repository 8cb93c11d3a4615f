import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const CHUNK_TYPES: Record<number, string> = {
  0: 'DATA',
  1: 'INIT',
  2: 'INIT_ACK',
  3: 'SACK',
  4: 'HEARTBEAT',
  5: 'HEARTBEAT_ACK',
  6: 'ABORT',
  7: 'SHUTDOWN',
  8: 'SHUTDOWN_ACK',
  9: 'ERROR',
  10: 'COOKIE_ECHO',
  11: 'COOKIE_ACK',
  12: 'ECNE',
  13: 'CWR',
  14: 'SHUTDOWN_COMPLETE',
  15: 'AUTH',
  64: 'I_DATA',
  128: 'ASCONF_ACK',
  130: 'RE_CONFIG',
  132: 'PAD',
  192: 'FORWARD_TSN',
  193: 'ASCONF',
  194: 'I_FORWARD_TSN',
};

/** Most chunks read from one packet. */
const MAX_CHUNKS = 256;

/** INIT / INIT_ACK parameters (TLVs padded to 4 bytes) up to `end`. */
function readParameters(c: Cursor, end: number): void {
  for (let i = 0; c.pos + 4 <= end && i < 256; i++) {
    const at = c.pos;
    const type = c.u16('sctp.parameter_type');
    const len = c.u16('sctp.parameter_length');
    if (len < 4 || at + len > end) c.malformed(`SCTP parameter length ${len}`, 'sctp.parameter_length', at + 2);
    if (type === 5 && len === 8) c.ipv4('sctp.parameter_ipv4_address');
    else if (type === 6 && len === 20) c.ipv6('sctp.parameter_ipv6_address');
    else if (len > 4) c.bytes('sctp.parameter_value', len - 4);
    const pad = Math.min((4 - (len % 4)) % 4, end - c.pos);
    if (pad > 0) c.bytes('sctp.parameter_padding', pad);
  }
}

/** Stream Control Transmission Protocol (RFC 9260): common header and chunks; a DATA chunk's payload goes on. */
export const sctp = defineProtocol({
  id: 'sctp',
  name: 'Stream Control Transmission Protocol',
  short: 'SCTP',
  bindings: [{ table: 'ip.proto', key: 132 }],
  fields: {
    'sctp.srcport': { label: 'Source port', type: 'u16' },
    'sctp.dstport': { label: 'Destination port', type: 'u16' },
    'sctp.port': { label: 'Port', type: 'u16' },
    'sctp.verification_tag': { label: 'Verification tag', type: 'u32', base: 'hex' },
    'sctp.checksum': { label: 'Checksum', type: 'u32', base: 'hex' },
    'sctp.chunk_type': { label: 'Chunk type', type: 'u8', values: CHUNK_TYPES },
    'sctp.chunk_flags': { label: 'Chunk flags', type: 'u8', base: 'hex' },
    'sctp.chunk_length': { label: 'Chunk length', type: 'u16' },
    'sctp.chunk_value': { label: 'Chunk value', type: 'bytes' },
    'sctp.chunk_padding': { label: 'Chunk padding', type: 'bytes' },
    'sctp.data_e_bit': { label: 'E-Bit', type: 'bool', mask: 0x01, tfs: ['Last segment', 'Not the last segment'] },
    'sctp.data_b_bit': { label: 'B-Bit', type: 'bool', mask: 0x02, tfs: ['First segment', 'Subsequent segment'] },
    'sctp.data_u_bit': { label: 'U-Bit', type: 'bool', mask: 0x04, tfs: ['Unordered delivery', 'Ordered delivery'] },
    'sctp.data_i_bit': { label: 'I-Bit', type: 'bool', mask: 0x08, tfs: ['Send SACK immediately', 'Possibly delay SACK'] },
    'sctp.data_tsn_raw': { label: 'Transmission sequence number (absolute)', type: 'u32' },
    'sctp.data_sid': { label: 'Stream identifier', type: 'u16', base: 'hex' },
    'sctp.data_ssn': { label: 'Stream sequence number', type: 'u16' },
    'sctp.data_payload_proto_id': { label: 'Payload protocol identifier', type: 'u32' },
    'sctp.init_initiate_tag': { label: 'Initiate tag', type: 'u32', base: 'hex' },
    'sctp.init_credit': { label: 'Advertised receiver window credit (a_rwnd)', type: 'u32' },
    'sctp.init_nr_out_streams': { label: 'Number of outbound streams', type: 'u16' },
    'sctp.init_nr_in_streams': { label: 'Number of inbound streams', type: 'u16' },
    'sctp.init_initial_tsn': { label: 'Initial TSN', type: 'u32' },
    'sctp.sack_cumulative_tsn_ack_raw': { label: 'Cumulative TSN ACK (absolute)', type: 'u32' },
    'sctp.sack_a_rwnd': { label: 'Advertised receiver window credit (a_rwnd)', type: 'u32' },
    'sctp.sack_number_of_gap_blocks': { label: 'Number of gap acknowledgement blocks', type: 'u16' },
    'sctp.sack_number_of_duplicated_tsns': { label: 'Number of duplicated TSNs', type: 'u16' },
    'sctp.sack_gap_block_start': { label: 'Start', type: 'u16' },
    'sctp.sack_gap_block_end': { label: 'End', type: 'u16' },
    'sctp.sack_duplicate_tsn': { label: 'Duplicate TSN', type: 'u32' },
    'sctp.parameter_type': { label: 'Parameter type', type: 'u16', base: 'hex' },
    'sctp.parameter_length': { label: 'Parameter length', type: 'u16' },
    'sctp.parameter_value': { label: 'Parameter value', type: 'bytes' },
    'sctp.parameter_padding': { label: 'Parameter padding', type: 'bytes' },
    'sctp.parameter_ipv4_address': { label: 'IP Version 4 address', type: 'ipv4' },
    'sctp.parameter_ipv6_address': { label: 'IP Version 6 address', type: 'ipv6' },
  },
  dissect(c) {
    const start = c.pos;
    const sport = c.u16('sctp.srcport');
    const dport = c.u16('sctp.dstport');
    if (c.wants('sctp.port')) {
      c.add('sctp.port', sport, start, 2);
      c.add('sctp.port', dport, start + 2, 2);
    }
    const vtag = c.u32('sctp.verification_tag');
    c.u32('sctp.checksum');
    const names: string[] = [];
    const info: Record<string, unknown> = { srcport: sport, dstport: dport, vtag };
    for (let i = 0; c.reportedRemaining() > 0; i++) {
      if (i >= MAX_CHUNKS) {
        c.expert('warning', `more than ${MAX_CHUNKS} chunks; the rest is not dissected`, 'sctp.chunk_type');
        break;
      }
      const at = c.pos;
      const type = c.u8('sctp.chunk_type');
      const flags = c.peek8();
      if (type === 0 || type === 64) {
        c.group('sctp.chunk_flags', () => {
          c.flag('sctp.data_i_bit', 1, 0x08);
          c.flag('sctp.data_u_bit', 1, 0x04);
          c.flag('sctp.data_b_bit', 1, 0x02);
          c.flag('sctp.data_e_bit', 1, 0x01);
          return c.u8();
        }, 1);
      } else {
        c.u8('sctp.chunk_flags');
      }
      const len = c.u16('sctp.chunk_length');
      if (len < 4) c.malformed(`SCTP chunk length ${len} < 4`, 'sctp.chunk_length', at + 2);
      const end = at + len;
      if (end > c.repEnd) c.malformed(`SCTP chunk of ${len} bytes runs past the packet`, 'sctp.chunk_length', at + 2);
      names.push(CHUNK_TYPES[type] ?? `UNKNOWN(${type})`);
      const padded = Math.min(at + len + ((4 - (len % 4)) % 4), c.repEnd);
      if (type === 0 && len >= 16) {
        c.u32('sctp.data_tsn_raw');
        c.u16('sctp.data_sid');
        c.u16('sctp.data_ssn');
        const ppi = c.u32('sctp.data_payload_proto_id');
        info['ppi'] = ppi;
        // The payload goes on when this DATA chunk is the last one and starts a message.
        if (padded >= c.repEnd && len > 16 && (flags & 0x02) !== 0) {
          c.limit(end - start);
          const low = Math.min(sport, dport);
          const high = Math.max(sport, dport);
          const summary = c.summaries ? names.join(' ') : '';
          return { summary, info, next: ppi !== 0 ? { table: 'sctp.ppi', keys: [ppi] } : { table: 'sctp.port', keys: [low, high] } };
        }
        if (len > 16) c.bytes('sctp.chunk_value', len - 16);
      } else if ((type === 1 || type === 2) && len >= 20) {
        c.u32('sctp.init_initiate_tag');
        c.u32('sctp.init_credit');
        c.u16('sctp.init_nr_out_streams');
        c.u16('sctp.init_nr_in_streams');
        c.u32('sctp.init_initial_tsn');
        readParameters(c, end);
      } else if (type === 3 && len >= 16) {
        c.u32('sctp.sack_cumulative_tsn_ack_raw');
        c.u32('sctp.sack_a_rwnd');
        const gaps = c.u16('sctp.sack_number_of_gap_blocks');
        const dups = c.u16('sctp.sack_number_of_duplicated_tsns');
        for (let g = 0; g < gaps && c.pos + 4 <= end; g++) {
          c.u16('sctp.sack_gap_block_start');
          c.u16('sctp.sack_gap_block_end');
        }
        for (let d = 0; d < dups && c.pos + 4 <= end; d++) c.u32('sctp.sack_duplicate_tsn');
      } else if (type === 4 || type === 5) {
        readParameters(c, end);
      }
      if (c.pos < end) c.bytes('sctp.chunk_value', end - c.pos);
      if (padded > c.pos) c.bytes('sctp.chunk_padding', padded - c.pos);
    }
    return { summary: c.summaries ? names.join(' ') : '', info };
  },
});
