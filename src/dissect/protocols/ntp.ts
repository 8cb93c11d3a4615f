import { defineProtocol } from '../protocol.js';

const MODES: Record<number, string> = {
  0: 'reserved', 1: 'symmetric active', 2: 'symmetric passive', 3: 'client', 4: 'server', 5: 'broadcast',
  6: 'reserved for NTP control message', 7: 'reserved for private use',
};
const LEAP: Record<number, string> = {
  0: 'no warning', 1: 'last minute of the day has 61 seconds', 2: 'last minute of the day has 59 seconds', 3: 'unknown (clock unsynchronized)',
};
const CTRL_OPCODES: Record<number, string> = {
  0: 'reserved', 1: 'read status', 2: 'read variables', 3: 'write variables', 4: 'read clock variables',
  5: 'write clock variables', 6: 'set trap address/port', 7: 'trap response', 8: 'runtime configuration',
  9: 'export configuration to file', 10: 'retrieve remote address stats', 11: 'retrieve ordered list',
  12: 'request client-specific nonce', 31: 'unset trap address/port',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An NTP timestamp (seconds since 1900 + 2^-32 fractions) as Wireshark prints absolute times. */
export function ntpTimeText(sec: number, frac: number): string {
  if (sec === 0 && frac === 0) return 'NULL';
  // Era 0 before 1968-01-20 wraps into era 1 (RFC 4330), as Wireshark does.
  const unix = (sec >= 0x80000000 ? sec : sec + 0x100000000) - 2208988800;
  const d = new Date(unix * 1000);
  const ns = Math.floor((frac / 0x100000000) * 1e9);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(ns).padStart(9, '0')} UTC`;
}

/** Network Time Protocol (UDP 123): the 48-byte header, and control messages (mode 6). */
export const ntp = defineProtocol({
  id: 'ntp',
  name: 'Network Time Protocol',
  short: 'NTP',
  bindings: [{ table: 'udp.port', key: 123 }],
  fields: {
    'ntp.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'ntp.flags.li': { label: 'Leap Indicator', type: 'u8', mask: 0xc0, values: LEAP },
    'ntp.flags.vn': { label: 'Version number', type: 'u8', mask: 0x38 },
    'ntp.flags.mode': { label: 'Mode', type: 'u8', mask: 0x07, values: MODES },
    'ntp.stratum': { label: 'Peer Clock Stratum', type: 'u8' },
    'ntp.ppoll': { label: 'Peer Polling Interval', type: 'u8' },
    'ntp.precision': { label: 'Peer Clock Precision', type: 'u8' },
    'ntp.rootdelay': { label: 'Root Delay', type: 'u32' },
    'ntp.rootdispersion': { label: 'Root Dispersion', type: 'u32' },
    'ntp.refid': { label: 'Reference ID', type: 'bytes' },
    'ntp.reftime': { label: 'Reference Timestamp', type: 'abs_time' },
    'ntp.org': { label: 'Origin Timestamp', type: 'abs_time' },
    'ntp.rec': { label: 'Receive Timestamp', type: 'abs_time' },
    'ntp.xmt': { label: 'Transmit Timestamp', type: 'abs_time' },
    'ntp.keyid': { label: 'Key ID', type: 'bytes' },
    'ntp.mac': { label: 'Message Authentication Code', type: 'bytes' },
    'ntp.ctrl.flags2': { label: 'Flags 2', type: 'u8', base: 'hex' },
    'ntp.ctrl.flags2.r': { label: 'Response bit', type: 'u8', mask: 0x80 },
    'ntp.ctrl.flags2.error': { label: 'Error bit', type: 'u8', mask: 0x40 },
    'ntp.ctrl.flags2.more': { label: 'More bit', type: 'u8', mask: 0x20 },
    'ntp.ctrl.flags2.opcode': { label: 'Opcode', type: 'u8', mask: 0x1f, values: CTRL_OPCODES },
    'ntp.ctrl.sequence': { label: 'Sequence', type: 'u16' },
    'ntp.ctrl.status': { label: 'Status', type: 'u16', base: 'hex' },
    'ntp.ctrl.associd': { label: 'AssociationID', type: 'u16' },
    'ntp.ctrl.offset': { label: 'Offset', type: 'u16' },
    'ntp.ctrl.count': { label: 'Count', type: 'u16' },
    'ntp.ctrl.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const flags = c.peek8();
    const mode = flags & 7;
    const vn = (flags >> 3) & 7;
    if (mode === 7) {
      // Private (ntpdc) messages: Wireshark uses other fields (ntppriv.*); only the flags here.
      c.group('ntp.flags', () => {
        c.bits('ntp.flags.vn', 1, 0x38);
        return c.u8();
      }, 1);
      return { summary: c.summaries ? 'NTP Version ' + vn + ', private' : '', info: { mode } };
    }
    c.group('ntp.flags', () => {
      c.bits('ntp.flags.li', 1, 0xc0);
      c.bits('ntp.flags.vn', 1, 0x38);
      c.bits('ntp.flags.mode', 1, 0x07);
      return c.u8();
    }, 1, (v) => `Flags: 0x${v.toString(16).padStart(2, '0')}, Leap Indicator: ${LEAP[v >> 6]}, Version number: NTP Version ${vn}, Mode: ${MODES[mode]}`);
    if (mode === 6) {
      const f2 = c.peek8();
      c.group('ntp.ctrl.flags2', () => {
        c.bits('ntp.ctrl.flags2.r', 1, 0x80);
        c.bits('ntp.ctrl.flags2.error', 1, 0x40);
        c.bits('ntp.ctrl.flags2.more', 1, 0x20);
        c.bits('ntp.ctrl.flags2.opcode', 1, 0x1f);
        return c.u8();
      }, 1);
      c.u16('ntp.ctrl.sequence');
      c.u16('ntp.ctrl.status');
      c.u16('ntp.ctrl.associd');
      c.u16('ntp.ctrl.offset');
      const count = c.u16('ntp.ctrl.count');
      if (count > 0) c.bytes('ntp.ctrl.data', Math.min(count, c.remaining()));
      const opcode = f2 & 0x1f;
      return {
        summary: c.summaries ? `NTP Version ${vn}, control (${CTRL_OPCODES[opcode] ?? 'unknown'})${f2 & 0x80 ? ' response' : ''}` : '',
        info: { mode, opcode },
      };
    }
    c.u8('ntp.stratum');
    c.u8('ntp.ppoll');
    c.u8('ntp.precision');
    c.u32('ntp.rootdelay');
    c.u32('ntp.rootdispersion');
    c.bytes('ntp.refid', 4);
    for (const key of ['ntp.reftime', 'ntp.org', 'ntp.rec', 'ntp.xmt']) {
      const at = c.pos;
      const sec = c.u32();
      const frac = c.u32();
      c.add(key, ntpTimeText(sec, frac), at, 8);
    }
    if (c.remaining() >= 20) {
      c.bytes('ntp.keyid', 4);
      c.bytes('ntp.mac', c.remaining());
    }
    return { summary: c.summaries ? `NTP Version ${vn}, ${MODES[mode]}` : '', info: { mode, version: vn } };
  },
});
