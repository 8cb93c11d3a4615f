/**
 * `pcapviz flow`: one pass over a capture (summary mode, as `list`), the packets chosen by
 * `--stream`, `--conv` and `--packets` made into a sequence diagram, written by the output's
 * extension (text to standard output by default).
 */
import { basename, extname } from 'node:path';
import { NameBook } from '../analyze/names.js';
import { binaryToTerminal, EXIT, type ExitCode, openCommandOutput, useColor, warn, writeOut } from '../cli/output.js';
import { FLOW_FORMATS, type FlowAcks, type FlowBy, type FlowFormat } from '../flow/constants.js';
import { drawFlow } from '../flow/draw.js';
import { FlowBuilder, parseConv, type ConvSpec, type FlowModel } from '../flow/model.js';
import { countText } from '../render/stats/units.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';
import { writeErrorText, type OutputFile } from '../util/output-file.js';

export interface FlowRunOptions {
  /** Output file; undefined or `-` for standard output. */
  readonly output: string | undefined;
  /** Undefined: from the output file's extension (standard output: txt). */
  readonly format: FlowFormat | undefined;
  readonly by: FlowBy;
  readonly acks: FlowAcks;
  /** Most arrows drawn (0: all). */
  readonly maxArrows: number;
  readonly stream: number | undefined;
  /** `A,B`: packets between two addresses or address:port ends. */
  readonly conv: string | undefined;
  /** `--packets` frame numbers. */
  readonly packets: string | undefined;
  readonly decodeAs: readonly string[];
  readonly tlsKeylog?: string | undefined;
  /** Names learned from the capture under the lifeline addresses. */
  readonly names: boolean;
  /** Notes with TCP connection states. */
  readonly states: boolean;
  /** `-Y`: a display filter; packets it rejects are left out before anything else. */
  readonly filter?: string | undefined;
}

/** The output format of a file name (by extension), or a message saying what is wrong. */
export function flowFormatOf(output: string | undefined, format: FlowFormat | undefined): { format: FlowFormat } | { error: string } {
  if (format !== undefined) return { format };
  if (output === undefined || output === '-') return { format: 'txt' };
  const ext = extname(output).slice(1).toLowerCase();
  if ((FLOW_FORMATS as readonly string[]).includes(ext)) return { format: ext as FlowFormat };
  return { error: `cannot tell the format of "${output}" from its extension: name it .txt, .svg, .pdf or .mmd, or give --format` };
}

function checkOptions(o: FlowRunOptions): string | undefined {
  if (!Number.isInteger(o.maxArrows) || o.maxArrows < 0) return '--max-arrows must be a whole number (0 draws every packet)';
  if (o.stream !== undefined && (!Number.isInteger(o.stream) || o.stream < 0)) return '--stream must be a tcp.stream number (0 or more)';
  return undefined;
}

/** Mermaid's default limit on a diagram's text (GitHub keeps it). */
const MERMAID_MAX_TEXT = 50_000;

/**
 * Reads the capture and builds the diagram model; undefined model when the options or the
 * capture could not be read (the message is on stderr).
 */
