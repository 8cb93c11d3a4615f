/** Conversation and endpoint tables: the JSON contract, CSV rows, and sections for people and Markdown. */
import {
  conversationBytes,
  conversationDuration,
  conversationDurationNs,
  conversationPackets,
  conversationStart,
  conversationStartNs,
  endpointBytes,
  endpointPackets,
  type Conversation,
  type Endpoint,
} from '../../analyze/conversations.js';
import type { TrafficType } from '../../analyze/traffic-taps.js';
import type { Column, Row } from '../table/table.js';
import type { StatsSection } from './sections.js';
import { countText, humanBytes, secondsText } from './units.js';

export const TRAFFIC_TITLES: Readonly<Record<TrafficType, string>> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

const hasPorts = (t: TrafficType): boolean => t === 'tcp' || t === 'udp';

/** A host's name learned from the capture (`NameBook.nameOf`), or undefined when names are off. */
export type NameOf = ((address: string) => string | undefined) | undefined;

/** One row of `stats conv --format json` (the contract in ARCHITECTURE.md). */
export interface ConversationJson {
  a: string;
  portA?: number;
  b: string;
  portB?: number;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  packets: number;
  bytes: number;
  /** Seconds after the capture's first packet. */
  start: number;
  duration: number;
  /** Names learned from the capture for A and B, when known (and names are on). */
  nameA?: string;
  nameB?: string;
}

export function conversationJson(c: Conversation): ConversationJson {
  const counts = {
    packetsAtoB: c.packetsAtoB,
    bytesAtoB: c.bytesAtoB,
    packetsBtoA: c.packetsBtoA,
    bytesBtoA: c.bytesBtoA,
    packets: conversationPackets(c),
    bytes: conversationBytes(c),
    start: conversationStart(c),
    duration: conversationDuration(c),
  };
  return hasPorts(c.type) ? { a: c.a, portA: c.portA ?? 0, b: c.b, portB: c.portB ?? 0, ...counts } : { a: c.a, b: c.b, ...counts };
}

/** The JSON row with `nameA` and `nameB` added for hosts the capture named. */
export function namedConversationJson(c: Conversation, nameOf: NameOf): ConversationJson {
  const row = conversationJson(c);
  const nameA = nameOf?.(c.a);
  const nameB = nameOf?.(c.b);
  if (nameA !== undefined) row.nameA = nameA;
  if (nameB !== undefined) row.nameB = nameB;
  return row;
}

/**
 * CSV columns: the JSON keys, with the table type first (several tables share one CSV); the name
 * columns last (left out by the stats driver when no row has a name).
 */
export const CONVERSATION_CSV_COLUMNS: readonly Column[] = [
  'type', 'a', 'portA', 'b', 'portB', 'packetsAtoB', 'bytesAtoB', 'packetsBtoA', 'bytesBtoA', 'packets', 'bytes', 'start', 'duration', 'nameA', 'nameB',
].map((key) => ({ key, title: key }));

/** Exact values of one conversation, keyed like the JSON (times as decimal seconds). */
export function conversationCells(c: Conversation, nameOf?: NameOf): Row {
  return {
    ...conversationValues(c),
    nameA: nameOf?.(c.a) ?? '',
    nameB: nameOf?.(c.b) ?? '',
  };
}

function conversationValues(c: Conversation): Row {
  return {
    type: c.type,
    a: c.a,
    portA: c.portA === undefined ? '' : String(c.portA),
    b: c.b,
    portB: c.portB === undefined ? '' : String(c.portB),
    packetsAtoB: String(c.packetsAtoB),
    bytesAtoB: String(c.bytesAtoB),
    packetsBtoA: String(c.packetsBtoA),
    bytesBtoA: String(c.bytesBtoA),
    packets: String(conversationPackets(c)),
    bytes: String(conversationBytes(c)),
    start: secondsText(conversationStartNs(c)),
    duration: secondsText(conversationDurationNs(c)),
  };
}

const withPort = (address: string, port: number | undefined): string =>
  port === undefined ? address : address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

