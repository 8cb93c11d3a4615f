/**
 * Frames spread over worker threads must give exactly the bytes one thread gives: same lines,
 * same order, same TCP analysis, same exit code and damage warning.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const CORPUS = new URL('../../../shared/corpus/captures/', import.meta.url).pathname;
const CAPTURES = [
  'pcapplusplus__example.pcap', // many hosts and TCP connections
  'ndpi__alexa-app.pcapng', // pcapng
  'arkime__wireshark-retrans.pcap', // retransmissions
  'ndpi__fuzz-2006-06-26-2594.pcap', // damaged
].filter((f) => existsSync(CORPUS + f));

const SERIAL = { PCAPVIZ_THREADS: '1' };
const PARALLEL = { PCAPVIZ_THREADS: '2', PCAPVIZ_PARALLEL_MIN_BYTES: '0' };
const FIELDS = ['-e', 'frame.number', '-e', 'frame.time_relative', '-e', 'frame.time_delta', '-e', 'ip.src', '-e', 'tcp.seq', '-e', 'tcp.analysis.retransmission', '-e', 'dns.qry.name'];

describe.skipIf(CAPTURES.length === 0)('parallel packet loop', () => {
  it.each(CAPTURES)('list and fields of %s are the same in one thread and in two', (file) => {
    const path = CORPUS + file;
    for (const args of [['list', path, '-t', 'd', '--format', 'json'], ['fields', path, ...FIELDS]]) {
      const one = runCli(args, undefined, SERIAL);
      const two = runCli(args, undefined, PARALLEL);
      expect(two.stdout.length).toBeGreaterThan(0);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
      expect(two.status).toBe(one.status);
    }
  });

  it('fields numbered across the capture (tcp.stream) stay in one thread and still agree', () => {
    const path = CORPUS + CAPTURES[0]!;
    const args = ['fields', path, '-e', 'tcp.stream'];
    expect(runCli(args, undefined, PARALLEL).stdout).toBe(runCli(args, undefined, SERIAL).stdout);
  });
});
