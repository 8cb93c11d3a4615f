// Preloaded into benchmarked Node processes (node --import): reports the peak resident set size.
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
