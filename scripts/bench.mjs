#!/usr/bin/env node
// pcapviz benchmark: reader throughput and peak memory against peers measured in the same run.
//
//   npm run bench                      # bench-1m.pcap (generated into $PCAPVIZ_BENCH_DIR or /tmp)
//   npm run bench -- --packets 100000  # a smaller capture
//   npm run bench -- --runs 7
//
// Every figure is the median of --runs whole-process runs (start-up included), commands
// interleaved so that machine noise hits them alike. Ratios are what count; see docs/testing.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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

const commands = [
  { name: 'floor.mjs (walk record headers, Node)', argv: node(join(shared, 'floor.mjs'), file), role: 'floor' },
  { name: 'pcapviz reader (every frame as a view)', argv: node(join(root, 'scripts', 'bench-read.mjs'), file), role: 'reader' },
  { name: 'pcapviz info --format json', argv: node(join(root, 'bin', 'pcapviz.js'), 'info', file, '--format', 'json'), role: 'info' },
];
const peers = [
  { name: 'capinfos -c -s -d -u -y -i -z', cmd: 'capinfos', argv: timed(['capinfos', '-c', '-s', '-d', '-u', '-y', '-i', '-z', file]) },
  { name: 'tcpdump -nn -r FILE', cmd: 'tcpdump', argv: timed(['tcpdump', '-nn', '-r', file]) },
];
for (const p of peers) {
  if (have(p.cmd)) commands.push({ name: p.name, argv: p.argv, role: 'peer' });
  else console.error(`bench: ${p.cmd} is not installed; its line is left out (apt-get install ${p.cmd === 'capinfos' ? 'tshark' : p.cmd})`);
}

const samples = new Map(commands.map((c) => [c.name, { wall: [], rss: [] }]));
for (let r = 0; r < runs; r++) {
  for (const c of r % 2 === 0 ? commands : [...commands].reverse()) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(c.argv[0], c.argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (res.status !== 0) {
      console.error(`bench: ${c.name} failed (${res.status}): ${res.stderr.slice(0, 400)}`);
      process.exit(1);
    }
    const m = /PEAK_RSS_KB=(\d+)/.exec(res.stderr);
    samples.get(c.name).wall.push(wall);
    samples.get(c.name).rss.push(m ? Number(m[1]) / 1024 : NaN);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const floorWall = median(samples.get(commands[0].name).wall);
console.log(`\n${file}: ${(size / 1e6).toFixed(1)} MB, ${packets.toLocaleString('en-US')} packets; median of ${runs} runs, start-up included\n`);
console.log(`${'command'.padEnd(42)} ${'wall s'.padStart(7)} ${'packets/s'.padStart(11)} ${'MB/s'.padStart(7)} ${'peak RSS MiB'.padStart(13)} ${'vs floor'.padStart(9)}`);
const result = {};
for (const c of commands) {
  const s = samples.get(c.name);
  const wall = median(s.wall);
  const rss = median(s.rss);
  const ratio = floorWall / wall;
  result[c.role === 'peer' ? c.name : c.role] = { wall, rss, ratio };
  console.log(
    `${c.name.padEnd(42)} ${wall.toFixed(3).padStart(7)} ${Math.round(packets / wall).toLocaleString('en-US').padStart(11)} ${(size / 1e6 / wall).toFixed(0).padStart(7)} ${(Number.isNaN(rss) ? 'n/a' : rss.toFixed(0)).padStart(13)} ${ratio.toFixed(2).padStart(9)}`,
  );
}
const reader = result.reader;
console.log(
  `\nreader throughput = ${(reader.ratio * 100).toFixed(0)}% of the Node floor (target >= 70%); peak RSS ${reader.rss.toFixed(0)} MiB (target < 100 MiB)`,
);
