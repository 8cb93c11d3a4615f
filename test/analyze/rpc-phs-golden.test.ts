/**
 * The protocol hierarchy of the captures that exercise SMB transactions (mailslots, the browser,
 * named pipes with DCE/RPC), ONC RPC (portmap, mount, NFS), TFTP and LDAP, against tshark's
 * `-z io,phs` in the corpus truth: every node of the capture, or (for captures with protocols
 * not dissected yet) every node on a path through these protocols.
 */
import { describe, expect, it } from 'vitest';
import { captureHierarchy, phsLines, truthOf } from '../helpers/phs-truth.js';

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
      const pick = (lines: string[]): string[] => lines.filter((l) => whole || OURS.test(l.slice(0, l.indexOf(' '))));
      const expected = pick(phsLines(truthOf(name).phs));
      expect(expected.length).toBeGreaterThan(0);
      expect(pick(phsLines(await captureHierarchy(name)))).toEqual(expected);
    });
  }
});
