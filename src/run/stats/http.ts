/** `stats http`: requests by method, host and URI, status codes, response times. */
import { HttpStatsBuilder, type HttpReport } from '../../analyze/http-stats.js';
import type { CountReport } from '../../render/stats/count-table.js';
import { countTable } from './counts.js';

const view = (r: HttpReport): CountReport => ({
  title: 'HTTP',
  totals: [
    ['packets', 'HTTP packets', r.packets],
    ['requests', 'Requests', r.requests],
    ['responses', 'Responses', r.responses],
    ['other', 'Other HTTP packets', r.other],
    ['unanswered', 'Requests without a response', r.unanswered],
    ['unmatchedResponses', 'Responses to no request seen', r.unmatchedResponses],
  ],
  timing: { key: 'responseTime', label: 'Response time', value: r.responseTime },
  lists: [
    { key: 'byMethod', itemKey: 'method', title: 'Requests by method', column: 'Method', counts: r.byMethod, of: r.requests },
    { key: 'byHost', itemKey: 'host', title: 'Requests by host', column: 'Host', counts: r.byHost, of: r.requests },
    { key: 'byUri', itemKey: 'uri', title: 'Requests by URI', column: 'URI', counts: r.byUri, of: r.requests },
    { key: 'byStatus', itemKey: 'status', title: 'Responses by status', column: 'Status', counts: r.byStatus, of: r.responses },
  ],
});

export const http = countTable('http', 'HTTP requests by method, host and URI, status codes, response times', () => new HttpStatsBuilder(), view);
