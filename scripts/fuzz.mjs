#!/usr/bin/env node
// Coverage-guided fuzzing with Jazzer.js (needs `npm run build`: the targets run dist/, and only
// dist/ is instrumented). Targets live in fuzz/: reader, dissector, filter, craft.
//
//   node scripts/fuzz.mjs all --time 25            # every target for 25 s, one after another (CI)
//   node scripts/fuzz.mjs dissector --time 600     # one target for ten minutes
//   node scripts/fuzz.mjs reader filter --time 300 --jobs 2
//
// Seeds are made at every run under .fuzz/seeds/<target>/ (ignored by git): the readers get the
// corpus captures of ../shared/corpus/captures (cut to --max-len bytes), the dissector the
// packets of the first frames of those captures behind the selector of each entry point their
// layers belong to, the filter target the filters of test/filter/conformance.json, the craft
// target the expressions quoted in test/craft/. What the fuzzer learns is kept in
// .fuzz/corpus/<target>/ between runs (--fresh starts from the seeds alone, as CI does).
// A crash stops the target; its input is written to .fuzz/findings/<target>/ and named here.
// Exit status: 0 when no target crashed, 1 otherwise.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const TARGETS = ['reader', 'dissector', 'filter', 'craft'];
const CAPTURES = join(root, '..', 'shared', 'corpus', 'captures');
const CAPTURE_NAME = /\.(pcap|pcapng|cap|snoop)(\.gz|\.zst)?$/;

const args = process.argv.slice(2);

// `save TARGET INPUT NAME`: a finding becomes fixtures/regress/TARGET-NAME.(pcap|txt|bin), what
// test/hardening/regress.test.ts replays. A dissector input becomes a one-packet pcap with the
// link type and outer headers the selector chose (a .bin of the raw input for entry points
// reached without a real link type); reader inputs are capture files as they are.
if (args[0] === 'save') {
  const [, target, input, name] = args;
  if (!TARGETS.includes(target) || input === undefined || !/^[a-z0-9-]+$/.test(name ?? '')) {
    console.error('usage: node scripts/fuzz.mjs save reader|dissector|filter|craft INPUT NAME (lower case, digits, dashes)');
    process.exit(1);
  }
  const bytes = readFileSync(input);
  const out = join(root, 'fixtures', 'regress', `${target}-${name}`);
  mkdirSync(dirname(out), { recursive: true });
  let file;
  if (target === 'reader') {
    const { sniff } = await import(pathToFileURL(join(root, 'dist', 'capture', 'sniff.js')).href);
    const kind = sniff(bytes).kind;
    file = `${out}.${{ pcap: 'pcap', pcapng: 'pcapng', snoop: 'snoop', gzip: 'gz', zstd: 'zst' }[kind] ?? 'bin'}`;
    writeFileSync(file, bytes);
  } else if (target === 'dissector') {
    const lib = await import(pathToFileURL(join(root, 'dist', 'craft', 'fuzz-targets.js')).href);
    const w = await import(pathToFileURL(join(root, 'dist', 'capture', 'write-capture.js')).href);
    const d = lib.dissectorInput(bytes);
    if (d === undefined) throw new Error('too short for a dissector input');
    if (d.linkType > 0xffff) {
      file = `${out}.bin`;
      writeFileSync(file, bytes);
    } else {
      file = `${out}.pcap`;
      const o = { linkType: d.linkType };
      writeFileSync(file, Buffer.concat([w.encodePcapHeader(o), w.encodePcapRecord({ tsSec: 1_700_000_000, tsNsec: 0, data: d.data, origLen: d.origLen }, o)]));
    }
    console.log(`entry point: ${d.entry.table} ${d.entry.key ?? '(heuristics)'} → ${d.entry.protocol}`);
  } else {
    file = `${out}.txt`;
    writeFileSync(file, bytes);
  }
  console.log(`wrote ${file}`);
  process.exit(0);
}
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const seconds = Number(opt('time', '25'));
const jobs = Math.max(1, Number(opt('jobs', '1')));
const timeoutMs = Number(opt('timeout', '5000'));
const fresh = flag('fresh');
const names = args.length === 0 || args.includes('all') ? TARGETS : args;
for (const n of names) {
  if (!TARGETS.includes(n)) {
    console.error(`unknown target "${n}" (targets: ${TARGETS.join(', ')}, all)`);
    process.exit(1);
  }
}
if (!existsSync(join(root, 'dist', 'craft', 'fuzz-targets.js'))) {
  console.error('dist/ is missing or old: run `npm run build` first');
  process.exit(1);
}

