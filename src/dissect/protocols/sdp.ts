import type { Cursor } from '../cursor.js';
import type { FieldDecl } from '../field-types.js';
import { defineProtocol } from '../protocol.js';
import { setUpSdpMedia } from './media-sessions.js';
import { payloadTypeName } from './rtp.js';
import { latin1Text } from '../byte-text.js';

/**
 * Session Description Protocol (RFC 4566): each `x=value` line as its field, the owner,
 * connection, time, media and attribute lines split into their parts. SIP reads an SDP body in
 * its own subtree (as tshark does: its hierarchy shows no protocol under SIP) with `sdpBody`;
 * the protocol itself has no bindings (SAP and RTSP hand it their bodies) and serves
 * `--decode-as`. The media it describes are set up as RTP/RTCP conversations
 * (`media-sessions.ts`).
 */

const MAX_LINES = 1024;
const MAX_ITEMS = 256;

const str = (label: string): FieldDecl => ({ label, type: 'string' });

/** Line type → [key, label]; `i` and `a` depend on whether a media section has started. */
const LINES: Record<string, [string, string]> = {
  v: ['sdp.version', 'Session Description Protocol Version (v)'],
  o: ['sdp.owner', 'Owner/Creator, Session Id (o)'],
  s: ['sdp.session_name', 'Session Name (s)'],
  u: ['sdp.uri', 'URI of Description (u)'],
  e: ['sdp.email', 'E-mail Address (e)'],
  p: ['sdp.phone', 'Phone Number (p)'],
  c: ['sdp.connection_info', 'Connection Information (c)'],
  b: ['sdp.bandwidth', 'Bandwidth Information (b)'],
  t: ['sdp.time', 'Time Description, active time (t)'],
  r: ['sdp.repeat_time', 'Repeat Time (r)'],
  z: ['sdp.timezone', 'Time Zone Adjustments (z)'],
  k: ['sdp.encryption_key', 'Encryption Key (k)'],
  m: ['sdp.media', 'Media Description, name and address (m)'],
};

/** The name of a media format: RTP payload types by number, others as written. */
function formatName(fmt: string, rtp: boolean): string {
  if (!rtp || !/^\d{1,3}$/.test(fmt)) return fmt;
  const n = Number(fmt);
  return n > 127 ? fmt : payloadTypeName(n);
}

/** The parts of one line, recorded over the line's bytes. */
function parts(c: Cursor, type: string, value: string, at: number, len: number, inMedia: boolean, rtp: { on: boolean }): void {
  const w = value.split(' ');
  const add = (key: string, v: string | number | undefined): void => {
    if (v !== undefined) c.add(key, v, at, len);
  };
  switch (type) {
    case 'o':
      ['username', 'sessionid', 'version', 'network_type', 'address_type', 'address'].forEach((k, i) => add(`sdp.owner.${k}`, w[i]));
      break;
    case 'c': {
      add('sdp.connection_info.network_type', w[0]);
      add('sdp.connection_info.address_type', w[1]);
      if (w[2] !== undefined) {
        const [addr, ttl, num] = w[2].split('/');
        add('sdp.connection_info.address', addr);
        add('sdp.connection_info.ttl', ttl);
        add('sdp.connection_info.num_addr', num);
      }
      break;
    }
    case 'b': {
      const colon = value.indexOf(':');
      if (colon >= 0) {
        add('sdp.bandwidth.modifier', value.slice(0, colon));
        add('sdp.bandwidth.value', value.slice(colon + 1));
      }
      break;
    }
    case 't':
      add('sdp.time.start', w[0]);
      add('sdp.time.stop', w[1]);
      break;
    case 'm': {
      add('sdp.media.media', w[0]);
      if (w[1] !== undefined) {
        const [port, count] = w[1].split('/');
        if (/^\d{1,5}$/.test(port!) && Number(port) <= 0xffff) add('sdp.media.port', Number(port));
        else add('sdp.media.port_string', port);
        add('sdp.media.portcount', count);
      }
      add('sdp.media.proto', w[2]);
      rtp.on = (w[2] ?? '').startsWith('RTP/');
      for (const f of w.slice(3, 3 + MAX_ITEMS)) if (f !== '') add('sdp.media.format', formatName(f, rtp.on));
      break;
    }
    case 'a': {
      const colon = value.indexOf(':');
      if (colon < 0) break;
      const field = value.slice(0, colon);
      const v = value.slice(colon + 1);
      if (!inMedia) {
        add('sdp.session_attr.field', field);
        add('sdp.session_attr.value', v);
        break;
      }
      add('sdp.media_attribute.field', field);
      const sp = v.indexOf(' ');
      if (field === 'rtpmap' && sp > 0) {
        add('sdp.media.format', v.slice(0, sp));
        const [mime, rate] = v.slice(sp + 1).split('/');
        add('sdp.mime.type', mime);
        add('sdp.sample_rate', rate);
      } else if (field === 'fmtp' && sp > 0) {
        add('sdp.media.format', v.slice(0, sp));
        add('sdp.fmtp.parameter', v.slice(sp + 1));
      } else add('sdp.media_attribute.value', v);
      break;
    }
    default:
      break;
  }
}

/**
 * The SDP lines from the position to `end`, under a "Session Description Protocol" item (SIP
 * calls this for an application/sdp body; `callId` is the SIP Call-ID tshark repeats there).
 * Returns the number of media descriptions.
 */
