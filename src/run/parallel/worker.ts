/**
 * A worker thread of the parallel packet loop: it gets the job once, then batches of frames
 * (all the frames of its conversations, in capture order), and answers each batch with the
 * records of its frames joined in one string plus where each record ends.
 */
import { parentPort } from 'node:worker_threads';
import { Dissector } from '../../dissect/dissect-packet.js';
import { defaultRegistry } from '../../dissect/protocols/index.js';
import { parseDecodeAs } from '../packet-loop.js';
import { createJob, type JobSpec, type PacketJob } from '../packet-jobs.js';
import { type FrameBatch, unpackBatch } from './frame-batch.js';

export type ToWorker =
  | { readonly type: 'job'; readonly spec: JobSpec; readonly decodeAs: readonly string[] }
  | { readonly type: 'batch'; readonly batch: FrameBatch };

export type FromWorker =
  | {
      readonly type: 'records';
      readonly text: string;
      readonly ends: Int32Array<ArrayBuffer>;
      /** The batch's buffers, handed back to be filled again. */
      readonly data: ArrayBuffer;
      readonly meta: Float64Array<ArrayBuffer>;
    }
  | { readonly type: 'error'; readonly message: string };

const port = parentPort;
if (port === null) throw new Error('parallel/worker.js runs only as a worker thread');

let job: PacketJob | undefined;
let dissector: Dissector | undefined;

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'job') {
      let registry = defaultRegistry();
      if (m.decodeAs.length > 0) registry = registry.with(parseDecodeAs(m.decodeAs, registry));
      job = createJob(m.spec, registry);
      dissector = new Dissector(registry, job.dissect);
      return;
    }
    if (job === undefined || dissector === undefined) throw new Error('batch before job');
    const frames = unpackBatch(m.batch);
    let records = 0;
    for (const f of frames) if (!f.silent) records++;
    const ends = new Int32Array(records);
    let text = '';
    let n = 0;
    for (let i = 0; i < frames.length; i++) {
      const { frame, time, silent } = frames[i]!;
      const p = dissector.dissect(frame, time);
      // A frame owned by another worker is dissected for the state it sets up only.
      if (silent) continue;
      text += String(job.record(p, time));
      ends[n++] = text.length;
    }
    const reply: FromWorker = { type: 'records', text, ends, data: m.batch.data, meta: m.batch.meta };
    port.postMessage(reply, [ends.buffer, m.batch.data, m.batch.meta.buffer]);
  } catch (e) {
    const reply: FromWorker = { type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(reply);
  }
});
