import { describe, expect, it } from 'vitest';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;

describe('pcapviz fields', () => {
  it('prints one tab-separated line per packet, empty columns for absent or unknown fields', () => {
    const r = runCli(['fields', OFFICE, '-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.dstport', '-e', 'no.such.field']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(178);
    expect(lines[14]).toBe('15\t192.168.1.101\t80\t');
    expect(lines[4]).toBe('5\t\t\t');
  });

  it('honours -E header, separator, quote and occurrence like tshark', () => {
    const r = runCli(['fields', OFFICE, '-e', 'frame.len', '-e', 'eth.src', '-E', 'header=y', '-E', 'separator=,', '-E', 'quote=d', '--packets', '15']);
    expect(r.stdout).toBe('frame.len,eth.src\n"74","3c:22:fb:1a:2b:3c"\n');
    expect(runCli(['fields', OFFICE, '-e', 'frame.number', '-c', '2']).stdout).toBe('1\n2\n');
    const bad = runCli(['fields', OFFICE, '-e', 'ip.src', '-E', 'occurrence=x']);
    expect([bad.status, bad.stderr.trim()]).toEqual([1, 'pcapviz: -E occurrence must be a, f or l, not "x"']);
  });

  it('joins several occurrences with commas, outer header first (ICMP error quoting a datagram)', () => {
    const r = runCli(['fields', OFFICE, '-e', 'icmp.type', '-e', 'ip.src', '-e', 'udp.dstport']);
    const errorLine = r.stdout.split('\n').find((l) => l.startsWith('3\t'));
    expect(errorLine).toBe('3\t203.0.113.99,192.168.1.104\t33434');
    const first = runCli(['fields', OFFICE, '-e', 'icmp.type', '-e', 'ip.src', '-E', 'occurrence=f']).stdout.split('\n').find((l) => l.startsWith('3\t'));
    expect(first).toBe('3\t203.0.113.99');
  });

  it('--decode-as sends a port to another dissector', () => {
    const normal = runCli(['fields', OFFICE, '-e', 'frame.protocols', '--packets', '15']);
    expect(normal.status).toBe(0);
    const r = runCli(['fields', OFFICE, '-e', 'frame.protocols', '--decode-as', 'tcp.port==80,data']);
    const line18 = r.stdout.split('\n')[17];
    expect(line18).toBe('eth:ip:tcp:data');
    const bad = runCli(['fields', OFFICE, '-e', 'ip.src', '--decode-as', 'tcp.port=80,http']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('bad --decode-as rule "tcp.port=80,http"');
  });
});

describe('pcapviz list', () => {
  it('one line per packet with relative time, addresses, protocol, length and a tshark-like Info', () => {
    const r = runCli(['list', OFFICE, '--packets', '15-17']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      '   15 0.349178894 192.168.1.101 → 198.51.100.10 TCP 74 41475 → 80 [SYN] Seq=0 Win=64256 Len=0 MSS=1460 SACK_PERM TSval=1537053019 TSecr=0 WS=128',
      '   16 0.372178290 198.51.100.10 → 192.168.1.101 TCP 74 80 → 41475 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=1263568095 TSecr=1537053019 WS=128',
      '   17 0.372241823 192.168.1.101 → 198.51.100.10 TCP 66 41475 → 80 [ACK] Seq=1 Ack=1 Win=64256 Len=0 TSval=1537053042 TSecr=1263568095',
    ]);
  });

  it('ARP and ICMPv6 neighbour discovery read like tshark', () => {
    const lines = runCli(['list', OFFICE, '--packets', '5-8']).stdout.split('\n');
    expect(lines[0]).toMatch(/^ {4}5 0\.148601264 3c:22:fb:1a:2b:3c → ff:ff:ff:ff:ff:ff ARP 42 Who has 192\.168\.1\.1\? Tell 192\.168\.1\.101$/);
    expect(lines[1]).toMatch(/ARP 60 192\.168\.1\.1 is at 00:1b:21:00:00:01$/);
    expect(lines[2]).toMatch(/ICMPv6 86 Neighbor Solicitation for fe80::21b:21ff:fe00:1 from 3c:22:fb:1a:2b:3c$/);
  });

  it('-c, -t e and the json and csv formats', () => {
    expect(runCli(['list', OFFICE, '-c', '3']).stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(runCli(['list', OFFICE, '-c', '1', '-t', 'e']).stdout).toMatch(/^ {4}1 1773480413\.589793238 /);
    const json = JSON.parse(runCli(['list', OFFICE, '--format', 'json', '-c', '2']).stdout) as { number: number; protocol: string; length: number }[];
    expect(json.map((r) => [r.number, r.length])).toEqual([[1, 342], [2, 350]]);
    const csv = runCli(['list', OFFICE, '--format', 'csv', '--packets', '5']).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe('No.,Time,Source,Destination,Protocol,Length,Info');
    expect(csv[1]).toMatch(/^5,0\.148601264,3c:22:fb:1a:2b:3c,ff:ff:ff:ff:ff:ff,ARP,42,Who has 192\.168\.1\.1\? Tell 192\.168\.1\.101$/);
  });

  it('a bad packet range is a usage error', () => {
    const r = runCli(['list', OFFICE, '--packets', '10-2']);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'pcapviz: bad packet range "10-2"']);
  });
});

