import { defineProtocol } from '../protocol.js';

const FACILITIES = ['KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV', 'FTP', 'NTP', 'SECURITY', 'CONSOLE', 'SOLARIS-CRON', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7'];
const LEVELS = ['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/** Syslog (UDP 514): facility and level from `<PRI>`, then the message text. */
export const syslog = defineProtocol({
  id: 'syslog',
  name: 'Syslog message',
  short: 'Syslog',
  bindings: [{ table: 'udp.port', key: 514 }],
  fields: {
    'syslog.facility': { label: 'Facility', type: 'u8', mask: 0x3f8 },
    'syslog.level': { label: 'Level', type: 'u8', mask: 0x7 },
    'syslog.msg': { label: 'Message', type: 'string' },
  },
  dissect(c) {
    const start = c.pos;
    const end = c.capEnd;
    let pri = -1;
    let msgAt = start;
    if (c.has(3) && c.data[start] === 0x3c) {
      let i = start + 1;
      let v = 0;
      while (i < end && i - start <= 4 && c.data[i]! >= 0x30 && c.data[i]! <= 0x39) v = v * 10 + c.data[i++]! - 0x30;
      if (i < end && c.data[i] === 0x3e && i > start + 1) {
        pri = v;
        msgAt = i + 1;
      }
    }
    let facility: number | undefined;
    let level: number | undefined;
    if (pri >= 0) {
      facility = pri >> 3;
      level = pri & 7;
      c.add('syslog.facility', facility, start, msgAt - start, `Facility: ${FACILITIES[facility] ?? facility} (${facility})`);
      c.add('syslog.level', level, start, msgAt - start, `Level: ${LEVELS[level]} (${level})`);
    }
    c.seek(msgAt);
    const msg = c.ascii('syslog.msg', end - msgAt);
    const head = pri >= 0 ? `${FACILITIES[facility!] ?? facility}.${LEVELS[level!]}: ` : '';
    return { summary: c.summaries ? `${head}${msg.replace(/[\r\n]+$/, '')}` : '', info: { facility, level } };
  },
});
