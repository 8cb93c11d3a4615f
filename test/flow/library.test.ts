/** The flow API of the library entry point gives what the command gives. */
import { describe, expect, it } from 'vitest';
import { drawFlow, flowFromCapture, layoutFlow, renderFlowAscii, renderFlowMermaid, renderFlowSvg } from '../../src/index.js';
import { FIXTURES } from '../helpers/capture-bytes.js';
import { flowModel } from './helpers.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;

describe('flow library API', () => {
  it('flowFromCapture builds the model pcapviz flow builds', async () => {
    const { model, damage } = await flowFromCapture(OFFICE, { by: 'host', acks: 'dashed', maxArrows: 300, stream: 2, selection: ['tcp.stream 2'] });
    expect(damage).toBeUndefined();
    const cli = await flowModel(OFFICE, { acks: 'dashed', maxArrows: 300, stream: 2, names: true });
    expect(model).toEqual(cli);
    expect(model.lifelines.map((l) => l.name)).toEqual(['alice-laptop', 'www.example.com']);
  });

  it('renders each format; drawFlow picks by format', async () => {
    const { model } = await flowFromCapture(OFFICE, { by: 'endpoint', acks: 'hide', maxArrows: 20, names: false });
    expect(layoutFlow(model).rows).toHaveLength(model.events.length);
    expect((await drawFlow(model, 'txt')).data.toString()).toBe(renderFlowAscii(model));
    expect((await drawFlow(model, 'mmd')).data.toString()).toBe(renderFlowMermaid(model));
    expect((await drawFlow(model, 'svg')).data.toString()).toBe(renderFlowSvg(model).svg);
    const pdf = await drawFlow(model, 'pdf');
    expect(pdf.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
  });
});
