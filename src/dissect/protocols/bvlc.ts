import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const TYPES: Record<number, string> = { 0x81: 'BACnet/IP (Annex J)', 0x82: 'BACnet/IPv6 (Annex U)' };

const FUNCTIONS: Record<number, string> = {
  0x00: 'BVLC-Result',
  0x01: 'Write-Broadcast-Distribution-Table',
  0x02: 'Read-Broadcast-Distribution-Table',
  0x03: 'Read-Broadcast-Distribution-Table-Ack',
  0x04: 'Forwarded-NPDU',
  0x05: 'Register-Foreign-Device',
  0x06: 'Read-Foreign-Device-Table',
  0x07: 'Read-Foreign-Device-Table-Ack',
  0x08: 'Delete-Foreign-Device-Table-Entry',
  0x09: 'Distribute-Broadcast-To-Network',
  0x0a: 'Original-Unicast-NPDU',
  0x0b: 'Original-Broadcast-NPDU',
  0x0c: 'Secure-BVLL',
};

const FUNCTIONS_IPV6: Record<number, string> = {
  0x00: 'BVLC-Result',
  0x01: 'Original-Unicast-NPDU',
  0x02: 'Original-Broadcast-NPDU',
  0x03: 'Address-Resolution',
  0x04: 'Forwarded-Address-Resolution',
  0x05: 'Address-Resolution-ACK',
  0x06: 'Virtual-Address-Resolution',
  0x07: 'Virtual-Address-Resolution-ACK',
  0x08: 'Forwarded-NPDU',
  0x09: 'Register-Foreign-Device',
  0x0a: 'Delete-Foreign-Device-Table-Entry',
  0x0b: 'Secure-BVLL',
  0x0c: 'Distribute-Broadcast-To-Network',
};

/** Most table entries read from one message. */
const MAX_ENTRIES = 1024;

/** BACnet/IP (Annex J) functions after the 4-byte header; returns whether an NPDU follows. */
function readIpv4Function(c: Cursor, fn: number, end: number): boolean {
  switch (fn) {
    case 0x00:
      c.u16('bvlc.result');
      return false;
    case 0x01:
    case 0x03:
      for (let i = 0; c.pos + 10 <= end && i < MAX_ENTRIES; i++) {
        c.ipv4('bvlc.bdt_ip');
        c.u16('bvlc.bdt_port');
        c.bytes('bvlc.bdt_mask', 4);
      }
      return false;
    case 0x04:
      c.ipv4('bvlc.fwd_ip');
      c.u16('bvlc.fwd_port');
      return true;
    case 0x05:
      c.u16('bvlc.reg_ttl');
      return false;
    case 0x07:
      for (let i = 0; c.pos + 10 <= end && i < MAX_ENTRIES; i++) {
        c.ipv4('bvlc.fdt_ip');
        c.u16('bvlc.fdt_port');
        c.u16('bvlc.fdt_ttl');
        c.u16('bvlc.fdt_timeout');
      }
      return false;
    case 0x08:
      c.ipv4('bvlc.fdt_ip');
      c.u16('bvlc.fdt_port');
      return false;
    case 0x09:
    case 0x0a:
    case 0x0b:
      return true;
    default:
      return false;
  }
}

/** BACnet/IPv6 (Annex U) functions; returns whether an NPDU follows. */
function readIpv6Function(c: Cursor, fn: number): boolean {
  switch (fn) {
    case 0x00:
      c.u24('bvlc.virtual_source');
      c.u16('bvlc.result');
      return false;
    case 0x01:
      c.u24('bvlc.virtual_source');
      c.u24('bvlc.virtual_dest');
      return true;
    case 0x02:
    case 0x0c:
      c.u24('bvlc.virtual_source');
      return true;
    case 0x08:
      c.u24('bvlc.virtual_source');
      c.ipv6('bvlc.orig_source_addr');
      c.u16('bvlc.orig_source_port');
      return true;
    case 0x09:
      c.u24('bvlc.virtual_source');
      c.u16('bvlc.reg_ttl');
      return false;
    default:
      return false;
  }
}

