// Display filters: any text compiles or raises FilterError; a compiled filter runs on real
// packets (the first 60 of fixtures/small-office.pcapng, dissected in full) without throwing.
import { checkFilter, samplePackets, textOf } from '../dist/craft/fuzz-targets.js';

const packets = await samplePackets(new URL('../fixtures/small-office.pcapng', import.meta.url).pathname, 60);

export function fuzz(data) {
  checkFilter(textOf(data), packets);
}
