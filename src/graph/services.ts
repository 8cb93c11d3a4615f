/**
 * The service side of a TCP or UDP conversation (`--layer transport`): the server's address and
 * port, while the client's ephemeral port is dropped, so every connection from one host to
 * `10.0.0.9:443` is one edge.
 */
import type { Conversation } from '../analyze/conversations.js';

/** IANA service names of the ports seen most, for node labels (`10.0.0.9:443 https`). */
const SERVICE_NAMES: Readonly<Record<string, string>> = {
  'tcp 20': 'ftp-data', 'tcp 21': 'ftp', 'tcp 22': 'ssh', 'tcp 23': 'telnet', 'tcp 25': 'smtp',
  'tcp 53': 'domain', 'udp 53': 'domain', 'udp 67': 'bootps', 'udp 68': 'bootpc', 'udp 69': 'tftp',
  'tcp 80': 'http', 'tcp 88': 'kerberos', 'udp 88': 'kerberos', 'tcp 110': 'pop3', 'udp 123': 'ntp',
  'tcp 135': 'epmap', 'udp 137': 'netbios-ns', 'udp 138': 'netbios-dgm', 'tcp 139': 'netbios-ssn',
  'tcp 143': 'imap', 'udp 161': 'snmp', 'udp 162': 'snmptrap', 'tcp 179': 'bgp', 'tcp 389': 'ldap',
  'udp 389': 'ldap', 'tcp 443': 'https', 'udp 443': 'https', 'tcp 445': 'microsoft-ds',
  'udp 500': 'isakmp', 'udp 514': 'syslog', 'tcp 587': 'submission', 'tcp 636': 'ldaps',
  'tcp 853': 'domain-s', 'udp 853': 'domain-s', 'tcp 993': 'imaps', 'tcp 995': 'pop3s',
  'udp 1812': 'radius', 'udp 1813': 'radius-acct', 'tcp 1433': 'ms-sql-s', 'udp 1900': 'ssdp',
  'tcp 3128': 'squid', 'tcp 3306': 'mysql', 'tcp 3389': 'ms-wbt-server', 'udp 3478': 'stun',
  'udp 4500': 'ipsec-nat-t', 'udp 4789': 'vxlan', 'tcp 5060': 'sip', 'udp 5060': 'sip',
  'udp 5353': 'mdns', 'udp 5355': 'llmnr', 'tcp 5432': 'postgresql', 'tcp 5900': 'vnc',
  'tcp 6379': 'redis', 'tcp 8080': 'http-alt', 'tcp 8443': 'https-alt', 'udp 546': 'dhcpv6-client',
  'udp 547': 'dhcpv6-server', 'udp 6081': 'geneve', 'udp 2152': 'gtp-user', 'udp 2123': 'gtp-control',
  'tcp 1723': 'pptp', 'udp 1701': 'l2tp',
};

/** The IANA name of a TCP or UDP port, when it is one we list. */
export function serviceName(type: 'tcp' | 'udp', port: number): string | undefined {
  return SERVICE_NAMES[`${type} ${port}`];
}

/** Ports from 49152 up are the dynamic range clients take their ports from. */
const EPHEMERAL = 49152;

export interface ServiceSide {
  readonly client: string;
  readonly clientPort: number;
  readonly server: string;
  readonly serverPort: number;
  /** Whether the server is the conversation's B side (the first packet went client → server). */
  readonly serverIsB: boolean;
}

/**
 * Which side of a TCP/UDP conversation is the service: a port we know by name against one we
 * do not; a port below 1024 against one above; a port below the dynamic range against one in
 * it; otherwise the side the first packet went to (clients speak first).
 */
export function serviceSide(c: Conversation): ServiceSide {
  const type = c.type === 'udp' ? 'udp' : 'tcp';
  const pa = c.portA ?? 0;
  const pb = c.portB ?? 0;
  const score = (p: number): number => (serviceName(type, p) !== undefined ? 4 : 0) + (p < 1024 ? 2 : 0) + (p < EPHEMERAL ? 1 : 0);
  const sa = score(pa);
  const sb = score(pb);
  const serverIsB = sa === sb ? true : sb > sa;
  return serverIsB
    ? { client: c.a, clientPort: pa, server: c.b, serverPort: pb, serverIsB }
    : { client: c.b, clientPort: pb, server: c.a, serverPort: pa, serverIsB };
}

/** `host:port` (IPv6 in brackets, as in URLs). */
export const endpointText = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
