/**
 * The flow model of a capture file in one call, for library users: open, dissect every frame
 * (summary mode, as `list`), learn names, build. `pcapviz flow` does the same through the
 * command's packet loop (which also reports damage on stderr and sets the exit code).
 */
import { basename } from 'node:path';
import { NameBook } from '../analyze/names.js';
import type { CaptureDamage } from '../capture/frame.js';
import { openCapture } from '../capture/read-capture.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import { FlowBuilder, type FlowBuildOptions, type FlowModel } from './model.js';

export interface FlowFromCaptureOptions extends FlowBuildOptions {
  /** Names learned from the capture under lifeline addresses (default true). */
  readonly names?: boolean | undefined;
  /** Words for what was selected, shown in the title (`tcp.stream 0`). */
  readonly selection?: readonly string[] | undefined;
}

/**
 * Reads a capture and returns its sequence diagram model, and the damage that ended reading
 * early, if any. Throws `CaptureError` when the file cannot be read at all.
 */
export async function flowFromCapture(path: string, o: FlowFromCaptureOptions): Promise<{ model: FlowModel; damage: CaptureDamage | undefined }> {
  const reader = await openCapture(path);
  const builder = new FlowBuilder(o);
  const book = o.names === false ? undefined : new NameBook();
  try {
    const dissector = new Dissector(defaultRegistry(), { mode: 'summary' });
    for await (const batch of reader.batches()) {
      for (const frame of batch) {
        const p = dissector.dissect(frame);
        book?.add(p);
        builder.add(p);
      }
    }
  } finally {
    await reader.close();
  }
  const model = builder.finish(path === '-' ? 'standard input' : basename(path), o.selection ?? [], book === undefined ? undefined : (a) => book.nameOf(a));
  return { model, damage: reader.damage };
}