const work = join(root, '.fuzz');
const lib = await import(pathToFileURL(join(root, 'dist', 'craft', 'fuzz-targets.js')).href);

function writeSeeds(dir, seeds) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const seen = new Set();
  for (const s of seeds) {
    const h = createHash('sha1').update(s).digest('hex');
    if (seen.has(h)) continue;
    seen.add(h);
    writeFileSync(join(dir, h), s);
  }
  return seen.size;
}

function captureFiles() {
  if (!existsSync(CAPTURES)) return [];
  return readdirSync(CAPTURES).filter((n) => CAPTURE_NAME.test(n)).sort().map((n) => join(CAPTURES, n));
}

function regressFiles(prefix) {
  const dir = join(root, 'fixtures', 'regress');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.startsWith(`${prefix}-`)).sort().map((n) => join(dir, n));
}

/** Dictionary entries as libFuzzer reads them: one quoted token a line. */
function writeDict(file, tokens) {
  const quote = (t) => `"${[...Buffer.from(t, 'utf8')].map((b) => (b === 0x22 || b === 0x5c || b < 0x20 || b > 0x7e ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b))).join('')}"`;
  writeFileSync(file, [...new Set(tokens)].filter((t) => t.length > 0).map(quote).join('\n') + '\n');
}

const MAX_LEN = { reader: 32768, dissector: 2048, filter: 512, craft: 512 };

