/** The files a batch leaves in each capture's folder, and their shapes. */

export const SUMMARY_NAME = 'summary.json';
export const MANIFEST_NAME = 'manifest.json';

/** ok; damaged (cut short or broken after the header: partial results kept); unreadable (not read at all); failed (an output could not be made). */
export type CaptureStatus = 'ok' | 'damaged' | 'unreadable' | 'failed';

/** Conversation key (`conversationKey`) → [[protocol, packets, bytes], ...]. */
export type GraphProtocols = Record<string, [string, number, number][]>;

/** `summary.json`: the `info` JSON and every `stats` table's JSON of one capture. */
export interface CaptureSummaryFile {
  readonly kind: 'pcapviz-batch-capture';
  readonly version: 1;
  readonly generator: string;
  /** Relative path of the capture in the batch's inputs. */
  readonly capture: string;
  readonly status: CaptureStatus;
  readonly error: string | undefined;
  readonly warnings: readonly string[];
  /** `pcapviz info --format json` (its `file` is `capture`); null when unreadable. */
  readonly info: Record<string, unknown> | null;
  /** `pcapviz stats all --format json`; null when unreadable. */
  readonly stats: Record<string, unknown> | null;
  /** What the merged graph needs beyond the conversation rows: the protocols each IP conversation carried. */
  readonly graph: { readonly protocols: GraphProtocols } | null;
  /** Files made beside it. */
  readonly outputs: readonly string[];
}

/** `manifest.json`: written last; the folder is up to date while it matches the input and options. */
export interface CaptureManifest {
  readonly version: 1;
  readonly capture: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly optionsHash: string;
  readonly outputs: readonly string[];
  readonly status: CaptureStatus;
}
