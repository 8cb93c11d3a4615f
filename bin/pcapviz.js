#!/usr/bin/env node
// V8 moves objects from allocation sites it sees survive into the old generation at once
// ("pretenuring"); dissection makes many short-lived objects at sites that sometimes survive, and
// pretenured ones then wait for a full collection. Turned off before any of our code loads:
// `list` of a 1M-packet capture peaks about 30 MB lower and takes about 10% less CPU
// (docs/decisions.md §9).
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--no-allocation-site-pretenuring');
// A signal while the modules load ends with the code the CLI's own handlers give. Once those are
// added these step aside; they stay registered, so a signal already on its way is not lost.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(code);
  });
}
// The bundled CLI (scripts/bundle.mjs) loads a few files rather than about 300 modules; it is
// run only while it is not older than the modules it was made from (a build without bundling
// after it leaves it stale).
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
const fresh = statSync(bundled, { throwIfNoEntry: false })?.mtimeMs >= (statSync(modules, { throwIfNoEntry: false })?.mtimeMs ?? Infinity);
const { main } = await import(fresh ? bundled : modules);
main(process.argv.slice(2));
