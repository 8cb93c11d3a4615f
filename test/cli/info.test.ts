import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CAPTURES, TRUTH } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

interface Truth {
  info: { packets: number; dataBytes: number; capturedBytes: number; firstTime: string; lastTime: string; snaplen: number | null; linkTypes: number[] };
}
const truth = (name: string): Truth => JSON.parse(readFileSync(`${TRUTH}${name}.json`, 'utf8')) as Truth;

const PPTP = `${CAPTURES}tcpdump__pptp.pcap`;
const MULTI = `${CAPTURES}zeek__pcapng-multi-interface.pcapng`;

describe('pcapviz info', () => {
  it('--format json gives capinfos figures for a pcap file', () => {
    const r = runCli(['info', PPTP, '--format', 'json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    const t = truth('tcpdump__pptp.pcap').info;
    expect(j).toMatchObject({
      format: 'pcap',
      byteOrder: 'big',
      linkTypes: t.linkTypes,
      packets: t.packets,
      dataBytes: t.dataBytes,
      capturedBytes: t.capturedBytes,
      firstTime: t.firstTime,
      lastTime: t.lastTime,
      snaplen: t.snaplen,
      damaged: null,
    });
    expect(r.stderr).toBe('');
  });

  it('reports per-interface facts and per-packet time precision of a pcapng file', () => {
    const j = JSON.parse(runCli(['info', MULTI, '--format', 'json']).stdout) as {
      firstTime: string;
      lastTime: string;
      duration: string;
      interfaces: { name: string; os: string; packets: number; timePrecisionDigits: number }[];
    };
    const t = truth('zeek__pcapng-multi-interface.pcapng').info;
    expect([j.firstTime, j.lastTime]).toEqual([t.firstTime, t.lastTime]);
    expect(j.interfaces.map((i) => [i.name, i.packets, i.timePrecisionDigits])).toEqual([
      ['eth0', 2, 9],
      ['\\Device\\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6}', 4, 6],
    ]);
    expect(j.duration).toBe('347.640611507');
  });

  it('reads standard input when the path is -', () => {
    const r = runCli(['info', '-', '--format', 'json'], readFileSync(PPTP));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '<stdin>', packets: truth('tcpdump__pptp.pcap').info.packets });
  });

  it('reads gzip-compressed captures, from a file and from standard input', () => {
    const r = runCli(['info', `${CAPTURES}zeek__echo-connections.pcap.gz`, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ compression: 'gzip', format: 'pcap', packets: 82582 });
    const piped = runCli(['info', '-', '--format', 'json'], gzipSync(readFileSync(MULTI)));
    expect(JSON.parse(piped.stdout)).toMatchObject({ compression: 'gzip', format: 'pcapng', packets: 6 });
  });

  it('a file cut short: every complete packet counted, a warning naming file and offset, exit 2', () => {
    const name = 'suricata-verify__http-mime-truncated__input.pcap';
    const r = runCli(['info', `${CAPTURES}${name}`, '--format', 'json']);
    expect(r.status).toBe(2);
    const j = JSON.parse(r.stdout) as { packets: number; damaged: { message: string; offset: number; frame: number } };
    expect(j.packets).toBe(truth(name).info.packets);
    expect(j.damaged).toEqual({ message: 'cut short in a record header: 1 of 16 bytes', offset: 2715459, frame: 2697 });
    expect(r.stderr).toContain(`${name} is damaged: cut short in a record header: 1 of 16 bytes at byte 2715459; 2696 packets read before it`);
  });

  it('exit codes of a capture cut short: inside the header 1, at a record boundary 0, inside a record 2', () => {
    const file = readFileSync(PPTP);
    const firstRecordEnd = 24 + 16 + file.readUInt32BE(24 + 8);
    const cases: [number, number, number | null][] = [
      [10, 1, null],
      [24, 0, 0],
      [firstRecordEnd, 0, 1],
      [firstRecordEnd + 5, 2, 1],
      [firstRecordEnd - 1, 2, 0],
    ];
    for (const [cut, status, packets] of cases) {
      const r = runCli(['info', '-', '--format', 'json'], file.subarray(0, cut));
      expect(r.status, `cut at ${cut}`).toBe(status);
      if (packets === null) expect(r.stderr).toMatch(/<stdin>: file header cut short: 10 of 24 bytes/);
      else expect((JSON.parse(r.stdout) as { packets: number }).packets).toBe(packets);
    }
  });

  it('reads Sun snoop and zstd-compressed captures', () => {
    const snoop = JSON.parse(runCli(['info', `${CAPTURES}pcapplusplus__solaris.snoop`, '--format', 'json']).stdout) as Record<string, unknown>;
    expect(snoop).toMatchObject({ format: 'snoop', packets: truth('pcapplusplus__solaris.snoop').info.packets, firstTime: truth('pcapplusplus__solaris.snoop').info.firstTime });
    const zst = JSON.parse(runCli(['info', `${CAPTURES}pcapplusplus__pcapng-example.pcapng.zst`, '--format', 'json']).stdout) as Record<string, unknown>;
    expect(zst).toMatchObject({ format: 'pcapng', compression: 'zstd', packets: 159, dataBytes: truth('pcapplusplus__pcapng-example.pcapng').info.dataBytes });
  });

  it('a file that is not a capture: a clear error and exit 1', () => {
    const xz = runCli(['info', '-'], Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]));
    expect(xz.status).toBe(1);
    expect(xz.stdout).toBe('');
    expect(xz.stderr).toContain('<stdin>: not a capture I can read: looks like xz-compressed data (decompress it first: xz -d FILE)');
    const text = runCli(['info', '-'], Buffer.from('hello, this is just text\n'));
    expect(text.status).toBe(1);
    expect(text.stderr).toContain('<stdin>: not a capture I can read: looks like text');
    const missing = runCli(['info', '/nonexistent/x.pcap']);
    expect([missing.status, missing.stderr.trim()]).toEqual([1, 'pcapviz: /nonexistent/x.pcap: cannot open: no such file']);
  });

  it('an unsupported header version is refused with the version named', () => {
    const r = runCli(['info', `${CAPTURES}libpcap__pcap-invalid-version-1.pcap`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('pcap version 1.4 is not supported');
  });

  it('several files: one row each in table, csv and md; a JSON array; unreadable ones reported, exit 1', () => {
    const files = [PPTP, MULTI, `${CAPTURES}tcpdump__pptp.pcap.tcpdump.out`];
    const table = runCli(['info', ...files]);
    expect(table.status).toBe(1);
    const lines = table.stdout.trim().split('\n');
    expect(lines).toHaveLength(2 + 3);
    expect(lines[0]).toMatch(/^File\s+Format\s+Encapsulation\s+Packets/);
    expect(lines[2]).toContain('tcpdump__pptp.pcap');
    const csv = runCli(['info', ...files, '--format', 'csv']).stdout.trim().split('\n');
    expect(csv[0]!.split(',').slice(0, 4)).toEqual(['file', 'format', 'encapsulation', 'packets']);
    expect(csv[1]!.split(',').slice(1, 4)).toEqual(['pcap', 'ether', String(truth('tcpdump__pptp.pcap').info.packets)]);
    const md = runCli(['info', ...files, '--format', 'md']).stdout.trim().split('\n');
    expect(md[0]).toMatch(/^\| File \| Format \|/);
    expect(md[1]).toMatch(/^\|( -+:? \|)+$/);
    const json = JSON.parse(runCli(['info', ...files, '--format', 'json']).stdout) as { file: string; error?: string }[];
    expect(json).toHaveLength(3);
    expect(json[2]!.error).toMatch(/not a capture I can read: looks like text/);
  });

  it('the single-file report reads like capinfos', () => {
    const r = runCli(['info', MULTI]);
    expect(r.stdout).toMatch(/^File name:\s+.*zeek__pcapng-multi-interface\.pcapng$/m);
    expect(r.stdout).toMatch(/^File type:\s+pcapng \(little-endian, version 1\.0\)$/m);
    expect(r.stdout).toMatch(/^Packets:\s+6$/m);
    expect(r.stdout).toMatch(/^First packet time:\s+2026-01-06T01:31:29\.500330493Z \(1767663089\.500330493\)$/m);
    expect(r.stdout).toMatch(/^Damaged:\s+no$/m);
  });
});

describe('the command line', () => {
  it('--help on the program and on info, --version', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('pcapviz info <captures..>');
    expect(help.stdout).toContain('Exit codes:');
    const infoHelp = runCli(['info', '--help']);
    expect(infoHelp.stdout).toContain('--format');
    const version = runCli(['--version']);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it('unknown options and commands are errors (exit 1)', () => {
    const r = runCli(['info', PPTP, '--no-such-option']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Unknown argument/i);
    expect(runCli(['frobnicate']).status).toBe(1);
    expect(runCli([]).status).toBe(1);
    expect(runCli(['info', PPTP, '--format', 'xml']).status).toBe(1);
  });

  it('prints a shell completion script', () => {
    const r = runCli(['completion']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('pcapviz');
    expect(r.stdout).toMatch(/complete|compdef/);
  });
});
