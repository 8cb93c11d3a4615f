/**
 * The graph's presentation (`templates/graph-style.json`): font, node fills by scope, and edge
 * colours by protocol. Loaded and checked once.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../util/package-files.js';

export interface NodeLook {
  readonly fill: string;
  readonly border: string;
  readonly style: string;
}

export interface GraphStyle {
  readonly font: string;
  readonly fontSize: number;
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly nodes: Readonly<Record<'internal' | 'external' | 'group' | 'other', NodeLook>>;
  readonly cluster: { readonly fill: string; readonly border: string };
  readonly protocols: Readonly<Record<string, string>>;
  readonly extraColors: readonly string[];
  readonly otherColor: string;
}

const COLOR = /^#[0-9a-f]{6}$/i;

function check(s: unknown): GraphStyle {
  const fail = (what: string): never => {
    throw new Error(`templates/graph-style.json: ${what}`);
  };
  const o = s as Partial<GraphStyle>;
  if (typeof o !== 'object' || o === null) return fail('not an object');
  if (typeof o.font !== 'string' || o.font === '') fail('font must be a family name');
  if (typeof o.fontSize !== 'number' || o.fontSize < 4) fail('fontSize must be a number of points');
  for (const k of ['background', 'text', 'muted', 'otherColor'] as const) if (!COLOR.test(String(o[k]))) fail(`${k} must be #rrggbb`);
  for (const k of ['internal', 'external', 'group', 'other'] as const) {
    const n = o.nodes?.[k];
    if (n === undefined || !COLOR.test(n.fill) || !COLOR.test(n.border) || typeof n.style !== 'string') fail(`nodes.${k} needs fill, border (#rrggbb) and style`);
  }
  if (!COLOR.test(String(o.cluster?.fill)) || !COLOR.test(String(o.cluster?.border))) fail('cluster needs fill and border');
  for (const [k, v] of Object.entries(o.protocols ?? fail('protocols missing'))) if (!COLOR.test(v)) fail(`protocols.${k} must be #rrggbb`);
  if (!Array.isArray(o.extraColors) || o.extraColors.length === 0 || !o.extraColors.every((c) => COLOR.test(c))) fail('extraColors must be a list of #rrggbb');
  return o as GraphStyle;
}

let loaded: GraphStyle | undefined;

export function graphStyle(): GraphStyle {
  loaded ??= check(JSON.parse(readFileSync(packageFile('templates/graph-style.json'), 'utf8')));
  return loaded;
}

/**
 * Colours for the protocols of one drawing: the template's own where it has one, the extra
 * colours in order of first use for the rest, and one colour for whatever is left after those.
 */
export class ProtocolColors {
  private readonly assigned = new Map<string, string>();
  private next = 0;
  private readonly style: GraphStyle;
  constructor(style: GraphStyle) {
    this.style = style;
  }

  of(protocol: string): string {
    const fixed = this.style.protocols[protocol];
    if (fixed !== undefined) return fixed;
    let c = this.assigned.get(protocol);
    if (c === undefined) {
      c = this.next < this.style.extraColors.length ? this.style.extraColors[this.next++]! : this.style.otherColor;
      this.assigned.set(protocol, c);
    }
    return c;
  }
}
