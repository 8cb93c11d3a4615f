/**
 * The protocol hierarchy, as `tshark -q -z io,phs` counts it. tshark walks the top level of each
 * packet's protocol tree: every protocol item there is a child of the one before it, so a
 * protocol appears once per position in the stack (`eth > ip > gre > ip` nests), and
 * pseudo-protocols count too: `data` for bytes no dissector claimed, `_ws.short` for a packet
 * cut by the snaplen, `_ws.malformed` for one shorter than it says, `_ws.unreassembled` for a
 * fragment a dissector read past. Every node counts packets and frame lengths.
 *
 * Our layers use Wireshark's ids; the differences between the layer list and tshark's top level
 * are the rules below (`hierarchyPath`).
 */
import type { DissectedPacket, Issue, LayerNode } from '../dissect/tree.js';
import { announcesExtension } from './traffic-taps.js';

export interface HierarchyNode {
  readonly name: string;
  packets: number;
  bytes: number;
  readonly children: HierarchyNode[];
}

/** Layers tshark does not show at the top level of the tree. */
const HIDDEN = new Set([
  'padding', // Ethernet padding and trailers are fields of eth
  'ipv6.hopopts', // IPv6 extension headers are subtrees of ipv6
  'ipv6.routing',
  'ipv6.fraghdr',
  'ipv6.dstopts',
  'ipv6.shim6',
  'ipv6.mipv6',
  'pwethheuristic', // only chooses between pwethcw and pwethnocw
  'nflog', // tshark's hierarchy goes straight to the payload
]);

/** Layers made from capture metadata, not bytes: tshark shows them even when no byte follows. */
const FROM_METADATA = new Set(['wlan_radio']);

/** Layer ids shown under another name. */
const RENAMED: Readonly<Record<string, string>> = {
  sll2: 'sll',
  'null.loop': 'null',
  'arcnet.linux': 'arcnet',
};

/** Layers tshark shows as more than one top-level item. */
const EXPANDED: Readonly<Record<string, readonly string[]>> = {
  // The control word is an item of its own before the Ethernet pseudowire.
  pwethcw: ['pweth.cw', 'pwethcw'],
};

/**
 * Protocols that put the bytes they leave over in their own subtree, so that tshark shows no
 * top-level `data` after them (ICMP echo data, SNMP and NTP trailers, ...).
 */
const KEEPS_OWN_DATA = new Set([
  'icmp',
  'icmpv6',
  'igmp',
  'vrrp',
  'ntp',
  'snmp',
  'dhcp',
  'dhcpv6',
  'udpencap',
]);

