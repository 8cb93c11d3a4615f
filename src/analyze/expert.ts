/**
 * Expert information of a capture, as `tshark -z expert` groups it: every expert note, TCP
 * analysis flag, malformed and truncated layer, counted by severity, group, protocol and message,
 * with the first frame it appeared in. A pure reducer over dissected packets (their layer issues).
 */
import type { DissectedPacket, Issue, IssueSeverity, LayerNode } from '../dissect/tree.js';

export interface ExpertRow {
  /** `error`, `warning`, `note` or `chat` (tshark: Errors, Warns, Notes, Chats). */
  readonly severity: IssueSeverity;
  /** Wireshark's groups: Sequence, Checksum, Malformed, Protocol; Truncated for a snaplen cut. */
  readonly group: string;
  readonly protocol: string;
  readonly message: string;
  /** The field the issue concerns (`tcp.analysis.retransmission`), when known. */
  readonly field: string | undefined;
  count: number;
  readonly firstFrame: number;
  /** Order of first appearance. */
  readonly seq: number;
}

export interface ExpertReport {
  readonly rows: readonly ExpertRow[];
  /** Packets with at least one malformed, and one truncated, layer. */
  readonly malformedPackets: number;
  readonly truncatedPackets: number;
  readonly packets: number;
  /** Distinct messages left out past the cap (each one counted once). */
  readonly dropped: number;
}

/** Most distinct rows kept (messages can carry values; the rest are counted as dropped). */
export const MAX_EXPERT_ROWS = 100_000;

const SEVERITY_RANK: Readonly<Record<IssueSeverity, number>> = { error: 0, warning: 1, note: 2, chat: 3 };

/** The expert group of an issue, as Wireshark files it. */
export function expertGroup(i: Issue): string {
  if (i.kind === 'malformed' || i.kind === 'dissector-bug') return 'Malformed';
  if (i.kind === 'truncated') return 'Truncated';
  const k = i.fieldKey ?? '';
  if (k.startsWith('tcp.analysis.') || k.startsWith('tcp.connection.') || k === 'tcp.options.sack.dsack') return 'Sequence';
  if (k.includes('checksum')) return 'Checksum';
  return 'Protocol';
}

/** A layer's protocol as tshark's expert table names it (`TCP`, `DNS`, `TLS`). */
const protocolName = (l: LayerNode): string => (l.name.startsWith('TLSv') || l.name.startsWith('SSLv') ? 'TLS' : l.name);

export class ExpertBuilder {
  private readonly rows = new Map<string, ExpertRow>();
  private malformed = 0;
  private truncated = 0;
  private packets = 0;
  private dropped = 0;

  add(p: DissectedPacket): void {
    this.packets++;
    let bad = false;
    let cut = false;
    for (const l of p.layers) {
      if (l.issues.length === 0) continue;
      for (const i of l.issues) {
        if (i.kind === 'malformed' || i.kind === 'dissector-bug') bad = true;
        if (i.kind === 'truncated') cut = true;
        const group = expertGroup(i);
        const protocol = protocolName(l);
        const key = `${i.severity}\u0000${group}\u0000${protocol}\u0000${i.message}`;
        const row = this.rows.get(key);
        if (row !== undefined) row.count++;
        else if (this.rows.size >= MAX_EXPERT_ROWS) this.dropped++;
        else this.rows.set(key, { severity: i.severity, group, protocol, message: i.message, field: i.fieldKey, count: 1, firstFrame: p.frame.index, seq: this.rows.size });
      }
    }
    if (bad) this.malformed++;
    if (cut) this.truncated++;
  }

  finish(): ExpertReport {
    const rows = [...this.rows.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.seq - b.seq);
    return { rows, malformedPackets: this.malformed, truncatedPackets: this.truncated, packets: this.packets, dropped: this.dropped };
  }
}
