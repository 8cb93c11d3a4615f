/** What the conversation and endpoint tables share. */
import type { TableResult } from '../../analyze/conversations.js';
import type { TrafficType } from '../../analyze/traffic-taps.js';

/** One stderr line per type whose live-flow cap retired rows. */
export function retiredWarnings(report: Partial<Record<TrafficType, TableResult<unknown>>>, what: string, maxFlows: number): string[] {
  const out: string[] = [];
  for (const [type, t] of Object.entries(report)) {
    if (t === undefined || t.retired === 0) continue;
    const left = t.discarded > 0 ? ` (${t.discarded} of them could not make --top and were left out)` : '';
    out.push(`more than ${maxFlows} ${type} ${what} at once (--max-flows): ${t.retired} idle ones were retired into final rows${left}; a flow seen again after that starts a new row`);
  }
  return out;
}
