import { defineProtocol } from '../protocol.js';
import type { MailslotCtx } from './smb-trans.js';

const OPCODES: Record<number, string> = { 1: 'Write Mail Slot' };
const CLASSES: Record<number, string> = { 1: 'Reliable', 2: 'Unreliable & Broadcast' };

/** Mailslots whose messages are the browser protocol's (MS-BRWS 2.1). */
const BROWSER_SLOTS = new Set(['\\MAILSLOT\\BROWSE', '\\MAILSLOT\\LANMAN', '\\MAILSLOT\\MSBROWSE']);

/**
 * SMB MailSlot Protocol (MS-MAIL): a Trans request to `\MAILSLOT\...`. The layer starts at the
 * Trans setup words (opcode, priority, class); its size and name are the SMB byte count and
 * transaction name, read where they lie; the mail data goes to the browser protocol for the
 * browse mailslots.
 */
export const mailslot = defineProtocol({
  id: 'mailslot',
  name: 'SMB MailSlot Protocol',
  short: 'SMB Mailslot',
  fields: {
    'mailslot.opcode': { label: 'Opcode', type: 'u16', values: OPCODES },
    'mailslot.priority': { label: 'Priority', type: 'u16' },
    'mailslot.class': { label: 'Class', type: 'u16', values: CLASSES },
    'mailslot.size': { label: 'Size', type: 'u16' },
    'mailslot.name': { label: 'Mailslot Name', type: 'string' },
  },
  dissect(c) {
    const t = c.ctx['smbTrans'] as MailslotCtx | undefined;
    if (t === undefined) return { next: { protocol: 'data' } };
    const opcode = c.u16('mailslot.opcode', true);
    c.u16('mailslot.priority', true);
    c.u16('mailslot.class', true);
    c.seek(t.bccAt);
    c.u16('mailslot.size', true);
    c.add('mailslot.name', t.name, t.nameAt, t.nameLength);
    c.seek(Math.min(t.dataStart, c.capEnd));
    if (t.dataStart > c.capEnd) c.need(t.dataStart - c.pos);
    const browser = opcode === 1 && BROWSER_SLOTS.has(t.name.toUpperCase()) && t.dataEnd > t.dataStart;
    return {
      summary: `${OPCODES[opcode] ?? `Unknown (${opcode})`}`,
      info: { name: t.name, opcode },
      next: browser ? { protocol: 'browser', ctx: { smbDataEnd: t.dataEnd } } : undefined,
    };
  },
});
