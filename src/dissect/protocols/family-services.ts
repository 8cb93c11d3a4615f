import type { ProtocolDef } from '../protocol.js';
import { dhcp } from './dhcp.js';
import { dhcpv6 } from './dhcpv6.js';
import { dns } from './dns.js';
import { llmnr } from './llmnr.js';
import { mdns } from './mdns.js';
import { nbdgm } from './nbdgm.js';
import { nbns } from './nbns.js';
import { ntp } from './ntp.js';
import { radius } from './radius.js';
import { snmp } from './snmp.js';
import { ssdp } from './ssdp.js';
import { syslog } from './syslog.js';

/** Protocols of this family, in the order they are registered. */
export const servicesProtocols: readonly ProtocolDef[] = [dns, mdns, llmnr, dhcp, dhcpv6, ntp, nbns, nbdgm, snmp, syslog, ssdp, radius];
