/** Packet building: layer constructors, `stack`, and the `craft` expression language. */
export { concat, defineLayer, Layer, Raw, stack, type BuildContext, type FieldSpec, type FieldsOf, type LayerBuilder, type LayerDef } from './layer.js';
export { CraftValueError } from './values.js';
export { ARP, Dot1Q, Ether } from './layers/link.js';
export { IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, type IPOption, type IPv6Option } from './layers/ip.js';
export { ICMP, ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr } from './layers/icmp.js';
export { TCP, UDP, type TCPOption } from './layers/transport.js';
export { DNS, DNSQR, DNSRR, type DNSRecords } from './layers/dns.js';
export { BOOTP, DHCP, type DHCPOption } from './layers/dhcp.js';
export { HTTPRequest, HTTPResponse, NTP, TLSClientHello, type HTTPHeaders, type TLSExtension } from './layers/apps.js';
export { GRE, VXLAN } from './layers/tunnel.js';
export { LAYERS } from './layers/index.js';
export { compileCraft, parseCraft, type CraftSeries } from './expr.js';
export { CraftError } from './errors.js';
export { fuzzLayer, fuzzPacket, mutatePacket, mutationTargets, randomValue, type MutatedPacket, type MutationTargets, type TemplateFuzzOptions } from './fuzz.js';
export { Rng } from './random.js';
