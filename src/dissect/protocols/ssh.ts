import { defineProtocol } from '../protocol.js';

/**
 * SSH on TCP 22 and 29418: the version banner (`SSH-2.0-...`) as `ssh.protocol`; any other
 * segment is shown as tshark shows a packet of a session whose key exchange it has not
 * followed: encrypted bytes (`Encrypted packet (len=N)`). Key exchange messages are not read
 * (that needs the conversation: which side is the client, whether NEWKEYS was seen).
 */
export const ssh = defineProtocol({
  id: 'ssh',
  name: 'SSH Protocol',
  short: 'SSH',
  bindings: [22, 29418].map((key) => ({ table: 'tcp.port', key })),
  fields: {
    'ssh.protocol': { label: 'Protocol', type: 'string' },
    'ssh.encrypted_packet': { label: 'Encrypted Packet', type: 'bytes' },
  },
  dissect(c) {
    const d = c.data;
    const start = c.pos;
    const end = c.capEnd;
    const isBanner = end - start >= 4 && d[start] === 0x53 && d[start + 1] === 0x53 && d[start + 2] === 0x48 && d[start + 3] === 0x2d;
    if (isBanner) {
      let e = start;
      while (e < end && e - start < 255 && d[e] !== 0x0a) e++;
      const lineEnd = e < end && d[e] === 0x0a ? e + 1 : e;
      const textEnd = e > start && d[e - 1] === 0x0d ? e - 1 : e;
      const banner = c.ascii('ssh.protocol', textEnd - start);
      c.seek(lineEnd);
      return { summary: `Protocol (${banner})`, info: { banner } };
    }
    const n = end - start;
    c.bytes('ssh.encrypted_packet', n);
    return { summary: `Encrypted packet (len=${n})`, info: { encryptedLength: n } };
  },
});
