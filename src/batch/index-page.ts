/**
 * `index.html` of a batch: one row per capture with its key figures, status and error, and links
 * to its folder's files; the merged conversation graph below. Laid out by
 * `templates/batch/index.eta` (eta, every value escaped); the sorting script is the report's
 * (`templates/report/sort.js`, read from there), so the tables sort the same way.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { inlineSvg, visibleText } from '../report/html.js';
import { countText, humanBytes } from '../render/stats/units.js';
import { escapeControl } from '../render/text-safety.js';
import { packageFile } from '../util/package-files.js';
import type { CaptureLine } from './rollup.js';

const TEMPLATE_DIR = packageFile('templates/batch/');
const SORT_SCRIPT = packageFile('templates/report/sort.js');

export interface IndexContext {
  readonly generator: string;
  readonly now: Date;
  readonly graphSvg: string | undefined;
  readonly parquet: boolean;
  readonly skipped: readonly string[];
  readonly conversations: number;
  readonly hosts: number;
}

interface CellView {
  readonly text: string;
  readonly sort: string;
  readonly cls: string;
  readonly title: string | undefined;
}

/** A relative link to a file of a capture's folder: each segment percent-encoded. */
const href = (folder: string, name: string): string => [...folder.split('/'), name].map(encodeURIComponent).join('/');

const numberCell = (v: unknown, bytes = false): CellView =>
  typeof v === 'number'
    ? { text: bytes ? humanBytes(v) : countText(v), sort: String(v), cls: 'num', title: bytes ? `${countText(v)} bytes` : undefined }
    : { text: '', sort: '', cls: 'num', title: undefined };

/** An ISO time as date and time to the second; the exact value in the title and for sorting. */
const timeCell = (v: unknown): CellView => {
  const iso = typeof v === 'string' ? visibleText(v) : '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return { text: m === null ? iso : `${m[1]} ${m[2]}`, sort: iso, cls: 'time', title: iso === '' ? undefined : iso };
};

let eta: Eta | undefined;

export function renderIndex(lines: readonly CaptureLine[], c: IndexContext): string {
  eta ??= new Eta({ views: fileURLToPath(TEMPLATE_DIR), autoEscape: true, cache: true, useWith: false });
  const count = (s: string): number => lines.filter((l) => l.status === s).length;
  const packets = lines.reduce((n, l) => n + (typeof l.row['packets'] === 'number' ? l.row['packets'] : 0), 0);
  const bytes = lines.reduce((n, l) => n + (typeof l.row['dataBytes'] === 'number' ? l.row['dataBytes'] : 0), 0);
  const view = {
    title: `Batch of ${countText(lines.length)} capture${lines.length === 1 ? '' : 's'}`,
    generator: c.generator,
    generatedAt: c.now.toISOString(),
    figures: [
      { label: 'Captures', value: countText(lines.length) },
      { label: 'Read whole', value: countText(count('ok')) },
      { label: 'Damaged (partial results)', value: countText(count('damaged')) },
      { label: 'Unreadable', value: countText(count('unreadable')) },
      { label: 'Outputs failed', value: countText(count('failed')) },
      { label: 'Packets', value: countText(packets) },
      { label: 'Data', value: humanBytes(bytes) },
      { label: 'Conversations (all types)', value: countText(c.conversations) },
      { label: 'Endpoints (all types)', value: countText(c.hosts) },
      { label: 'Files that are not captures', value: countText(c.skipped.length) },
    ],
    tables: [
      { name: 'captures.csv', href: 'captures.csv' },
      { name: 'conversations.csv', href: 'conversations.csv' },
      { name: 'hosts.csv', href: 'hosts.csv' },
      ...(c.parquet ? ['captures.parquet', 'conversations.parquet', 'hosts.parquet'].map((n) => ({ name: n, href: n })) : []),
      ...(c.graphSvg !== undefined ? [{ name: 'graph.svg', href: 'graph.svg' }] : []),
    ],
    rows: lines.map((l) => ({
      capture: escapeControl(l.rel),
      status: l.status,
      error: escapeControl(l.error ?? ''),
      cells: [
        numberCell(l.row['packets']),
        numberCell(l.row['dataBytes'], true),
        timeCell(l.row['firstTime']),
        numberCell(l.row['duration']),
        numberCell(l.row['hosts']),
        numberCell(l.row['ipConversations']),
        numberCell(l.row['tcpConnections']),
        numberCell(l.row['expertErrors']),
      ],
      links: l.outputs.map((name) => ({ text: name, href: href(l.folder, name) })),
    })),
    skipped: c.skipped.map(escapeControl),
    graph: c.graphSvg === undefined ? undefined : inlineSvg(c.graphSvg, 'g-'),
    script: readFileSync(SORT_SCRIPT, 'utf8').replace(/<\/(script)/gi, '<\\/$1'),
  };
  return eta.render('index', view);
}
