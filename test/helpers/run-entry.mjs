// node run-entry.mjs ENTRY_URL ARGS_JSON: runs the CLI's `main` exported by ENTRY_URL (the
// bundle or the modules) with the given arguments, as bin/pcapviz.js does.
const [entry, args] = process.argv.slice(2);
const { main } = await import(entry);
await main(JSON.parse(args));
