import { defineProtocol } from '../protocol.js';

/** Most messages read from one capture record. */
const MAX_MESSAGES = 1024;

/**
 * rtnetlink messages (netlink family 0): each message header (length, type, flags, sequence,
 * port id). Netlink is in the capturing host's byte order: the order whose first length fits
 * the record is taken.
 */
export const netlinkRoute = defineProtocol({
  id: 'netlink-route',
  name: 'Linux rtnetlink (route netlink) protocol',
  short: 'Netlink route',
  bindings: [{ table: 'netlink.protocol', key: 0 }],
  fields: {},
  dissect(c) {
    const avail = c.capEnd - c.pos;
    const fits = (v: number): boolean => v >= 16 && v <= c.reportedRemaining();
    let le = true;
    if (c.has(4)) {
      // The order whose length fits; when neither does, the smaller reading (closer to plausible).
      const l = c.peek32(0, true) >>> 0;
      const b = c.peek32() >>> 0;
      le = fits(l) ? true : fits(b) ? false : l <= b;
    }
    const types: number[] = [];
    let n = 0;
    while (c.capEnd - c.pos >= 16 && n++ < MAX_MESSAGES) {
      const at = c.pos;
      const len = c.u32('netlink.hdr_len', le);
      const type = c.u16('netlink.hdr_type', le);
      types.push(type);
      c.u16('netlink.hdr_flags', le);
      c.u32('netlink.hdr_seq', le);
      c.u32('netlink.hdr_pid', le);
      if (len < 16) {
        c.expert('warning', `message length ${len} is less than 16`, 'netlink.hdr_len');
        break;
      }
      // Messages are aligned to 4 bytes (in arithmetic, not 32-bit bit operations: a length
      // of 2^31 or more would turn negative and move backwards).
      c.seek(Math.min(at + len + ((4 - (len % 4)) % 4), c.capEnd));
    }
    if (n > MAX_MESSAGES) c.expert('note', `more than ${MAX_MESSAGES} messages; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary: '', info: { littleEndian: le, types, length: avail } };
  },
});
