// Craft expressions: any text compiles or raises CraftError; the first packets of a compiled
// expression build (or raise CraftError) and dissect back without a throw, invariants holding.
import { checkCraft, textOf } from '../dist/craft/fuzz-targets.js';

export function fuzz(data) {
  checkCraft(textOf(data));
}
