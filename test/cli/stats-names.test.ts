import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const DHCP = `${CAPTURES}zeek__dhcp.pcap`;
const HTTP6 = `${CAPTURES}pcapplusplus__four_ipv6_http_streams.pcap`;

describe('pcapviz stats conv/endpoints: names learned from the capture', () => {
  it('JSON has nameA/nameB and name for hosts the capture named, none with -n or --no-names', () => {
    const conv = JSON.parse(runCli(['stats', 'conv', DHCP, '--type', 'ip', '--format', 'json']).stdout) as Record<string, unknown>[];
    const named = conv.find((c) => c['b'] === '128.2.6.189')!;
    expect(named['nameB']).toBe('btest.is.cool');
    expect(named['nameA']).toBeUndefined();
    expect(conv.filter((c) => 'nameA' in c || 'nameB' in c).length).toBe(1);
    for (const flag of ['-n', '--no-names']) {
      const plain = JSON.parse(runCli(['stats', 'conv', DHCP, '--type', 'ip', '--format', 'json', flag]).stdout) as Record<string, unknown>[];
      expect(plain.some((c) => 'nameA' in c || 'nameB' in c)).toBe(false);
      expect(plain.length).toBe(conv.length);
    }
    const ends = JSON.parse(runCli(['stats', 'endpoints', HTTP6, '--type', 'ipv6', '--format', 'json']).stdout) as Record<string, unknown>[];
    expect(ends.map((e) => [e['address'], e['name']])).toEqual([
      ['2001:618:400::5199:cc70', undefined],
      ['2001:618:1:8000::5', 'www.uk6x.com'],
      ['2001:638:902:1:202:b3ff:feee:5dc2', '6bone.informatik.uni-leipzig.de'],
    ]);
  });

  it('CSV gets name columns (last) when a row is named; text and Markdown a name column', () => {
    const lines = runCli(['stats', 'endpoints', HTTP6, '--type', 'ipv6', '--format', 'csv']).stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('type,address,port,packets,bytes,txPackets,txBytes,rxPackets,rxBytes,name');
    // tshark -z endpoints,ipv6: 74 packets, 39352 bytes, 32/33177 sent, 42/6175 received
    expect(lines[2]).toBe('ipv6,2001:618:1:8000::5,,74,39352,32,33177,42,6175,www.uk6x.com');
    const csvConv = runCli(['stats', 'conv', DHCP, '--type', 'ip', '--format', 'csv']).stdout.split('\n');
    expect(csvConv[0]!.split(',').slice(-2)).toEqual(['nameA', 'nameB']);
    for (const line of csvConv.filter((l) => l !== '')) expect(line.split(',').length).toBe(15);
    const plain = runCli(['stats', 'conv', DHCP, '--type', 'ip', '--format', 'csv', '-n']).stdout.split('\n');
    expect(plain[0]!.split(',').length).toBe(13);
    const text = runCli(['stats', 'conv', DHCP, '--type', 'ip']).stdout.split('\n');
    expect(text[1]).toMatch(/^A +Name A +B +Name B +Packets A→B/);
    expect(text.find((l) => l.includes('128.2.6.189'))).toMatch(/128\.2\.6\.189 +btest\.is\.cool +1 /);
    const md = runCli(['stats', 'endpoints', HTTP6, '--type', 'ipv6', '--format', 'md']).stdout;
    expect(md).toContain('| 2001:618:1:8000::5 | www.uk6x.com | 74 | 39352 |');
  });

  it("CSV of several tables: the protocol table's name column does not bring in empty host name columns", () => {
    const header = (args: string[]): string[] => runCli(['stats', 'conv,endpoints,protocols', DHCP, '--format', 'csv', ...args]).stdout.split('\n')[0]!.split(',');
    const named = header([]);
    expect(named.filter((k) => /^name/.test(k))).toEqual(['nameA', 'nameB', 'name']);
    // Without names, only the protocol table's own column is left.
    expect(header(['-n']).filter((k) => /^name/.test(k))).toEqual(['name']);
    expect(header(['-n'])).toEqual(named.filter((k) => k !== 'nameA' && k !== 'nameB'));
  });
});
