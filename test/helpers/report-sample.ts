/**
 * A small report value with every kind of block and hostile strings in every text slot, for the
 * renderer tests (the real builder's output is tested end to end from the CLI).
 */
import type { ReportData } from '../../src/report/model.js';

/** Text that breaks HTML, SVG, Markdown and terminals when not escaped. */
export const HOSTILE = '<script>alert(1)</script>|*x*`y`[z](http://e.invalid)&amp;\u001b[31m';

const chart = (title: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120"><rect width="300" height="120" fill="white"/><rect x="10" y="40" width="120" height="70" fill="#4c78a8"/><text x="10" y="20" font-size="12">${title}</text></svg>`;

export function sampleReport(): ReportData {
  return {
    title: 'Report: sample.pcapng',
    file: 'sample.pcapng',
    generator: 'pcapviz 0.1.0',
    generatedAt: '2026-11-26T12:00:00.000Z',
    filter: undefined,
    warnings: [],
    sections: [
      {
        id: 'summary',
        title: 'Capture summary',
        blocks: [
          { kind: 'figures', items: [{ label: 'Packets', value: '178' }, { label: 'Bytes', value: '35,944' }, { label: 'Application', value: HOSTILE }] },
        ],
      },
      {
        id: 'protocols',
        title: 'Protocol hierarchy',
        blocks: [
          { kind: 'chart', title: 'Bytes by protocol', description: 'Bytes per top protocol', svg: chart('protocols'), width: 300, height: 120 },
          {
            kind: 'table',
            title: 'Protocol hierarchy',
            columns: [
              { key: 'protocol', title: 'Protocol' },
              { key: 'packets', title: 'Packets', numeric: true, unit: 'count' },
              { key: 'bytes', title: 'Bytes', numeric: true, unit: 'bytes' },
            ],
            rows: [
              { protocol: 'frame', packets: 178, bytes: 35944 },
              { protocol: 'eth', packets: 177, bytes: 35869 },
              { protocol: 'ip', packets: 157, bytes: 34559 },
            ],
            depth: [0, 1, 2],
            more: 0,
          },
        ],
      },
      {
        id: 'talkers',
        title: 'Top talkers',
        blocks: [
          {
            kind: 'table',
            title: 'IPv4 hosts',
            columns: [
              { key: 'address', title: 'Address' },
              { key: 'name', title: 'Name' },
              { key: 'packets', title: 'Packets', numeric: true, unit: 'count' },
              { key: 'bytes', title: 'Bytes', numeric: true, unit: 'bytes' },
            ],
            rows: [
              { address: '192.168.1.101', name: HOSTILE, packets: 74, bytes: 25705 },
              { address: '198.51.100.10', name: null, packets: 46, bytes: 23133 },
              { address: '10.0.0.2', name: 'b.example', packets: 120, bytes: 900 },
            ],
            more: 5,
          },
        ],
      },
      {
        id: 'graph',
        title: 'Conversation graph',
        blocks: [{ kind: 'chart', title: 'IP hosts by bytes', description: 'Who talked to whom', svg: chart('graph'), width: 300, height: 120, mermaid: 'flowchart LR\n  n0["192.168.1.101"] --- n1["198.51.100.10"]' }],
      },
      {
        id: 'expert',
        title: 'Expert findings',
        blocks: [
          { kind: 'note', text: `2 warnings, 1 note. ${HOSTILE}` },
          {
            kind: 'table',
            title: 'Findings',
            columns: [
              { key: 'severity', title: 'Severity' },
              { key: 'message', title: 'Message' },
              { key: 'count', title: 'Count', numeric: true, unit: 'count' },
              { key: 'firstFrame', title: 'First frame', numeric: true, frames: true },
            ],
            rows: [{ severity: 'warning', message: 'Connection reset (RST)', count: 2, firstFrame: 1 }],
            more: 0,
          },
        ],
      },
      {
        id: 'dump',
        title: 'Packets',
        blocks: [
          {
            kind: 'packet',
            frame: 1,
            summary: `192.168.1.101 → 198.51.100.10 HTTP GET ${HOSTILE}`,
            layers: ['eth', 'ip'],
            tree: [
              { text: 'Frame 1: 34 bytes', depth: 0, layer: -1 },
              { text: 'Ethernet II', depth: 0, layer: 0 },
              { text: 'Destination: 00:1b:21:00:00:01', depth: 1, layer: 0 },
              { text: `Internet Protocol Version 4 ${HOSTILE}`, depth: 0, layer: 1 },
            ],
            hex: [
              {
                offset: 0,
                bytes: [['00', 0], ['1b', 0], ['21', 0], ['00', 0], ['00', 0], ['01', 0], ['3c', 0], ['22', 0], ['fb', 0], ['1a', 0], ['2b', 0], ['3c', 0], ['08', 0], ['00', 0], ['45', 1], ['00', 1]],
                ascii: '..!...<"..+<..E.',
              },
            ],
          },
        ],
      },
    ],
  };
}
