/** Every buildable layer, by name (what the `craft` expression language knows). */
import { type LayerBuilder, Raw } from '../layer.js';
import { DNS, DNSQR, DNSRR } from './dns.js';
import { BOOTP, DHCP } from './dhcp.js';
import { HTTPRequest, HTTPResponse, NTP, TLSClientHello } from './apps.js';
import { ICMP, ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr } from './icmp.js';
import { IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting } from './ip.js';
import { ARP, Dot1Q, Ether } from './link.js';
import { TCP, UDP } from './transport.js';
import { GRE, VXLAN } from './tunnel.js';

export const LAYERS: Readonly<Record<string, LayerBuilder>> = Object.fromEntries(
  (
    [
      Ether, Dot1Q, ARP, IP, IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, IPv6ExtHdrFragment, IPv6ExtHdrDestOpt,
      ICMP, ICMPv6EchoRequest, ICMPv6EchoReply, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS, ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr,
      TCP, UDP, DNS, DNSQR, DNSRR, BOOTP, DHCP, HTTPRequest, HTTPResponse, TLSClientHello, NTP, VXLAN, GRE, Raw,
    ] as unknown as LayerBuilder[]
  ).map((b) => [b.def.name, b]),
);