/** One table of conversations: human units for `table`, exact numbers for `md`. */
export function conversationSection(type: TrafficType, rows: readonly Conversation[], format: 'table' | 'md', nameOf?: NameOf): StatsSection {
  const ports = hasPorts(type);
  const right = 'right' as const;
  // Name columns only when the capture named some host of this table.
  const named = nameOf !== undefined && rows.some((c) => nameOf(c.a) !== undefined || nameOf(c.b) !== undefined);
  const columns: Column[] = [
    { key: 'a', title: 'A' },
    ...(ports && format === 'md' ? [{ key: 'portA', title: 'Port A', align: right }] : []),
    ...(named ? [{ key: 'nameA', title: 'Name A' }] : []),
    { key: 'b', title: 'B' },
    ...(ports && format === 'md' ? [{ key: 'portB', title: 'Port B', align: right }] : []),
    ...(named ? [{ key: 'nameB', title: 'Name B' }] : []),
    { key: 'packetsAtoB', title: 'Packets A→B', align: right },
    { key: 'bytesAtoB', title: 'Bytes A→B', align: right },
    { key: 'packetsBtoA', title: 'Packets B→A', align: right },
    { key: 'bytesBtoA', title: 'Bytes B→A', align: right },
    { key: 'packets', title: 'Packets', align: right },
    { key: 'bytes', title: 'Bytes', align: right },
    { key: 'start', title: 'Start (s)', align: right },
    { key: 'duration', title: 'Duration (s)', align: right },
  ];
  const cells = rows.map((c): Row => {
    if (format === 'md') return conversationCells(c, nameOf);
    return {
      a: withPort(c.a, c.portA),
      nameA: nameOf?.(c.a) ?? '',
      b: withPort(c.b, c.portB),
      nameB: nameOf?.(c.b) ?? '',
      packetsAtoB: countText(c.packetsAtoB),
      bytesAtoB: humanBytes(c.bytesAtoB),
      packetsBtoA: countText(c.packetsBtoA),
      bytesBtoA: humanBytes(c.bytesBtoA),
      packets: countText(conversationPackets(c)),
      bytes: humanBytes(conversationBytes(c)),
      start: secondsText(conversationStartNs(c), 6),
      duration: secondsText(conversationDurationNs(c), 6),
    };
  });
  return { title: `${TRAFFIC_TITLES[type]} conversations`, columns, rows: cells, empty: 'none' };
}

/** One row of `stats endpoints --format json` (tshark's endpoint table, exact). */
export interface EndpointJson {
  address: string;
  port?: number;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
  /** The name learned from the capture for the address, when known (and names are on). */
  name?: string;
}

export function endpointJson(e: Endpoint): EndpointJson {
  const counts = { packets: endpointPackets(e), bytes: endpointBytes(e), txPackets: e.txPackets, txBytes: e.txBytes, rxPackets: e.rxPackets, rxBytes: e.rxBytes };
  return hasPorts(e.type) ? { address: e.address, port: e.port ?? 0, ...counts } : { address: e.address, ...counts };
}

/** The JSON row with `name` added when the capture named the address. */
export function namedEndpointJson(e: Endpoint, nameOf: NameOf): EndpointJson {
  const row = endpointJson(e);
  const name = nameOf?.(e.address);
  if (name !== undefined) row.name = name;
  return row;
}

/** The JSON keys with the type first; `name` last (left out by the stats driver when no row has one). */
export const ENDPOINT_CSV_COLUMNS: readonly Column[] = ['type', 'address', 'port', 'packets', 'bytes', 'txPackets', 'txBytes', 'rxPackets', 'rxBytes', 'name'].map((key) => ({ key, title: key }));

export function endpointCells(e: Endpoint, nameOf?: NameOf): Row {
  return {
    name: nameOf?.(e.address) ?? '',
    type: e.type,
    address: e.address,
    port: e.port === undefined ? '' : String(e.port),
    packets: String(endpointPackets(e)),
    bytes: String(endpointBytes(e)),
    txPackets: String(e.txPackets),
    txBytes: String(e.txBytes),
    rxPackets: String(e.rxPackets),
    rxBytes: String(e.rxBytes),
  };
}

export function endpointSection(type: TrafficType, rows: readonly Endpoint[], format: 'table' | 'md', nameOf?: NameOf): StatsSection {
  const ports = hasPorts(type);
  const right = 'right' as const;
  const named = nameOf !== undefined && rows.some((e) => nameOf(e.address) !== undefined);
  const columns: Column[] = [
    { key: 'address', title: 'Address' },
    ...(named ? [{ key: 'name', title: 'Name' }] : []),
    ...(ports ? [{ key: 'port', title: 'Port', align: right }] : []),
    { key: 'packets', title: 'Packets', align: right },
    { key: 'bytes', title: 'Bytes', align: right },
    { key: 'txPackets', title: 'Tx packets', align: right },
    { key: 'txBytes', title: 'Tx bytes', align: right },
    { key: 'rxPackets', title: 'Rx packets', align: right },
    { key: 'rxBytes', title: 'Rx bytes', align: right },
  ];
  const cells = rows.map((e): Row => {
    if (format === 'md') return endpointCells(e, nameOf);
    return {
      address: e.address,
      name: nameOf?.(e.address) ?? '',
      port: e.port === undefined ? '' : String(e.port),
      packets: countText(endpointPackets(e)),
      bytes: humanBytes(endpointBytes(e)),
      txPackets: countText(e.txPackets),
      txBytes: humanBytes(e.txBytes),
      rxPackets: countText(e.rxPackets),
      rxBytes: humanBytes(e.rxBytes),
    };
  });
  return { title: `${TRAFFIC_TITLES[type]} endpoints`, columns, rows: cells, empty: 'none' };
}
