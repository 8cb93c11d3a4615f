/**
 * Every built-in protocol, as a plain list: nothing registers itself at import time. The
 * registry (`defaultRegistry`) is built from this list.
 */
import type { ProtocolDef } from '../protocol.js';
import { createRegistry, type Registry } from '../registry.js';
import { arp } from './arp.js';
import { data } from './data.js';
import { eth } from './eth.js';
import { appProtocols } from './family-apps.js';
import { rpcProtocols } from './family-rpc.js';
import { linkProtocols } from './family-link.js';
import { mediaProtocols } from './family-media.js';
import { servicesProtocols } from './family-services.js';
import { telecomProtocols } from './family-telecom.js';
import { tunnelProtocols } from './family-tunnel.js';
import { webProtocols } from './family-web.js';
import { icmp } from './icmp.js';
import { icmpv6 } from './icmpv6.js';
import { ip } from './ip.js';
import { kerberos } from './kerberos.js';
import { ipv6, ipv6Dstopts, ipv6Fraghdr, ipv6Hopopts, ipv6Routing } from './ipv6.js';
import { llc } from './llc.js';
import { lldp } from './lldp.js';
import { nbss } from './nbss.js';
import { padding } from './padding.js';
import { sdp } from './sdp.js';
import { sip } from './sip.js';
import { smb } from './smb.js';
import { smb2 } from './smb2.js';
import { stp } from './stp.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';
import { ieee8021ad, vlan } from './vlan.js';
import { vntag } from './vntag.js';

export const coreProtocols: readonly ProtocolDef[] = [
  data,
  padding,
  eth,
  llc,
  vlan,
  ieee8021ad,
  vntag,
  arp,
  ip,
  ipv6,
  ipv6Hopopts,
  ipv6Routing,
  ipv6Fraghdr,
  ipv6Dstopts,
  icmp,
  icmpv6,
  tcp,
  udp,
];

const asLeaf = (p: ProtocolDef): ProtocolDef => ({ ...p, leaf: true });

export const builtinProtocols: readonly ProtocolDef[] = [
  ...coreProtocols,
  ...linkProtocols,
  ...tunnelProtocols,
  ...telecomProtocols,
  // Application protocols carry nothing that is dissected into lower-layer fields.
  ...servicesProtocols.map(asLeaf),
  ...webProtocols.map(asLeaf),
  ...appProtocols.map(asLeaf),
  ...rpcProtocols.map(asLeaf),
  // Bridging and discovery protocols carry nothing further either.
  ...[stp, lldp, kerberos, nbss, smb, smb2, sip, sdp].map(asLeaf),
  // Media on the conversations SDP announces; RTCP's UDP heuristic comes after all others.
  ...mediaProtocols.map(asLeaf),
];

let cached: Registry | undefined;

/** The registry of all built-in protocols (built once). */
export function defaultRegistry(): Registry {
  cached ??= createRegistry(builtinProtocols);
  return cached;
}
