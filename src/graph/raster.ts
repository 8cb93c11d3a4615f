/**
 * The finished SVG as PNG (resvg) and as vector PDF (pdfkit with svg-to-pdfkit), both with the
 * DejaVu Sans font shipped as a dependency, the font Graphviz measured the labels with, so the
 * result is the same on a machine without any fonts installed.
 */
import { createRequire } from 'node:module';
import { svgSize } from './svg.js';

const require = createRequire(import.meta.url);

/** Paths of the regular and bold font files. */
export function fontFiles(): { regular: string; bold: string } {
  return { regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf') };
}

/** The longest side of a PNG we write, in pixels. */
export const MAX_PNG_SIDE = 4000;
/** Pixels per CSS pixel when the drawing is small enough (sharp on high-density screens). */
const PNG_ZOOM = 2;

/** The zoom that keeps the longest side within `MAX_PNG_SIDE`. */
export function pngZoom(width: number, height: number, maxSide = MAX_PNG_SIDE): number {
  const longest = Math.max(width, height, 1);
  return Math.min(PNG_ZOOM, maxSide / longest);
}

export interface PngResult {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

export async function svgToPng(svg: string, maxSide = MAX_PNG_SIDE): Promise<PngResult> {
  const { Resvg } = await import('@resvg/resvg-js');
  // Graphviz sizes its SVG in points; resvg's unit is the CSS pixel (4/3 of a point).
  const pt = svgSize(svg);
  const width = (pt.width * 4) / 3;
  const height = (pt.height * 4) / 3;
  const zoom = pngZoom(width, height, maxSide);
  const fonts = fontFiles();
  const r = new Resvg(svg, {
    fitTo: Math.max(width, height) * zoom >= maxSide ? (width >= height ? { mode: 'width', value: Math.floor(width * zoom) } : { mode: 'height', value: Math.floor(height * zoom) }) : { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: false, fontFiles: [fonts.regular, fonts.bold], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: '#ffffff',
    logLevel: 'off',
  });
  const img = r.render();
  return { png: img.asPng(), width: img.width, height: img.height };
}

/** A PDF of one page the size of the drawing, its text kept as text. */
export async function svgToPdf(svg: string, title: string): Promise<Buffer> {
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit')]);
  const { width, height } = svgSize(svg);
  const fonts = fontFiles();
  const doc = new PDFDocument({ size: [Math.max(width, 72), Math.max(height, 72)], margin: 0, info: { Title: title, Creator: 'pcapviz' }, compress: true });
  doc.registerFont('DejaVuSans', fonts.regular);
  doc.registerFont('DejaVuSans-Bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  SVGtoPDF(doc, svg, 0, 0, {
    width,
    height,
    assumePt: false,
    fontCallback: (_family: string, bold: boolean) => (bold ? 'DejaVuSans-Bold' : 'DejaVuSans'),
    warningCallback: () => {},
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