export function sdpBody(c: Cursor, end: number, callId: string | undefined): number {
  const d = c.data;
  const stop = Math.min(end, c.capEnd);
  let media = 0;
  c.group('sdp', () => {
    let inMedia = false;
    const rtp = { on: false };
    let lines = 0;
    while (c.pos < stop && lines++ < MAX_LINES) {
      const at = c.pos;
      let e = at;
      while (e < stop && d[e] !== 0x0a && d[e] !== 0x0d) e++;
      let next = e;
      if (next < stop && d[next] === 0x0d) next++;
      if (next < stop && d[next] === 0x0a) next++;
      const line = latin1Text(d, at, e);
      if (line === '') {
        c.seek(next);
        continue;
      }
      const len = e - at;
      if (line.length < 2 || line[1] !== '=') {
        c.add('sdp.invalid', line, at, len);
        c.expert('note', "Invalid SDP line (no '=' delimiter)", 'sdp.invalid', at);
        c.seek(next);
        continue;
      }
      const type = line[0]!;
      const value = line.slice(2);
      let key: string;
      let label: string;
      if (type === 'i') [key, label] = inMedia ? ['sdp.media_title', 'Media Title (i)'] : ['sdp.session_info', 'Session Information (i)'];
      else if (type === 'a') [key, label] = inMedia ? ['sdp.media_attr', 'Media Attribute (a)'] : ['sdp.session_attr', 'Session Attribute (a)'];
      else if (LINES[type] !== undefined) [key, label] = LINES[type]!;
      else [key, label] = ['sdp.unknown', 'Unknown'];
      if (type === 'm') {
        inMedia = true;
        media++;
      }
      c.group(key, () => {
        parts(c, type, value, at, len, inMedia, rtp);
        c.seek(e);
        return key === 'sdp.unknown' ? line : value;
      }, len, () => (key === 'sdp.unknown' ? `Unknown: ${line}` : `${label}: ${value}`));
      c.seek(next);
    }
    // tshark repeats the SIP Call-ID the description belongs to (generated).
    if (callId !== undefined) c.add('sip.call_id_generated', callId, c.pos, 0);
    return true;
  }, -1, () => 'Session Description Protocol');
  return media;
}

export const sdp = defineProtocol({
  id: 'sdp',
  name: 'Session Description Protocol',
  short: 'SDP',
  fields: {
    sdp: { label: 'Session Description Protocol', type: 'protocol' },
    ...Object.fromEntries(Object.values(LINES).map(([k, label]): [string, FieldDecl] => [k, str(label)])),
    'sdp.session_info': str('Session Information (i)'),
    'sdp.media_title': str('Media Title (i)'),
    'sdp.session_attr': str('Session Attribute (a)'),
    'sdp.media_attr': str('Media Attribute (a)'),
    'sdp.unknown': str('Unknown'),
    'sdp.invalid': str('Invalid line'),
    'sdp.owner.username': str('Owner Username'),
    'sdp.owner.sessionid': str('Session ID'),
    'sdp.owner.version': str('Session Version'),
    'sdp.owner.network_type': str('Owner Network Type'),
    'sdp.owner.address_type': str('Owner Address Type'),
    'sdp.owner.address': str('Owner Address'),
    'sdp.connection_info.network_type': str('Connection Network Type'),
    'sdp.connection_info.address_type': str('Connection Address Type'),
    'sdp.connection_info.address': str('Connection Address'),
    'sdp.connection_info.ttl': str('Connection TTL'),
    'sdp.connection_info.num_addr': str('Connection Number of Addresses'),
    'sdp.bandwidth.modifier': str('Bandwidth Modifier'),
    'sdp.bandwidth.value': str('Bandwidth Value'),
    'sdp.time.start': str('Session Start Time'),
    'sdp.time.stop': str('Session Stop Time'),
    'sdp.media.media': str('Media Type'),
    'sdp.media.port': { label: 'Media Port', type: 'u16' },
    'sdp.media.port_string': str('Media Port'),
    'sdp.media.portcount': str('Media Port Count'),
    'sdp.media.proto': str('Media Protocol'),
    'sdp.media.format': str('Media Format'),
    'sdp.session_attr.field': str('Session Attribute Fieldname'),
    'sdp.session_attr.value': str('Session Attribute Value'),
    'sdp.media_attribute.field': str('Media Attribute Fieldname'),
    'sdp.media_attribute.value': str('Media Attribute Value'),
    'sdp.mime.type': str('MIME Type'),
    'sdp.sample_rate': str('Sample Rate'),
    'sdp.fmtp.parameter': str('Media format specific parameters'),
  },
  dissect(c) {
    const start = c.pos;
    const media = sdpBody(c, c.capEnd, undefined);
    // Carried by SAP, RTSP or chosen with --decode-as, the description takes effect on its own.
    const endpoints = setUpSdpMedia(c, start, c.capEnd, { kind: 'plain' }, undefined);
    // SDP writes no Info of its own and appends "/SDP" to the carrier's protocol column (SAP/SDP).
    const carrier = c.below[c.below.length - 1];
    return { summary: () => carrier?.summary ?? '', name: carrier !== undefined ? `${carrier.name}/SDP` : undefined, info: endpoints.length > 0 ? { media, mediaEndpoints: endpoints } : { media } };
  },
});
