#!/usr/bin/env node
// pcapviz benchmark: reader throughput and peak memory against peers measured in the same run.
//
//   npm run bench                      # bench-1m.pcap (generated into $PCAPVIZ_BENCH_DIR or /tmp)
//   npm run bench -- --packets 100000  # a smaller capture
//   npm run bench -- --runs 7
//   npm run bench -- --groups fields,list    # reader, fields, list, filter, stats, graph, pdfdump, report, batch (default all)
//
// Every figure is the median of --runs whole-process runs (start-up included), commands
// interleaved so that machine noise hits them alike. Ratios are what count; see docs/testing.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const packets = Number(opt('packets', '1000000'));
const runs = Number(opt('runs', '5'));
const dir = process.env.PCAPVIZ_BENCH_DIR ?? '/tmp';
const shared = join(root, '..', 'shared', 'bench');
const label = packets % 1_000_000 === 0 ? `${packets / 1_000_000}m` : `${Math.round(packets / 1000)}k`;
const file = opt('file', join(dir, `bench-${label}.pcap`));

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}
if (!existsSync(file)) {
  const gen = join(shared, 'gen-capture.mjs');
  if (!existsSync(gen)) {
    console.error(`bench: ${file} is missing and ${gen} is not there to make it`);
    process.exit(1);
  }
  console.error(`bench: generating ${file} (${packets} packets, seed 1) ...`);
  execFileSync(process.execPath, [gen, '--packets', String(packets), '--seed', '1', '-o', file], { stdio: 'inherit' });
}
const size = statSync(file).size;
execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 }); // warm the page cache

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// Peak RSS comes from GNU time (the child's own rusage). Without it, Node commands report their
// own maxRSS, which Linux inflates with the memory of the process that started them.
const gnuTime = have('/usr/bin/time');
const timed = (argv) => (gnuTime ? ['/usr/bin/time', '-f', 'PEAK_RSS_KB=%M', ...argv] : argv);
const node = (script, ...rest) =>
  gnuTime ? timed([process.execPath, script, ...rest]) : [process.execPath, '--import', join(root, 'scripts', 'report-rss.mjs'), script, ...rest];