async function prepare(target) {
  const seedDir = join(work, 'seeds', target);
  const dictFile = join(work, 'dict', `${target}.dict`);
  mkdirSync(dirname(dictFile), { recursive: true });
  let seeds = [];
  let dict;
  if (target === 'reader') {
    for (const f of [...captureFiles(), ...readdirSync(join(root, 'fixtures')).filter((n) => CAPTURE_NAME.test(n)).map((n) => join(root, 'fixtures', n)), ...regressFiles('reader')]) {
      const bytes = readFileSync(f);
      seeds.push(bytes.subarray(0, MAX_LEN.reader));
    }
    dict = undefined;
  } else if (target === 'dissector') {
    const { openCapture } = await import(pathToFileURL(join(root, 'dist', 'capture', 'index.js')).href);
    const { Dissector } = await import(pathToFileURL(join(root, 'dist', 'dissect', 'dissect-packet.js')).href);
    const { defaultRegistry } = await import(pathToFileURL(join(root, 'dist', 'dissect', 'protocols', 'index.js')).href);
    const entries = lib.dissectorEntries();
    const byProtocol = new Map();
    entries.forEach((e, i) => {
      const list = byProtocol.get(e.protocol) ?? [];
      list.push(i);
      byProtocol.set(e.protocol, list);
    });
    const perEntry = new Map();
    const d = new Dissector(defaultRegistry(), { mode: 'full' });
    const add = (i, payload) => {
      const n = perEntry.get(i) ?? 0;
      if (n >= 6) return;
      perEntry.set(i, n + 1);
      seeds.push(Buffer.concat([lib.dissectorSelector(i), payload.subarray(0, MAX_LEN.dissector - 3)]));
    };
    for (let i = 0; i < entries.length; i++) add(i, Buffer.alloc(0));
    for (const f of captureFiles()) {
      let reader;
      try {
        reader = await openCapture(f);
        let k = 0;
        for await (const fr of reader) {
          if (++k > 20) break;
          if (fr.kind !== 'packet') continue;
          const data = Buffer.from(fr.data);
          const lt = entries.findIndex((e) => e.table === 'linktype' && e.key === fr.linkType);
          if (lt >= 0) add(lt, data);
          for (const l of d.dissect(fr).layers) for (const i of byProtocol.get(l.protocol) ?? []) if (entries[i].table !== 'linktype') add(i, data.subarray(l.offset));
        }
      } catch {
        // a capture the reader refuses gives no packets
      } finally {
        await reader?.close();
      }
    }
    for (const f of regressFiles('dissector')) {
      const reader = await openCapture(f);
      for await (const fr of reader) {
        const lt = entries.findIndex((e) => e.table === 'linktype' && e.key === fr.linkType);
        if (lt >= 0) seeds.push(Buffer.concat([lib.dissectorSelector(lt, fr.origLen - fr.capLen), fr.data]));
      }
    }
    dict = undefined;
  } else if (target === 'filter') {
    const cases = JSON.parse(readFileSync(join(root, 'test', 'filter', 'conformance.json'), 'utf8')).cases;
    seeds = cases.map((c) => Buffer.from(c.filter));
    for (const f of regressFiles('filter')) seeds.push(readFileSync(f));
    const { defaultRegistry } = await import(pathToFileURL(join(root, 'dist', 'dissect', 'protocols', 'index.js')).href);
    const r = defaultRegistry();
    dict = [
      ...['==', '!=', '===', '!==', '~=', '>', '<', '>=', '<=', '&&', '||', '^^', '!', 'and', 'or', 'xor', 'not', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'contains', 'matches', 'in', 'any', 'all', 'bitand', '&', '[', ']', '{', '}', '(', ')', ':', '-', ',', '..', '"', "'", '\\x', '$', '@', '#', 'len(', 'count(', 'upper(', 'lower(', 'string(', 'max(', 'min(', 'abs(', 'vals(', 'true', 'false', 'TRUE', 'FALSE'],
      ...r.protocols.keys(),
      ...[...r.fields.keys()].filter((_, i) => i % 4 === 0),
      'tcp.port', 'ip.addr', 'ipv6.addr', 'eth.addr', 'frame.len', 'frame.time', 'frame.time_relative', 'frame.protocols', 'dns.qry.name', 'http.host',
      '10.0.0.1', '10.0.0.0/8', 'fe80::1', '::/0', '00:11:22:33:44:55', '0x1f', '1.5', '"Jan  1, 2024 00:00:00"',
    ];
  } else {
    const exprs = new Set();
    const { FUZZ_TEMPLATES } = await import(pathToFileURL(join(root, 'dist', 'craft', 'fuzz-check.js')).href);
    for (const t of FUZZ_TEMPLATES) exprs.add(t);
    const dir = join(root, 'test', 'craft');
    for (const n of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(dir, n), 'utf8');
      for (const m of text.matchAll(/(['`])((?:[A-Z][A-Za-z0-9_]*\((?:\\.|(?!\1).)*?\)\s*\/?\s*)+)\1/g)) exprs.add(m[2].replace(/\\\\/g, '\\'));
    }
    seeds = [...exprs].map((e) => Buffer.from(e));
    for (const f of regressFiles('craft')) seeds.push(readFileSync(f));
    const { LAYERS } = await import(pathToFileURL(join(root, 'dist', 'craft', 'layers', 'index.js')).href);
    dict = ['/', '(', ')', '=', ',', '[', ']', '"', "'", 'b"', '\\x', '0x', '(1,5)', '[1,2]', '*', '-1', '1e9', '18446744073709551616'];
    for (const [name, b] of Object.entries(LAYERS)) {
      dict.push(`${name}(`, name);
      for (const f of Object.keys(b.def.fields)) dict.push(`${f}=`);
    }
  }
  const count = writeSeeds(seedDir, seeds);
  if (dict !== undefined) writeDict(dictFile, dict);
  return { seedDir, dictFile: dict === undefined ? undefined : dictFile, seeds: count };
}

function runTarget(target, prep) {
  const corpus = fresh ? mkdtempSync(join(tmpdir(), `pcapviz-fuzz-${target}-`)) : join(work, 'corpus', target);
  mkdirSync(corpus, { recursive: true });
  const findings = join(work, 'findings', target);
  mkdirSync(findings, { recursive: true });
  const cli = join(root, 'node_modules', '@jazzer.js', 'core', 'dist', 'cli.js');
  const jazzerArgs = [
    cli,
    join(root, 'fuzz', `${target}.mjs`),
    corpus,
    prep.seedDir,
    '--includes', `${join(root, 'dist')}/`,
    '--timeout', String(timeoutMs),
    ...(target === 'reader' ? [] : ['--sync']),
    '--',
    `-max_total_time=${seconds}`,
    `-max_len=${MAX_LEN[target]}`,
    `-artifact_prefix=${findings}/`,
    '-print_final_stats=1',
    ...(prep.dictFile !== undefined ? [`-dict=${prep.dictFile}`] : []),
  ];
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(root, 'fuzz', 'jazzer-compat.cjs')}`.trim() };
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=2048', ...jazzerArgs], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (c) => {
      out += c.toString();
      if (out.length > 4_000_000) out = out.slice(-2_000_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // libFuzzer stops itself after max_total_time; this only catches a fuzzer that does not.
    const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 120) * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      const secs = (performance.now() - started) / 1000;
      // The final count; a run that ended while still reading its seeds prints no summary, only
      // the last progress line ("#N INITED ...", "#N NEW ...").
      const progress = [...out.matchAll(/^#(\d+)\s/gm)];
      const runs = Number(/stat::number_of_executed_units:\s*(\d+)/.exec(out)?.[1] ?? /Done (\d+) runs/.exec(out)?.[1] ?? progress[progress.length - 1]?.[1] ?? NaN);
      if (process.env['PCAPVIZ_FUZZ_LOG'] !== undefined) writeFileSync(`${process.env['PCAPVIZ_FUZZ_LOG']}.${target}`, out);
      const covs = [...out.matchAll(/cov: (\d+) ft: (\d+) corp: (\d+)/g)];
      const last = covs[covs.length - 1];
      const artifact = /Test unit written to (\S+)/.exec(out)?.[1];
      const crashed = code !== 0 || signal !== null;
      if (fresh) rmSync(corpus, { recursive: true, force: true });
      resolve({ target, code, signal, secs, runs, edges: last ? Number(last[1]) : NaN, features: last ? Number(last[2]) : NaN, corpus: last ? Number(last[3]) : NaN, seeds: prep.seeds, artifact, crashed, log: out });
    });
  });
}

const results = [];
const queue = [...names];
const preps = new Map();
for (const t of names) preps.set(t, await prepare(t));
async function worker() {
  for (;;) {
    const t = queue.shift();
    if (t === undefined) return;
    console.log(`fuzzing ${t} for ${seconds} s (${preps.get(t).seeds} seeds)`);
    const r = await runTarget(t, preps.get(t));
    results.push(r);
    const what = r.crashed ? `CRASH (exit ${r.code ?? r.signal})` : 'ok';
    console.log(`  ${t}: ${what}: ${Number.isNaN(r.runs) ? '?' : r.runs.toLocaleString('en')} executions in ${r.secs.toFixed(1)} s, ${r.edges} edges, ${r.features} features, corpus ${r.corpus}`);
    if (r.crashed) {
      const lines = r.log.split('\n');
      const at = lines.findIndex((l) => /Uncaught Exception|ERROR: libFuzzer|==\d+== ERROR|timeout after/i.test(l));
      console.log(lines.slice(Math.max(0, at), at + 14).map((l) => `    ${l}`).join('\n'));
      if (r.artifact !== undefined) console.log(`  input: ${r.artifact}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker));
const total = results.reduce((n, r) => n + (Number.isNaN(r.runs) ? 0 : r.runs), 0);
const crashed = results.filter((r) => r.crashed);
console.log(`${results.length} target(s), ${total.toLocaleString('en')} executions, ${crashed.length} crash(es)${crashed.length ? `: ${crashed.map((r) => r.target).join(', ')}` : ''}`);
process.exitCode = crashed.length === 0 ? 0 : 1;
