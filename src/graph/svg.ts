/**
 * Finishing Graphviz's SVG: a legend below the drawing (edge colours by protocol, node fills,
 * what widths and arrows mean, what was folded or left out), and font fallbacks. Done on the
 * SVG so every engine and both renderers get the same legend, and PNG and PDF inherit it.
 */
import type { GraphStyle } from './style.js';

export interface LegendContent {
  readonly protocols: readonly { readonly protocol: string; readonly color: string }[];
  readonly scopes: readonly ('internal' | 'external' | 'group' | 'other')[];
  readonly notes: readonly string[];
}

const SCOPE_TEXT = { internal: 'internal address', external: 'external address', group: 'broadcast / multicast', other: 'other hosts (folded)' } as const;

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Rough width of text in DejaVu Sans at `size` points (for placing legend items). */
const textWidth = (s: string, size: number): number => s.length * size * 0.62;

export interface SvgSize {
  readonly width: number;
  readonly height: number;
}

/** The size of an SVG in points (from its viewBox, else its width and height). */
export function svgSize(svg: string): SvgSize {
  const vb = /<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg);
  if (vb) return { width: Number(vb[1]), height: Number(vb[2]) };
  const w = /<svg\b[^>]*\bwidth="([\d.]+)(?:pt|px)?"/.exec(svg);
  const h = /<svg\b[^>]*\bheight="([\d.]+)(?:pt|px)?"/.exec(svg);
  return { width: Number(w?.[1] ?? 0), height: Number(h?.[1] ?? 0) };
}

/** Adds the legend below the drawing and font fallbacks; returns the new SVG. */
export function finishSvg(svg: string, legend: LegendContent, style: GraphStyle): string {
  const { width, height } = svgSize(svg);
  const size = style.fontSize;
  const pad = 12;
  const lineH = size * 1.7;
  const innerW = Math.max(width, 420) - 2 * pad;
  const parts: string[] = [];
  let y = pad;
  let x = pad;
  let rowUsed = false;
  const newline = (): void => {
    if (rowUsed) y += lineH;
    x = pad;
    rowUsed = false;
  };
  const place = (w: number): number => {
    if (rowUsed && x + w > pad + innerW) newline();
    const at = x;
    x += w + 16;
    rowUsed = true;
    return at;
  };
  const heading = (text: string): void => {
    newline();
    parts.push(`<text x="${pad}" y="${y + size}" font-size="${size}" font-weight="bold" fill="${style.text}">${xml(text)}</text>`);
    y += lineH;
  };

  if (legend.protocols.length > 0) {
    heading('Edge colour: main protocol');
    for (const p of legend.protocols) {
      const at = place(28 + textWidth(p.protocol, size));
      parts.push(`<line x1="${at}" y1="${y + size * 0.65}" x2="${at + 22}" y2="${y + size * 0.65}" stroke="${p.color}" stroke-width="4"/>`);
      parts.push(`<text x="${at + 28}" y="${y + size}" font-size="${size}" fill="${style.text}">${xml(p.protocol)}</text>`);
    }
    newline();
  }
  if (legend.scopes.length > 0) {
    heading('Node fill');
    for (const s of legend.scopes) {
      const look = style.nodes[s];
      const at = place(30 + textWidth(SCOPE_TEXT[s], size));
      const dash = look.style.includes('dashed') ? ' stroke-dasharray="3,2"' : '';
      parts.push(`<rect x="${at}" y="${y + 1}" width="22" height="${size + 2}" rx="3" fill="${look.fill}" stroke="${look.border}"${dash}/>`);
      parts.push(`<text x="${at + 28}" y="${y + size}" font-size="${size}" fill="${style.text}">${xml(SCOPE_TEXT[s])}</text>`);
    }
    newline();
  }
  for (const note of legend.notes) {
    newline();
    parts.push(`<text x="${pad}" y="${y + size}" font-size="${size}" fill="${style.muted}">${xml(note)}</text>`);
    rowUsed = true;
  }
  newline();
  const legendH = y + pad / 2;
  const noteW = Math.max(0, ...legend.notes.map((n) => textWidth(n, size) + 2 * pad));
  const newW = Math.max(width, 420, Math.min(noteW, 1400));
  const newH = height + legendH;
  const group = `<g class="legend" transform="translate(0 ${fmt(height)})" font-family="${xml(style.font)},Verdana,sans-serif">\n<rect x="0" y="0" width="${fmt(newW)}" height="${fmt(legendH)}" fill="${style.background}"/>\n<line x1="${pad}" y1="1" x2="${fmt(newW - pad)}" y2="1" stroke="${style.cluster.border}" stroke-width="0.6"/>\n${parts.join('\n')}\n</g>\n`;

  let out = svg.replace(/<svg\b[^>]*>/, (tag) =>
    tag
      .replace(/\bwidth="[^"]*"/, `width="${fmt(newW)}pt"`)
      .replace(/\bheight="[^"]*"/, `height="${fmt(newH)}pt"`)
      .replace(/\bviewBox="[^"]*"/, `viewBox="0.00 0.00 ${fmt(newW)} ${fmt(newH)}"`),
  );
  // A background under the whole drawing (Graphviz paints only its own area).
  out = out.replace(/(<svg\b[^>]*>)/, `$1\n<rect class="background" x="0" y="0" width="${fmt(newW)}" height="${fmt(newH)}" fill="${style.background}"/>`);
  out = out.replace(new RegExp(`font-family="${escapeRegExp(style.font)}"`, 'g'), `font-family="${xml(style.font)},Verdana,sans-serif"`);
  const end = out.lastIndexOf('</svg>');
  return `${out.slice(0, end)}${group}${out.slice(end)}`;
}

const fmt = (n: number): string => (Math.round(n * 100) / 100).toString();
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