export async function buildFlowModel(path: string, o: FlowRunOptions): Promise<{ exit: ExitCode; model: FlowModel | undefined }> {
  const bad = checkOptions(o);
  let conv: ConvSpec | undefined;
  try {
    if (bad === undefined && o.conv !== undefined) conv = parseConv(o.conv);
  } catch (e) {
    warn((e as Error).message);
    return { exit: EXIT.FAILURE, model: undefined };
  }
  if (bad !== undefined) {
    warn(bad);
    return { exit: EXIT.FAILURE, model: undefined };
  }
  const sel = selectPackets(o.packets, o.decodeAs, undefined, o.tlsKeylog, o.filter);
  if (sel === undefined) return { exit: EXIT.FAILURE, model: undefined };
  const book = o.names ? new NameBook() : undefined;
  const builder = new FlowBuilder({
    by: o.by,
    acks: o.acks,
    maxArrows: o.maxArrows,
    stream: o.stream,
    conv,
    include: o.packets === undefined ? undefined : (frame) => sel.take(frame),
    states: o.states,
  });
  let read = false;
  const exit = await forEachPacket([path], sel.registry, { mode: 'summary', keyLog: sel.keyLog }, {
    packet: (p) => {
      book?.add(p);
      builder.add(p);
    },
    end: () => {
      read = true;
    },
    // Names and connection states come from every packet, so reading stops early only without them.
    done: () => book === undefined && !o.states && o.packets !== undefined && sel.done(),
  }, sel.filter);
  if (!read) return { exit, model: undefined };
  const selection: string[] = [];
  if (o.stream !== undefined) selection.push(`tcp.stream ${o.stream}`);
  if (o.conv !== undefined) selection.push(`conv ${o.conv}`);
  if (o.packets !== undefined) selection.push(`packets ${o.packets}`);
  if (o.filter !== undefined) selection.push(`filter ${o.filter}`);
  const model = builder.finish(path === '-' ? 'standard input' : basename(path), selection, book === undefined ? undefined : (a) => book.nameOf(a));
  return { exit, model };
}

export async function runFlow(path: string, o: FlowRunOptions): Promise<ExitCode> {
  const f = flowFormatOf(o.output, o.format);
  if ('error' in f) {
    warn(f.error);
    return EXIT.FAILURE;
  }
  const output = o.output ?? '-';
  if (f.format === 'pdf' && binaryToTerminal('flow', output, 'pdf')) return EXIT.FAILURE;
  const file = openCommandOutput(output);
  if (file === null) return EXIT.FAILURE;
  try {
    return await drawTo(path, o, f.format, file);
  } finally {
    await file?.abort();
  }
}

/** Reads the capture, draws the diagram and writes it; `file` is committed when it is written whole. */
async function drawTo(path: string, o: FlowRunOptions, format: FlowFormat, file: OutputFile | undefined): Promise<ExitCode> {
  const { exit, model } = await buildFlowModel(path, o);
  if (model === undefined) return exit === EXIT.OK ? EXIT.FAILURE : exit;
  if (model.arrows === 0) warn(`warning: no packet matches the selection${model.hiddenAcks > 0 ? ` (${countText(model.hiddenAcks)} ACK-only packets hidden)` : ''}`);
  const toStdout = file === undefined;
  const result = await drawFlow(model, format, { colour: toStdout && format === 'txt' && useColor(process.stdout) });
  if (format === 'mmd' && result.data.length > MERMAID_MAX_TEXT) {
    warn(`warning: the Mermaid text is ${countText(result.data.length)} characters; Mermaid (and GitHub) refuse more than ${countText(MERMAID_MAX_TEXT)} by default: lower --max-arrows`);
  }
  try {
    if (toStdout && format === 'pdf') await new Promise<void>((resolve, reject) => process.stdout.write(result.data, (err) => (err ? reject(err) : resolve())));
    else if (toStdout) await writeOut(result.data.toString('utf8'));
    else {
      await file.write(result.data);
      await file.commit();
    }
  } catch (e) {
    warn(writeErrorText(o.output ?? '-', e));
    return EXIT.FAILURE;
  }
  if (!toStdout) {
    const size = result.pages !== undefined ? `, ${result.pages} page${result.pages === 1 ? '' : 's'}` : result.width !== undefined ? `, ${result.width}×${result.height} px` : '';
    const cut = model.arrows < model.packets ? ` of ${countText(model.packets)}` : '';
    warn(`wrote ${o.output}: ${countText(model.arrows)}${cut} packet${model.packets === 1 ? '' : 's'} as arrows, ${countText(model.lifelines.length)} lifeline${model.lifelines.length === 1 ? '' : 's'}${size}`);
  }
  return exit;
}