const pv = (...args) => node(join(root, 'bin', 'pcapviz.js'), ...args);
const FIELDS = ['-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport'];
const groups = (opt('groups', 'reader,fields,list,filter,stats,graph,pdfdump,report,batch')).split(',');
const commands = [];
const peer = (name, cmd, argv, group) => {
  if (have(cmd)) commands.push({ name, argv: timed(argv), role: 'peer', group });
  else console.error(`bench: ${cmd} is not installed; "${name}" is left out (apt-get install ${cmd === 'tcpdump' ? 'tcpdump' : 'tshark'})`);
};
if (groups.includes('reader')) {
  commands.push({ name: 'floor.mjs (walk record headers, Node)', argv: node(join(shared, 'floor.mjs'), file), role: 'floor', group: 'reader' });
  commands.push({ name: 'pcapviz reader (every frame as a view)', argv: node(join(root, 'scripts', 'bench-read.mjs'), file), role: 'reader', group: 'reader' });
  commands.push({ name: 'pcapviz info --format json', argv: pv('info', file, '--format', 'json'), role: 'info', group: 'reader' });
  peer('capinfos -c -s -d -u -y -i -z', 'capinfos', ['capinfos', '-c', '-s', '-d', '-u', '-y', '-i', '-z', file], 'reader');
}
if (groups.includes('fields')) {
  commands.push({ name: 'pcapviz fields (4 fields)', argv: pv('fields', file, ...FIELDS), role: 'fields', group: 'fields' });
  peer('tshark -T fields (4 fields)', 'tshark', ['tshark', '-n', '-r', file, '-T', 'fields', ...FIELDS], 'fields');
}
if (groups.includes('list')) {
  commands.push({ name: 'pcapviz list', argv: pv('list', file), role: 'list', group: 'list' });
  peer('tcpdump -nn -r', 'tcpdump', ['tcpdump', '-nn', '-r', file], 'list');
  peer('tshark (one line per packet)', 'tshark', ['tshark', '-n', '-r', file], 'list');
}
const FILTER = 'tcp.port == 443 && tcp.flags.syn == 1';
if (groups.includes('filter')) {
  // A display filter over every packet, one line per matching packet, against the same tshark command.
  commands.push({ name: 'pcapviz list -Y (SYN to/from 443)', argv: pv('list', '-Y', FILTER, file), role: 'filter', group: 'filter' });
  peer('tshark -Y (SYN to/from 443)', 'tshark', ['tshark', '-n', '-r', file, '-Y', FILTER], 'filter');
}
if (groups.includes('stats')) {
  commands.push({ name: 'pcapviz stats conv --type tcp', argv: pv('stats', 'conv', '--type', 'tcp', file), role: 'convtcp', group: 'stats' });
  peer('tshark -q -z conv,tcp', 'tshark', ['tshark', '-n', '-q', '-r', file, '-z', 'conv,tcp'], 'stats');
  // Every table in one pass, against tshark making conversations and endpoints of the same five
  // types and the protocol hierarchy in one run.
  commands.push({ name: 'pcapviz stats all', argv: pv('stats', 'all', file), role: 'statsall', group: 'stats' });
  const kinds = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];
  const z = [...kinds.flatMap((k) => ['-z', `conv,${k}`]), ...kinds.flatMap((k) => ['-z', `endpoints,${k}`]), '-z', 'io,phs'];
  peer('tshark -q conv+endpoints x5, io,phs', 'tshark', ['tshark', '-n', '-q', '-r', file, ...z], 'stats');
}
if (groups.includes('report')) {
  // The report is every stats table plus its charts and graph from the same one pass: its
  // reference is stats all on the same file.
  if (!groups.includes('stats')) commands.push({ name: 'pcapviz stats all', argv: pv('stats', 'all', file), role: 'statsall', group: 'report' });
  commands.push({ name: 'pcapviz report -o x.html', argv: pv('report', file, '-o', join(dir, 'bench-report.html')), role: 'report', group: 'report' });
}
if (groups.includes('graph')) {
  // The graph is drawn from the conversation tables: its reference is stats conv on the same file.
  const png = join(dir, 'bench-graph.png');
  commands.push({ name: 'pcapviz stats conv --format json', argv: pv('stats', 'conv', file, '--format', 'json'), role: 'statsconv', group: 'graph' });
  commands.push({ name: 'pcapviz graph -o x.png (top 40)', argv: pv('graph', file, '-o', png), role: 'graph', group: 'graph' });
  commands.push({ name: 'pcapviz graph --top 0 -o x.png', argv: pv('graph', file, '--top', '0', '-o', png), role: 'graphall', group: 'graph' });
}
// pdfdump: the first 2,000 packets of bench-100k.pcap (a prefix of bench-1m), one packet per
// page, against a stand-in of plain pdfkit pages with about as much on them (40 lines of Courier
// hex, 30 filled rectangles, 30 lines of text); peak memory dumping 10,000 packets; Scapy's
// pdfdump (PyX and LaTeX) on a few packets where it is installed.
const PDF_PACKETS = 2000;
const PDF_BIG = 10000;
const STANDIN_PAGES = 2000;
const SCAPY_PACKETS = 5;
const pdfFile = join(dir, 'bench-100k.pcap');
const pdfOut = join(dir, 'bench-pdfdump.pdf');
if (groups.includes('pdfdump')) {
  if (!existsSync(pdfFile)) {
    console.error(`bench: generating ${pdfFile} (100,000 packets, seed 1) ...`);
    execFileSync(process.execPath, [join(shared, 'gen-capture.mjs'), '--packets', '100000', '--seed', '1', '-o', pdfFile], { stdio: 'inherit' });
  }
  commands.push({ name: `pcapviz pdfdump -c ${PDF_PACKETS.toLocaleString('en-US')}`, argv: pv('pdfdump', pdfFile, '-c', String(PDF_PACKETS), '-o', pdfOut), role: 'pdfdump', group: 'pdfdump', packets: PDF_PACKETS });
  commands.push({ name: `pdfkit stand-in (${STANDIN_PAGES.toLocaleString('en-US')} pages)`, argv: node(join(root, 'scripts', 'bench-pdf-standin.mjs'), '--pages', String(STANDIN_PAGES), '-o', join(dir, 'bench-standin.pdf')), role: 'standin', group: 'pdfdump', packets: STANDIN_PAGES });
  commands.push({ name: `pcapviz pdfdump -c ${PDF_BIG.toLocaleString('en-US')} (memory)`, argv: pv('pdfdump', pdfFile, '-c', String(PDF_BIG), '-o', join(dir, 'bench-pdfdump-big.pdf')), role: 'pdfdumpbig', group: 'pdfdump', packets: PDF_BIG });
  // The first Python on PATH may be another installation than the one Debian's packages went into.
  const python = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import scapy.all, pyx'], { stdio: 'ignore' }).status === 0);
  const scapy = python !== undefined && have('latex');
  if (scapy) {
    const script = `from scapy.all import rdpcap\nfor i, p in enumerate(rdpcap(${JSON.stringify(pdfFile)}, count=${SCAPY_PACKETS})): p.pdfdump(${JSON.stringify(join(dir, 'bench-scapy-'))} + str(i) + '.pdf')`;
    commands.push({ name: `scapy pdfdump (${SCAPY_PACKETS} packets)`, argv: timed([python, '-c', script]), role: 'scapy', group: 'pdfdump', packets: SCAPY_PACKETS });
  } else console.error('bench: Scapy with PyX and LaTeX is not installed; its pdfdump is left out (apt-get install python3-scapy python3-pyx texlive-latex-base)');
}
// batch: 200 copies of mixed corpus captures (small and large, pcap and pcapng, one gzipped) in
// nested folders made here, every capture redone (--force), with one worker against two in the
// same run; captures/s and packets/s of each, and the speed-up (target 1.7x on 2 cores).
const BATCH_COPIES = Number(opt('batch-copies', '200'));
const BATCH_SOURCES = [
  'pcapplusplus__many-protocols.pcap',
  'pcapplusplus__four_ipv6_http_streams.pcap',
  'pcapplusplus__DnsPackets.pcap',
  'tcpdump__dns-badlabel.pcap',
  'ndpi__snmp.pcap',
  'arkime__80211http.pcap',
  'packetnet__udp-ip-fragmented.pcap',
  'scapy__http_chunk.pcap.gz',
  'tcpdump__edns-opts.pcap',
  'ndpi__bets.pcapng',
];
let batchPackets = 0;
let batchBytes = 0;
if (groups.includes('batch')) {
  const corpus = join(root, '..', 'shared', 'corpus', 'captures');
  const input = join(dir, 'bench-batch-in');
  rmSync(input, { recursive: true, force: true });
  const perSource = new Map();
  for (const name of BATCH_SOURCES) {
    const info = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'pcapviz.js'), 'info', join(corpus, name), '--format', 'json'], { encoding: 'utf8' }));
    perSource.set(name, info.packets);
  }
  for (let i = 0; i < BATCH_COPIES; i++) {
    const name = BATCH_SOURCES[i % BATCH_SOURCES.length];
    const sub = join(input, `day-${String(i % 7).padStart(2, '0')}`, `host-${i % 3}`);
    mkdirSync(sub, { recursive: true });
    copyFileSync(join(corpus, name), join(sub, `${String(i).padStart(3, '0')}-${name}`));
    batchPackets += perSource.get(name);
    batchBytes += statSync(join(corpus, name)).size;
  }
  for (const jobs of [1, 2]) {
    const out = join(dir, `bench-batch-out-${jobs}`);
    commands.push({ name: `pcapviz batch (${BATCH_COPIES} captures, --jobs ${jobs})`, argv: pv('batch', input, '-o', out, '--jobs', String(jobs), '--force', '--quiet'), role: `batch${jobs}`, group: 'batch', packets: batchPackets, bytes: batchBytes });
  }
}
const devnull = openSync('/dev/null', 'w');
const samples = new Map(commands.map((c) => [c.name, { wall: [], rss: [], layout: [] }]));
for (let r = 0; r < runs; r++) {
  for (const c of r % 2 === 0 ? commands : [...commands].reverse()) {
    const t0 = process.hrtime.bigint();
    // Output goes to /dev/null, as in `CMD > /dev/null`: we time the tools, not a pipe.
    const res = spawnSync(c.argv[0], c.argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', devnull, 'pipe'] });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (res.status !== 0) {
      console.error(`bench: ${c.name} failed (${res.status}): ${res.stderr.slice(0, 400)}`);
      process.exit(1);
    }
    const m = /PEAK_RSS_KB=(\d+)/.exec(res.stderr);
    samples.get(c.name).wall.push(wall);
    samples.get(c.name).rss.push(m ? Number(m[1]) / 1024 : NaN);
    const lay = /layout ([\d.]+) s\)/.exec(res.stderr); // graph: the layout's own time
    if (lay) samples.get(c.name).layout.push(Number(lay[1]));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const floorCmd = commands.find((c) => c.role === 'floor');
// Without the reader group the floor is not run: its column then shows a dash.
const floorWall = floorCmd ? median(samples.get(floorCmd.name).wall) : NaN;
console.log(`\n${file}: ${(size / 1e6).toFixed(1)} MB, ${packets.toLocaleString('en-US')} packets; median of ${runs} runs, start-up included\n`);
console.log(`${'command'.padEnd(42)} ${'wall s'.padStart(7)} ${'packets/s'.padStart(11)} ${'MB/s'.padStart(7)} ${'peak RSS MiB'.padStart(13)} ${'vs floor'.padStart(9)}`);
const result = {};
for (const c of commands) {
  const s = samples.get(c.name);
  const wall = median(s.wall);
  const rss = median(s.rss);
  const ratio = floorWall / wall;
  result[c.role === 'peer' ? c.name : c.role] = { wall, rss, ratio, layout: s.layout.length > 0 ? median(s.layout) : undefined };
  console.log(
    `${c.name.padEnd(42)} ${wall.toFixed(3).padStart(7)} ${Math.round((c.packets ?? packets) / wall).toLocaleString('en-US').padStart(11)} ${((c.bytes ?? size) / 1e6 / wall).toFixed(0).padStart(7)} ${(Number.isNaN(rss) ? 'n/a' : rss.toFixed(0)).padStart(13)} ${(Number.isNaN(ratio) ? '—' : ratio.toFixed(2)).padStart(9)}`,
  );
}
const line = (label, value, target) => console.log(`${label.padEnd(58)} ${value}${target ? `   (target ${target})` : ''}`);
console.log('');
if (result.reader) {
  line('reader throughput vs the Node floor', `${(result.reader.ratio * 100).toFixed(0)}%`, '>= 70%');
  line('reader peak RSS', `${result.reader.rss.toFixed(0)} MiB`, '< 100 MB');
}
const byName = (n) => result[n];
if (result.fields && byName('tshark -T fields (4 fields)')) {
  line('fields: tshark time / pcapviz time', `${(byName('tshark -T fields (4 fields)').wall / result.fields.wall).toFixed(1)}x`, '>= 10x');
}
if (result.fields) line('fields peak RSS', `${result.fields.rss.toFixed(0)} MiB`, '< 150 MB');
if (result.list && byName('tcpdump -nn -r')) line('list: tcpdump time / pcapviz time', `${(byName('tcpdump -nn -r').wall / result.list.wall).toFixed(2)}x`, '>= 1x');
if (result.list && byName('tshark (one line per packet)')) line('list: tshark time / pcapviz time', `${(byName('tshark (one line per packet)').wall / result.list.wall).toFixed(1)}x`, '>= 5x');
if (result.graph?.layout !== undefined) line('graph (top 40): layout time', `${result.graph.layout.toFixed(2)} s`, '< 1 s');
if (result.graph && result.statsconv) line('graph (top 40): graph time / stats conv time', `${(result.graph.wall / result.statsconv.wall).toFixed(2)}x`, '<= 1.5x');
if (result.graphall && result.statsconv) {
  line('graph --top 0: wall', `${result.graphall.wall.toFixed(1)} s (${(result.graphall.wall / result.statsconv.wall).toFixed(2)}x stats conv)`, '< 30 s');
}
const convPeer = byName('tshark -q -z conv,tcp');
if (result.convtcp && convPeer) line('stats conv --type tcp: tshark time / pcapviz time', `${(convPeer.wall / result.convtcp.wall).toFixed(1)}x`, '>= 6x');
const allPeer = byName('tshark -q conv+endpoints x5, io,phs');
if (result.statsall && allPeer) line('stats all: tshark (conv, endpoints, io,phs) time / pcapviz time', `${(allPeer.wall / result.statsall.wall).toFixed(1)}x`, '>= 5x');
if (result.report && result.statsall) line('report: report time / stats all time', `${(result.report.wall / result.statsall.wall).toFixed(2)}x`, '< 2x');
if (result.report) line('report peak RSS', `${result.report.rss.toFixed(0)} MiB`);
if (result.statsall) line('stats all peak RSS', `${result.statsall.rss.toFixed(0)} MiB`, '< 300 MB');
if (result.list) line('list peak RSS', `${result.list.rss.toFixed(0)} MiB`, '< 150 MB');
const filterPeer = byName('tshark -Y (SYN to/from 443)');
if (result.filter && filterPeer) line('list -Y: tshark -Y time / pcapviz time', `${(filterPeer.wall / result.filter.wall).toFixed(1)}x`, '>= 5x');
if (result.filter) line('list -Y peak RSS', `${result.filter.rss.toFixed(0)} MiB`, '< 150 MB');
if (result.pdfdump) {
  // Pages of the dump, read from its page tree (pdfkit writes one /Count for the whole document).
  const pdf = readFileSync(pdfOut, 'latin1');
  const pages = Math.max(...[...pdf.matchAll(/\/Type \/Pages\n\/Count (\d+)/g)].map((m) => Number(m[1])));
  const pageRate = pages / result.pdfdump.wall;
  line('pdfdump: packets/s (bench-100k, first 2,000, one packet per page)', `${Math.round(PDF_PACKETS / result.pdfdump.wall)}`, '>= 100');
  line('pdfdump: pages and file size per page', `${pages.toLocaleString('en-US')} pages, ${(statSync(pdfOut).size / pages / 1024).toFixed(1)} KiB/page`);
  if (result.standin) {
    const standinRate = STANDIN_PAGES / result.standin.wall;
    line('pdfdump: page rate / pdfkit stand-in page rate', `${pageRate.toFixed(0)} / ${standinRate.toFixed(0)} pages/s = ${((pageRate / standinRate) * 100).toFixed(0)}%`, '>= 80%');
  }
  if (result.scapy) line('pdfdump: packets/s against Scapy pdfdump', `${(PDF_PACKETS / result.pdfdump.wall / (SCAPY_PACKETS / result.scapy.wall)).toFixed(0)}x (Scapy ${(SCAPY_PACKETS / result.scapy.wall).toFixed(2)} packets/s)`);
}
if (result.batch1 && result.batch2) {
  for (const j of [1, 2]) {
    const r = result[`batch${j}`];
    line(`batch --jobs ${j}: captures/s and packets/s`, `${(BATCH_COPIES / r.wall).toFixed(1)} captures/s, ${Math.round(batchPackets / r.wall).toLocaleString('en-US')} packets/s, ${r.rss.toFixed(0)} MiB peak`);
  }
  line('batch: --jobs 2 throughput / --jobs 1 throughput', `${(result.batch1.wall / result.batch2.wall).toFixed(2)}x`, '>= 1.7x');
}
if (result.pdfdumpbig) line(`pdfdump -c ${PDF_BIG.toLocaleString('en-US')}: peak RSS`, `${result.pdfdumpbig.rss.toFixed(0)} MiB`, '< 300 MB');
