// A module resolve hook for tests (node --experimental-loader): appends every URL it resolves to
// the file named by PCAPVIZ_LOADS, one per line.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.PCAPVIZ_LOADS) appendFileSync(process.env.PCAPVIZ_LOADS, `${r.url}\n`);
  return r;
}
