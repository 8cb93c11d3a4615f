import type { ProtocolDef } from '../protocol.js';
import { amr } from './amr.js';
import { rtcp } from './rtcp.js';
import { rtp } from './rtp.js';
import { rtpevent } from './rtpevent.js';
import { text } from './text.js';

/**
 * Media sessions set up by signalling (SDP in SIP, SAP, RTSP): RTP and RTCP on the announced
 * conversations, and what RTP carries (AMR speech, RTP events, RFC 2198 redundancy as a text
 * item). RTCP also has Wireshark's UDP heuristic, tried after every other.
 */
export const mediaProtocols: readonly ProtocolDef[] = [rtp, rtcp, amr, rtpevent, text];
