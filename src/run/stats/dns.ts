/** `stats dns`: queries by name and type, response codes, unanswered queries, response times. */
import { DnsStatsBuilder, type DnsReport } from '../../analyze/dns-stats.js';
import type { CountReport } from '../../render/stats/count-table.js';
import { countTable } from './counts.js';

const view = (r: DnsReport): CountReport => ({
  title: 'DNS',
  totals: [
    ['messages', 'Messages', r.messages],
    ['queries', 'Queries', r.queries],
    ['responses', 'Responses', r.responses],
    ['unanswered', 'Unanswered queries', r.unanswered],
    ['unmatchedResponses', 'Responses to no query seen', r.unmatchedResponses],
  ],
  timing: { key: 'responseTime', label: 'Response time', value: r.responseTime },
  lists: [
    { key: 'byName', itemKey: 'name', title: 'Queries by name', column: 'Name', counts: r.byName, of: r.queries },
    { key: 'byType', itemKey: 'type', title: 'Queries by type', column: 'Type', counts: r.byType, of: r.queries },
    { key: 'byRcode', itemKey: 'rcode', title: 'Responses by code', column: 'Response code', counts: r.byRcode, of: r.responses },
  ],
});

export const dns = countTable('dns', 'DNS queries by name and type, response codes, unanswered queries, response times', () => new DnsStatsBuilder(), view);