describe('pcapviz show', () => {
  it('prints the layered tree with the offset and length of every field', () => {
    const r = runCli(['show', OFFICE, '--packets', '15']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Frame 15: 74 bytes on wire \(592 bits\), 74 bytes captured \(592 bits\) on interface 0$/m);
    expect(r.stdout).toMatch(/^Transmission Control Protocol, 41475 → 80 \[SYN\].*@34\+40$/m);
    expect(r.stdout).toMatch(/^ {4}Source Port: 41475 +@34\+2$/m);
    expect(r.stdout).toMatch(/^ {4}0100 \.\.\.\. = Version: 4 +@14\.0-3\+1$/m);
    expect(r.stdout).toMatch(/^ {12}MSS Value: 1460 +@56\+2$/m);
  });

  it('-x adds the hex dump; --format json gives the tree with offsets and bit ranges', () => {
    const hex = runCli(['show', OFFICE, '--packets', '15', '-x']).stdout;
    expect(hex).toContain('\n0000  00 1b 21 00 00 01 3c 22  fb 1a 2b 3c 08 00 45 00  ..!...<"..+<..E.\n');
    expect(hex).toContain('\n0040  91 5b 00 00 00 00 01 03  03 07                    .[........\n');
    const [p] = JSON.parse(runCli(['show', OFFICE, '--packets', '15', '--format', 'json']).stdout) as {
      layers: { protocol: string; fields: { key: string; offset: number; length: number; bits?: { offset: number; length: number }; value: unknown }[] }[];
    }[];
    const ip = p!.layers.find((l) => l.protocol === 'ip')!;
    expect(ip.fields.find((f) => f.key === 'ip.version')).toMatchObject({ offset: 14, length: 1, bits: { offset: 0, length: 4 }, value: 4 });
    const tcp = p!.layers.find((l) => l.protocol === 'tcp')!;
    expect(tcp.fields.find((f) => f.key === 'tcp.srcport')).toMatchObject({ offset: 34, length: 2, value: 41475 });
  });

  it('marks packets cut by the snaplen or malformed at the end of Info, like tshark', () => {
    const cut = runCli(['list', `${CAPTURES}tcpdump__esp_truncated.pcap`, '-c', '1']);
    expect(cut.stdout).toMatch(/ ESP 65613 \[Packet size limited during capture\]\n$/);
    const bad = runCli(['list', `${CAPTURES}ndpi__fuzz-2006-06-26-2594.pcap`, '--packets', '6']);
    // tshark keeps the Info written before the fault: "Standard query 0xb2d0 A sip.cybercity.dk[Malformed Packet]"
    expect(bad.stdout).toMatch(/ DNS 76 Standard query 0xb2d0 A sip\.cybercity\.dk\[Malformed Packet\]\n$/);
  });

  it('gives relative TCP numbers as tshark does, with and without the SYN captured', () => {
    const args = (f: string, n: string): string[] => ['fields', `${CAPTURES}${f}`, '-e', 'tcp.seq', '-e', 'tcp.ack', '-e', 'tcp.nxtseq', '-E', 'separator=,', '-c', n];
    // Values printed by tshark 4.0 for the same captures.
    expect(runCli(args('pcapplusplus__tls2.pcap', '4')).stdout.trim().split('\n')).toEqual(['1,1,34', '1,1,518', '1,518,1221', '3661,518,3828']);
    expect(runCli(args('arkime__wireshark-retrans.pcap', '8')).stdout.trim().split('\n')).toEqual(['0,0,1', '0,0,1', '0,0,1', '0,1,1', '0,1,1', '1,1,1', '1,1,1', '1,1,199']);
  });

  it('an option without its value is a usage error (exit 1), not an internal error', () => {
    const r = runCli(['list', OFFICE, '-c']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Not enough arguments following: c');
    expect(r.stderr).not.toContain('internal error');
  });
});
