import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const APDU_TYPES: Record<number, string> = {
  0: 'Confirmed-REQ',
  1: 'Unconfirmed-REQ',
  2: 'Simple-ACK',
  3: 'Complex-ACK',
  4: 'Segment-ACK',
  5: 'Error',
  6: 'Reject',
  7: 'Abort',
};

const CONFIRMED: readonly string[] = [
  'acknowledgeAlarm', 'confirmedCOVNotification', 'confirmedEventNotification', 'getAlarmSummary',
  'getEnrollmentSummary', 'subscribeCOV', 'atomicReadFile', 'atomicWriteFile', 'addListElement',
  'removeListElement', 'createObject', 'deleteObject', 'readProperty', 'readPropertyConditional',
  'readPropertyMultiple', 'writeProperty', 'writePropertyMultiple', 'deviceCommunicationControl',
  'confirmedPrivateTransfer', 'confirmedTextMessage', 'reinitializeDevice', 'vtOpen', 'vtClose',
  'vtData', 'authenticate', 'requestKey', 'readRange', 'lifeSafetyOperation', 'subscribeCOVProperty',
  'getEventInformation', 'subscribeCOVPropertyMultiple', 'confirmedCOVNotificationMultiple',
  'confirmedAuditNotification', 'auditLogQuery',
];

const UNCONFIRMED: readonly string[] = [
  'i-Am', 'i-Have', 'unconfirmedCOVNotification', 'unconfirmedEventNotification',
  'unconfirmedPrivateTransfer', 'unconfirmedTextMessage', 'timeSynchronization', 'who-Has', 'who-Is',
  'utcTimeSynchronization', 'writeGroup', 'unconfirmedCOVNotificationMultiple',
  'unconfirmedAuditNotification', 'who-Am-I', 'you-Are',
];

const OBJECT_TYPES: readonly string[] = [
  'analog-input', 'analog-output', 'analog-value', 'binary-input', 'binary-output', 'binary-value',
  'calendar', 'command', 'device', 'event-enrollment', 'file', 'group', 'loop', 'multi-state-input',
  'multi-state-output', 'notification-class', 'program', 'schedule', 'averaging', 'multi-state-value',
  'trend-log', 'life-safety-point', 'life-safety-zone', 'accumulator', 'pulse-converter',
];

/** Common property identifiers (the full list is long; others show as their number). */
const PROPERTIES: Record<number, string> = {
  28: 'description', 36: 'event-state', 44: 'firmware-revision', 62: 'max-apdu-length-accepted',
  70: 'model-name', 75: 'object-identifier', 76: 'object-list', 77: 'object-name', 79: 'object-type',
  81: 'out-of-service', 85: 'present-value', 87: 'priority-array', 103: 'reliability',
  104: 'relinquish-default', 107: 'segmentation-supported', 111: 'status-flags', 112: 'system-status',
  117: 'units', 120: 'vendor-identifier', 121: 'vendor-name',
};

const names = (list: readonly string[]): Record<number, string> => Object.fromEntries(list.map((n, i) => [i, n]));

/** Most tags read from one APDU. */
const MAX_TAGS = 1024;

interface Tag {
  /** Tag number (context or application). */
  num: number;
  context: boolean;
  /** Length of the value, or the boolean value of an application boolean; -1 opening, -2 closing. */
  len: number;
  /** Offset of the value. */
  at: number;
}

/** A tag header (number, class, length/value/type with its extensions); the cursor ends at the value. */
function readTag(c: Cursor): Tag {
  const at = c.pos;
  const first = c.peek8();
  const context = (first & 0x08) !== 0;
  c.flag('bacapp.tag_class', 1, 0x08);
  c.bits(context ? 'bacapp.context_tag_number' : 'bacapp.application_tag_number', 1, 0xf0);
  const lvt = first & 0x07;
  c.add('bacapp.LVT', lvt, at, 1);
  c.skip(1);
  let num = first >> 4;
  if (num === 15) num = c.u8('bacapp.extended_tag_number');
  let len = lvt;
  if (context && lvt === 6) len = -1;
  else if (context && lvt === 7) len = -2;
  else if (lvt === 5) {
    len = c.u8();
    if (len === 254) len = c.u16();
    else if (len === 255) len = c.u32();
  }
  return { num, context, len, at: c.pos };
}