/**
 * BACnet Virtual Link Control (ASHRAE 135 annexes J and U, UDP 47808): type, function and
 * length, the function's own fields (result, broadcast and foreign-device tables, forwarding
 * address, virtual addresses); the functions that carry an NPDU hand it to BACnet.
 */
export const bvlc = defineProtocol({
  id: 'bvlc',
  name: 'BACnet Virtual Link Control',
  short: 'BVLC',
  bindings: [{ table: 'udp.port', key: 47808 }],
  fields: {
    'bvlc.type': { label: 'Type', type: 'u8', base: 'hex', values: TYPES },
    'bvlc.function': { label: 'Function', type: 'u8', base: 'hex', values: FUNCTIONS },
    'bvlc.function_ipv6': { label: 'Function', type: 'u8', base: 'hex', values: FUNCTIONS_IPV6 },
    'bvlc.length': { label: 'BVLC-Length', type: 'u16' },
    'bvlc.virtual_source': { label: 'BVLC-Virtual-Source', type: 'u24' },
    'bvlc.virtual_dest': { label: 'BVLC-Virtual-Destination', type: 'u24' },
    'bvlc.result': { label: 'Result', type: 'u16', base: 'hex' },
    'bvlc.bdt_ip': { label: 'IP', type: 'ipv4' },
    'bvlc.bdt_port': { label: 'Port', type: 'u16' },
    'bvlc.bdt_mask': { label: 'Mask', type: 'bytes' },
    'bvlc.reg_ttl': { label: 'TTL', type: 'u16' },
    'bvlc.fdt_ip': { label: 'IP', type: 'ipv4' },
    'bvlc.fdt_port': { label: 'Port', type: 'u16' },
    'bvlc.fdt_ttl': { label: 'TTL', type: 'u16' },
    'bvlc.fdt_timeout': { label: 'Timeout', type: 'u16' },
    'bvlc.fwd_ip': { label: 'IP', type: 'ipv4' },
    'bvlc.fwd_port': { label: 'Port', type: 'u16' },
    'bvlc.orig_source_addr': { label: 'IP', type: 'ipv6' },
    'bvlc.orig_source_port': { label: 'Port', type: 'u16' },
  },
  dissect(c) {
    const start = c.pos;
    const type = c.u8('bvlc.type');
    if (type !== 0x81 && type !== 0x82) {
      c.malformed(`BVLC type 0x${type.toString(16)} is neither BACnet/IP nor BACnet/IPv6`, 'bvlc.type', start);
    }
    const fn = c.u8(type === 0x81 ? 'bvlc.function' : 'bvlc.function_ipv6');
    const name = (type === 0x81 ? FUNCTIONS : FUNCTIONS_IPV6)[fn] ?? `Unknown function 0x${fn.toString(16).padStart(2, '0')}`;
    c.provisional = name;
    const len = c.peek16();
    const header = type === 0x81 && fn === 0x04 ? 10 : 4;
    const avail = c.repEnd - start;
    const valid = len === avail;
    // tshark's field holds the header's length; the display adds the length field's value.
    c.add('bvlc.length', header, c.pos, 2, `BVLC-Length: ${header} of ${len} bytes ${valid ? 'BACnet packet length' : `(invalid length - expected ${avail} bytes)`}`);
    c.skip(2);
    if (len < 4) c.malformed(`BVLC length ${len} is shorter than its header`, 'bvlc.length', start + 2);
    if (!valid) c.expert('warning', `BVLC length ${len}, the datagram holds ${avail} bytes`, 'bvlc.length', start + 2);
    if (len < avail) c.limit(len);
    const npdu = type === 0x81 ? readIpv4Function(c, fn, Math.min(c.capEnd, start + len)) : readIpv6Function(c, fn);
    return { summary: name, info: { type, function: fn }, next: npdu ? { protocol: 'bacnet' } : undefined };
  },
});
