/**
 * The protocol hierarchy of the captures that exercise SMB transactions (mailslots, the browser,
 * named pipes with DCE/RPC), ONC RPC (portmap, mount, NFS), TFTP and LDAP, against tshark's
 * `-z io,phs` in the corpus truth: every node of the capture, or (for captures with protocols
 * not dissected yet) every node on a path through these protocols.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtocolHierarchyBuilder, type HierarchyNode } from '../../src/analyze/protocol-hierarchy.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { CAPTURES, TRUTH } from '../helpers/capture-bytes.js';

interface TruthNode {
  name: string;
  frames: number;
  bytes: number;
  children: TruthNode[];
}

/** Every node as `path → packets/bytes`. */
function flatten(n: TruthNode | HierarchyNode, path = '', out = new Map<string, string>()): Map<string, string> {
  for (const c of n.children as (TruthNode | HierarchyNode)[]) {
    const p = `${path}/${c.name}`;
    out.set(p, `${'frames' in c ? c.frames : c.packets}/${c.bytes}`);
    flatten(c, p, out);
  }
  return out;
}

async function hierarchyOf(name: string): Promise<HierarchyNode> {
  const phs = new ProtocolHierarchyBuilder();
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) phs.add(d.dissect(f));
  await reader.close();
  return phs.finish();
}

const OURS = /\/(mailslot|browser|smb_pipe|dcerpc|dssetup|rpc|portmap|mount|nfs|tftp|ldap)(\/|$)/;

/** Captures and whether the whole hierarchy is compared (otherwise the paths through OURS). */
const CAPTURE_SET: readonly [string, boolean][] = [
  ['zeek__Teredo.pcap', true],
  ['ndpi__nfsv2.pcap', true],
  ['pcapplusplus__ip4_fragments.pcap', true],
  ['zeek__dssetup_DsRoleGetPrimaryDomainInformation_standalone_workstation.cap', true],
  ['zeek__gap-data-missing.pcapng', true],
  ['ndpi__1kxun.pcap', false],
  ['pcapplusplus__solaris.snoop', false],
];

describe('protocol hierarchy of the RPC family against tshark', () => {
  for (const [name, whole] of CAPTURE_SET) {
    it(name, async () => {
      const truth = JSON.parse(readFileSync(`${TRUTH}${name}.json`, 'utf8')) as { phs: TruthNode };
      const want = flatten(truth.phs);
      const got = flatten(await hierarchyOf(name));
      const pick = (m: Map<string, string>): Record<string, string> => Object.fromEntries([...m].filter(([p]) => whole || OURS.test(p)).sort());
      const expected = pick(want);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(pick(got)).toEqual(expected);
    });
  }
});