/** Headers an ICMP error quotes inside its own subtree; what they carry is top-level again. */
const QUOTED_HEADERS = new Set(['ip', 'ipv6', 'ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'ah', 'gre']);

/** IPv6 extension headers, AH included (an extension header after IPv6). */
const IPV6_CHAIN = new Set(['ipv6', 'ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts']);

/** Whether an IP layer carries a first (or middle) fragment: reads past its end are "unreassembled". */
function isFragment(l: LayerNode): boolean {
  if (l.protocol === 'ip') return l.info['mf'] === true;
  if (l.protocol === 'ipv6.fraghdr') return l.info['more'] === true;
  // An HTTP message whose body goes on in later segments (reassembly off): reads past are unreassembled too.
  return l.info['bodyCut'] === true;
}

/**
 * IPv4, IPv6, TCP and UDP report an impossible header value (version, header length, total
 * length) as an expert note and stop, so tshark shows no `_ws.malformed` for it; a read past the
 * packet's own length (Wireshark's ReportedBoundsError) is malformed everywhere, and other
 * protocols throw on impossible values too (DNS labels, LLDP TLVs, ...).
 */
const HEADER_CHECKS_ARE_NOTES = new Set(['ip', 'ipv6', 'tcp', 'udp']);

function addsMalformedItem(l: LayerNode, i: Issue): boolean {
  return i.kind === 'malformed' && (isBoundsError(i) || !HEADER_CHECKS_ARE_NOTES.has(l.protocol));
}

/** A read past the end of the packet; the cursor words every such signal the same way (`Issue` has no flag for it). */
function isBoundsError(i: Issue): boolean {
  return BOUNDS_MESSAGE.test(i.message);
}
const BOUNDS_MESSAGE = /bytes needed at offset \d+, packet ends at \d+$/;

/** A layer cut before its first byte could be read. */
function unreadable(l: LayerNode): boolean {
  for (const i of l.issues) if ((i.kind === 'truncated' || (i.kind === 'malformed' && isBoundsError(i))) && i.offset === l.offset) return true;
  return false;
}

/**
 * The names of the top-level items of tshark's tree for one packet, in order (`frame` left out),
 * handed one at a time to `visit`.
 */
export function hierarchyPath(p: DissectedPacket, visit: (name: string) => void): void {
  if (p.frame.comments !== undefined && p.frame.comments.length > 0) visit('pkt_comment');
  let prev = '';
  let fragment = false;
  // Inside an ICMP error: the quoted headers are hidden up to the first quoted transport header.
  let quoteOpen = true;
  let payloadInTcp = false;
  // Past a TCP header: tshark hands TCP payloads on as unreassembled fragments (it does not
  // reassemble), so a read past their end is "unreassembled", not malformed.
  let overTcp = false;
  const layers = p.layers;
  for (let n = 0; n < layers.length; n++) {
    const l = layers[n]!;
    const id = l.protocol;
    const after = prev;
    prev = id === 'padding' ? prev : id;
    // The payload of a retransmission, an out-of-order segment, a reset, a first fragment or a
    // segment inside a tracked PDU stays inside TCP (tshark hands it to no one).
    if (id === 'tcp') payloadInTcp = l.info['hidePayload'] === true;
    if (l.inError) {
      if (quoteOpen && QUOTED_HEADERS.has(id)) {
        if (id === 'tcp' || id === 'udp' || id === 'sctp') quoteOpen = false;
        continue;
      }
      quoteOpen = false;
      if (id === 'data' && KEEPS_OWN_DATA.has(after)) continue;
      if (!HIDDEN.has(id)) visit(RENAMED[id] ?? id);
      continue;
    }
    if (isFragment(l)) fragment = true;
    const unreassembled = fragment || overTcp;
    if (id === 'tcp') overTcp = true;
    if (id === 'data' && KEEPS_OWN_DATA.has(after)) continue;
    // The payload of a retransmission or a reset is a TCP field ("Retransmitted TCP segment data", "Reset cause").
    if (id === 'data' && after === 'tcp' && payloadInTcp) continue;
    if (id === 'ah' && IPV6_CHAIN.has(after)) {
      // AH after IPv6 is an extension header: inside the ipv6 subtree.
    } else if (id === 'mpls') {
      const labels = l.info['labels'];
      const n = Array.isArray(labels) && labels.length > 0 ? labels.length : 1;
      for (let i = 0; i < n; i++) visit('mpls');
    } else if (unreadable(l) || l.info['noItem'] === true) {
      // Not one byte of it could be read: tshark's dissector threw before adding its item (or
      // the dissector took the bytes and added nothing).
    } else if (n > 0 && l.offset >= p.frame.capLen && l.issues.length === 0 && p.frame.capLen < p.frame.origLen && !FROM_METADATA.has(id)) {
      // Nothing of it was captured and nothing was read: tshark hands no empty payload on. (In a
      // frame not cut short, only a layer dispatched with `empty` lies there: it is shown.)
    } else if (!HIDDEN.has(id)) {
      const expanded = EXPANDED[id];
      if (expanded !== undefined) for (const name of expanded) visit(name);
      else visit(RENAMED[id] ?? id);
    }
    for (const issue of l.issues) {
      if (issue.kind === 'truncated') visit('_ws.short');
      else if (addsMalformedItem(l, issue)) visit(unreassembled ? '_ws.unreassembled' : '_ws.malformed');
    }
    // An IPv6 header (or extension) announcing an extension header its payload length leaves no
    // room for: tshark's IPv6 dissector fails reading it.
    if (IPV6_CHAIN.has(id) && (layers[n + 1] === undefined || layers[n + 1]!.protocol === 'padding') && announcesExtension(l)) visit('_ws.malformed');
  }
}

/** Folds packets into the hierarchy; feed every dissected packet once, then read `root`. */
export class ProtocolHierarchyBuilder {
  readonly root: HierarchyNode = { name: 'frame', packets: 0, bytes: 0, children: [] };
  private node: HierarchyNode = this.root;
  private len = 0;
  private readonly visit = (name: string): void => {
    const children = this.node.children;
    let child: HierarchyNode | undefined;
    for (const c of children) {
      if (c.name === name) {
        child = c;
        break;
      }
    }
    if (child === undefined) {
      child = { name, packets: 0, bytes: 0, children: [] };
      children.push(child);
    }
    child.packets++;
    child.bytes += this.len;
    this.node = child;
  };

  add(p: DissectedPacket): void {
    this.len = p.frame.origLen;
    this.root.packets++;
    this.root.bytes += this.len;
    this.node = this.root;
    hierarchyPath(p, this.visit);
  }

  finish(): HierarchyNode {
    return this.root;
  }
}
