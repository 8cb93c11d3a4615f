/**
 * The dissector under fuzzing: packets from templates (fuzz()) and mutated capture packets,
 * each dissected in full mode with a strict dissector (a dissector bug throws instead of being
 * recorded). Used by the robustness test and by scripts/fuzz-dissector.mjs.
 */
import { type Frame, memoryFrame } from '../capture/frame.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import { compileCraft } from './expr.js';
import { corpusOf, fuzzCapture, fuzzTemplate } from './fuzz-run.js';
import type { Layer } from './layer.js';

/** Templates that reach deep: IP versions and fragment fields are kept so upper layers are read. */
export const FUZZ_TEMPLATES: readonly string[] = [
  'Ether()/IP()/ICMP()',
  'Ether()/IP(version=4, flags=0, frag=0)/TCP()/HTTPRequest()',
  'Ether()/IP(version=4, flags=0, frag=0)/TCP(sport=80)/HTTPResponse(body=b"<html>hi</html>")',
  'Ether()/IP(version=4, flags=0, frag=0)/UDP()/DNS(qd=DNSQR(), an=DNSRR(type="A", rdata="192.0.2.1"))',
  'Ether()/IP(version=4, flags=0, frag=0)/UDP()/BOOTP()/DHCP(options=[("message-type","request"), ("hostname","box"), "end"])',
  'Ether()/IPv6(version=6)/ICMPv6EchoRequest()',
  'Ether()/IPv6(version=6)/ICMPv6ND_NS()/ICMPv6NDOptSrcLLAddr()',
  'Ether()/IPv6(version=6)/IPv6ExtHdrHopByHop()/UDP()/NTP()',
  'Ether()/Dot1Q()/ARP()',
  'Ether()/IP(version=4, flags=0, frag=0)/TCP(dport=443)/TLSClientHello(sni="example.com", alpn=["h2"])',
  'Ether()/IP(version=4, flags=0, frag=0)/UDP(dport=4789)/VXLAN()/Ether()/IP(version=4, flags=0, frag=0)/ICMP()',
  'Ether()/IP(version=4, flags=0, frag=0)/GRE()/IP(version=4, flags=0, frag=0)/UDP()/Raw(load=b"x")',
  'Ether()/IP(version=4, flags=0, frag=0, options=[("RR", ["192.0.2.9"])])/TCP(options=[("MSS",1460),"NOP",("WScale",7),("SAckOK",b""),("Timestamp",(1,2))])',
];

export interface FuzzFailure {
  readonly index: number;
  readonly linkType: number;
  readonly data: Uint8Array;
  readonly comment: string;
  readonly error: string;
}

export interface FuzzCheckResult {
  readonly packets: number;
  readonly failures: readonly FuzzFailure[];
  /** The packet that took longest to dissect, in milliseconds. */
  readonly slowestMs: number;
  readonly slowestComment: string;
}

export interface FuzzCheckOptions {
  readonly seed: string;
  /** Packets in all: half from templates (computed fields fuzzed in every other round), half mutated. */
  readonly count: number;
  readonly corpus: readonly Frame[];
  /** Called every `every` packets with the count so far. */
  readonly progress?: (done: number) => void;
  readonly every?: number;
  /** Stop after this many failures (default 20). */
  readonly maxFailures?: number;
}

function frameOf(index: number, linkType: number, data: Uint8Array, origLen: number, comment: string): Frame {
  return memoryFrame(data, { index, linkType, origLen, comments: [comment] });
}

/** Interleaves the sources: one template packet, one mutated packet, and so on. */
export function fuzzDissector(o: FuzzCheckOptions): FuzzCheckResult {
  const dissector = new Dissector(defaultRegistry(), { mode: 'full', strict: true });
  const series = FUZZ_TEMPLATES.map((t) => compileCraft(t));
  const templateShare = o.corpus.length > 0 ? Math.ceil(o.count / 2) : o.count;
  const perTemplate = Math.ceil(templateShare / series.length);
  const sources: Iterator<{ data: Uint8Array; origLen?: number; linkType: number; comments?: readonly string[] | undefined }>[] = series.map((s, i) =>
    fuzzTemplate(s, `${o.seed}/t${i}`, perTemplate, { computed: i % 2 === 1 }),
  );
  if (o.corpus.length > 0) sources.push(fuzzCapture(corpusOf(o.corpus), `${o.seed}/c`, o.count - templateShare));
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  let slowestComment = '';
  let n = 0;
  const every = o.every ?? 10_000;
  const most = o.maxFailures ?? 20;
  let live = sources.slice();
  let turn = 0;
  while (n < o.count && live.length > 0) {
    const src = live[turn % live.length]!;
    const next = src.next();
    if (next.done === true) {
      live = live.filter((s) => s !== src);
      continue;
    }
    turn++;
    n++;
    const p = next.value;
    const comment = p.comments?.[0] ?? '';
    const started = performance.now();
    try {
      dissector.dissect(frameOf(n, p.linkType, p.data, p.origLen ?? p.data.length, comment));
    } catch (e) {
      failures.push({ index: n, linkType: p.linkType, data: p.data, comment, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      if (failures.length >= most) break;
    }
    const ms = performance.now() - started;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowestComment = comment;
    }
    if (o.progress !== undefined && n % every === 0) o.progress(n);
  }
  return { packets: n, failures, slowestMs, slowestComment };
}