/** An unsigned value of `len` bytes (up to 6). */
function readUnsigned(c: Cursor, len: number, key?: string): number {
  if (len < 1 || len > 6) {
    c.skip(Math.max(len, 0));
    return 0;
  }
  return c.uint(len, key);
}

/** An object identifier: 10 bits of type, 22 of instance. */
function readObjectId(c: Cursor): string {
  const type = c.bits('bacapp.objectType', 4, 0xffc00000);
  const instance = c.bits('bacapp.instance_number', 4, 0x3fffff);
  c.skip(4);
  return `${OBJECT_TYPES[type] ?? `object-type(${type})`},${instance}`;
}

/**
 * The service parameters: a sequence of tags, read generically (tag headers and object
 * identifiers), with the values the Info column shows: who-Is limits, the i-Am device.
 */
function readParameters(c: Cursor, service: string | undefined, confirmed: boolean, shown: string[]): void {
  let depth = 0;
  for (let n = 0; c.reportedRemaining() > 0; n++) {
    if (n >= MAX_TAGS) {
      c.expert('warning', `more than ${MAX_TAGS} tags; the rest is not dissected`);
      c.skip(c.remaining());
      return;
    }
    const t = readTag(c);
    if (t.len === -1) {
      depth++;
      continue;
    }
    if (t.len === -2) {
      if (depth > 0) depth--;
      continue;
    }
    if (!t.context && t.num === 1) continue; // boolean: the value is the length field
    if (service === 'who-Is' && t.context && depth === 0 && (t.num === 0 || t.num === 1)) {
      const v = readUnsigned(c, t.len, t.num === 0 ? 'bacapp.who_is.low_limit' : 'bacapp.who_is.high_limit');
      shown.push(String(v));
    } else if (t.len === 4 && ((!t.context && t.num === 12) || (t.context && t.num === 0 && depth === 0 && confirmed))) {
      // An object identifier: application tag 12, or context tag 0 first in a confirmed service.
      const id = readObjectId(c);
      if (depth === 0 && (confirmed || (service === 'i-Am' && shown.length === 0))) shown.push(id);
    } else if (confirmed && t.context && t.num === 1 && depth === 0 && t.len >= 1 && t.len <= 4) {
      const id = readUnsigned(c, t.len, 'bacapp.property_identifier');
      shown.push(PROPERTIES[id] ?? `property (${id})`);
    } else {
      c.skip(t.len);
    }
  }
}

/**
 * BACnet application layer (APDU, ASHRAE 135 clause 20): the PDU type and flags, segmentation
 * and invoke id, the service choice, then the service parameters' tags.
 */
