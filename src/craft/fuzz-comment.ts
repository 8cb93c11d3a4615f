/**
 * The packet comment `pcapviz fuzz` writes on a mutated packet, and the bytes it names: the
 * comment is how a mutation travels with its packet (pcapng `opt_comment`), and `pdfdump` marks
 * the bytes it names in the hex column.
 */

const PREFIX = /^fuzz: seed \S+ packet \d+ from packet \d+: /;
const BYTES = /\bat bytes? (\d+)(?:-(\d+))?|\bbit flip byte (\d+)\b/g;
/** Most bytes one named range marks (a duplicated option is short; a lie is at most 4 bytes). */
const MAX_RANGE = 64;

/** `fuzz: seed S packet K from packet N: change; change; ...`. */
export function mutationComment(seed: string, packet: number, from: number, changes: readonly string[]): string {
  return `fuzz: seed ${seed} packet ${packet} from packet ${from}: ${changes.join('; ')}`;
}

/** Offsets of the bytes a mutation comment says were changed (none for any other comment). */
export function mutatedBytes(comment: string): number[] {
  if (!PREFIX.test(comment)) return [];
  const out = new Set<number>();
  for (const m of comment.matchAll(BYTES)) {
    const from = Number(m[1] ?? m[3]);
    const to = m[2] !== undefined ? Number(m[2]) : from;
    for (let b = from; b <= Math.min(to, from + MAX_RANGE - 1); b++) out.add(b);
  }
  return [...out].sort((a, b) => a - b);
}
