import { defineProtocol } from '../protocol.js';

const SET = ['Set', 'Not set'] as const;

/**
 * Session Announcement Protocol (RFC 2974, UDP 9875): flags, authentication length, message id
 * hash, originating source (IPv4 or IPv6), authentication data, an optional payload type; an
 * SDP payload (the default) goes to SDP. Encrypted or compressed payloads are not read.
 */
export const sap = defineProtocol({
  id: 'sap',
  name: 'Session Announcement Protocol',
  short: 'SAP',
  bindings: [{ table: 'udp.port', key: 9875 }],
  fields: {
    'sap.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'sap.flags.v': { label: 'Version Number', type: 'u8', mask: 0xe0, values: { 0: 'SAPv0', 1: 'SAPv1 or later' } },
    'sap.flags.a': { label: 'Address Type', type: 'bool', mask: 0x10, tfs: ['IPv6', 'IPv4'] },
    'sap.flags.r': { label: 'Reserved', type: 'bool', mask: 0x08, tfs: SET },
    'sap.flags.t': { label: 'Message Type', type: 'bool', mask: 0x04, tfs: ['Deletion', 'Announcement'] },
    'sap.flags.e': { label: 'Encryption Bit', type: 'bool', mask: 0x02, tfs: ['Payload encrypted', 'Payload not encrypted'] },
    'sap.flags.c': { label: 'Compression Bit', type: 'bool', mask: 0x01, tfs: ['Payload compressed', 'Payload not compressed'] },
    'sap.auth.len': { label: 'Authentication Length', type: 'u8' },
    'sap.message_identifier_hash': { label: 'Message Identifier Hash', type: 'u16', base: 'hex' },
    'sap.originating_source': { label: 'Originating Source', type: 'ipv4' },
    'sap.originating_source.ipv6': { label: 'Originating Source', type: 'ipv6' },
    'sap.auth': { label: 'Authentication data', type: 'none' },
    'sap.auth.flags': { label: 'Authentication data flags', type: 'u8', base: 'hex' },
    'sap.auth.flags.v': { label: 'Version Number', type: 'u8', mask: 0xe0 },
    'sap.auth.flags.p': { label: 'Padding Bit', type: 'bool', mask: 0x10, tfs: SET },
    'sap.auth.flags.t': { label: 'Authentication Type', type: 'u8', mask: 0x0f, values: { 0: 'PGP', 1: 'CMS' } },
    'sap.auth.subheader': { label: 'Authentication subheader', type: 'bytes' },
    'sap.payload_type': { label: 'Payload type', type: 'string' },
  },
  dissect(c) {
    const flags = c.peek8();
    c.group('sap.flags', () => {
      c.bits('sap.flags.v', 1, 0xe0);
      c.flag('sap.flags.a', 1, 0x10);
      c.flag('sap.flags.r', 1, 0x08);
      c.flag('sap.flags.t', 1, 0x04);
      c.flag('sap.flags.e', 1, 0x02);
      c.flag('sap.flags.c', 1, 0x01);
      return c.u8();
    }, 1);
    const version = flags >> 5;
    const deletion = (flags & 0x04) !== 0;
    const summary = `${deletion ? 'Deletion' : 'Announcement'} (v${version})`;
    c.provisional = summary;
    const authWords = c.u8('sap.auth.len');
    c.u16('sap.message_identifier_hash');
    const source = (flags & 0x10) !== 0 ? c.ipv6('sap.originating_source.ipv6') : c.ipv4('sap.originating_source');
    if (authWords > 0) {
      c.group('sap.auth', () => {
        c.group('sap.auth.flags', () => {
          c.bits('sap.auth.flags.v', 1, 0xe0);
          c.flag('sap.auth.flags.p', 1, 0x10);
          c.bits('sap.auth.flags.t', 1, 0x0f);
          return c.u8();
        }, 1);
        if (authWords * 4 > 1) c.bytes('sap.auth.subheader', authWords * 4 - 1);
        return 0;
      }, authWords * 4);
    }
    const info = { version, deletion, source };
    if ((flags & 0x03) !== 0) {
      // Encrypted or compressed: the rest is opaque.
      c.skip(c.remaining());
      return { summary, info };
    }
    // A payload type (a MIME type ending in a zero byte) unless the payload starts with "v=0".
    let type = 'application/sdp';
    if (c.has(3) && !(c.peek8() === 0x76 && c.peek8(1) === 0x3d && c.peek8(2) === 0x30)) {
      let n = 0;
      while (n < 256 && c.has(n + 1) && c.peek8(n) !== 0) n++;
      if (n < 256) {
        // A cut payload type is truncated; a complete one ends in its zero byte.
        c.need(n + 1, 'sap.payload_type');
        type = c.ascii('sap.payload_type', n);
        c.skip(1);
      }
    }
    return { summary, info, next: type.toLowerCase() === 'application/sdp' ? { protocol: 'sdp' } : undefined };
  },
});
