/**
 * Tunnels and network-layer extras. GRE, Geneve and Cisco MetaData hand their payload to the
 * `ethertype` table (Wireshark's `gre.proto` holds the same protocols under the same numbers).
 */
import type { ProtocolDef } from '../protocol.js';
import { ah } from './ah.js';
import { cmd } from './cmd.js';
import { eigrp } from './eigrp.js';
import { esp } from './esp.js';
import { geneve } from './geneve.js';
import { gre } from './gre.js';
import { gtp } from './gtp.js';
import { gtpv2 } from './gtpv2.js';
import { igmp } from './igmp.js';
import { l2tp } from './l2tp.js';
import { ipcomp } from './ipcomp.js';
import { mpls } from './mpls.js';
import { ospf } from './ospf.js';
import { pim } from './pim.js';
import { pwethcw } from './pwethcw.js';
import { pwethheuristic } from './pwethheuristic.js';
import { pwethnocw } from './pwethnocw.js';
import { sctp } from './sctp.js';
import { teredo } from './teredo.js';
import { udpencap } from './udpencap.js';
import { vrrp } from './vrrp.js';
import { vxlan } from './vxlan.js';

/** Protocols of this family, in the order they are registered. */
export const tunnelProtocols: readonly ProtocolDef[] = [
  gre, mpls, pwethheuristic, pwethcw, pwethnocw, cmd, vxlan, geneve, teredo,
  l2tp, gtp, gtpv2, sctp, igmp, ah, esp, udpencap, ipcomp, ospf, vrrp, pim, eigrp,
];
