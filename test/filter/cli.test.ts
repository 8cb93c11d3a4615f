/**
 * -Y on the command line: every packet command takes it, only matching packets are shown or
 * counted, frame numbers and times stay the capture's, TCP analysis still sees every packet,
 * and a bad filter is an error with exit code 1 (needs `npm run build`; `npm test` does it).
 */
import { describe, expect, it } from 'vitest';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;
const RETRANS = `${CAPTURES}arkime__wireshark-retrans.pcap`;
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const numbers = (text: string): number[] => lines(text).map((l) => Number(l.trim().split(/\s+/)[0]));

describe('pcapviz -Y', () => {
  it('list shows the matching packets exactly as the unfiltered list shows them (numbers, times, Info)', () => {
    const all = lines(runCli(['list', OFFICE]).stdout);
    const r = runCli(['list', OFFICE, '-Y', 'tcp.port == 80']);
    expect(r.status).toBe(0);
    expect(numbers(r.stdout)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(lines(r.stdout)).toEqual(all.slice(14, 25));
    expect(runCli(['list', OFFICE, '--filter', 'tcp.port == 80', '-t', 'd']).stdout).toBe(runCli(['list', OFFICE, '-t', 'd']).stdout.split('\n').slice(14, 25).join('\n') + '\n');
  });

  it('list -Y frame (every packet, dissected in select mode) is the unfiltered list, TCP analysis included', () => {
    for (const file of [OFFICE, RETRANS, `${CAPTURES}pcapplusplus__sll.pcap`, `${CAPTURES}zeek__pppoe-over-qinq.pcap`]) {
      expect([file, runCli(['list', file, '-Y', 'frame']).stdout]).toEqual([file, runCli(['list', file]).stdout]);
    }
    const all = lines(runCli(['list', RETRANS]).stdout);
    const retrans = runCli(['list', RETRANS, '-Y', 'tcp.analysis.retransmission']);
    // tcp.analysis.retransmission is set on fast and spurious retransmissions too, as in tshark.
    expect(lines(retrans.stdout)).toEqual(all.filter((l) => l.includes(' Retransmission]')));
    expect(lines(retrans.stdout)).toHaveLength(47);
  });

  it('-t dd counts from the previous packet shown; -c counts packets shown', () => {
    const r = runCli(['list', OFFICE, '-Y', 'frame.number in {10, 20}', '-t', 'dd']);
    // As tshark -t dd -Y 'frame.number in {10,20}'.
    expect(lines(r.stdout).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['10 0.000000000', '20 0.200064563']);
    expect(numbers(runCli(['list', OFFICE, '-Y', 'tcp', '-c', '2']).stdout)).toEqual([15, 16]);
    expect(numbers(runCli(['list', OFFICE, '-Y', 'udp', '--packets', '10-20']).stdout)).toEqual([11, 12, 13, 14]);
  });

  it('fields prints the matching packets only, with fields the filter reads but was not asked for left out', () => {
    const r = runCli(['fields', OFFICE, '-Y', 'ip.addr == 198.51.100.10 && tcp.flags.syn == 1', '-e', 'frame.number', '-e', 'tcp.srcport']);
    // The same frames and values tshark -Y prints.
    expect(r.stdout).toBe('15\t41475\n16\t80\n42\t48623\n45\t443\n');
    expect(runCli(['fields', OFFICE, '-Y', 'dns.qry.name[0:3] == "www"', '-e', 'frame.number', '-E', 'header=y']).stdout.split('\n')[0]).toBe('frame.number');
  });

  it('show prints the trees of matching packets only', () => {
    const r = runCli(['show', OFFICE, '-Y', 'http.request.method == "GET"']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Frame 18');
    expect(r.stdout).not.toContain('Frame 17');
    const json = JSON.parse(runCli(['show', OFFICE, '-Y', 'arp.opcode == 1', '--format', 'json']).stdout) as { frame: { number: number } }[];
    expect(json.length).toBeGreaterThan(0);
  });

  it('stats count only matching packets', () => {
    const conv = JSON.parse(runCli(['stats', 'conv', '--type', 'tcp', OFFICE, '-Y', 'tcp.stream == 0', '--format', 'json']).stdout) as { packets: number; portB: number }[];
    expect(conv.map((c) => [c.portB, c.packets])).toEqual([[80, 11]]);
    const phs = JSON.parse(runCli(['stats', 'protocols', OFFICE, '-Y', 'dns', '--format', 'json']).stdout) as { packets: number };
    expect(phs.packets).toBe(Number(runCli(['fields', OFFICE, '-Y', 'dns', '-e', 'frame.number']).stdout.trim().split('\n').length));
  });

  it('graph, follow and flow take -Y', () => {
    const g = JSON.parse(runCli(['graph', OFFICE, '-Y', 'tcp.port == 80', '-o', '-', '--format', 'json']).stdout) as { edges: unknown[] };
    expect(g.edges).toHaveLength(1);
    const f = runCli(['follow', 'tcp', OFFICE, '0', '-Y', 'tcp.srcport == 80']);
    expect(f.status).toBe(0);
    expect(f.stdout).toContain('HTTP/1.1 200');
    expect(f.stdout).not.toContain('GET /');
    const flow = runCli(['flow', OFFICE, '-Y', 'tcp.stream == 0', '--acks', 'hide']);
    expect(flow.status).toBe(0);
    expect(flow.stdout).toContain('filter tcp.stream == 0');
  });

  it('a bad filter is reported with a caret and exit code 1, before any output', () => {
    for (const cmd of [['list'], ['fields', '-e', 'ip.src'], ['show'], ['stats', 'conv'], ['follow', 'tcp'], ['flow']]) {
      const args = cmd[0] === 'stats' ? ['stats', 'conv', OFFICE] : cmd[0] === 'follow' ? ['follow', 'tcp', OFFICE, '0'] : [cmd[0]!, OFFICE, ...cmd.slice(1)];
      const r = runCli([...args, '-Y', 'tcp.prot == 80']);
      expect([cmd[0], r.status, r.stdout, r.stderr]).toEqual([
        cmd[0],
        1,
        '',
        'pcapviz: filter error: unknown field "tcp.prot" (did you mean tcp.port?)\n  tcp.prot == 80\n  ^~~~~~~~\n',
      ]);
    }
    const g = runCli(['graph', OFFICE, '-o', '-', '--format', 'json', '-Y', 'ip.src == "abc"']);
    expect([g.status, g.stderr]).toEqual([1, 'pcapviz: filter error: "abc" is not an IPv4 address (ip.src is an IPv4 address)\n  ip.src == "abc"\n            ^~~~~\n']);
  });

  it('--help lists -Y', () => {
    expect(runCli(['list', '--help']).stdout).toMatch(/-Y, --filter/);
  });
});
