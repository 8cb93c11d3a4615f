// Capture readers: the bytes are a whole capture file (pcap, pcapng, snoop, gzip or zstd around
// them). Reading must end in frames, maybe with a damage report, or a CaptureError.
import { checkReader } from '../dist/craft/fuzz-targets.js';

export async function fuzz(data) {
  await checkReader(data);
}
