// Loaded with `node --import` before the CLI by the resource-bound tests: writes the process's
// peak resident set size (KiB) to $PCAPVIZ_MAX_RSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.PCAPVIZ_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
