/** From the flow model to the bytes of an output file, by format. */
import { renderFlowAscii } from './ascii.js';
import type { FlowFormat } from './constants.js';
import { renderFlowMermaid } from './mermaid.js';
import type { FlowModel } from './model.js';
import { renderFlowPdf } from './pdf.js';
import { renderFlowSvg } from './svg.js';

export interface FlowDrawOptions {
  /** ANSI colour in the text format (a terminal). */
  readonly colour?: boolean | undefined;
}

export interface FlowDrawResult {
  readonly data: Buffer;
  /** SVG: its size in pixels; PDF: the page size in points and the page count. */
  readonly width?: number;
  readonly height?: number;
  readonly pages?: number;
}

export async function drawFlow(m: FlowModel, format: FlowFormat, o: FlowDrawOptions = {}): Promise<FlowDrawResult> {
  switch (format) {
    case 'txt':
      return { data: Buffer.from(renderFlowAscii(m, { colour: o.colour })) };
    case 'mmd':
      return { data: Buffer.from(renderFlowMermaid(m)) };
    case 'svg': {
      const r = renderFlowSvg(m);
      return { data: Buffer.from(r.svg), width: r.width, height: r.height };
    }
    case 'pdf': {
      const r = await renderFlowPdf(m);
      return { data: r.pdf, width: r.pageWidth, height: r.pageHeight, pages: r.pages };
    }
  }
}
