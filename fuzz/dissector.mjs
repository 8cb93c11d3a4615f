// The dissector, per protocol entry point: two bytes choose a dispatch-table entry (link type,
// Ethertype, IP protocol, TCP/UDP/SCTP port, ...), one byte a snaplen cut, and the rest follows
// the outer headers that lead to the entry. Full mode, strict: no throw, invariants hold.
import { checkDissector } from '../dist/craft/fuzz-targets.js';

export function fuzz(data) {
  checkDissector(data);
}
