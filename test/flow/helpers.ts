import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import type { FlowArrow, FlowModel, FlowNote } from '../../src/flow/model.js';
import { buildFlowModel, type FlowRunOptions } from '../../src/run/run-flow.js';
import { runCli } from '../helpers/run-cli.js';

export const BASE: FlowRunOptions = {
  output: undefined,
  format: undefined,
  by: 'host',
  acks: 'show',
  maxArrows: 0,
  stream: undefined,
  conv: undefined,
  packets: undefined,
  decodeAs: [],
  names: false,
  states: true,
};

/** The flow model of a capture, built in this process as `pcapviz flow` builds it. */
export async function flowModel(path: string, o: Partial<FlowRunOptions> = {}): Promise<FlowModel> {
  const r = await buildFlowModel(path, { ...BASE, ...o });
  expect(r.model).toBeDefined();
  return r.model!;
}

export const arrowsOf = (m: FlowModel): FlowArrow[] => m.events.filter((e): e is FlowArrow => e.kind === 'arrow');
export const notesOf = (m: FlowModel): FlowNote[] => m.events.filter((e): e is FlowNote => e.kind === 'note');

export interface ListRow {
  number: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

const listCache = new Map<string, ListRow[]>();

/** `pcapviz list --format json` rows of a capture (the built CLI, as a user runs it). */
export function listRows(path: string): ListRow[] {
  let rows = listCache.get(path);
  if (rows === undefined) {
    const r = runCli(['list', path, '--format', 'json']);
    expect(r.status).toBe(0);
    rows = JSON.parse(r.stdout) as ListRow[];
    listCache.set(path, rows);
  }
  return rows;
}

export const hasTshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;

/** tshark's values of fields for the frames a display filter keeps (one array per frame). */
export function tshark(path: string, filter: string, fields: readonly string[] = ['frame.number']): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', path, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** Frame numbers tshark keeps for a display filter. */
export const tsharkFrames = (path: string, filter: string): number[] => tshark(path, filter).map((r) => Number(r[0]));
