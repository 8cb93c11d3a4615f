import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const RETRANS = `${CAPTURES}arkime__wireshark-retrans.pcap`;
const RTSP = `${CAPTURES}ndpi__rtsp.pcap`;

/** Simple CSV (no quoted newlines in these tables): header row, then rows of cells. */
function csv(text: string): Record<string, string>[] {
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cell = '';
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (q) {
        if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
        else if (ch === '"') q = false;
        else cell += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') out.push(cell), (cell = '');
      else cell += ch;
    }
    out.push(cell);
    return out;
  };
  const [head, ...rows] = text.trimEnd().split('\n').map(split);
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

describe('stats tcp', () => {
  it('gives the retransmission capture its one connection, exact in JSON', () => {
    const r = runCli(['stats', 'tcp', RETRANS, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        stream: 0, a: '172.17.96.143', portA: 59221, b: '172.17.96.77', portB: 4000, state: 'closed', connState: 'SF', history: 'SThtADadTtFf',
        start: 0, duration: 30.872023, packetsAtoB: 64, bytesAtoB: 25144, payloadAtoB: 20888, packetsBtoA: 44, bytesBtoA: 5240, payloadBtoA: 2304,
        handshakeRtt: 0.003252, retransmissionsAtoB: 29, retransmissionsBtoA: 18, resets: 0,
      },
    ]);
  });

  it('CSV has the header row and one row per connection; Markdown is a table; --top and --sort cut and order', () => {
    const rows = csv(runCli(['stats', 'tcp', RTSP, '--format', 'csv']).stdout);
    const json = JSON.parse(runCli(['stats', 'tcp', RTSP, '--format', 'json']).stdout) as { stream: number; bytesAtoB: number; bytesBtoA: number; connState: string }[];
    expect(rows.map((r) => Number(r['stream']))).toEqual(json.map((j) => j.stream));
    expect(rows.map((r) => r['connState'])).toEqual(json.map((j) => j.connState));
    const md = runCli(['stats', 'tcp', RTSP, '--format', 'md']).stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(md.length).toBe(json.length + 2);
    expect(new Set(md.map((l) => l.split('|').length)).size).toBe(1);
    const top = JSON.parse(runCli(['stats', 'tcp', RTSP, '--format', 'json', '--sort', 'bytes', '--top', '2']).stdout) as typeof json;
    const biggest = [...json].sort((x, y) => y.bytesAtoB + y.bytesBtoA - (x.bytesAtoB + x.bytesBtoA) || x.stream - y.stream).slice(0, 2);
    expect(top.map((t) => t.stream)).toEqual(biggest.map((b) => b.stream));
  });
});

describe('stats expert', () => {
  it('counts notes as tshark -z expert does on the retransmission capture', () => {
    const r = JSON.parse(runCli(['stats', 'expert', RETRANS, '--format', 'json']).stdout) as { rows: { severity: string; message: string; count: number; firstFrame: number }[]; packets: number; malformedPackets: number };
    const get = (m: string): [number, number] | undefined => {
      const x = r.rows.find((row) => row.message === m);
      return x && [x.count, x.firstFrame];
    };
    expect(get('This frame is a (suspected) retransmission')).toEqual([47, 2]);
    expect(get('This frame is a (suspected) fast retransmission')).toEqual([14, 22]);
    expect(get('Duplicate ACK (#1)')).toEqual([12, 7]);
    expect(get('This frame is a (suspected) out-of-order segment')).toEqual([1, 10]);
    expect(r.rows.filter((x) => x.severity === 'note').reduce((n, x) => n + x.count, 0)).toBe(102);
    expect([r.packets, r.malformedPackets]).toEqual([108, 0]);
    const rows = csv(runCli(['stats', 'expert', RETRANS, '--format', 'csv']).stdout);
    expect(rows.length).toBe(r.rows.length);
    expect(rows[0]).toEqual({ severity: 'warning', group: 'Sequence', protocol: 'TCP', message: 'This frame is a (suspected) out-of-order segment', field: 'tcp.analysis.out_of_order', count: '1', firstFrame: '10' });
  });
});
