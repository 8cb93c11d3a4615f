/** `stats tls`: server names, versions, ALPN and cipher suites offered and chosen. */
import { TlsStatsBuilder, type TlsReport } from '../../analyze/tls-stats.js';
import type { CountReport } from '../../render/stats/count-table.js';
import { countTable } from './counts.js';

const view = (r: TlsReport): CountReport => ({
  title: 'TLS',
  totals: [
    ['packets', 'TLS packets', r.packets],
    ['clientHellos', 'ClientHellos', r.clientHellos],
    ['serverHellos', 'ServerHellos', r.serverHellos],
  ],
  lists: [
    { key: 'sni', itemKey: 'name', title: 'Server names (SNI)', column: 'Server name', counts: r.sni, of: r.clientHellos },
    { key: 'versionsOffered', itemKey: 'version', title: 'Versions offered (ClientHellos listing each)', column: 'Version', counts: r.versionsOffered, of: r.clientHellos },
    { key: 'versionsChosen', itemKey: 'version', title: 'Versions chosen (ServerHellos)', column: 'Version', counts: r.versionsChosen, of: r.serverHellos },
    { key: 'alpnOffered', itemKey: 'protocol', title: 'ALPN offered', column: 'Protocol', counts: r.alpnOffered, of: r.clientHellos },
    { key: 'alpnChosen', itemKey: 'protocol', title: 'ALPN chosen', column: 'Protocol', counts: r.alpnChosen, of: r.serverHellos },
    { key: 'ciphersOffered', itemKey: 'suite', title: 'Cipher suites offered (ClientHellos listing each)', column: 'Cipher suite', counts: r.ciphersOffered, of: r.clientHellos },
    { key: 'ciphersChosen', itemKey: 'suite', title: 'Cipher suites chosen (ServerHellos)', column: 'Cipher suite', counts: r.ciphersChosen, of: r.serverHellos },
  ],
});

export const tls = countTable('tls', 'TLS server names, versions, ALPN and cipher suites offered and chosen', () => new TlsStatsBuilder(), view);