export const bacapp = defineProtocol({
  id: 'bacapp',
  name: 'Building Automation and Control Network APDU',
  short: 'BACnet-APDU',
  leaf: true,
  fields: {
    'bacapp.type': { label: 'APDU Type', type: 'u8', mask: 0xf0, values: APDU_TYPES },
    'bacapp.pduflags': { label: 'PDU Flags', type: 'u8', base: 'hex', mask: 0x0f },
    'bacapp.segmented_request': { label: 'Segmented Request', type: 'bool', mask: 0x08 },
    'bacapp.more_segments': { label: 'More Segments', type: 'bool', mask: 0x04 },
    'bacapp.SA': { label: 'SA', type: 'bool', mask: 0x02 },
    'bacapp.NAK': { label: 'NAK', type: 'bool', mask: 0x02 },
    'bacapp.SRV': { label: 'SRV', type: 'bool', mask: 0x01 },
    'bacapp.response_segments': { label: 'Max Response Segments accepted', type: 'u8', mask: 0x70 },
    'bacapp.max_adpu_size': { label: 'Size of Maximum ADPU accepted', type: 'u8', mask: 0x0f },
    'bacapp.invoke_id': { label: 'Invoke ID', type: 'u8' },
    'bacapp.sequence_number': { label: 'Sequence Number', type: 'u8' },
    'bacapp.window_size': { label: 'Proposed Window Size', type: 'u8' },
    'bacapp.confirmed_service': { label: 'Service Choice', type: 'u8', values: names(CONFIRMED) },
    'bacapp.unconfirmed_service': { label: 'Unconfirmed Service Choice', type: 'u8', values: names(UNCONFIRMED) },
    'bacapp.reject_reason': { label: 'Reject Reason', type: 'u8' },
    'bacapp.abort_reason': { label: 'Abort Reason', type: 'u8' },
    'bacapp.tag_class': { label: 'Tag Class', type: 'bool', mask: 0x08, tfs: ['Context Specific Tag', 'Application Tag'] },
    'bacapp.context_tag_number': { label: 'Context Tag Number', type: 'u8', mask: 0xf0 },
    'bacapp.application_tag_number': { label: 'Application Tag Number', type: 'u8', mask: 0xf0 },
    'bacapp.extended_tag_number': { label: 'Extended Tag Number', type: 'u8' },
    'bacapp.LVT': { label: 'Length Value Type', type: 'u8' },
    'bacapp.objectType': { label: 'Object Type', type: 'u32', mask: 0xffc00000, values: names(OBJECT_TYPES) },
    'bacapp.instance_number': { label: 'Instance Number', type: 'u32', mask: 0x003fffff },
    'bacapp.property_identifier': { label: 'Property Identifier', type: 'u32', values: PROPERTIES },
    'bacapp.who_is.low_limit': { label: 'Device Instance Range Low Limit', type: 'u32' },
    'bacapp.who_is.high_limit': { label: 'Device Instance Range High Limit', type: 'u32' },
  },
  dissect(c) {
    const first = c.peek8();
    const type = first >> 4;
    const typeName = APDU_TYPES[type] ?? `Reserved (${type})`;
    c.provisional = typeName;
    c.bits('bacapp.type', 1, 0xf0);
    let service: string | undefined;
    let invoke: number | undefined;
    switch (type) {
      case 0: {
        c.flag('bacapp.segmented_request', 1, 0x08);
        c.flag('bacapp.more_segments', 1, 0x04);
        c.flag('bacapp.SA', 1, 0x02);
        c.skip(1);
        c.bits('bacapp.response_segments', 1, 0x70);
        c.bits('bacapp.max_adpu_size', 1, 0x0f);
        c.skip(1);
        invoke = c.u8('bacapp.invoke_id');
        if ((first & 0x08) !== 0) {
          c.u8('bacapp.sequence_number');
          c.u8('bacapp.window_size');
        }
        const s = c.u8('bacapp.confirmed_service');
        service = CONFIRMED[s] ?? `Reserved (${s})`;
        break;
      }
      case 1: {
        c.skip(1);
        const s = c.u8('bacapp.unconfirmed_service');
        service = UNCONFIRMED[s] ?? `Reserved (${s})`;
        break;
      }
      case 2:
      case 5: {
        c.skip(1);
        invoke = c.u8('bacapp.invoke_id');
        const s = c.u8('bacapp.confirmed_service');
        service = CONFIRMED[s] ?? `Reserved (${s})`;
        break;
      }
      case 3: {
        c.flag('bacapp.segmented_request', 1, 0x08);
        c.flag('bacapp.more_segments', 1, 0x04);
        c.skip(1);
        invoke = c.u8('bacapp.invoke_id');
        if ((first & 0x08) !== 0) {
          c.u8('bacapp.sequence_number');
          c.u8('bacapp.window_size');
        }
        const s = c.u8('bacapp.confirmed_service');
        service = CONFIRMED[s] ?? `Reserved (${s})`;
        break;
      }
      case 4:
        c.flag('bacapp.NAK', 1, 0x02);
        c.flag('bacapp.SRV', 1, 0x01);
        c.skip(1);
        c.u8('bacapp.invoke_id');
        c.u8('bacapp.sequence_number');
        c.u8('bacapp.window_size');
        return { summary: typeName, info: { type } };
      case 6:
      case 7:
        c.flag('bacapp.SRV', 1, 0x01);
        c.skip(1);
        c.u8('bacapp.invoke_id');
        c.u8(type === 6 ? 'bacapp.reject_reason' : 'bacapp.abort_reason');
        return { summary: typeName, info: { type } };
      default:
        c.skip(c.remaining());
        return { summary: typeName, info: { type } };
    }
    // tshark: the type name in 16 columns, the service, the invoke id of confirmed services.
    const head = `${typeName.padEnd(16)}${service}${invoke !== undefined ? `[${String(invoke).padStart(3)}]` : ''} `;
    c.provisional = head;
    const shown: string[] = [];
    readParameters(c, service, type === 0 || type === 3, shown);
    // tshark writes each value it shows followed by a space.
    return { summary: () => head + shown.map((v) => `${v} `).join(''), info: { type, service } };
  },
});
