import { defineProtocol } from '../protocol.js';

const EXCHANGES_V1: Readonly<Record<number, string>> = {
  0: 'NONE',
  1: 'Base',
  2: 'Identity Protection (Main Mode)',
  3: 'Authentication Only',
  4: 'Aggressive',
  5: 'Informational',
  6: 'Transaction (Config Mode)',
  32: 'Quick Mode',
  33: 'New Group Mode',
};

const EXCHANGES_V2: Readonly<Record<number, string>> = {
  34: 'IKE_SA_INIT',
  35: 'IKE_AUTH',
  36: 'CREATE_CHILD_SA',
  37: 'INFORMATIONAL',
  38: 'IKE_SESSION_RESUME',
  43: 'IKE_INTERMEDIATE',
};

const PAYLOADS: Readonly<Record<number, string>> = {
  0: 'NONE / No Next Payload ',
  1: 'Security Association',
  2: 'Proposal',
  3: 'Transform',
  4: 'Key Exchange',
  5: 'Identification',
  6: 'Certificate',
  7: 'Certificate Request',
  8: 'Hash',
  9: 'Signature',
  10: 'Nonce',
  11: 'Notification',
  12: 'Delete',
  13: 'Vendor ID',
  33: 'Security Association',
  34: 'Key Exchange',
  35: 'Identification - Initiator',
  36: 'Identification - Responder',
  37: 'Certificate',
  38: 'Certificate Request',
  39: 'Authentication',
  40: 'Nonce',
  41: 'Notify',
  42: 'Delete',
  43: 'Vendor ID',
  44: 'Traffic Selector - Initiator',
  45: 'Traffic Selector - Responder',
  46: 'Encrypted and Authenticated',
  47: 'Configuration',
  48: 'Extensible Authentication',
  53: 'Encrypted and Authenticated Fragment',
};

/** Payloads whose contents are encrypted: the chain cannot be followed past them. */
const ENCRYPTED = new Set([46, 53]);

/** Most payloads followed in one message. */
const MAX_PAYLOADS = 256;

/**
 * Internet Security Association and Key Management Protocol, IKEv1 and IKEv2 (UDP 500, and
 * after the non-ESP marker on UDP 4500): the header and the chain of generic payload headers.
 */
export const isakmp = defineProtocol({
  id: 'isakmp',
  name: 'Internet Security Association and Key Management Protocol',
  short: 'ISAKMP',
  bindings: [
    { table: 'udp.port', key: 500 },
    { table: 'tcp.port', key: 500 },
  ],
  fields: {
    'isakmp.ispi': { label: 'Initiator SPI', type: 'bytes' },
    'isakmp.rspi': { label: 'Responder SPI', type: 'bytes' },
    'isakmp.nextpayload': { label: 'Next payload', type: 'u8', values: PAYLOADS },
    'isakmp.version': { label: 'Version', type: 'u8', base: 'hex' },
    'isakmp.mjver': { label: 'MjVer', type: 'u8', base: 'hex', mask: 0xf0 },
    'isakmp.mnver': { label: 'MnVer', type: 'u8', base: 'hex', mask: 0x0f },
    'isakmp.exchangetype': { label: 'Exchange type', type: 'u8', values: { ...EXCHANGES_V1, ...EXCHANGES_V2 } },
    'isakmp.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'isakmp.flag_i': { label: 'Initiator', type: 'bool', mask: 0x08 },
    'isakmp.flag_v': { label: 'Version', type: 'bool', mask: 0x10 },
    'isakmp.flag_r': { label: 'Response', type: 'bool', mask: 0x20 },
    'isakmp.messageid': { label: 'Message ID', type: 'u32', base: 'hex' },
    'isakmp.length': { label: 'Length', type: 'u32' },
    'isakmp.typepayload': { label: 'Payload', type: 'u8', values: PAYLOADS },
    'isakmp.criticalpayload': { label: 'Critical Bit', type: 'bool', mask: 0x80 },
    'isakmp.payloadlength': { label: 'Payload length', type: 'u16' },
  },
  dissect(c) {
    c.bytes('isakmp.ispi', 8);
    c.bytes('isakmp.rspi', 8);
    let next = c.u8('isakmp.nextpayload');
    const version = c.peek8();
    c.group('isakmp.version', () => {
      c.bits('isakmp.mjver', 1, 0xf0);
      c.bits('isakmp.mnver', 1, 0x0f);
      return c.u8();
    }, 1);
    const major = version >> 4;
    const exchange = c.u8('isakmp.exchangetype');
    const flags = c.peek8();
    c.group('isakmp.flags', () => {
      if (major === 2) {
        c.flag('isakmp.flag_i', 1, 0x08);
        c.flag('isakmp.flag_v', 1, 0x10);
        c.flag('isakmp.flag_r', 1, 0x20);
      }
      return c.u8();
    }, 1);
    const mid = c.u32('isakmp.messageid');
    const exName = (major === 2 ? EXCHANGES_V2[exchange] : EXCHANGES_V1[exchange]) ?? `Unknown (${exchange})`;
    const summary =
      major === 2
        ? `${exName} MID=${String(mid).padStart(2, '0')} ${flags & 0x08 ? 'Initiator' : 'Responder'} ${flags & 0x20 ? 'Response' : 'Request'}`
        : exName;
    c.provisional = () => summary;
    const length = c.u32('isakmp.length');
    if (length >= 28 && length <= c.reportedRemaining() + 28) c.limit(length);
    let n = 0;
    while (next !== 0 && c.capEnd - c.pos >= 4 && n++ < MAX_PAYLOADS) {
      const type = next;
      const plen = c.peek16(2);
      if (plen < 4) {
        c.expert('warning', `payload length ${plen} is less than 4`, 'isakmp.payloadlength');
        break;
      }
      c.group('isakmp.typepayload', () => {
        next = c.u8('isakmp.nextpayload');
        if (major === 2) c.flag('isakmp.criticalpayload', 1, 0x80);
        c.skip(1);
        c.u16('isakmp.payloadlength');
        c.skip(Math.min(plen - 4, c.capEnd - c.pos));
        return type;
      }, Math.min(plen, c.capEnd - c.pos), () => `Payload: ${PAYLOADS[type] ?? `Unknown (${type})`} (${type})`);
      if (ENCRYPTED.has(type)) break;
    }
    if (n > MAX_PAYLOADS) c.expert('note', `more than ${MAX_PAYLOADS} payloads; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { version: major, exchange, messageId: mid } };
  },
});
